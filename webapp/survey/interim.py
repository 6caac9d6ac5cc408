"""Calls of the intake seam that are still being extended (offer, campaign start, review).

Each helper calls the contract's method when the service has it, else does
the same with the methods it has today.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from intake.errors import IntakeError
from intake.service import IntakeService
from intake.turns import Turn


@dataclass(frozen=True)
class Offer:
    survey_id: str
    title: str
    languages: tuple[str, ...]
    estimated_minutes: int | None


def offer(service: IntakeService, language: str) -> list[Offer]:
    registry = service._registry
    offers = []
    for survey_id in registry.survey_ids():
        survey = registry.current(survey_id).survey
        title = survey.title.get(language) or next(iter(survey.title.values()))
        offers.append(Offer(survey_id, title, tuple(survey.languages), None))
    return offers


def _takes_request_key(method: object) -> bool:
    return "request_key" in inspect.signature(method).parameters  # type: ignore[arg-type]


def start(service: IntakeService, survey_id: str, language: str, request_key: str | None) -> Turn:
    if _takes_request_key(service.start):
        return service.start(survey_id, "web", language, request_key=request_key)  # type: ignore[call-arg]
    return service.start(survey_id, "web", language)


def start_from_campaign(
    service: IntakeService, code: str, language: str, request_key: str | None
) -> Turn:
    direct = getattr(service, "start_from_campaign", None)
    if direct is not None:
        turn: Turn = direct(code, "web", language, request_key=request_key)
        return turn
    last: IntakeError = IntakeError("unknown_campaign", {"code": code})
    for survey_id in service._registry.survey_ids():
        try:
            return service.start(survey_id, "web", language, campaign_code=code)
        except IntakeError as error:
            if error.code != "campaign_other_survey":
                raise
            last = error
    raise last


def submit_page(
    service: IntakeService,
    response_id: str,
    page_path: str,
    fields: dict[str, str | list[str] | None],
    confirm: tuple[str, ...],
) -> Turn:
    if "confirm" in inspect.signature(service.submit_page).parameters:
        return service.submit_page(response_id, page_path, fields, confirm=confirm)  # type: ignore[call-arg]
    return service.submit_page(response_id, page_path, fields)


def review(service: IntakeService, response_id: str) -> Any:
    method = getattr(service, "review", None)
    return None if method is None else method(response_id)


def change_answer(service: IntakeService, response_id: str, path: str) -> Turn | None:
    method = getattr(service, "change_answer", None)
    return None if method is None else method(response_id, path)


def finish(service: IntakeService, response_id: str) -> Turn | None:
    method = getattr(service, "finish", None)
    return None if method is None else method(response_id)
