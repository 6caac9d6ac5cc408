"""The ceiling of bench/web.py: a bare Flask app that reads a form post and redirects.

Served by the same gunicorn settings as Vigie's web form, it measures what the
server, Flask and the load generator cost on their own.
"""

from __future__ import annotations

from flask import Flask, redirect, request
from werkzeug.wrappers import Response


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/survey")
    def answer() -> Response:
        return redirect("/survey?seen=" + str(len(request.form)), code=303)

    @app.get("/survey")
    def page() -> str:
        return '<input name="csrf_token" value="none">'

    return app


#: The floor's table: one row per client, its answer and a version, as a response has.
FLOOR_TABLE = """CREATE TABLE IF NOT EXISTS bench_floor (
    client VARCHAR(40) PRIMARY KEY, answer VARCHAR(40), row_version INTEGER NOT NULL
)"""


def create_store_app() -> Flask:
    """The floor of bench/web_floor.py: the bare app plus one stored post.

    Each post is one transaction of three statements on ``DATABASE_URL``
    through ``storage.engine.make_engine`` (the pool, pre-ping and SQLite
    settings of Vigie): the client's row read, its answer written, its
    version moved on; as Vigie's accepted post reads the response with its
    answers, writes the answer and compare-and-sets the response. No
    questionnaire, no CSRF, no session: what any app that stores a post in
    that database pays at least.
    """
    import os

    from sqlalchemy import text

    from storage.engine import make_engine

    engine = make_engine(os.environ["DATABASE_URL"])
    read = text("SELECT answer, row_version FROM bench_floor WHERE client = :client")
    write = text("UPDATE bench_floor SET answer = :answer WHERE client = :client")
    move = text(
        "UPDATE bench_floor SET row_version = row_version + 1"
        " WHERE client = :client AND row_version = :version"
    )
    create = text(
        "INSERT INTO bench_floor (client, answer, row_version) VALUES (:client, :answer, 0)"
    )
    app = Flask(__name__)

    @app.post("/survey")
    def answer() -> Response:
        client, given = request.form.get("client", ""), request.form.get("age", "")
        with engine.begin() as connection:
            row = connection.execute(read, {"client": client}).first()
            if row is None:
                connection.execute(create, {"client": client, "answer": given})
            else:
                connection.execute(write, {"client": client, "answer": given})
                connection.execute(move, {"client": client, "version": row.row_version})
        return redirect("/survey?seen=" + str(len(request.form)), code=303)

    return app
