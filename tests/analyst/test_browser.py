"""In Chromium: an analyst signs in, makes a campaign, takes its QR code and poster, runs
estimates and watches them finish in a real queue, publishes them, and the public sees them.

Every page met (analyst, partner, public) is checked by axe-core: no WCAG 2.1 A/AA violation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from workspace_support import PASSWORD, add_responses, queue_worker

from demo import DEMO_BENCHMARKS_CSV
from observatory.jobs import JobQueue, make_huey
from services import Services
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
def worked(services: Services, tmp_path: Path) -> Iterator[Services]:
    """Data to estimate, and a worker thread consuming the SQLite queue."""
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 120)
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    huey = make_huey(redis_url=None, instance_dir=tmp_path)
    services._jobs = JobQueue(services.observatory, services.sessions, huey)
    with queue_worker(huey):
        yield services


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/analyst/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/analyst/")


def test_campaign_estimates_publication_in_chromium(worked: Services, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    app = create_app(
        {
            "SECRET_KEY": "browser-secret-0123456789abcdef",
            "VIGIE_TESTING": True,
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_SSL_STRICT": False,
            "VIGIE_SERVICES": worked,
        }
    )
    checks = PageChecks(Axe())
    with LiveServer(app) as server, chromium() as browser:
        base = server.url
        context: Any = browser.new_context(accept_downloads=True, locale="fr-CA")  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(f"{base}/analyst/login")
        checks.check(page, "login")
        _sign_in(page, base, "ana@vigie.test")
        checks.check(page, "home")
        page.select_option("#campaign-survey", "perceived_safety")
        page.fill("#campaign-organisation", "Maison des jeunes")
        page.fill("#campaign-code", "mdj-2026")
        page.click("text=Créer la campagne")
        page.wait_for_url(f"{base}/analyst/campaigns/mdj-2026")
        checks.check(page, "campaign")
        with page.expect_download() as png:
            page.click("#qr-png")
        assert Path(png.value.path()).read_bytes().startswith(b"\x89PNG")
        with page.expect_download() as svg:
            page.click("#qr-svg")
        assert b"<svg" in Path(svg.value.path()).read_bytes()
        page.click("#poster")
        page.wait_for_selector("text=Votre quartier est-il sûr ?")
        assert page.locator("text=Is your neighbourhood safe?").count() == 1
        checks.check(page, "poster")

        page.goto(f"{base}/analyst/estimates")
        checks.check(page, "estimates")
        page.select_option("#survey", "victimisation")
        page.fill("#replicates", "40")
        page.fill("#min_respondents", "45")
        page.click("text=Lancer le calcul")
        page.wait_for_url(f"{base}/analyst/estimates/*")
        page.wait_for_selector("#run-status >> text=terminé", timeout=90_000)
        checks.check(page, "run")
        page.click("text=Publier sur la page publique")
        page.wait_for_selector("#published")
        page.click("text=Voir la page publique")
        page.wait_for_selector("table.estimates")
        assert page.locator("td.suppressed").count() > 0
        checks.check(page, "public run")

        public = browser.new_context(locale="en-CA").new_page()  # type: ignore[attr-defined]
        public.goto(f"{base}/results/?lang=en")
        checks.check(public, "public list")
        assert public.locator("main a[href^='/results/']").count() == 1

        partner = browser.new_context().new_page()  # type: ignore[attr-defined]
        _sign_in(partner, base, "partner@locataires.test")
        checks.check(partner, "partner home")
        partner.goto(f"{base}/analyst/campaigns/locataires-2026")
        checks.check(partner, "partner campaign")
        partner.goto(f"{base}/analyst/tokens")
        checks.check(partner, "partner tokens")
        admin = browser.new_context().new_page()  # type: ignore[attr-defined]
        _sign_in(admin, base, "admin@vigie.test")
        for path in ("/admin/users", "/admin/audit"):
            admin.goto(f"{base}{path}")
            checks.check(admin, path)
        context.close()
    assert checks.problems == []
