"""Release rules: coefficient of variation and the quality flag of each published estimate.

``CV = SE / |estimate|`` (in percent here). Statistics Canada's rules (the defaults):
publish when CV <= 16.5 %; flag "E" (use with caution) when 16.5 % < CV <= 33.3 %; replace by
"F" (too unreliable) when CV > 33.3 %; suppress as "x" when fewer than 10 respondents are behind
the estimate. The Institut de la statistique du Québec marks CV 15-25 % with "*" and
25-33.3 % with "**" (:data:`ISQ`). A zero estimate has no CV (NaN) and is flagged unreliable
unless its SE is also zero.

An estimate with a zero SE (every respondent behind it gave the same answer: 0 % or 100 %)
has CV 0 however few respondents there are, although 0 of 12 respondents is compatible with
a true rate of 25 %. Such an estimate is published only when at least
``min_respondents_without_variation`` respondents stand behind it (30 by default), else it
gets the unreliable flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

from analysis.errors import AnalysisError
from i18n import N_, MessageTable

#: Flag -> meaning in French and English, for legends under published tables.
FLAG_MEANINGS: Final = MessageTable.keyed(
    {
        "": N_("analysis.flag.publishable"),
        "E": N_("analysis.flag.E"),
        "*": N_("analysis.flag.star"),
        "**": N_("analysis.flag.two_stars"),
        "F": N_("analysis.flag.F"),
        "x": N_("analysis.flag.x"),
    }
)


@dataclass(frozen=True)
class ReleaseRules:
    """Cut-offs (CV in percent) and flags.

    Up to ``publish_cv``: no flag; then each ``(upper CV, flag)`` of ``caution_tiers`` in turn,
    the last ending at ``caution_cv``; above ``caution_cv``: ``unreliable_flag`` and not
    published; fewer than ``min_respondents``: ``too_few_flag`` and not published.
    """

    publish_cv: float = 16.5
    caution_cv: float = 33.3
    min_respondents: int = 10
    caution_tiers: tuple[tuple[float, str], ...] = field(default=((33.3, "E"),))
    unreliable_flag: str = "F"
    too_few_flag: str = "x"
    #: A zero-SE estimate (no variation among respondents) needs this many respondents.
    min_respondents_without_variation: int = 30

    def __post_init__(self) -> None:
        uppers = [upper for upper, _ in self.caution_tiers]
        if not (0 < self.publish_cv <= self.caution_cv) or self.min_respondents < 0:
            raise AnalysisError(
                "bad_value", what="ReleaseRules", problem="need 0 < publish_cv <= caution_cv"
            )
        if uppers and (
            uppers != sorted(uppers)
            or uppers[0] <= self.publish_cv
            or uppers[-1] != self.caution_cv
        ):
            raise AnalysisError(
                "bad_value",
                what="ReleaseRules.caution_tiers",
                problem="tiers must increase from publish_cv and end at caution_cv",
            )


#: Statistics Canada: E for 16.5-33.3 %, F above 33.3 %, x under 10 respondents.
STATISTICS_CANADA = ReleaseRules()
#: Institut de la statistique du Québec: * for 15-25 %, ** for 25-33.3 %.
ISQ = ReleaseRules(publish_cv=15.0, caution_tiers=((25.0, "*"), (33.3, "**")))


@dataclass(frozen=True)
class Quality:
    """CV in percent, the flag, whether the value may be shown, and the flag's meaning."""

    cv: float
    flag: str
    publish: bool

    def meaning(self, language: str = "en") -> str:
        """The flag's meaning in ``language`` ("en" or "fr")."""
        if self.flag not in FLAG_MEANINGS:
            return self.flag
        return FLAG_MEANINGS.render(self.flag, language)


def coefficient_of_variation(estimate: float, se: float) -> float:
    """``100 × SE / |estimate|``; 0 when both are 0, NaN when only the estimate is 0."""
    if estimate == 0:
        return 0.0 if se == 0 else float("nan")
    return 100.0 * se / abs(estimate)


def assess(
    estimate: float, se: float, respondents: int, rules: ReleaseRules = STATISTICS_CANADA
) -> Quality:
    """The quality flag of one estimate under ``rules`` (see the module docstring)."""
    cv = coefficient_of_variation(estimate, se)
    if respondents < rules.min_respondents:
        return Quality(cv, rules.too_few_flag, False)
    if not np.isfinite(cv) or cv > rules.caution_cv:
        return Quality(cv, rules.unreliable_flag, False)
    if se == 0 and respondents < rules.min_respondents_without_variation:
        return Quality(cv, rules.unreliable_flag, False)
    if cv <= rules.publish_cv:
        return Quality(cv, "", True)
    for upper, flag in rules.caution_tiers:
        if cv <= upper:
            return Quality(cv, flag, True)
    return Quality(cv, rules.unreliable_flag, False)
