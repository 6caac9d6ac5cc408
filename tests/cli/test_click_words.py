"""Click's own words around the command's (usage line, headings, errors) follow its language.

Click looks them up with the standard gettext module under their English text;
``i18n/locale/fr/LC_MESSAGES/click.po`` holds the French, compiled by ``make catalogs``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from vigie_cli.words import click_speaking

ROOT = Path(__file__).resolve().parents[2]
CLICK_PO = ROOT / "i18n/locale/fr/LC_MESSAGES/click.po"


def _run(language: str, *args: str) -> str:
    """``vigie ARGS`` in a process of its own (listing commands loads the web app's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LANG")}
    done = subprocess.run(
        [sys.executable, "-c", "from vigie_cli.main import cli; cli()", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "VIGIE_LANGUAGE": language, "VIGIE_TESTING": "1"},
        timeout=120,
    )
    return done.stdout + done.stderr


def test_the_command_leaves_the_environment_as_it_was() -> None:
    before = os.environ.get("LANGUAGE")
    with click_speaking("fr"):
        assert os.environ["LANGUAGE"] == "fr"
    assert os.environ.get("LANGUAGE") == before


def test_usage_and_errors_are_french_for_a_french_command() -> None:
    assert "Utilisation :" in _run("fr", "--help")
    assert "Afficher ce message et quitter." in _run("fr", "--help")
    error = _run("fr", "--no-such-option")
    assert "Erreur : Option inconnue : '--no-such-option'." in error
    assert "Error" not in error


def test_usage_and_errors_stay_english_for_an_english_command() -> None:
    assert "Usage:" in _run("en", "--help")
    assert "Error: No such option '--no-such-option'." in _run("en", "--no-such-option")


def test_every_click_word_has_its_french_with_the_same_placeholders() -> None:
    with CLICK_PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    messages = [m for m in catalog if m.id]
    assert len(messages) >= 20
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, ids[0]
        wanted = set(re.findall(r"\{[^}]*\}", ids[0]))
        for text in strings:
            assert set(re.findall(r"\{[^}]*\}", text)) == wanted, (ids[0], text)
