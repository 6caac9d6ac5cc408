"""The workspace's home and campaigns: each role sees what observatory.access allows."""

from __future__ import annotations

from flask import render_template

from observatory.access import sees_microdata, visible_campaign, visible_campaigns
from webapp.accounts import current_staff, roles_required
from webapp.analyst import analyst
from webapp.services import observatory


@analyst.route("/")
@roles_required("admin", "analyst", "partner")
def home() -> tuple[str, int]:
    user = current_staff().record
    rows = visible_campaigns(observatory(), user)
    return render_template(
        "analyst/home.html", campaigns=rows, microdata=sees_microdata(user), user=user
    ), 200


@analyst.route("/campaigns/<code>")
@roles_required("admin", "analyst", "partner")
def campaign(code: str) -> tuple[str, int]:
    row = visible_campaign(observatory(), current_staff().record, code[:32])
    return render_template("analyst/campaign.html", campaign=row), 200
