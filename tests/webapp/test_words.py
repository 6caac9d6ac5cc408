"""Every word the web pages show is in the shared catalogue, in French and in English."""

from __future__ import annotations

import re
from pathlib import Path

from i18n import has_message, translate
from webapp.messages import COMPOSED

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
#: ``t("web.x")`` and ``t("web.x", ...)``; ids composed in templates are in COMPOSED.
_USED = re.compile(r"""\bt\(\s*["'](web\.[a-z0-9_.]+[a-z0-9])["']\s*[,)]""")


def used_ids() -> set[str]:
    found = set(COMPOSED)
    for path in [*WEBAPP.rglob("*.html"), *WEBAPP.rglob("*.py")]:
        found.update(_USED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_web_message_has_french_and_english_text() -> None:
    ids = used_ids()
    assert len(ids) > 60
    missing = [
        (msgid, lang) for msgid in ids for lang in ("fr", "en") if not has_message(msgid, lang)
    ]
    assert missing == []


def test_french_and_english_differ_where_words_differ() -> None:
    same = {msgid for msgid in used_ids() if translate("fr", msgid) == translate("en", msgid)}
    assert same == set()
