"""Microdata exports: choose a finished run and a format, watch the job, download the zip.

Analysts and administrators only (partners never see microdata). The job page refreshes
itself every two seconds with ``<meta http-equiv="refresh">`` while the export is built: no
JavaScript needed. Every download is written to the audit log (who, which run, which
format); so is every request.
"""

from __future__ import annotations

from flask import redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response as BaseResponse

from i18n import LANGUAGES
from observatory import ObservatoryError
from observatory.access import ANALYST_ROLES
from observatory.exports import FORMATS
from webapp.accounts import current_staff, roles_required
from webapp.analyst import analyst
from webapp.analyst.errors import workspace_error
from webapp.messages import N_
from webapp.services import jobs, observatory
from webapp.words import page_language, t

#: The formats' names, composed in the templates.
FORMAT_WORDS = (
    N_("analyst.exports.format_csv"),
    N_("analyst.exports.format_parquet"),
    N_("analyst.exports.format_sav"),
    N_("analyst.exports.format_dta"),
)


def _runs(survey: str | None) -> list[object]:
    return [
        run
        for run in jobs().runs()
        if run.status == "done" and (not survey or run.survey_id == survey)
    ]


@analyst.route("/exports", methods=["GET", "POST"])
@roles_required(*ANALYST_ROLES)
def exports() -> BaseResponse | tuple[str, int]:
    error = None
    survey = request.values.get("survey", "").strip() or None
    if request.method == "POST":
        try:
            run_id = int(request.form.get("run", ""))
            fmt = request.form.get("format", "")
            language = request.form.get("language", page_language())
            job = jobs().exports.request(run_id, fmt, language, current_staff().record.email)
        except ValueError:
            error = t("analyst.exports.bad_request")
        except ObservatoryError as failure:
            error = failure.render(page_language())
        else:
            observatory().accounts.record(
                current_staff().record,
                "microdata_export_requested",
                f"run {run_id}",
                format=fmt,
                language=language,
                job=job.id,
            )
            return redirect(url_for("analyst.export_job", job_id=job.id), code=303)
    surveys = sorted({run.survey_id for run in jobs().runs() if run.status == "done"})
    html = render_template(
        "analyst/exports.html",
        runs=_runs(survey),
        surveys=surveys,
        survey=survey,
        formats=FORMATS,
        languages=LANGUAGES,
        exports=jobs().exports.store.jobs()[:20],
        error=error,
    )
    return html, 400 if error else 200


@analyst.route("/exports/<job_id>")
@roles_required(*ANALYST_ROLES)
def export_job(job_id: str) -> tuple[str, int]:
    try:
        job = jobs().exports.job(job_id)
    except ObservatoryError as failure:
        return workspace_error(404, failure.render(page_language()))
    return render_template("analyst/export_job.html", job=job), 200


@analyst.route("/exports/<job_id>/download")
@roles_required(*ANALYST_ROLES)
def export_download(job_id: str) -> BaseResponse | tuple[str, int]:
    try:
        job, path = jobs().exports.archive(job_id)
    except ObservatoryError as failure:
        return workspace_error(404, failure.render(page_language()))
    observatory().accounts.record(
        current_staff().record,
        "microdata_export",
        f"run {job.run_id}",
        survey=job.survey_id,
        format=job.fmt,
        language=job.language,
        job=job.id,
    )
    return send_file(
        path, mimetype="application/zip", as_attachment=True, download_name=job.filename
    )
