"""The residents' web form (Flask). The factory is :func:`webapp.app.create_app`."""

from __future__ import annotations

from webapp.app import create_app

__all__ = ["create_app"]
