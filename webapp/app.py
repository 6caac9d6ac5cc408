"""The application factory: ``create_app(test_config=None)``.

:func:`create_app` is the factory (``flask --app webapp run``, gunicorn
``'webapp:create_app()'``, the ``vigie`` command's ``FlaskGroup``). The app is
stateless: a signed cookie holds the respondent's response id and language,
nothing is kept in the process, so any number of processes can serve one
database behind a load balancer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from webapp.access_log import install_access_log
from webapp.accounts import install_accounts
from webapp.config import load_config
from webapp.help import help_resources
from webapp.security import install_security
from webapp.services import install_services
from webapp.session_cookie import VerifiedCookieSessions
from webapp.words import install_words


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; ``test_config`` overrides the settings read from the environment."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(load_config())
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.session_interface = VerifiedCookieSessions()
    install_words(app)
    install_security(app)
    install_access_log(app)
    install_services(app)
    install_accounts(app)
    help_resources(app.config.get("VIGIE_HELP_RESOURCES"), "fr")  # a bad file stops the start

    from webapp.survey import survey

    app.register_blueprint(survey)

    from webapp.admin import admin
    from webapp.analyst import analyst
    from webapp.api import api
    from webapp.public import public

    app.register_blueprint(analyst)
    app.register_blueprint(api)
    app.register_blueprint(public)
    app.register_blueprint(admin)
    return app
