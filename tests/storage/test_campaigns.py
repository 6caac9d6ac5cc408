"""Distribution campaigns: codes, look-ups and response counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.campaigns import (
    CAMPAIGN_CODE,
    CampaignCodeInvalidError,
    CampaignCodeTakenError,
    count_responses_by_campaign,
    create_campaign,
    get_campaign,
    get_campaign_by_code,
    list_campaigns,
    new_campaign_code,
    set_campaign_active,
)
from storage.records import Campaign, ResponseRecord
from storage.responses import update_response_state
from storage.retention import erase_response


def test_generated_codes_are_short_url_safe_and_different() -> None:
    codes = {new_campaign_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(CAMPAIGN_CODE.match(code) and len(code) == 8 for code in codes)
    assert not any(set(code) & set("01ilo") for code in codes)


def test_a_campaign_is_found_by_id_and_code(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        made = create_campaign(
            session, "Table de quartier Centre-Sud", "perceived_safety", "2466023", "centre-sud"
        )
    with session_factory() as session:
        assert get_campaign_by_code(session, "centre-sud") == made
        assert get_campaign(session, made.id) == made
        assert get_campaign_by_code(session, "nowhere") is None
    assert made.active and made.municipality_code == "2466023"
    assert made.created_at.tzinfo is not None


@pytest.mark.parametrize("code", ["ab", "Centre", "centre sud", "-abc", "a" * 33, "é-quartier"])
def test_malformed_codes_are_refused(session_factory: sessionmaker[Session], code: str) -> None:
    with session_factory() as session, pytest.raises(CampaignCodeInvalidError) as raised:
        create_campaign(session, "Org", "perceived_safety", code=code)
    assert raised.value.code == "campaign_code_invalid"
    assert code in raised.value.render("fr")


def test_a_taken_code_is_refused(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        create_campaign(session, "Org A", "perceived_safety", code="parc-jarry")
    with session_factory() as session, pytest.raises(CampaignCodeTakenError):
        create_campaign(session, "Org B", "perceived_safety", code="parc-jarry")


def test_campaigns_open_close_and_list_by_questionnaire(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        first = create_campaign(session, "Org A", "perceived_safety", code="aaa")
        create_campaign(session, "Org B", "victimisation", code="bbb")
        assert set_campaign_active(session, "aaa", False)
        assert not set_campaign_active(session, "zzz", False)
    with session_factory() as session:
        closed = get_campaign_by_code(session, "aaa")
        assert [c.code for c in list_campaigns(session)] == ["aaa", "bbb"]
        assert [c.code for c in list_campaigns(session, "victimisation")] == ["bbb"]
    assert closed is not None and not closed.active and closed.id == first.id


def test_responses_are_counted_per_campaign(
    session_factory: sessionmaker[Session], make_response: Callable[..., ResponseRecord]
) -> None:
    with session_factory.begin() as session:
        busy = create_campaign(session, "Org A", "perceived_safety", code="busy")
        quiet = create_campaign(session, "Org B", "perceived_safety", code="quiet")
        create_campaign(session, "Org C", "victimisation", code="other")
    made = [make_response(campaign_id=busy.id) for _ in range(4)]
    make_response()  # no campaign
    with session_factory.begin() as session:
        for response in made[:2]:
            update_response_state(session, response.id, expected_row_version=1, status="completed")
        erase_response(session, made[3].id)
    with session_factory() as session:
        counts = count_responses_by_campaign(session, "perceived_safety")
    assert [(c.campaign.code, c.started, c.completed) for c in counts] == [
        ("busy", 3, 2),
        ("quiet", 0, 0),
    ]
    assert isinstance(counts[1].campaign, Campaign) and counts[1].campaign == quiet
