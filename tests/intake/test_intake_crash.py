"""A writer killed with SIGKILL mid-stream loses no acknowledged answer.

The child (crash_writer.py) prints each acknowledgement after ``submit``
returned. After the kill, a fresh service on the same database (SQLite file or
PostgreSQL schema) must hold every acknowledged answer and resume each
response at its first unanswered applicable question.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable

from intake_support import HERE
from sqlalchemy.orm import Session, sessionmaker

from intake.service import IntakeService
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import Survey
from questionnaire.definition.values import Value, value_from_json
from questionnaire.navigation.next import next_slot
from storage.answers import load_answers
from storage.responses import get_response

ROOT = HERE.parent.parent
#: Acknowledgements to read before the kill.
KILL_AFTER = 45
#: Responses the child would walk if left alone (far more than it gets to).
RESPONSES = 400


def run_and_kill(database_url: str) -> tuple[list[str], dict[str, dict[str, Value]]]:
    """Start the writer, kill it after :data:`KILL_AFTER` acknowledgements.

    Returns the responses started and the acknowledged answers of each.
    """
    child = subprocess.Popen(
        [sys.executable, str(HERE / "crash_writer.py"), database_url, str(RESPONSES)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    started: list[str] = []
    acknowledged: dict[str, dict[str, Value]] = {}
    lines: list[str] = []
    try:
        for line in child.stdout:
            lines.append(line)
            if line.startswith("ACK") and sum(x.startswith("ACK") for x in lines) >= KILL_AFTER:
                child.send_signal(signal.SIGKILL)
                break
        lines.extend(child.stdout.readlines())
    finally:
        child.kill()
        _out, errors = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, errors
    for line in lines:
        kind, *rest = line.split(" ", 3)
        if kind == "START":
            started.append(rest[0].strip())
            acknowledged[rest[0].strip()] = {}
        elif kind == "ACK":
            rid, path, value = rest
            acknowledged[rid][path] = value_from_json(json.loads(value))
    assert "DONE\n" not in lines, "the writer finished before it was killed"
    return started, acknowledged


def test_killed_writer_loses_no_acknowledged_answer(
    database_url: str,
    session_factory: sessionmaker[Session],
    make_service: Callable[..., IntakeService],
    short_survey: Survey,
) -> None:
    # Taking ``session_factory`` creates the tables before the child starts.
    started, acknowledged = run_and_kill(database_url)
    assert sum(len(a) for a in acknowledged.values()) >= KILL_AFTER
    assert len(started) >= 2

    restarted = make_service()
    for rid in started:
        with session_factory() as session:
            stored = load_answers(session, rid)
            record = get_response(session, rid)
        assert record is not None
        for path, value in acknowledged[rid].items():
            assert stored.get(path) == value, (rid, path)
        turn = restarted.current(rid)
        ctx = RunContext(started_on=record.started_at.date(), channel="web", language="fr")
        upcoming = next_slot(short_survey, stored, ctx)
        assert record.current_path == (None if upcoming is None else upcoming.path), rid
        if upcoming is None:
            # Every answer given: the web's response waits at the review for "finish".
            assert turn.ready_to_finish and turn.closing is None, rid
            ended = restarted.finish(rid)
            assert ended.finished and ended.closing is not None, rid
        else:
            assert turn.prompt is not None and turn.prompt.path == upcoming.path, rid
