"""``vigie campaigns``: distribution links of community organisations (observatory.campaigns)."""

from __future__ import annotations

from pathlib import Path

import click

from i18n import translate
from vigie_cli.console import database_option, language, open_services
from vigie_cli.words import help_text


@click.group(name="campaigns", help=help_text("cli.help.campaigns"))
def campaigns() -> None:
    pass


@campaigns.command(help=help_text("cli.help.campaigns.create"))
@click.option("--survey", "survey_id", required=True, help=help_text("cli.help.option.survey"))
@click.option(
    "--organisation", required=True, help=help_text("cli.help.campaigns.create.organisation")
)
@click.option(
    "--municipality", default=None, help=help_text("cli.help.campaigns.create.municipality")
)
@click.option("--code", default=None, help=help_text("cli.help.campaigns.create.code"))
@click.option(
    "--survey-defs",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=help_text("cli.help.option.survey_defs"),
)
@database_option
def create(
    survey_id: str,
    organisation: str,
    municipality: str | None,
    code: str | None,
    survey_defs: Path | None,
    database_url: str | None,
) -> None:
    lang = language()
    with open_services(lang, database_url=database_url, survey_defs=survey_defs) as services:
        made = services.observatory.create_campaign(
            survey_id, organisation, municipality=municipality, code=code
        )
    where = (
        ""
        if made.municipality is None
        else translate(lang, "cli.campaigns.in_municipality", code=made.municipality)
    )
    click.echo(
        translate(
            lang,
            "cli.campaigns.created",
            code=made.code,
            organisation=made.organisation,
            survey=made.survey_id,
            municipality=where,
        )
    )


@campaigns.command(name="list", help=help_text("cli.help.campaigns.list"))
@click.option(
    "--survey", "survey_id", default=None, help=help_text("cli.help.campaigns.list.survey")
)
@database_option
def list_command(survey_id: str | None, database_url: str | None) -> None:
    lang = language()
    with open_services(lang, database_url=database_url) as services:
        rows = services.observatory.campaigns(survey_id)
    if not rows:
        click.echo(translate(lang, "cli.campaigns.none"))
        return
    click.echo(translate(lang, "cli.campaigns.header"))
    yes, no = translate(lang, "cli.campaigns.yes"), translate(lang, "cli.campaigns.no")
    for row in rows:
        cells = [row.code, row.organisation, row.survey_id, row.municipality or "-"]
        cells += [yes if row.active else no, str(row.started), str(row.completed)]
        click.echo("\t".join(cells))


def _switch(code: str, active: bool, database_url: str | None) -> None:
    lang = language()
    with open_services(lang, database_url=database_url) as services:
        services.observatory.set_campaign_active(code, active)
    if active:
        state = translate(lang, "cli.campaigns.active")
    else:
        state = translate(lang, "cli.campaigns.inactive")
    click.echo(translate(lang, "cli.campaigns.switched", code=code, state=state))


@campaigns.command(help=help_text("cli.help.campaigns.deactivate"))
@click.argument("code")
@database_option
def deactivate(code: str, database_url: str | None) -> None:
    _switch(code, False, database_url)


@campaigns.command(help=help_text("cli.help.campaigns.activate"))
@click.argument("code")
@database_option
def activate(code: str, database_url: str | None) -> None:
    _switch(code, True, database_url)
