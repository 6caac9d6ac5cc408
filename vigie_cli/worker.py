"""``vigie worker``: consume the job queue (estimate runs, nightly retention)."""

from __future__ import annotations

import click

from vigie_cli.console import database_option, language, open_services
from vigie_cli.words import help_text


@click.command(name="worker", help=help_text("cli.help.worker"))
@click.option("--workers", default=1, show_default=True, help=help_text("cli.help.worker.workers"))
@database_option
def worker(workers: int, database_url: str | None) -> None:
    lang = language()
    with open_services(lang, database_url=database_url) as services:
        consumer = services.jobs.huey.create_consumer(workers=workers, periodic=True)
        consumer.run()
