"""The composition root: ``build_services(settings)`` for every entry point.

>>> from services import build_services, load_settings
>>> with build_services(load_settings()) as services:  # doctest: +SKIP
...     services.observatory.campaigns()
"""

from services.build import Services, build_services
from services.settings import Settings, load_settings

__all__ = ["Services", "Settings", "build_services", "load_settings"]
