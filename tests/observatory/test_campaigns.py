"""Campaigns: the municipality check, codes, counts of what each link brought in."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from intake.errors import IntakeError
from observatory import CampaignSummary, ObservatoryError
from services import Services


def test_a_campaign_presets_its_municipality_and_counts_its_responses(
    services: Services, respond: Callable[..., str]
) -> None:
    made = services.observatory.create_campaign(
        "town_safety", "  Centre du Plateau ", municipality="2466023", code="plateau-2026"
    )
    assert made == CampaignSummary(
        code="plateau-2026",
        organisation="Centre du Plateau",
        survey_id="town_safety",
        municipality="2466023",
        active=True,
        started=0,
        completed=0,
    )
    respond(campaign="plateau-2026")
    respond(campaign="plateau-2026")
    respond({"age_group": "a45_plus"}, campaign="plateau-2026")
    respond()  # without a campaign: counted nowhere
    [listed] = services.observatory.campaigns("town_safety")
    assert (listed.code, listed.started, listed.completed) == ("plateau-2026", 3, 2)
    assert services.observatory.campaigns() == [listed]
    assert services.observatory.campaigns("other_survey") == []


def test_a_generated_code_is_url_safe(services: Services) -> None:
    made = services.observatory.create_campaign("town_safety", "Maison des jeunes")
    assert len(made.code) == 8 and made.code.isalnum() and made.code.islower()
    assert made.municipality is None


@pytest.mark.parametrize(
    ("survey_id", "options", "code", "english", "french"),
    [
        (
            "nope",
            {},
            "unknown_survey",
            "No questionnaire 'nope' in",
            "Aucun questionnaire « nope »",
        ),
        (
            "town_safety",
            {"municipality": "9999999"},
            "unknown_municipality",
            "Municipality '9999999' is not a choice of question 'municipality' of 'town_safety'.",
            "La municipalité « 9999999 » n'est pas un choix",
        ),
        (
            "town_safety",
            {"code": "Bad Code!"},
            "campaign_code_invalid",
            "The code 'Bad Code!' is not valid",
            "n'est pas valide",
        ),
    ],
)
def test_bad_campaigns_are_refused_with_a_code_and_a_reason(
    services: Services,
    survey_id: str,
    options: dict[str, str],
    code: str,
    english: str,
    french: str,
) -> None:
    with pytest.raises(ObservatoryError) as raised:
        services.observatory.create_campaign(survey_id, "A", **options)
    assert raised.value.code == code
    assert english in raised.value.render("en")
    assert french in raised.value.render("fr")
    assert services.observatory.campaigns() == []


def test_the_unknown_survey_error_names_the_known_ones(services: Services) -> None:
    with pytest.raises(ObservatoryError) as raised:
        services.observatory.create_campaign("nope", "A")
    assert raised.value.params["known"] == "town_safety"


def test_a_code_is_used_once_and_a_closed_campaign_starts_nobody(services: Services) -> None:
    services.observatory.create_campaign("town_safety", "A", code="quartier-nord")
    with pytest.raises(ObservatoryError) as raised:
        services.observatory.create_campaign("town_safety", "B", code="quartier-nord")
    assert raised.value.code == "campaign_code_taken"
    assert "already used" in str(raised.value)
    services.observatory.set_campaign_active("quartier-nord", False)
    assert not services.observatory.campaigns()[0].active
    with pytest.raises(IntakeError) as refused:
        services.intake.start("town_safety", "web", "fr", campaign_code="quartier-nord")
    assert refused.value.code == "inactive_campaign"
    services.observatory.set_campaign_active("quartier-nord", True)
    services.intake.start("town_safety", "web", "fr", campaign_code="quartier-nord")
    assert services.observatory.campaigns()[0].started == 1


def test_switching_an_unknown_campaign_says_so(services: Services) -> None:
    with pytest.raises(ObservatoryError) as raised:
        services.observatory.set_campaign_active("absent", False)
    assert raised.value.code == "no_campaign"
    assert raised.value.render("fr") == "Aucune campagne n'a le code « absent »."
