"""The residents' web form in one process, with one resident who has started perceived_safety.

bench/web.py (``cpu_split``), bench/web_cpu.py and bench/update_cost.py post
its first page again and again through Flask's test client. The packages are
imported when :func:`one_resident` is called, from whichever tree ``sys.path``
puts first: those scripts also measure other checkouts' code.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class OneResident:
    """The intake service, and a client whose session has a response in progress."""

    service: Any
    client: Any
    #: The CSRF token of the client's session.
    token: str

    def post(self, age: int) -> int:
        """Answer the first page (age and consent) with ``age``; the response's status."""
        form = {"csrf_token": self.token, "page": "age", "age": str(age), "consent": "yes"}
        return int(self.client.post("/survey", data=form).status_code)


def one_resident(engine: Any, survey_defs: Path, **config: Any) -> OneResident:
    """The web form over an intake service on ``engine`` (tables made), serving ``survey_defs``.

    Cookies are not marked secure (plain HTTP), the access log is quiet; ``config``
    adds to or overrides the app's settings (rate limits, say).
    """
    from intake.registry import SurveyRegistry
    from intake.service import IntakeService
    from intake.settings import IntakeSettings
    from storage.engine import make_session_factory
    from webapp.app import create_app

    sessions = make_session_factory(engine)
    registry = SurveyRegistry.from_directory(sessions, survey_defs)
    secret = secrets.token_urlsafe(32)
    service = IntakeService(sessions, registry, IntakeSettings(secret_key=secret))
    settings = {"SECRET_KEY": secret, "VIGIE_INTAKE": service, "SESSION_COOKIE_SECURE": False}
    app = create_app({**settings, "WTF_CSRF_SSL_STRICT": False, **config})
    logging.getLogger("vigie.access").setLevel(logging.WARNING)
    client = app.test_client()
    token = TOKEN.findall(client.get("/").get_data(as_text=True))[0]
    client.post("/s/perceived_safety", data={"csrf_token": token})
    token = TOKEN.findall(client.get("/survey").get_data(as_text=True))[0]
    return OneResident(service, client, token)
