"""Texts of the estimation pipeline in French and English: its errors and what weighting did.

Errors are :class:`PipelineError` values with a stable ``code`` and ``params``; ``str(error)``
is English and ``error.message("fr")`` French. The ``weighting`` column of the results table
is written in the language the caller asks for, from the ``weighting_*`` texts below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("fr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # -- errors ---------------------------------------------------------------------------
    "unknown_survey": {
        "en": "No questionnaire '{survey}' in the database: no version of it is registered.",
        "fr": "Aucun questionnaire « {survey} » dans la base : aucune de ses versions n'est "
        "enregistrée.",
    },
    "no_weighting_block": {
        "en": "Questionnaire '{survey}' declares no weighting: block (domain and margins).",
        "fr": "Le questionnaire « {survey} » ne déclare pas de bloc weighting: (domaine et "
        "marges).",
    },
    "unknown_variable": {
        "en": "Weighting variable '{name}' is neither a question nor a calculation of "
        "questionnaire '{survey}'.",
        "fr": "La variable de pondération « {name} » n'est ni une question ni un calcul du "
        "questionnaire « {survey} ».",
    },
    "no_benchmarks": {
        "en": "No population benchmarks are loaded for {variables}. Run `vigie benchmarks "
        "load --demo` for the demonstration margins, or `vigie benchmarks load FILE`.",
        "fr": "Aucune donnée de population n'est chargée pour {variables}. Lancez « vigie "
        "benchmarks load --demo » pour les marges de démonstration, ou « vigie benchmarks "
        "load FICHIER ».",
    },
    "no_responses": {
        "en": "Questionnaire '{survey}' has no {statuses} response to estimate from.",
        "fr": "Le questionnaire « {survey} » n'a aucune réponse ({statuses}) à partir de "
        "laquelle estimer.",
    },
    "missing_columns": {
        "en": "The {frame} table lacks the columns {columns}.",
        "fr": "Il manque au tableau {frame} les colonnes {columns}.",
    },
    "bad_option": {
        "en": "Option {name}: {problem}.",
        "fr": "Option {name} : {problem}.",
    },
    "nothing_to_weight": {
        "en": "No respondent lives in a municipality that has benchmarks: nothing to weight.",
        "fr": "Aucun répondant n'habite une municipalité dotée de données de population : "
        "rien à pondérer.",
    },
    "bad_output": {
        "en": "Cannot write {path}: the file name must end in .csv or .parquet.",
        "fr": "Impossible d'écrire {path} : le nom du fichier doit finir par .csv ou .parquet.",
    },
    # -- what weighting did, per municipality (the ``weighting`` column) ----------------
    "weighting_raked": {
        "en": "raked to {margins}",
        "fr": "calée sur {margins}",
    },
    "weighting_poststratified": {
        "en": "post-stratified to the population total ({respondents} respondents, fewer "
        "than {minimum})",
        "fr": "post-stratifiée sur la population totale ({respondents} répondants, moins "
        "de {minimum})",
    },
    "weighting_not_converged": {
        "en": "post-stratified to the population total (raking did not converge)",
        "fr": "post-stratifiée sur la population totale (le calage n'a pas convergé)",
    },
    "weighting_collapsed": {
        "en": "collapsed {margin}: {before} to {after} cells",
        "fr": "regroupement {margin} : {before} à {after} cellules",
    },
    "weighting_imputed": {
        "en": "{count} missing weighting answers imputed in proportion to the benchmarks",
        "fr": "{count} réponses de pondération manquantes imputées au prorata des données de "
        "population",
    },
    "weighting_trimmed": {
        "en": "weights trimmed to {ratio} times the mean and raked again ({rounds} rounds)",
        "fr": "poids écrêtés à {ratio} fois la moyenne puis recalés ({rounds} tours)",
    },
    "weighting_trim_unmet": {
        "en": "the trimming cap still not met after {rounds} rounds",
        "fr": "plafond d'écrêtage toujours dépassé après {rounds} tours",
    },
    "weighting_pooled": {
        "en": "pooled municipal weights",
        "fr": "poids municipaux regroupés",
    },
    "weighting_no_respondents": {
        "en": "no respondents",
        "fr": "aucun répondant",
    },
    "weighting_no_benchmarks": {
        "en": "no benchmarks for this municipality: its {respondents} respondents are left "
        "out of weighting",
        "fr": "aucune donnée de population pour cette municipalité : ses {respondents} "
        "répondants sont exclus de la pondération",
    },
    "weighting_unknown_municipality": {
        "en": "municipality not stated: {respondents} respondents left out of weighting",
        "fr": "municipalité non déclarée : {respondents} répondants exclus de la pondération",
    },
}


def render(code: str, params: Mapping[str, Any], language: str = "en") -> str:
    """The text of ``code`` in ``language`` (English when the language is unknown)."""
    texts = MESSAGES[code]
    return texts.get(language, texts["en"]).format(**params)


class PipelineError(ValueError):
    """A failure of the estimation pipeline: ``code`` (stable) and ``params``."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown pipeline message code {code!r}")
        self.code = code
        self.params: Mapping[str, Any] = params
        super().__init__(render(code, params, "en"))

    def message(self, language: str = "en") -> str:
        """The message in ``language`` ("fr" or "en")."""
        return render(self.code, self.params, language)
