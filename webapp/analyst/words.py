"""Message ids the workspace composes from a value (a role, a run's status), for extraction."""

from __future__ import annotations

from typing import Final

from webapp.messages import N_

#: Composed in templates and in the API's error answers.
COMPOSED: Final = (
    N_("analyst.role.admin"),
    N_("analyst.role.analyst"),
    N_("analyst.role.partner"),
    N_("analyst.estimates.status_queued"),
    N_("analyst.estimates.status_running"),
    N_("analyst.estimates.status_done"),
    N_("analyst.estimates.status_failed"),
    N_("analyst.estimates.rules_isq"),
    N_("analyst.estimates.rules_statcan"),
    N_("analyst.campaign.close"),
    N_("analyst.campaign.reopen"),
    N_("admin.users.disable"),
    N_("admin.users.enable"),
    N_("api.error.unauthorized"),
    N_("api.error.forbidden"),
    N_("api.error.not_found"),
    N_("api.error.bad_request"),
)
