"""Message ids the pages build from a value (a status, a language), declared for extraction.

``make catalogs-update`` keeps only ids written literally; the templates
compose these from an HTTP status, a response status or a language code.
"""

from __future__ import annotations

from typing import Final


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention extraction looks for
    """Mark ``msgid`` for extraction; returns it unchanged."""
    return msgid


#: Ids composed or chosen in templates (error.html, end.html, base.html, campaign_unknown.html).
COMPOSED: Final = (
    N_("web.http.400.title"),
    N_("web.http.400.body"),
    N_("web.http.403.title"),
    N_("web.http.403.body"),
    N_("web.http.404.title"),
    N_("web.http.404.body"),
    N_("web.http.405.title"),
    N_("web.http.405.body"),
    N_("web.http.413.title"),
    N_("web.http.413.body"),
    N_("web.http.429.title"),
    N_("web.http.429.body"),
    N_("web.http.500.title"),
    N_("web.http.500.body"),
    N_("web.http.503.title"),
    N_("web.http.503.body"),
    N_("web.end.title_completed"),
    N_("web.end.title_screened_out"),
    N_("web.end.title_erased"),
    N_("web.end.title_other"),
    # survey/campaign_unknown.html picks one of two by the campaign's state.
    N_("web.campaign.closed_title"),
    N_("web.campaign.closed_body"),
    N_("web.campaign.unknown_title"),
    N_("web.campaign.unknown_body"),
    N_("web.language.name"),
)
