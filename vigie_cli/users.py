"""``vigie users``: staff accounts (observatory.users)."""

from __future__ import annotations

import sys

import click

from i18n import translate
from vigie_cli.console import database_option, language, open_services


@click.group(name="users", help="Staff accounts: administrators, analysts, partners.")
def users() -> None:
    pass


@users.command(help="Create an account; asks for its password unless --invite is given.")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice(["admin", "analyst", "partner"]), help="Its role."
)
@click.option("--organisation", default=None, help="For a partner: the organisation's name.")
@click.option(
    "--invite",
    is_flag=True,
    help="Print a one-time invitation code instead of asking for a password.",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of input."
)
@database_option
def create(
    email: str,
    role: str,
    organisation: str | None,
    invite: bool,
    password_stdin: bool,
    database_url: str | None,
) -> None:
    lang = language()
    password: str | None = None
    if password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
    elif not invite:
        password = click.prompt(
            translate(lang, "cli.users.password_prompt"),
            hide_input=True,
            confirmation_prompt=translate(lang, "cli.users.password_again"),
        )
    with open_services(lang, database_url=database_url) as services:
        made = services.observatory.accounts.create_user(
            email, role, organisation=organisation, password=password
        )
    click.echo(translate(lang, "cli.users.created", email=made.user.email, role=made.user.role))
    if made.code:
        click.echo(translate(lang, "cli.users.invitation", code=made.code))


@users.command(name="list", help="List the accounts.")
@database_option
def list_command(database_url: str | None) -> None:
    lang = language()
    with open_services(lang, database_url=database_url) as services:
        rows = services.observatory.accounts.users()
    yes, no = translate(lang, "cli.yes"), translate(lang, "cli.no")
    for row in rows:
        active = yes if row.active else no
        click.echo("\t".join([row.email, row.role, row.organisation or "-", active]))
