"""``vigie campaigns``: distribution links of community organisations.

A campaign is one code given to one organisation for one questionnaire,
optionally with its municipality preset; responses that come through it are
counted per campaign so that the organisation sees what its link brought in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import click
from sqlalchemy.orm import Session

from i18n import N_, MessageTable
from questionnaire.definition.errors import DefinitionErrors
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.loader import load_survey
from storage.campaigns import (
    CampaignCodeInvalidError,
    CampaignCodeTakenError,
    count_responses_by_campaign,
    create_campaign,
    list_campaigns,
    set_campaign_active,
)
from storage.engine import (
    SchemaBehind,
    SchemaUnknownError,
    check_schema_current,
    make_engine,
    make_session_factory,
)
from storage.messages import preferred_language

_TEXTS: Final = MessageTable(
    "cli.campaigns.",
    (
        N_("cli.campaigns.created"),
        N_("cli.campaigns.in_municipality"),
        N_("cli.campaigns.unknown_survey"),
        N_("cli.campaigns.unknown_municipality"),
        N_("cli.campaigns.code_taken"),
        N_("cli.campaigns.code_invalid"),
        N_("cli.campaigns.no_campaign"),
        N_("cli.campaigns.header"),
        N_("cli.campaigns.none"),
        N_("cli.campaigns.yes"),
        N_("cli.campaigns.no"),
        N_("cli.campaigns.switched"),
        N_("cli.campaigns.active"),
        N_("cli.campaigns.inactive"),
    ),
)

_DATABASE_HELP = "Database URL; defaults to $DATABASE_URL, then sqlite:///instance/vigie.db."


def _text(key: str, language: str, **params: object) -> str:
    return _TEXTS.render(key, language, **params)


@contextmanager
def _session(database_url: str | None, language: str) -> Iterator[Session]:
    """One transaction on an up-to-date database; schema problems become clean errors."""
    engine = make_engine(database_url)
    try:
        try:
            check_schema_current(engine)
        except (SchemaBehind, SchemaUnknownError) as error:
            raise click.ClickException(error.render(language)) from error
        with make_session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


def _find_survey(folder: Path, survey_id: str, language: str) -> Survey:
    """The questionnaire ``survey_id`` among the definitions in ``folder``."""
    found: dict[str, Survey] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            survey = load_survey(path)
        except DefinitionErrors:
            continue  # `vigie survey check` reports broken files
        found[survey.id] = survey
    if survey_id not in found:
        known = ", ".join(sorted(found)) or "-"
        raise click.ClickException(
            _text("unknown_survey", language, survey=survey_id, folder=folder, known=known)
        )
    return found[survey_id]


def _check_municipality(survey: Survey, code: str, language: str) -> None:
    """A preset municipality must be one the questionnaire's domain question offers."""
    if survey.weighting is None or not survey.has_question(survey.weighting.domain):
        return
    question = survey.question(survey.weighting.domain)
    if question.type != QuestionType.SINGLE_CHOICE:
        return
    if code not in {choice.code for choice in question.choices}:
        raise click.ClickException(
            _text(
                "unknown_municipality",
                language,
                code=code,
                question=question.name,
                survey=survey.id,
            )
        )


@click.group(name="campaigns", help="Distribution campaigns of community organisations.")
def campaigns() -> None:
    pass


@campaigns.command(help="Create a campaign: a code for one organisation and one questionnaire.")
@click.option("--survey", "survey_id", required=True, help="Questionnaire id, e.g. victimisation.")
@click.option("--organisation", required=True, help="Name of the organisation distributing it.")
@click.option("--municipality", default=None, help="Municipality code preset for its respondents.")
@click.option("--code", default=None, help="Code of the link (generated when not given).")
@click.option(
    "--survey-defs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("survey_defs"),
    show_default=True,
    help="Folder of the questionnaire definitions.",
)
@click.option("--database-url", default=None, help=_DATABASE_HELP)
def create(
    survey_id: str,
    organisation: str,
    municipality: str | None,
    code: str | None,
    survey_defs: Path,
    database_url: str | None,
) -> None:
    language = preferred_language(os.environ)
    survey = _find_survey(survey_defs, survey_id, language)
    if municipality is not None:
        _check_municipality(survey, municipality, language)
    try:
        with _session(database_url, language) as session:
            made = create_campaign(session, organisation.strip(), survey_id, municipality, code)
    except CampaignCodeTakenError as error:
        raise click.ClickException(_text("code_taken", language, code=code)) from error
    except CampaignCodeInvalidError as error:
        raise click.ClickException(_text("code_invalid", language, code=code)) from error
    where = "" if municipality is None else _text("in_municipality", language, code=municipality)
    click.echo(
        _text(
            "created",
            language,
            code=made.code,
            organisation=made.organisation,
            survey=survey_id,
            municipality=where,
        )
    )


@campaigns.command(name="list", help="List campaigns with the responses each brought in.")
@click.option("--survey", "survey_id", default=None, help="Only this questionnaire.")
@click.option("--database-url", default=None, help=_DATABASE_HELP)
def list_command(survey_id: str | None, database_url: str | None) -> None:
    language = preferred_language(os.environ)
    with _session(database_url, language) as session:
        rows = []
        survey_ids = (
            [survey_id] if survey_id else sorted({c.survey_id for c in list_campaigns(session)})
        )
        for sid in survey_ids:
            rows.extend(count_responses_by_campaign(session, sid))
    if not rows:
        click.echo(_text("none", language))
        return
    click.echo(_text("header", language))
    for campaign, started, completed in rows:
        active = _text("yes" if campaign.active else "no", language)
        click.echo(
            "\t".join(
                [
                    campaign.code,
                    campaign.organisation,
                    campaign.survey_id,
                    campaign.municipality_code or "-",
                    active,
                    str(started),
                    str(completed),
                ]
            )
        )


def _switch(code: str, active: bool, database_url: str | None) -> None:
    language = preferred_language(os.environ)
    with _session(database_url, language) as session:
        if not set_campaign_active(session, code, active):
            raise click.ClickException(_text("no_campaign", language, code=code))
    state = _text("active" if active else "inactive", language)
    click.echo(_text("switched", language, code=code, state=state))


@campaigns.command(help="Stop accepting responses through a campaign's code.")
@click.argument("code")
@click.option("--database-url", default=None, help=_DATABASE_HELP)
def deactivate(code: str, database_url: str | None) -> None:
    _switch(code, False, database_url)


@campaigns.command(help="Accept responses through a campaign's code again.")
@click.argument("code")
@click.option("--database-url", default=None, help=_DATABASE_HELP)
def activate(code: str, database_url: str | None) -> None:
    _switch(code, True, database_url)
