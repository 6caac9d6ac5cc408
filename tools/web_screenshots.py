"""Phone-width screenshots of the running web form, in French and English, for the README.

Start the app first (``make run``), then::

    .venv/bin/python tools/web_screenshots.py [--url http://127.0.0.1:5000]

It opens the demonstration campaign link in Debian's Chromium at 360 px, starts
the short questionnaire, answers the first page and photographs the next one:
``docs/images/web-phone-fr.png`` and ``docs/images/web-phone-en.png``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CAMPAIGN = "/c/demo-perceived-safety-locataires"
WORDS = {
    "fr": {"start": "Commencer le sondage", "continue": "Continuer"},
    "en": {"start": "Start the survey", "continue": "Continue"},
}


def photograph(page: Page, url: str, language: str, out: Path) -> None:
    words = WORDS[language]
    page.goto(f"{url}{CAMPAIGN}?lang={language}")
    with page.expect_navigation():
        page.get_by_role("button", name=words["start"], exact=True).click()
    page.fill("#f-age", "34")
    page.check("#f-consent")
    with page.expect_navigation():
        page.get_by_role("button", name=words["continue"], exact=True).click()
    page.locator('input[type="radio"]').nth(1).check()
    page.screenshot(path=str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for language in ("fr", "en"):
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale=language)
            out = args.out / f"web-phone-{language}.png"
            photograph(context.new_page(), args.url.rstrip("/"), language, out)
            context.close()
            print(out)
        browser.close()


if __name__ == "__main__":
    main()
