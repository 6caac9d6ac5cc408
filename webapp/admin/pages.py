"""The administrators' pages: each view calls one operation of observatory.users."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from observatory import ObservatoryError
from observatory.access import STAFF_ROLES
from webapp.accounts import current_staff, roles_required
from webapp.admin import admin
from webapp.analyst.errors import workspace_error
from webapp.services import observatory
from webapp.words import page_language


@admin.errorhandler(ObservatoryError)
def refused(error: ObservatoryError) -> tuple[str, int]:
    status = 404 if error.code == "no_user" else 400
    return workspace_error(status, error.render(page_language()))


def _users_page(status: int = 200, **shown: object) -> tuple[str, int]:
    users = observatory().accounts.users()
    values = {"invited": None, "error": None, "form": {}} | shown
    return render_template("admin/users.html", users=users, roles=STAFF_ROLES, **values), status


@admin.route("/users")
@roles_required("admin")
def users() -> tuple[str, int]:
    return _users_page()


@admin.route("/users/invite", methods=["POST"])
@roles_required("admin")
def invite() -> tuple[str, int]:
    form = {key: request.form.get(key, "") for key in ("email", "role", "organisation")}
    try:
        made = observatory().accounts.create_user(
            form["email"],
            form["role"],
            organisation=form["organisation"] or None,
            actor=current_staff().record,
        )
    except ObservatoryError as error:
        return _users_page(400, error=error.render(page_language()), form=form)
    link = url_for("analyst.invitation", code=made.code, _external=True)
    return _users_page(201, invited={"email": made.user.email, "link": link})


@admin.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required("admin")
def change_role(user_id: int) -> BaseResponse:
    observatory().accounts.set_role(
        current_staff().record,
        user_id,
        request.form.get("role", ""),
        request.form.get("organisation") or None,
    )
    return redirect(url_for("admin.users"), code=303)


@admin.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def set_active(user_id: int) -> BaseResponse:
    active = request.form.get("active") == "1"
    observatory().accounts.set_active(current_staff().record, user_id, active)
    return redirect(url_for("admin.users"), code=303)


@admin.route("/audit")
@roles_required("admin")
def audit() -> tuple[str, int]:
    action = request.args.get("action") or None
    events = observatory().accounts.audit_log(action=action, limit=500)
    return render_template("admin/audit.html", events=events, action=action), 200
