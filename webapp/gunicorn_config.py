"""gunicorn settings: ``gunicorn -c webapp/gunicorn_config.py 'webapp:create_app()'``.

The access log is off: gunicorn's would record client addresses. The app
writes its own (``vigie.access``: method, route rule, status, time).
"""

from __future__ import annotations

import os

bind = os.environ.get("VIGIE_BIND", "0.0.0.0:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("VIGIE_THREADS", "4"))
accesslog = None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
