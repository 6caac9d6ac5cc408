"""Every ``vigie`` command module imported once, at collection, in this process's language.

A command's help texts are read from the catalogues when its module is imported
(:mod:`vigie_cli.words`). Tests that run a command with ``VIGIE_LANGUAGE=fr`` would
otherwise import it in French for the rest of the process, and the help checks of
``test_startup.py`` would then depend on which test file ran first.
"""

from __future__ import annotations

import importlib

from vigie_cli.main import COMMANDS
from vigie_cli.survey import COMMANDS as SURVEY_COMMANDS

for _target, _msgid in (*COMMANDS.values(), *SURVEY_COMMANDS.values()):
    importlib.import_module(_target.partition(":")[0])
