"""The data page (analysts and admins): census benchmarks and questionnaire definitions.

- Benchmarks: the documented CSV (docs/storage.md), checked whole; every
  problem listed by line and nothing loaded unless every row is good.
- Questionnaires: a YAML definition checked by the same loader as
  ``vigie survey check`` (problems as file:line, code and fix); a clean one is
  registered as a version; a new version of a questionnaire already served
  waits for an explicit activation.

Both uploads are audited. Their size limits are larger than the app's
(residents' forms are small): the CSRF check runs in the view, after the
limit of the upload is set, and an oversized or broken file is a message on
the page, never a 500.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as BaseResponse

from observatory import ObservatoryError
from observatory.access import ANALYST_ROLES
from observatory.questionnaires import MAX_DEFINITION_BYTES
from webapp.accounts import current_staff, roles_required
from webapp.analyst import analyst
from webapp.messages import N_
from webapp.security import csrf
from webapp.services import observatory, services
from webapp.words import page_language, t

#: Composed in the template from an upload's outcome or a version's state.
COMPOSED = (
    N_("analyst.data.definition_new"),
    N_("analyst.data.definition_pending"),
    N_("analyst.data.definition_served"),
    N_("analyst.data.state_served"),
    N_("analyst.data.state_pending"),
    N_("analyst.data.state_earlier"),
)
#: Largest benchmark file accepted (a province's census margins fit many times over).
MAX_BENCHMARK_BYTES = 16 * 1024 * 1024
#: Room for the form's other fields around the file.
_FORM_ROOM = 16 * 1024


def _page(status: int = 200, **shown: Any) -> tuple[str, int]:
    versions = observatory().questionnaires.versions()
    html = render_template(
        "analyst/data.html",
        versions=versions,
        benchmark_limit=MAX_BENCHMARK_BYTES // (1024 * 1024),
        definition_limit=MAX_DEFINITION_BYTES // 1024,
        **shown,
    )
    return html, status


def _upload(limit: int) -> tuple[str, bytes] | None:
    """The uploaded file (name, bytes) once the CSRF token is checked; ``None`` without one."""
    request.max_content_length = limit + _FORM_ROOM
    csrf.protect()
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return None
    return sent.filename, sent.read(limit + 1)


@analyst.route("/data")
@roles_required(*ANALYST_ROLES)
def data() -> tuple[str, int]:
    activated = request.args.get("activated", "")
    served = {v.survey_id for v in observatory().questionnaires.versions() if v.state == "served"}
    return _page(activated=activated if activated in served else None)


@analyst.route("/data/benchmarks", methods=["POST"])
@csrf.exempt
@roles_required(*ANALYST_ROLES)
def upload_benchmarks() -> tuple[str, int]:
    try:
        sent = _upload(MAX_BENCHMARK_BYTES)
    except RequestEntityTooLarge:
        sent = ("", b"")
    if sent is None:
        return _page(400, benchmark_error=t("analyst.data.no_file"))
    name, content = sent
    if not name or len(content) > MAX_BENCHMARK_BYTES:
        too_large = t("analyst.data.too_large", limit=f"{MAX_BENCHMARK_BYTES // 1024 // 1024} MB")
        return _page(413, benchmark_error=too_large)
    replace = request.form.get("replace") == "1"
    with tempfile.TemporaryDirectory(prefix="vigie-benchmarks-") as folder:
        path = Path(folder) / "benchmarks.csv"
        path.write_bytes(content)
        try:
            loaded = observatory().load_benchmarks(path, replace=replace)
        except ObservatoryError as error:
            language = page_language()
            return _page(
                400,
                benchmark_error=t("analyst.data.benchmarks_rejected", file=Path(name).name),
                benchmark_problems=error.problem_lines(language),
            )
    user = current_staff().record
    shown = Path(name).name[:120]
    observatory().accounts.record(
        user,
        "benchmarks_uploaded",
        shown,
        rows=loaded.rows,
        municipalities=loaded.municipalities,
        replaced=loaded.replaced,
    )
    done = t(
        "analyst.data.benchmarks_loaded",
        file=shown,
        rows=loaded.rows,
        municipalities=loaded.municipalities,
        replaced=loaded.replaced,
    )
    return _page(benchmark_done=done)


@analyst.route("/data/questionnaires", methods=["POST"])
@csrf.exempt
@roles_required(*ANALYST_ROLES)
def upload_questionnaire() -> tuple[str, int]:
    try:
        sent = _upload(MAX_DEFINITION_BYTES)
    except RequestEntityTooLarge:
        sent = ("", b"")
    if sent is None:
        return _page(400, definition_error=t("analyst.data.no_file"))
    name, content = sent
    if not name or len(content) > MAX_DEFINITION_BYTES:
        too_large = t("analyst.data.too_large", limit=f"{MAX_DEFINITION_BYTES // 1024} kB")
        return _page(413, definition_error=too_large)
    try:
        uploaded = observatory().questionnaires.upload(name, content)
    except ObservatoryError as error:
        language = page_language()
        return _page(
            400,
            definition_error=error.render(language),
            definition_problems=error.problems,
        )
    if uploaded.status == "new":
        services().registry.register(uploaded.survey)
    observatory().accounts.record(
        current_staff().record,
        "questionnaire_uploaded",
        uploaded.survey_id,
        version=uploaded.version,
        content_hash=uploaded.content_hash,
        status=uploaded.status,
    )
    return _page(definition_done=uploaded)


@analyst.route("/data/questionnaires/activate", methods=["POST"])
@roles_required(*ANALYST_ROLES)
def activate_questionnaire() -> BaseResponse | tuple[str, int]:
    survey_id = request.form.get("survey", "")[:64]
    key = request.form.get("key", "")[:12]
    try:
        survey = observatory().questionnaires.activate(survey_id, key)
    except ObservatoryError as error:
        return _page(
            400, definition_error=error.render(page_language()), definition_problems=error.problems
        )
    services().registry.register(survey)
    observatory().accounts.record(
        current_staff().record,
        "questionnaire_activated",
        survey.id,
        version=survey.version,
        content_hash=survey.content_hash,
    )
    return redirect(url_for("analyst.data", activated=survey.id) + "#versions", code=303)
