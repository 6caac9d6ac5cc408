"""The workspace's home and campaigns: each role sees what observatory.access allows.

Analysts create and close campaigns; a partner sees its own, with their link,
QR code (PNG, SVG) and a printable bilingual poster to put up.
"""

from __future__ import annotations

import io

import segno
from flask import Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from observatory import ObservatoryError
from observatory.access import (
    ANALYST_ROLES,
    STAFF_ROLES,
    sees_microdata,
    visible_campaign,
    visible_campaigns,
)
from webapp.accounts import current_staff, roles_required
from webapp.analyst import analyst
from webapp.services import observatory
from webapp.words import page_language


def _home(
    status: int = 200, error: str | None = None, form: dict[str, str] | None = None
) -> tuple[str, int]:
    user = current_staff().record
    rows = visible_campaigns(observatory(), user)
    surveys = sorted({row.survey_id for row in observatory().indicators(page_language())})
    html = render_template(
        "analyst/home.html",
        campaigns=rows,
        microdata=sees_microdata(user),
        user=user,
        surveys=surveys,
        error=error,
        form=form or {},
    )
    return html, status


@analyst.route("/")
@roles_required(*STAFF_ROLES)
def home() -> tuple[str, int]:
    return _home()


@analyst.route("/campaigns", methods=["POST"])
@roles_required(*ANALYST_ROLES)
def create_campaign() -> BaseResponse | tuple[str, int]:
    form = {
        key: request.form.get(key, "").strip()
        for key in ("survey", "organisation", "municipality", "code")
    }
    try:
        made = observatory().create_campaign(
            form["survey"],
            form["organisation"],
            municipality=form["municipality"] or None,
            code=form["code"] or None,
        )
    except ObservatoryError as error:
        return _home(400, error.render(page_language()), form)
    return redirect(url_for("analyst.campaign", code=made.code), code=303)


@analyst.route("/campaigns/<code>")
@roles_required(*STAFF_ROLES)
def campaign(code: str) -> tuple[str, int]:
    user = current_staff().record
    row = visible_campaign(observatory(), user, code[:32])
    link = url_for("survey.campaign", code=row.code, _external=True)
    return render_template(
        "analyst/campaign.html", campaign=row, link=link, manage=sees_microdata(user)
    ), 200


@analyst.route("/campaigns/<code>/state", methods=["POST"])
@roles_required(*ANALYST_ROLES)
def campaign_state(code: str) -> BaseResponse:
    row = visible_campaign(observatory(), current_staff().record, code[:32])
    observatory().set_campaign_active(row.code, request.form.get("active") == "1")
    return redirect(url_for("analyst.campaign", code=row.code), code=303)


def _qr(code: str) -> segno.QRCode:
    row = visible_campaign(observatory(), current_staff().record, code[:32])
    return segno.make(url_for("survey.campaign", code=row.code, _external=True), error="m")


@analyst.route("/campaigns/<code>/qr.png")
@roles_required(*STAFF_ROLES)
def campaign_qr_png(code: str) -> Response:
    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="png", scale=10, border=4)
    answer = Response(buffer.getvalue(), mimetype="image/png")
    answer.headers["Content-Disposition"] = f'attachment; filename="vigie-{code[:32]}.png"'
    return answer


@analyst.route("/campaigns/<code>/qr.svg")
@roles_required(*STAFF_ROLES)
def campaign_qr_svg(code: str) -> Response:
    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="svg", scale=10, border=4, title="QR", xmldecl=True)
    answer = Response(buffer.getvalue(), mimetype="image/svg+xml")
    if request.args.get("inline") != "1":
        answer.headers["Content-Disposition"] = f'attachment; filename="vigie-{code[:32]}.svg"'
    return answer


@analyst.route("/campaigns/<code>/poster")
@roles_required(*STAFF_ROLES)
def campaign_poster(code: str) -> tuple[str, int]:
    row = visible_campaign(observatory(), current_staff().record, code[:32])
    link = url_for("survey.campaign", code=row.code, _external=True)
    return render_template("analyst/poster.html", campaign=row, link=link), 200
