"""One microdata export of an estimate run: the respondents it weighted, their answers, the
run's weights, the codebook and the snippets, in one zip.

The respondents are exactly those the run estimated from (its questionnaire, its statuses),
read in the same order by the same loader, so each row's weights are its own. The data must
not have changed since the run: the caller passes whether the run's cache key still holds,
and an outdated run is refused (``export_run_outdated``): start a new run, then export it.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from analysis.loader import (
    COMPLETED,
    PARTIAL,
    load_benchmark_frame,
    reference_survey,
    respondent_rows,
)
from analysis.pipeline.messages import PipelineError
from observatory.errors import ObservatoryError, wrapped
from observatory.exports.codebook import (
    RESPONDENT_FILE,
    Codebook,
    Variable,
    build_codebook,
    choice_code,
    weight_variables,
)
from observatory.exports.rows import Cell, collect_rows
from observatory.exports.snippets import Example, r_snippet, stata_snippet
from observatory.exports.weights import RunWeights, run_weights
from observatory.exports.writers import EXTENSIONS, write_codebook, write_file
from questionnaire.definition.model import IndicatorUnit, Survey
from storage.analysis_source import iter_responses_for_analysis


@dataclass(frozen=True)
class ExportSpec:
    """What to export: a finished run, a format, the language of the labels."""

    run_id: int
    survey_id: str
    #: The run's request (replicates, seed, include_partial, rules).
    request: dict[str, object]
    #: The run's results table (to pick the snippets' example).
    results: pd.DataFrame
    fmt: str
    language: str


def _frame(rows: list[dict[str, Cell]], variables: list[Variable]) -> pd.DataFrame:
    columns = [v.name for v in variables]
    frame = pd.DataFrame(rows, columns=columns)
    for v in variables:
        if v.kind == "numeric":
            frame[v.name] = pd.to_numeric(frame[v.name]).astype(np.float64)
    return frame


def _weights_frame(weights: RunWeights, variables: list[Variable]) -> pd.DataFrame:
    """Final weight, replicate weights, then per indicator n_ and d_ (columns in that order)."""
    data = [weights.final, *weights.replicates]
    for numerator, denominator in weights.indicators.values():
        data += [numerator, denominator]
    return pd.DataFrame(np.column_stack(data), columns=[v.name for v in variables])


def choose_example(survey: Survey, results: pd.DataFrame) -> Example | None:
    """The run's direct percent estimate with the most respondents in one municipality."""
    if survey.weighting is None:
        return None
    percent = {i.name for i in survey.indicators if i.unit is IndicatorUnit.PERCENT}
    rows = results[
        (results["method"] == "direct")
        & (results["channel"] == "all")
        & (results["municipality"] != "ALL")
        & (results["variance_source"] == "bootstrap")
        & results["indicator"].isin(percent)
    ]
    if rows.empty:
        return None
    row = rows.sort_values(["n", "indicator"], ascending=[False, True]).iloc[0]
    domain = survey.question(survey.weighting.domain)
    codes = [c.code for c in domain.choices]
    if row["municipality"] not in codes:
        return None
    return Example(
        indicator=str(row["indicator"]),
        multiplier=100.0,
        municipality_code=str(row["municipality"]),
        municipality_export=int(choice_code(domain, codes.index(str(row["municipality"])))),
        estimate=float(row["direct_estimate"]),
        se=float(row["direct_se"]),
        n=int(row["n"]),
    )


def build_export(
    sessions: sessionmaker[Session],
    spec: ExportSpec,
    key: bytes,
    target: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write the export zip to ``target`` (atomically: all of it or nothing).

    ``progress(n)`` is called with steps done: one to read, one per replicate, one to write.
    """
    advance = progress or (lambda n: None)
    statuses = PARTIAL if spec.request.get("include_partial") else COMPLETED
    try:
        with sessions() as session:
            survey = reference_survey(session, spec.survey_id)
            responses = list(iter_responses_for_analysis(session, spec.survey_id, statuses))
            benchmarks = load_benchmark_frame(session, survey)
    except PipelineError as error:
        raise wrapped(error, error.message) from error
    if not responses:
        raise ObservatoryError("export_no_responses", {"survey": spec.survey_id})
    respondents = respondent_rows(survey, responses)
    advance(1)
    replicates = int(str(spec.request["replicates"]))
    weights = run_weights(
        respondents,
        benchmarks,
        survey,
        replicates=replicates,
        seed=int(str(spec.request["seed"])),
        progress=_replicate_steps(advance),
    )
    codebook = build_codebook(survey)
    files = collect_rows(codebook, survey, responses, key)
    extra = weight_variables(survey, replicates)
    example = choose_example(survey, spec.results)
    _write_zip(codebook, files, extra, weights, spec, example, target)
    advance(1)


def _replicate_steps(advance: Callable[[int], None]) -> Callable[[int, int], None]:
    done = 0

    def report(replicates_done: int, _total: int) -> None:
        nonlocal done
        advance(replicates_done - done)
        done = replicates_done

    return report


def _write_zip(
    codebook: Codebook,
    files: dict[str, list[dict[str, Cell]]],
    extra: list[Variable],
    weights: RunWeights,
    spec: ExportSpec,
    example: Example | None,
    target: Path,
) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    extension = EXTENSIONS[spec.fmt]
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        folder = Path(work)
        every: list[Variable] = []
        for name, variables in codebook.files.items():
            frame = _frame(files[name], variables)
            if name == RESPONDENT_FILE:
                frame = pd.concat([frame, _weights_frame(weights, extra)], axis=1)
                variables = [*variables, *extra]
            write_file(frame, variables, spec.fmt, folder / f"{name}{extension}", spec.language)
            every += variables
        write_codebook(every, codebook.withheld, folder / "codebook.csv")
        replicates = int(str(spec.request["replicates"]))
        (folder / "svrepdesign.R").write_text(
            r_snippet(spec.survey_id, spec.run_id, replicates, spec.fmt, example), "utf-8"
        )
        (folder / "svyset.do").write_text(
            stata_snippet(spec.survey_id, spec.run_id, replicates, spec.fmt, example), "utf-8"
        )
        partial = folder / "export.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                if path != partial:
                    archive.write(path, path.name)
        os.replace(partial, target)
