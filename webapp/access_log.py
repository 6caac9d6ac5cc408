"""An access log that never records who asked: no client address, no query, no codes.

Each line names the route's rule (``/r/<code>``, never the resume code typed
in the address), the method, the status and the time taken. The development
server's own request lines (which carry the client's address) are silenced;
under gunicorn the access log is off (webapp/gunicorn_config.py) and this one
is the only one.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

#: The logger of the access lines.
ACCESS_LOG = logging.getLogger("vigie.access")


def access_line(method: str, rule: str, status: int, millis: float) -> str:
    """One access line: ``POST /survey 303 12.4ms``."""
    return f"{method} {rule} {status} {millis:.1f}ms"


def install_access_log(app: Flask) -> None:
    """Log every request by route rule, without the client's address."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if not ACCESS_LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        ACCESS_LOG.addHandler(handler)
        ACCESS_LOG.setLevel(logging.INFO)
        ACCESS_LOG.propagate = False

    def _start_clock() -> None:
        g.started = time.perf_counter()

    # First of all before-request hooks, so a request refused by one (CSRF) is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)

    @app.after_request
    def _log(response: Response) -> Response:
        started = g.get("started")
        millis = 0.0 if started is None else (time.perf_counter() - started) * 1000
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        ACCESS_LOG.info(access_line(request.method, rule, response.status_code, millis))
        return response
