"""The channel-neutral intake service: the conversation both channels drive.

The web form and the Telegram bot call these methods and render the
:class:`intake.turns.Turn` each returns; they never write SQL and never decide
a rule about answers. Every call that changes something is one transaction
(the answer, the answers pruned because they no longer apply, the response's
new position and status): an acknowledged answer survives a crash of the
process right after it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.chats import ChatSteps
from intake.conversation import RawAnswer, stay, submit_answer
from intake.erasing import ErasingSteps
from intake.errors import IntakeError
from intake.finding import find_by_chat, find_by_resume_code
from intake.handoff import HandoffSteps
from intake.language import check_language
from intake.moving import go_back, go_forward, move_to
from intake.notices import intake_notice
from intake.offer import OfferedSurvey, offered_survey
from intake.pages import submit_page
from intake.reminders import ReminderSteps
from intake.replays import ReplaySteps
from intake.review import Review, build_review
from intake.starting import campaign_by_code, open_response
from intake.tokens import (
    chat_key,
    format_resume_code,
    hash_request_key,
    new_resume_code,
    normalize_resume_code,
    resume_digest,
)
from intake.transactions import StateMovedError, run_in_transaction
from intake.turns import Turn
from storage.records import Channel, ResponseStatus
from storage.responses import find_response_by_request_key, update_response_state


class IntakeService(ChatSteps, HandoffSteps, ReplaySteps, ReminderSteps, ErasingSteps):
    """Offer, start, answer, go back, skip, review, pause, resume, change language, erase."""

    # -- welcoming and starting ---------------------------------------------------

    def offer(self, language: str) -> list[OfferedSurvey]:
        """The questionnaires a resident may start, titles in ``language`` where offered."""
        surveys = [self._registry.current(i).survey for i in self._registry.survey_ids()]
        return sorted((offered_survey(s, language) for s in surveys), key=lambda o: o.title)

    def start(
        self,
        survey_id: str,
        channel: str,
        language: str,
        *,
        campaign_code: str | None = None,
        chat_id: int | str | None = None,
        request_key: str | None = None,
    ) -> Turn:
        """Start a response and return its first question.

        On Telegram ``chat_id`` is required; it is kept only as a keyed hash,
        and a chat that already has a response in progress to this
        questionnaire gets that response back instead of a new one.
        ``request_key`` (a form token, a Telegram update id) makes the start
        idempotent: the same key again returns the response it started.
        """
        registered = self._registry.current(survey_id)
        try:
            kind = Channel(channel)
        except ValueError:
            raise IntakeError("unknown_channel", {"channel": channel}) from None
        if kind is Channel.TELEGRAM and chat_id is None:
            raise IntakeError("chat_id_required")
        request = None if request_key is None else hash_request_key(kind.value, request_key)
        started = None if request is None else self._started_by(request)
        if started is not None:
            return self.current(started)
        key = None
        if chat_id is not None:
            resumed = self.resume_by_chat(chat_id, survey_id)
            if resumed is not None:
                return resumed
            key = chat_key(chat_id, self._settings.secret_key, survey_id)

        def work(session: Session) -> str:
            if request is not None:
                found = find_response_by_request_key(session, request)
                if found is not None:
                    return found.id
            return open_response(
                session,
                registered,
                kind,
                language,
                campaign_code=campaign_code,
                chat_key=key,
                now=self._clock(),
                request_key=request,
            )

        try:
            response_id = run_in_transaction(self._sessions, work)
        except IntegrityError:
            # A concurrent start with the same request key committed first.
            winner = None if request is None else self._started_by(request)
            if winner is None:
                raise
            response_id = winner
        return self.current(response_id)

    def start_from_campaign(
        self,
        code: str,
        channel: str,
        language: str,
        *,
        chat_id: int | str | None = None,
        request_key: str | None = None,
    ) -> Turn:
        """Start through a campaign's link or ``/start <code>``: the code names the questionnaire.

        Raises :class:`IntakeError` ``unknown_campaign`` or ``inactive_campaign``.
        """
        with self._sessions() as session:
            campaign = campaign_by_code(session, code)
        return self.start(
            campaign.survey_id,
            channel,
            language,
            campaign_code=campaign.code,
            chat_id=chat_id,
            request_key=request_key,
        )

    def _started_by(self, request: str) -> str | None:
        with self._sessions() as session:
            found = find_response_by_request_key(session, request)
        return None if found is None else found.id

    # -- finding a response ---------------------------------------------------------

    def current(self, response_id: str) -> Turn:
        """The turn to show now (the question the respondent is on, or the end)."""
        return self.run_step(response_id, stay)

    def resume_by_code(self, typed_code: str, *, client: str | None = None) -> Turn:
        """The response whose resume code was typed (separators and case ignored).

        ``client`` names the caller for the guess limit (:mod:`intake.guesses`),
        e.g. a keyed hash of the web request's address; over the limit, the
        look-up is refused with ``too_many_attempts``.
        """
        self._guesses.check(client)
        code = normalize_resume_code(typed_code)
        secret = self._settings.secret_key
        record = None
        if code is not None:
            record = run_in_transaction(
                self._sessions, lambda session: find_by_resume_code(session, code, secret)
            )
        if record is None:
            self._guesses.failed(client)
            raise IntakeError("unknown_resume_code")
        return self.current(record.id)

    def resume_by_chat(self, chat_id: int | str, survey_id: str) -> Turn | None:
        """The response in progress of a Telegram chat to ``survey_id``, or ``None``."""
        secret = self._settings.secret_key
        record = run_in_transaction(
            self._sessions, lambda session: find_by_chat(session, chat_id, survey_id, secret)
        )
        return None if record is None else self.current(record.id)

    # -- answering ----------------------------------------------------------------

    def submit(
        self,
        response_id: str,
        path: str,
        raw: RawAnswer,
        *,
        confirm: bool = False,
        request_key: str | None = None,
    ) -> Turn:
        """Answer the question at ``path`` (the one shown) with a raw answer.

        ``raw`` is what the channel received: a choice code or number, free
        text, a list for a multiple choice. Errors and soft warnings come back
        in the turn; a valid answer is stored and the next question returned.
        A soft warning is accepted when the same answer comes again, or at
        once with ``confirm=True``. Once per ``request_key`` (:mod:`intake.replays`).
        """
        step = lambda position: submit_answer(position, path, raw, confirm=confirm)  # noqa: E731
        return self.run_keyed_step(response_id, step, request_key)

    def skip(self, response_id: str, path: str) -> Turn:
        """Leave the question at ``path`` unanswered, where its ``required`` allows."""
        return self.submit(response_id, path, None)

    def submit_page(
        self,
        response_id: str,
        page_path: str,
        fields: Mapping[str, RawAnswer],
        *,
        confirm: Collection[str] = (),
        to_review: bool = False,
        request_key: str | None = None,
    ) -> Turn:
        """Answer a whole web page (the page holding ``page_path``); errors come per field.

        Soft warnings come back in ``field_errors`` (``soft=True``); posting the
        page again with their paths in ``confirm`` (or unchanged) accepts them
        all at once. ``to_review``: the page was opened from the review; once
        answered, the respondent goes back to the first unanswered question or
        to the review. Once per ``request_key`` (:mod:`intake.replays`).
        """
        confirmed = frozenset(confirm)
        return self.run_keyed_step(
            response_id,
            lambda position: submit_page(
                position, page_path, fields, confirm=confirmed, to_review=to_review
            ),
            request_key,
        )

    def back(self, response_id: str, *, page: bool = False) -> Turn:
        """Go back one question (``page=True``: to the previous web page)."""
        return self.run_step(response_id, lambda position: go_back(position, page=page))

    def review(self, response_id: str) -> Review:
        """The answered questions, as the respondent reads them, with the path to change each."""
        return build_review(response_id, self._load(response_id))

    def change_answer(self, response_id: str, path: str) -> Turn:
        """Go back to the answered question at ``path``; the next submit there changes it."""
        return self.run_step(response_id, lambda position: move_to(position, path))

    def finish(self, response_id: str) -> Turn:
        """Done revisiting: on to the first unanswered question, or the end if none is left.

        On the web the end comes only from the review: with no question open
        (``Turn.ready_to_finish``) the response is completed; from a question,
        ``finish`` leads to the first unanswered one or to the review.
        """
        return self.run_step(response_id, go_forward)

    # -- pausing, language, erasing ---------------------------------------------------

    def pause(self, response_id: str) -> Turn:
        """Pause: on the web, issue a new resume code (the previous one stops working).

        The code is in the turn once and never stored: only its keyed digest is.
        On Telegram the chat itself is the way back; no code is issued.
        """
        record = run_in_transaction(self._sessions, lambda s: self._record(s, response_id))
        if record.channel is Channel.TELEGRAM or record.status is not ResponseStatus.IN_PROGRESS:
            turn = self.current(response_id)
            if record.status is not ResponseStatus.IN_PROGRESS:
                return turn
            return replace(turn, info=intake_notice("paused_chat", turn.language))
        code = new_resume_code()

        def work(session: Session) -> None:
            fresh = self._record(session, response_id)
            moved = update_response_state(
                session,
                response_id,
                expected_row_version=fresh.row_version,
                resume_token_hash=resume_digest(code, self._settings.secret_key),
                now=self._clock(),
            )
            if not moved:
                raise StateMovedError

        run_in_transaction(self._sessions, work)
        shown = format_resume_code(code)
        turn = self.current(response_id)
        info = intake_notice("paused", turn.language, code=shown)
        return replace(turn, resume_code=shown, info=info)

    def change_language(self, response_id: str, language: str) -> Turn:
        """Go on in another of the questionnaire's languages."""

        def work(session: Session) -> None:
            record = self._record(session, response_id)
            check_language(self._registry.by_version(session, record.version_id), language)
            if record.language == language:
                return
            moved = update_response_state(
                session,
                response_id,
                expected_row_version=record.row_version,
                language=language,
                now=self._clock(),
            )
            if not moved:
                raise StateMovedError

        run_in_transaction(self._sessions, work)
        return self.current(response_id)

    def erase_by_code(self, typed_code: str, *, client: str | None = None) -> Turn:
        """Erase the response whose resume code was typed (guesses limited as for resuming)."""
        return self.erase(self.resume_by_code(typed_code, client=client).response_id)
