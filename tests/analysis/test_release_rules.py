"""Release rules (Statistics Canada, ISQ), small-area source choice, error messages in fr/en."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import MESSAGES, AnalysisError, WeightingError
from analysis.quality.release_rules import (
    FLAG_MEANINGS,
    ISQ,
    STATISTICS_CANADA,
    ReleaseRules,
    assess,
    coefficient_of_variation,
)
from analysis.sae.choice import small_area_estimates


@pytest.mark.parametrize(
    ("se", "respondents", "flag", "publish"),
    [
        (16.5, 50, "", True),
        (16.6, 50, "E", True),
        (33.3, 50, "E", True),
        (33.4, 50, "F", False),
        (1.0, 9, "x", False),
        (1.0, 10, "", True),
    ],
)
def test_statistics_canada_cut_offs(se, respondents, flag, publish):
    quality = assess(100.0, se, respondents)
    assert (quality.flag, quality.publish) == (flag, publish)


@pytest.mark.parametrize(
    ("se", "flag"), [(14.9, ""), (15.1, "*"), (25.0, "*"), (25.1, "**"), (33.3, "**"), (40, "F")]
)
def test_isq_cut_offs(se, flag):
    assert assess(100.0, se, 100, ISQ).flag == flag


def test_configurable_rules_are_checked():
    custom = ReleaseRules(publish_cv=10.0, caution_cv=20.0, caution_tiers=((20.0, "E"),))
    assert assess(100.0, 15.0, 20, custom).flag == "E"
    with pytest.raises(AnalysisError):
        ReleaseRules(publish_cv=20.0, caution_cv=10.0)
    with pytest.raises(AnalysisError):
        ReleaseRules(caution_tiers=((20.0, "E"),))


def test_cv_of_zero_estimates():
    assert coefficient_of_variation(0.0, 0.0) == 0.0
    assert np.isnan(coefficient_of_variation(0.0, 0.1))
    assert assess(0.0, 0.1, 100).flag == "F"


@pytest.mark.parametrize(
    ("estimate", "respondents", "flag", "publish"),
    [(0.0, 12, "F", False), (100.0, 29, "F", False), (0.0, 30, "", True), (100.0, 500, "", True)],
)
def test_estimates_without_variation_need_more_respondents(estimate, respondents, flag, publish):
    # 0 of 12 respondents has SE 0 and CV 0, yet is compatible with a true rate near 25 %.
    quality = assess(estimate, 0.0, respondents)
    assert (quality.flag, quality.publish) == (flag, publish)
    stricter = ReleaseRules(min_respondents_without_variation=100)
    assert assess(estimate, 0.0, 500, stricter).publish
    assert not assess(estimate, 0.0, 99, stricter).publish


def test_every_flag_and_error_has_french_and_english():
    flags = {"", "E", "F", "x", "*", "**"}
    assert flags <= set(FLAG_MEANINGS)
    for texts in list(FLAG_MEANINGS.values()) + list(MESSAGES.values()):
        assert texts["fr"] and texts["en"] and texts["fr"] != texts["en"]
    assert STATISTICS_CANADA.too_few_flag == "x"
    quality = assess(100.0, 20.0, 50)
    assert quality.meaning("fr") == "à utiliser avec prudence"


def test_error_message_in_both_languages():
    error = WeightingError("empty_category", margin="age", category=2, target=5.0, where="")
    assert error.code == "empty_category" and isinstance(error, ValueError)
    assert "Margin age, category 2" in str(error)
    assert "Marge age, catégorie 2" in error.message("fr")


def test_small_area_sources(create_milk):
    y, psi, x = create_milk()
    se = np.sqrt(psi)
    respondents = np.full(y.size, 150)
    respondents[3] = 5  # too few respondents for the direct estimate
    respondents[4] = 120  # enough respondents, but weights that vary a lot:
    deff = np.ones(y.size)
    deff[4] = 2.0  # 60 effective respondents
    y = y.copy()
    se = se.copy()
    y[10], se[10], respondents[10] = np.nan, np.nan, 0  # no respondent at all
    result = small_area_estimates(y, se, respondents, x, deff_weighting=deff)
    sources = [area.source for area in result.areas]
    assert sources[10] == "synthetic" and sources[3] == "eblup" and sources[4] == "eblup"
    # the rule is declared on respondents and design effect, never on the observed CV
    assert all(sources[d] == "direct" for d in range(y.size) if d not in (3, 4, 10))
    for area in result.areas:
        if area.source == "direct":
            assert area.value == y[area.area]
    synthetic, _ = result.model.synthetic(x[10])
    assert np.isclose(result.areas[10].value, synthetic[0])
    assert {"direct", "eblup", "synthetic"} == set(sources)
