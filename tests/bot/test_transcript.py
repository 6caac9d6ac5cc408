"""The French conversation shown in docs/telegram.md, as the fake server recorded it.

Regenerate the document's transcript with ``VIGIE_WRITE_TRANSCRIPT=1 pytest
tests/bot/test_transcript.py``; otherwise the test checks that the document
still shows what the bot says.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot_support import BotRunner, Resident, act, choose

from intake.service import IntakeService

DOC = Path(__file__).resolve().parents[2] / "docs" / "telegram.md"
START = "<!-- transcript: start -->"
END = "<!-- transcript: end -->"


def test_a_french_conversation(runner: BotRunner, service: IntakeService) -> None:
    resident = Resident(runner, 4242, "fr")
    resident.send("/start")
    resident.press("sentiment de sécurité", exact=False)
    resident.send("beaucoup")
    for _ in range(60):
        turn = service.resume_by_chat(4242, "perceived_safety")
        if turn is None:
            break
        assert turn.prompt is not None
        if turn.prompt.name == "walk_alone_dark" and "/back" not in " ".join(resident.transcript):
            resident.send("/back")
            continue
        act(resident, choose(turn.prompt, "fr"))
    transcript = "\n\n".join(resident.transcript)
    if os.environ.get("VIGIE_WRITE_TRANSCRIPT"):
        text = DOC.read_text("utf-8")
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{START}\n\n{transcript}\n\n{END}{tail}", "utf-8")
    assert transcript in DOC.read_text("utf-8")
