"""Personal API tokens: made here, shown once, revocable."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from webapp.accounts import current_staff, roles_required
from webapp.analyst import analyst
from webapp.services import observatory


@analyst.route("/tokens", methods=["GET", "POST"])
@roles_required("admin", "analyst", "partner")
def tokens() -> tuple[str, int]:
    accounts = observatory().accounts
    user = current_staff().record
    issued = None
    if request.method == "POST":
        issued = accounts.issue_token(user, request.form.get("name", ""))
    listed = accounts.tokens(user)
    return render_template("analyst/tokens.html", tokens=listed, issued=issued), 200


@analyst.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required("admin", "analyst", "partner")
def revoke_token(token_id: int) -> BaseResponse:
    observatory().accounts.revoke_token(current_staff().record, token_id)
    return redirect(url_for("analyst.tokens"), code=303)
