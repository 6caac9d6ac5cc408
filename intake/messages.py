"""The French and English texts of the intake service.

Answer errors, prompts and the default end texts come from
:mod:`questionnaire.answers.messages`; this catalogue holds what only the
conversation says: operation errors, the pause and erase confirmations and
the settings errors shown at start-up. Every code has every language (a test
checks it) and ``str.format`` placeholders filled from the error's params.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("fr", "en")

INTAKE_MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- settings -------------------------------------------------------------
    "default_secret": {
        "fr": "VIGIE_SECRET_KEY n'est pas défini : Vigie refuse de démarrer avec la clé de "
        "développement hors des tests. Définissez une clé secrète longue et aléatoire.",
        "en": "VIGIE_SECRET_KEY is not set: Vigie refuses to start with the development key "
        "outside testing. Set a long random secret key.",
    },
    "short_secret": {
        "fr": "VIGIE_SECRET_KEY est trop courte : au moins {min} caractères.",
        "en": "VIGIE_SECRET_KEY is too short: at least {min} characters.",
    },
    "invalid_abandon_after_days": {
        "fr": "VIGIE_ABANDON_AFTER_DAYS doit être un nombre entier de jours ≥ 1 (reçu : {value}).",
        "en": "VIGIE_ABANDON_AFTER_DAYS must be a whole number of days ≥ 1 (got {value}).",
    },
    # -- operations -----------------------------------------------------------
    "unknown_survey": {
        "fr": "Aucun questionnaire « {survey_id} ».",
        "en": "No questionnaire '{survey_id}'.",
    },
    "duplicate_survey": {
        "fr": "Deux définitions déclarent le questionnaire « {survey_id} ».",
        "en": "Two definitions declare the questionnaire '{survey_id}'.",
    },
    "unknown_language": {
        "fr": "Langue « {language} » non offerte (langues : {languages}).",
        "en": "Language '{language}' is not offered (languages: {languages}).",
    },
    "unknown_channel": {
        "fr": "Canal « {channel} » inconnu (web ou telegram).",
        "en": "Unknown channel '{channel}' (web or telegram).",
    },
    "chat_id_required": {
        "fr": "Une conversation Telegram doit donner l'identifiant de la discussion.",
        "en": "A Telegram conversation must give the chat id.",
    },
    "unknown_campaign": {
        "fr": "Ce lien de participation n'existe pas.",
        "en": "This participation link does not exist.",
    },
    "inactive_campaign": {
        "fr": "Cette campagne est terminée : elle n'accepte plus de réponses.",
        "en": "This campaign has ended: it no longer accepts responses.",
    },
    "campaign_other_survey": {
        "fr": "Ce lien de participation est celui d'un autre questionnaire.",
        "en": "This participation link belongs to another questionnaire.",
    },
    "response_not_found": {
        "fr": "Ce questionnaire est introuvable : il a peut-être été effacé.",
        "en": "This questionnaire cannot be found: it may have been erased.",
    },
    "unknown_resume_code": {
        "fr": "Ce code de reprise ne correspond à aucun questionnaire en cours.",
        "en": "This resume code does not match any questionnaire in progress.",
    },
    "busy": {
        "fr": "Trop de modifications simultanées : réessayez dans un instant.",
        "en": "Too many changes at the same time: try again in a moment.",
    },
    # -- notices inside a turn ------------------------------------------------
    "response_closed": {
        "fr": "Ce questionnaire est clos : vos réponses ne peuvent plus être modifiées.",
        "en": "This questionnaire is closed: your answers can no longer be changed.",
    },
    "path_not_open": {
        "fr": "Cette question n'est pas celle en cours : voici la question actuelle.",
        "en": "This is not the current question: here is the current one.",
    },
    "no_previous_question": {
        "fr": "Vous êtes à la première question.",
        "en": "You are at the first question.",
    },
    "paused": {
        "fr": "Vos réponses sont enregistrées. Pour reprendre plus tard, notez ce code : {code}",
        "en": "Your answers are saved. To continue later, write down this code: {code}",
    },
    "paused_chat": {
        "fr": "Vos réponses sont enregistrées. Écrivez-nous quand vous voudrez continuer.",
        "en": "Your answers are saved. Write to us whenever you want to continue.",
    },
    "abandoned": {
        "fr": "Ce questionnaire est resté trop longtemps sans réponse et a été clos ; vos "
        "réponses partielles sont conservées. Vous pouvez en commencer un nouveau.",
        "en": "This questionnaire was left unanswered for too long and has been closed; your "
        "partial answers are kept. You may start a new one.",
    },
    "erased": {
        "fr": "Toutes vos réponses ont été effacées.",
        "en": "All your answers have been erased.",
    },
}


def intake_message(code: str, language: str, /, **params: object) -> str:
    """The text of ``code`` in ``language`` (English for an unknown language).

    Raises ``KeyError`` for an unknown code: every code is in the catalogue.
    """
    texts = INTAKE_MESSAGES[code]
    return texts.get(language, texts["en"]).format(**params)
