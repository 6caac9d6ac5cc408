"""Finding a response again by its resume code or by a Telegram chat.

Both look for the keyed form (:mod:`intake.tokens`) first. A row still holding
the form Vigie stored before keying (an unkeyed SHA-256 of the resume code, a
chat key shared by every questionnaire) is found by that form once and
rewritten in the keyed form in the same transaction, so it keeps working and
never needs the earlier form again. Rows nobody comes back to lose their code
and chat key anyway when the retention job marks them abandoned
(``VIGIE_ABANDON_AFTER_DAYS``), so no row of the earlier form outlives that
delay.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from intake.tokens import (
    chat_key,
    legacy_chat_key,
    legacy_resume_digest,
    resume_digest,
    upgrade_chat_key,
)
from storage.records import ResponseRecord, ResponseStatus
from storage.responses import (
    find_active_response_by_chat_key,
    find_active_responses_by_chat_keys,
    find_response_by_resume_hash,
    find_responses_by_chat_key,
    get_response,
    update_response_state,
)


def find_by_resume_code(session: Session, code: str, secret_key: str) -> ResponseRecord | None:
    """The response whose normalized resume ``code`` this is, or ``None``.

    A row of the earlier (unkeyed) form is rewritten in the keyed form.
    """
    keyed = resume_digest(code, secret_key)
    record = find_response_by_resume_hash(session, keyed)
    if record is not None:
        return record
    record = find_response_by_resume_hash(session, legacy_resume_digest(code))
    if record is None:
        return None
    update_response_state(
        session, record.id, expected_row_version=record.row_version, resume_token_hash=keyed
    )
    return record


def find_by_chat(
    session: Session, chat_id: int | str, survey_id: str, secret_key: str
) -> ResponseRecord | None:
    """The in-progress response of a Telegram chat to ``survey_id``, or ``None``.

    A row of the earlier (questionnaire-blind) form is rewritten in the keyed form.
    """
    keyed = chat_key(chat_id, secret_key, survey_id)
    record = find_active_response_by_chat_key(session, keyed, survey_id)
    if record is not None:
        return record
    legacy = legacy_chat_key(chat_id, secret_key)
    record = find_active_response_by_chat_key(session, legacy, survey_id)
    if record is None:
        return None
    update_response_state(
        session, record.id, expected_row_version=record.row_version, chat_key=keyed
    )
    return record


def find_by_chat_in(
    session: Session, chat_id: int | str, survey_ids: Sequence[str], secret_key: str
) -> ResponseRecord | None:
    """The in-progress response of a chat to the first of ``survey_ids`` it answers, or ``None``.

    What :func:`find_by_chat` finds for each questionnaire in turn, read by one
    statement: every questionnaire's key of the chat and the earlier
    (questionnaire-blind) key at once. A row of the earlier form is rewritten
    in the keyed form.
    """
    legacy = legacy_chat_key(chat_id, secret_key)
    keyed = {survey_id: upgrade_chat_key(legacy, survey_id, secret_key) for survey_id in survey_ids}
    rows = find_active_responses_by_chat_keys(session, [*keyed.values(), legacy])
    for survey_id, key in keyed.items():
        mine = [row for row in rows if row.survey_id == survey_id]
        record = next((row for row in mine if row.chat_key == key), None)
        if record is not None:
            return record
        record = next((row for row in mine if row.chat_key == legacy), None)
        if record is not None:
            update_response_state(
                session, record.id, expected_row_version=record.row_version, chat_key=key
            )
            return get_response(session, record.id)
    return None


def find_all_by_chat(
    session: Session,
    chat_id: int | str,
    survey_id: str,
    secret_key: str,
    statuses: Iterable[ResponseStatus],
) -> list[ResponseRecord]:
    """Every response of a Telegram chat to ``survey_id`` in ``statuses``, newest first.

    Rows of the earlier (questionnaire-blind) form are found too.
    """
    wanted = list(statuses)
    found = find_responses_by_chat_key(
        session, chat_key(chat_id, secret_key, survey_id), survey_id, wanted
    )
    found += find_responses_by_chat_key(
        session, legacy_chat_key(chat_id, secret_key), survey_id, wanted
    )
    return sorted(found, key=lambda record: record.updated_at, reverse=True)
