"""The analysts' and administrators' operations, free of any channel (docs/architecture.md).

The ``vigie`` command, the analyst pages and the API build one
:class:`Observatory` through :func:`services.build_services` and call it.
"""

from observatory.benchmarks import BenchmarkLoad
from observatory.campaigns import CampaignSummary
from observatory.dashboard import Dimension, QuestionProgress, ResponseCount
from observatory.errors import ObservatoryError
from observatory.estimates import (
    DEFAULT_REPLICATES,
    DEFAULT_RULES,
    DEFAULT_SEED,
    OUTPUT_FORMATS,
    RULE_PRESETS,
    EstimateRequest,
    EstimateRun,
    StepCounter,
    check_output,
    check_request,
    write_results,
)
from observatory.retention import RetentionRun
from observatory.service import Observatory

__all__ = [
    "DEFAULT_REPLICATES",
    "DEFAULT_RULES",
    "DEFAULT_SEED",
    "OUTPUT_FORMATS",
    "RULE_PRESETS",
    "BenchmarkLoad",
    "CampaignSummary",
    "Dimension",
    "EstimateRequest",
    "EstimateRun",
    "Observatory",
    "ObservatoryError",
    "QuestionProgress",
    "ResponseCount",
    "RetentionRun",
    "StepCounter",
    "check_output",
    "check_request",
    "write_results",
]
