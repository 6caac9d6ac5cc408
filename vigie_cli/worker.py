"""``vigie worker``: consume the job queue (estimate runs, nightly retention)."""

from __future__ import annotations

import click

from vigie_cli.console import database_option, language, open_services


@click.command(name="worker", help="Run the job queue's worker (estimate runs, retention).")
@click.option("--workers", default=1, show_default=True, help="Worker threads.")
@database_option
def worker(workers: int, database_url: str | None) -> None:
    lang = language()
    with open_services(lang, database_url=database_url) as services:
        consumer = services.jobs.huey.create_consumer(workers=workers, periodic=True)
        consumer.run()
