"""A request delivered twice answers once: steps keyed by the channel's request key.

Telegram retries a webhook call it thinks failed, and a browser may post a
page twice; the second delivery must neither store the answer again nor move
the respondent on a second time (a typed "3" would otherwise answer the next
question too). :meth:`ReplaySteps.run_keyed_step` claims the request's key
(:func:`storage.answer_requests.claim_request`) in the transaction that
writes the step: the first delivery claims and answers; any other finds the
key taken and gets the current turn, with nothing changed.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake.conversation import Move, Position, stay
from intake.stepping import ResponseSteps, Step, turn_after
from intake.tokens import hash_request_key
from intake.transactions import run_in_transaction
from intake.turns import Turn
from storage.answer_requests import claim_request


class ReplaySteps(ResponseSteps):
    """Steps that happen once per request key."""

    def run_keyed_step(self, response_id: str, step: Step, request_key: str | None) -> Turn:
        """:meth:`run_step`, unless ``request_key`` was already handled (then the current turn)."""
        if request_key is None:
            return self.run_step(response_id, step)
        digest = hash_request_key("answer", request_key)

        def work(session: Session) -> tuple[Position, Move] | None:
            record, position = self._record_and_position(session, response_id)
            if not claim_request(session, response_id, digest, self._clock()):
                return None
            move = step(position)
            if move.changed:
                self._write(session, record, move)
            return position, move

        done = run_in_transaction(self._sessions, work)
        if done is None:
            return self.run_step(response_id, stay)
        position, move = done
        return turn_after(response_id, position, move)
