"""Child process of the crash test: answers a stream of questions until killed.

Usage: ``python crash_writer.py DATABASE_URL RESPONSES``. Starts RESPONSES
responses to short_safety one after the other and walks each to the end,
printing ``ACK <response id> <path> <value as JSON>`` on stdout after each
``submit`` has returned (that is, once the answer is acknowledged), and
``DONE`` at the very end. The test kills it with SIGKILL in mid-stream.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from intake_support import SHORT_SAFETY, TEST_SECRET, script_replies, walk_script  # noqa: E402

from intake.registry import SurveyRegistry  # noqa: E402
from intake.service import IntakeService  # noqa: E402
from intake.settings import IntakeSettings  # noqa: E402
from intake.walker import Answer, Step, walk  # noqa: E402
from questionnaire.definition.values import Value, value_to_json  # noqa: E402
from questionnaire.loader import load_survey  # noqa: E402
from storage.engine import make_engine, make_session_factory  # noqa: E402


def main(url: str, responses: int) -> None:
    """Walk ``responses`` respondents through short_safety, acknowledging each answer."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    registry = SurveyRegistry(sessions)
    registry.register(load_survey(SHORT_SAFETY))
    service = IntakeService(
        sessions, registry, IntakeSettings(secret_key=TEST_SECRET, testing=True)
    )
    for index in range(responses):
        turn = service.start("short_safety", "web", "fr")
        print(f"START {turn.response_id}", flush=True)
        script = walk_script(index)
        values = {path: value for path, _raw, value in script}

        def acknowledge(step: Step, values: dict[str, Value] = values) -> None:
            assert isinstance(step.reply, Answer) and step.reply.path is not None
            path, turn = step.reply.path, step.turn
            if turn.error is not None or turn.warning is not None:
                raise SystemExit(f"refused {path}: {turn.error or turn.warning}")
            value = json.dumps(value_to_json(values[path]))
            print(f"ACK {turn.response_id} {path} {value}", flush=True)

        walk(service, turn, script_replies(script), observe=acknowledge)
    print("DONE", flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
