"""French and English texts of storage errors and of the storage commands.

Errors are values with a code and parameters; :func:`render` turns one into a
sentence in one language. Every code has both languages (a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n import translate

LANGUAGES = ("fr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # -- schema ---------------------------------------------------------------
    "schema_behind": {
        "fr": "La base de données est à la révision {current}, le code attend {head}. "
        "Lancez « vigie db upgrade ».",
        "en": "The database is at revision {current}, the code expects {head}. "
        "Run `vigie db upgrade`.",
    },
    "schema_unknown": {
        "fr": "La base de données est à la révision {current}, inconnue de cette version de "
        "Vigie (attendue : {head}). Installez la version de Vigie qui l'a créée.",
        "en": "The database is at revision {current}, unknown to this version of Vigie "
        "(expected {head}). Install the version of Vigie that created it.",
    },
    "no_revision": {"fr": "aucune (base vide)", "en": "none (empty database)"},
    # -- repository -----------------------------------------------------------
    "response_not_found": {
        "fr": "Aucune réponse {response_id}.",
        "en": "No response {response_id}.",
    },
    "response_not_in_progress": {
        "fr": "La réponse {response_id} est close ({status}) : on ne peut plus y écrire.",
        "en": "Response {response_id} is closed ({status}): it can no longer be written to.",
    },
    "campaign_code_taken": {
        "fr": "Le code de campagne « {code} » est déjà pris.",
        "en": "The campaign code '{code}' is already taken.",
    },
    "campaign_code_invalid": {
        "fr": "Code de campagne « {code} » invalide : 3 à 32 caractères parmi a-z, 0-9 et -, "
        "commençant par une lettre ou un chiffre.",
        "en": "Invalid campaign code '{code}': 3 to 32 characters among a-z, 0-9 and -, "
        "starting with a letter or a digit.",
    },
    # -- benchmark CSV --------------------------------------------------------
    "csv_empty": {"fr": "Le fichier est vide.", "en": "The file is empty."},
    "csv_not_utf8": {
        "fr": "Le fichier n'est pas du texte UTF-8 (octet {byte}) : enregistrez-le en CSV UTF-8.",
        "en": "The file is not UTF-8 text (byte {byte}): save it as CSV UTF-8.",
    },
    "csv_missing_columns": {
        "fr": "Colonnes manquantes : {columns}.",
        "en": "Missing columns: {columns}.",
    },
    "csv_unknown_columns": {
        "fr": "Colonnes inconnues : {columns}.",
        "en": "Unknown columns: {columns}.",
    },
    "csv_row_length": {
        "fr": "{found} champs au lieu de {expected}.",
        "en": "{found} fields instead of {expected}.",
    },
    "csv_empty_value": {
        "fr": "La colonne {column} est vide.",
        "en": "Column {column} is empty.",
    },
    "csv_too_long": {
        "fr": "La colonne {column} dépasse {limit} caractères.",
        "en": "Column {column} is longer than {limit} characters.",
    },
    "csv_bad_code": {
        "fr": "Code de municipalité « {value} » invalide (lettres, chiffres, - et _).",
        "en": "Invalid municipality code '{value}' (letters, digits, - and _).",
    },
    "csv_bad_variable": {
        "fr": "Variable « {value} » invalide : des noms en minuscules reliés par *.",
        "en": "Invalid variable '{value}': lower-case names joined by *.",
    },
    "csv_bad_category": {
        "fr": "Catégorie « {value} » invalide pour la variable {variable} : "
        "{expected} code(s) en minuscules reliés par *.",
        "en": "Invalid category '{value}' for variable {variable}: "
        "{expected} lower-case code(s) joined by *.",
    },
    "csv_bad_count": {
        "fr": "Effectif « {value} » : un nombre entier est attendu.",
        "en": "Count '{value}': a whole number is expected.",
    },
    "csv_negative_count": {
        "fr": "Effectif {value} négatif.",
        "en": "Count {value} is negative.",
    },
    "csv_bad_year": {
        "fr": "Année « {value} » : une année sur quatre chiffres est attendue.",
        "en": "Year '{value}': a four-digit year is expected.",
    },
    "csv_duplicate_key": {
        "fr": "Même municipalité, variable, catégorie, source et année qu'à la ligne {first}.",
        "en": "Same municipality, variable, category, source and year as line {first}.",
    },
    "csv_inconsistent_name": {
        "fr": "Le code {code} porte le nom « {value} » ici, « {first_value} » à la ligne {first}.",
        "en": "Code {code} is named '{value}' here, '{first_value}' on line {first}.",
    },
    "csv_inconsistent_region": {
        "fr": "Le code {code} est dans la région « {value} » ici, « {first_value} » à la "
        "ligne {first}.",
        "en": "Code {code} is in region '{value}' here, '{first_value}' on line {first}.",
    },
    "csv_already_loaded": {
        "fr": "Déjà chargé (municipalité, variable, catégorie, source, année) ; "
        "utilisez --replace pour remplacer cette source et cette année.",
        "en": "Already loaded (municipality, variable, category, source, year); "
        "use --replace to replace this source and year.",
    },
    "csv_line": {"fr": "ligne {line} : {message}", "en": "line {line}: {message}"},
    # -- commands -------------------------------------------------------------
    "cli_upgraded": {
        "fr": "Base de données à jour (révision {revision}).",
        "en": "Database up to date (revision {revision}).",
    },
    "cli_downgraded": {
        "fr": "Base de données ramenée à la révision {revision}.",
        "en": "Database downgraded to revision {revision}.",
    },
    "cli_current": {
        "fr": "Base : {url}\nRévision : {current} (dernière : {head}) ; {state}",
        "en": "Database: {url}\nRevision: {current} (latest: {head}); {state}",
    },
    "cli_state_current": {"fr": "à jour.", "en": "up to date."},
    "cli_state_behind": {
        "fr": "en retard : lancez « vigie db upgrade ».",
        "en": "behind: run `vigie db upgrade`.",
    },
    "cli_state_unknown": {
        "fr": "révision inconnue de cette version de Vigie.",
        "en": "revision unknown to this version of Vigie.",
    },
    "cli_csv_rejected": {
        "fr": "{path} : {count} erreur(s), rien n'a été chargé.",
        "en": "{path}: {count} error(s), nothing was loaded.",
    },
    "cli_loaded": {
        "fr": "{rows} effectifs chargés pour {municipalities} municipalités "
        "({replaced} remplacés).",
        "en": "Loaded {rows} counts for {municipalities} municipalities ({replaced} replaced).",
    },
    "cli_file_or_demo": {
        "fr": "Donnez un fichier CSV ou --demo (pas les deux).",
        "en": "Give a CSV file or --demo (not both).",
    },
}


def N_(msgid: str) -> str:  # noqa: N802 - the gettext marker's usual name
    """Mark a message id for extraction (the id is built from an error code)."""
    return msgid


#: Codes whose words are in the gettext catalogs (``storage.<code>``).
GETTEXT_CODES: dict[str, str] = {
    "csv_duplicate_columns": N_("storage.csv_duplicate_columns"),
    "csv_count_too_large": N_("storage.csv_count_too_large"),
    "csv_cell_too_large": N_("storage.csv_cell_too_large"),
    "csv_control_character": N_("storage.csv_control_character"),
    "csv_formula": N_("storage.csv_formula"),
    "csv_more_errors": N_("storage.csv_more_errors"),
    "csv_rejected": N_("storage.csv_rejected"),
}


def render(code: str, params: Mapping[str, Any], language: str) -> str:
    """The message of ``code`` in ``language`` (English if the language is unknown)."""
    if code in GETTEXT_CODES:
        return translate(language if language in LANGUAGES else "en", GETTEXT_CODES[code], **params)
    texts = MESSAGES[code]
    return texts.get(language, texts["en"]).format(**params)


def preferred_language(environ: Mapping[str, str]) -> str:
    """The language of command output: ``VIGIE_LANGUAGE``, else ``LANG``, else English.

    >>> preferred_language({"LANG": "fr_CA.UTF-8"})
    'fr'
    """
    for key in ("VIGIE_LANGUAGE", "LC_ALL", "LANG"):
        value = environ.get(key, "")[:2].lower()
        if value in LANGUAGES:
            return value
    return "en"


class StorageError(Exception):
    """An error of the repository, with a code and parameters.

    ``str(error)`` is the English message; :meth:`render` gives either language.
    """

    code = "storage_error"

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, language: str) -> str:
        """The message in ``language``."""
        return render(self.code, self.params, language)
