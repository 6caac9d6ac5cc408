"""Signing in and out, and accepting an invitation.

A successful sign-in starts a new session (the old cookie's contents are
dropped and a new session id is drawn), so a session fixed before sign-in is
worthless. Failed attempts are limited per address and per account.
"""

from __future__ import annotations

import secrets

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from observatory import ObservatoryError
from webapp.accounts import StaffUser, current_staff, roles_required
from webapp.analyst import analyst
from webapp.security import limiter, respondent_key
from webapp.services import observatory
from webapp.words import page_language, t

#: Failed sign-ins allowed per address, and per e-mail address.
LOGIN_LIMIT = "5 per minute"
ACCOUNT_LIMIT = "20 per hour"


def _failed(response: BaseResponse) -> bool:
    return response.status_code == 401


def _account_key() -> str:
    return "login:" + request.form.get("email", "").strip().lower()[:254]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("analyst.home")


def start_session(user: StaffUser) -> None:
    """A fresh session for ``user``: nothing of the anonymous one is kept."""
    language = session.get("lang")
    session.clear()
    login_user(user)
    session["sid"] = secrets.token_urlsafe(16)
    if isinstance(language, str):
        session["lang"] = language


@analyst.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, key_func=respondent_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(ACCOUNT_LIMIT, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login() -> BaseResponse | tuple[str, int]:
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("analyst.home"), code=303)
        return render_template("analyst/login.html", email="", error=None), 200
    email = request.form.get("email", "")
    try:
        record = observatory().accounts.authenticate(email, request.form.get("password", ""))
    except ObservatoryError as error:
        text = error.render(page_language())
        return render_template("analyst/login.html", email=email[:254], error=text), 401
    start_session(StaffUser(record))
    return redirect(_safe_next(request.args.get("next")), code=303)


@analyst.route("/logout", methods=["POST"])
@roles_required("admin", "analyst", "partner")
def logout() -> BaseResponse:
    observatory().accounts.record_logout(current_staff().record)
    logout_user()
    session.clear()
    return redirect(url_for("analyst.login"), code=303)


@analyst.route("/invitation/<code>", methods=["GET", "POST"])
def invitation(code: str) -> BaseResponse | tuple[str, int]:
    accounts = observatory().accounts
    user = accounts.invitation(code[:64])
    if request.method == "GET":
        return render_template("analyst/invitation.html", user=user, error=None), 200
    password = request.form.get("password", "")
    if password != request.form.get("password_again", ""):
        error = t("analyst.invitation.mismatch")
        return render_template("analyst/invitation.html", user=user, error=error), 400
    try:
        record = accounts.accept_invitation(code[:64], password)
    except ObservatoryError as failure:
        error = failure.render(page_language())
        return render_template("analyst/invitation.html", user=user, error=error), 400
    start_session(StaffUser(record))
    return redirect(url_for("analyst.home"), code=303)
