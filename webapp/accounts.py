"""Who is signed in: Flask-Login over the observatory's accounts, and API tokens.

- A browser session holds ``<user id>:<epoch>``; an account's epoch moves on
  when it is disabled or its role changes, which ends its sessions at once.
- ``/api/`` requests may carry ``Authorization: Bearer <token>`` instead.
- :func:`roles_required` guards a view: anonymous visitors are sent to the
  sign-in page (the API answers 401), a signed-in account without the role
  gets 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Request, abort, redirect, request, url_for
from flask_login import LoginManager, current_user
from werkzeug.wrappers import Response as BaseResponse

from i18n import translate
from observatory.users import UserRecord
from webapp.services import observatory

F = TypeVar("F", bound=Callable[..., Any])


class StaffUser:
    """The signed-in account as Flask-Login sees it."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, record: UserRecord) -> None:
        self.record = record

    def get_id(self) -> str:
        return f"{self.record.id}:{self.record.session_epoch}"

    @property
    def sees_microdata(self) -> bool:
        return self.record.role in ("admin", "analyst")


login_manager = LoginManager()
#: "basic": a session seen from another address or browser must sign in again
#: for sensitive actions; "strong" would also drop token requests whose
#: anonymous session holds only a language.
login_manager.session_protection = "basic"


@login_manager.user_loader
def _load(session_id: str) -> StaffUser | None:
    user_id, _, epoch = session_id.partition(":")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    record = observatory().accounts.session_user(int(user_id), int(epoch))
    return None if record is None else StaffUser(record)


@login_manager.request_loader
def _load_from_token(incoming: Request) -> StaffUser | None:
    if not incoming.path.startswith("/api/"):
        return None
    scheme, _, secret = incoming.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    record = observatory().accounts.token_user(secret.strip())
    return None if record is None else StaffUser(record)


@login_manager.unauthorized_handler
def _unauthorized() -> BaseResponse:
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("analyst.login", next=request.path), code=303)


def current_staff() -> StaffUser:
    """The signed-in account (only inside a view guarded by :func:`roles_required`)."""
    user = current_user._get_current_object()
    assert isinstance(user, StaffUser)
    return user


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in accounts with one of ``roles`` reach the view."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_staff().record.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def install_accounts(app: Flask) -> None:
    """Sign-in for the analyst, partner and admin pages and the API."""
    login_manager.init_app(app)
    # Bilingual pages (the poster) say each text in a given language.
    app.jinja_env.globals["translate"] = translate
