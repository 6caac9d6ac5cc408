"""Help resources at the end: the shipped list, or a deployment's own, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.help import help_resources


def test_the_shipped_list_reads_in_both_languages() -> None:
    french = help_resources(None, "fr")
    english = help_resources(None, "en")
    assert [r.phone for r in french] == [r.phone for r in english]
    assert "811" in [r.phone for r in french]
    assert french[0].description != english[0].description


def test_a_deployment_gives_its_own_list(tmp_path: Path) -> None:
    own = tmp_path / "help.json"
    own.write_text(
        json.dumps(
            [
                {
                    "name": {"fr": "Maison d'aide", "en": "Help house"},
                    "description": {"fr": "Ouverte le soir.", "en": "Open evenings."},
                    "url": "https://example.org/",
                }
            ]
        ),
        encoding="utf-8",
    )
    (resource,) = help_resources(str(own), "en")
    assert (resource.name, resource.description) == ("Help house", "Open evenings.")
    assert resource.phone is None and resource.url == "https://example.org/"


def test_a_list_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x"}', encoding="utf-8")
    with pytest.raises(ValueError, match="JSON list"):
        help_resources(str(bad), "fr")
