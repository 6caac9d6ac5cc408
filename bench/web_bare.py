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
