"""Flask's signed-cookie sessions, each cookie text verified once per process.

A browser sends the same cookie on every request until it changes, and most
answer posts leave it unchanged (:func:`webapp.survey.state.remember`).
Flask checks its signature, decompresses and decodes it on each of them.
:class:`VerifiedCookieSessions` does that the first time it meets a cookie
text, then keeps what it read (the contents and the signing time) under the
exact text: the next request with the same cookie skips straight to the age
check, which is still made on every request against
``PERMANENT_SESSION_LIFETIME``, as Flask makes it. A cookie that fails the
check is never kept; a cookie holding anything but plain values (strings,
numbers, flags) is not kept either, so a session changed in place cannot
change what is kept. At most :data:`KEPT` cookies are kept, the oldest
dropped first.
"""

from __future__ import annotations

import threading
import time
from typing import Final

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

#: Cookie texts kept per process (a few hundred bytes each).
KEPT: Final = 4096

_PLAIN: Final = (str, int, float, bool, type(None))


class VerifiedCookieSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions that verify and decode a given cookie text once."""

    def __init__(self) -> None:
        self._read: dict[tuple[str, str], tuple[dict[str, object], int]] = {}
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None
        text = request.cookies.get(self.get_cookie_name(app))
        if not text:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (str(app.secret_key), text)
        kept = self._read.get(key)
        if kept is None:
            serializer = self.get_signing_serializer(app)
            if serializer is None:
                return None
            try:
                data, signed = serializer.loads(text, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            kept = (data, int(signed.timestamp()))
            if all(isinstance(value, _PLAIN) for value in data.values()):
                self._keep(key, kept)
        data, signed_at = kept
        age = int(time.time()) - signed_at
        if age > max_age or age < 0:  # expired (or signed in the future): as Flask, no session
            return self.session_class()
        return self.session_class(data)

    def _keep(self, key: tuple[str, str], read: tuple[dict[str, object], int]) -> None:
        with self._lock:
            if len(self._read) >= KEPT:
                self._read.pop(next(iter(self._read)))
            self._read[key] = read
