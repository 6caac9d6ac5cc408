"""In Chromium: an analyst reads the overview and its chart, uploads census benchmarks and a
broken then a clean questionnaire on the data page, and activates the new version. Every page
is checked by axe-core (WCAG 2.1 A/AA); the chart image loads under the app's
Content-Security-Policy. (The run and public pages, with their charts, are checked by axe in
test_browser.py.)
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from workspace_support import DEFS, PASSWORD, add_responses

from demo import DEMO_BENCHMARKS_CSV
from observatory.database import upgrade_database
from services import Services, Settings, build_services
from webapp import create_app

sys.path.append(str(Path(__file__).resolve().parents[1] / "webapp"))
from browser_flow import PageChecks
from browser_support import CHROMIUM, LiveServer, chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    """Responses, an analyst and a copy of the questionnaires."""
    defs = tmp_path / "defs"
    shutil.copytree(DEFS, defs)
    upgrade_database(database_url)
    settings = Settings(
        database_url=database_url,
        survey_defs=defs,
        secret_key="browser-tests-secret-0123456789abcdef",
        testing=True,
    )
    add_responses(database_url, 120)
    with build_services(settings) as built:
        accounts = built.observatory.accounts
        accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        accounts.create_user("ana@vigie.test", "analyst", password=PASSWORD)
        yield built


def _images_loaded(page: Any) -> bool:
    """Every chart image on the page was fetched and decoded (none blocked or broken)."""
    images = "[...document.querySelectorAll('img.chart-image')]"
    page.wait_for_function(f"() => {images}.every(i => i.complete)", timeout=60_000)
    loaded = f"() => {images}.length > 0 && {images}.every(i => i.naturalWidth > 0)"
    return bool(page.evaluate(loaded))


def test_overview_data_page_and_charts_in_chromium(services: Services, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    app = create_app(
        {
            "SECRET_KEY": "browser-secret-0123456789abcdef",
            "VIGIE_TESTING": True,
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_SSL_STRICT": False,
            "VIGIE_SERVICES": services,
        }
    )
    broken = tmp_path / "perceived_v2.yaml"
    source = (DEFS / "perceived_safety.yaml").read_text(encoding="utf-8")
    broken.write_text(source.replace('version: "1.0"', 'version: "1.1"\nextra: 1'), "utf-8")
    clean = tmp_path / "perceived_v3.yaml"
    clean.write_text(source.replace('version: "1.0"', 'version: "1.2"'), "utf-8")
    checks = PageChecks(Axe())
    with LiveServer(app) as server, chromium() as browser:
        base = server.url
        page: Any = browser.new_context(locale="en-CA").new_page()  # type: ignore[attr-defined]
        page.goto(f"{base}/analyst/login?lang=en")
        page.fill("#email", "ana@vigie.test")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/analyst/")

        page.click("nav >> text=Overview")
        page.select_option("#survey", "victimisation")
        page.click("main >> text=Show")
        page.wait_for_selector("#chart-days")
        assert page.locator("#channels tbody td").all_inner_texts()[:2] == ["80", "40"]
        assert _images_loaded(page)
        checks.check(page, "overview")

        page.click("nav >> text=Data")
        page.set_input_files("#benchmark-file", str(DEMO_BENCHMARKS_CSV))
        page.click("text=Check and load the benchmarks")
        page.wait_for_selector("#benchmark-done")
        checks.check(page, "benchmarks loaded")
        page.set_input_files("#definition-file", str(broken))
        page.click("text=Check and register the questionnaire")
        page.wait_for_selector("#definition-problems")
        assert "perceived_v2.yaml:" in page.inner_text("#definition-problems")
        checks.check(page, "definition errors")
        page.set_input_files("#definition-file", str(clean))
        page.click("text=Check and register the questionnaire")
        page.wait_for_selector("#definition-done")
        page.click("#version-table button")
        page.wait_for_selector("#definition-activated")
        checks.check(page, "definition activated")

    assert services.registry.current("perceived_safety").survey.version == "1.2"
    assert checks.problems == []
