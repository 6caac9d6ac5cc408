"""French and English texts of ``vigie demo``; every code has both languages (a test checks it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    # -- populate -------------------------------------------------------------
    "migrated": {
        "fr": "Base de données migrée à la dernière révision.",
        "en": "Database migrated to the latest revision.",
    },
    "schema_current": {
        "fr": "Base de données déjà à jour.",
        "en": "Database already up to date.",
    },
    "benchmarks_loaded": {
        "fr": "Repères de population de démonstration chargés : {rows} effectifs.",
        "en": "Demonstration population benchmarks loaded: {rows} counts.",
    },
    "benchmarks_kept": {
        "fr": "Repères de population déjà chargés : conservés.",
        "en": "Population benchmarks already loaded: kept.",
    },
    "foreign_responses": {
        "fr": "Cette base contient {count} réponse(s) qui ne viennent pas de la démonstration : "
        "« vigie demo populate » ne remplit qu'une base à part. Choisissez-en une autre avec "
        "--database-url ou DATABASE_URL.",
        "en": "This database holds {count} response(s) that are not demonstration responses: "
        "`vigie demo populate` only fills a database of its own. Choose another one with "
        "--database-url or DATABASE_URL.",
    },
    "unknown_survey": {
        "fr": "Questionnaire inconnu : {survey}. Connus : {known}, ou all.",
        "en": "Unknown questionnaire: {survey}. Known: {known}, or all.",
    },
    "already_there": {
        "fr": "{survey} : la démonstration est déjà là ({count} réponses) ; rien d'ajouté. "
        "--replace la refait.",
        "en": "{survey}: the demonstration is already there ({count} responses); nothing added. "
        "--replace makes it again.",
    },
    "erased": {
        "fr": "{survey} : {count} réponses de démonstration effacées.",
        "en": "{survey}: {count} demonstration responses erased.",
    },
    "generating": {"fr": "{survey} : répondants", "en": "{survey}: respondents"},
    "generated": {
        "fr": "{survey} : {count} répondants de démonstration en {seconds:.1f} s : "
        "{completed} complétés, {screened_out} exclus par l'admissibilité, "
        "{in_progress} en cours.",
        "en": "{survey}: {count} demonstration respondents in {seconds:.1f} s: "
        "{completed} completed, {screened_out} screened out, {in_progress} in progress.",
    },
    "campaign_columns": {
        "fr": "campagne|code|commencées|complétées",
        "en": "campaign|code|started|completed",
    },
    "next_step": {
        "fr": "Ensuite : vigie estimate --survey {survey} --out instance/results_{survey}.csv",
        "en": "Next: vigie estimate --survey {survey} --out instance/results_{survey}.csv",
    },
    # -- summary --------------------------------------------------------------
    "no_rows": {
        "fr": "{path} : aucun des indicateurs demandés ({indicators}).",
        "en": "{path}: none of the requested indicators ({indicators}).",
    },
    "bad_results": {
        "fr": "{path} : ce n'est pas un tableau de résultats de « vigie estimate » "
        "(colonnes manquantes : {columns}).",
        "en": "{path}: not a results table of `vigie estimate` (missing columns: {columns}).",
    },
    "summary_columns": {
        "fr": "municipalité|estimation|IC 95 %|CV %|cote|méthode|n",
        "en": "municipality|estimate|95% CI|CV %|flag|method|n",
    },
    "full_results": {
        "fr": "Résultats complets ({rows} lignes : chaque municipalité, chaque indicateur, "
        "par mode de réponse) : {path}",
        "en": "Full results ({rows} rows: every municipality, every indicator, by channel): {path}",
    },
    "flags_legend": {"fr": "Cotes :", "en": "Flags:"},
    "methods_legend": {
        "fr": "Méthodes : directe = estimation pondérée des répondants de la municipalité ; "
        "EBLUP = directe combinée à un modèle (petits domaines) ; synthétique = modèle seul "
        "(aucun répondant utilisable).",
        "en": "Methods: direct = weighted estimate from the municipality's respondents; "
        "EBLUP = direct combined with a model (small areas); synthetic = model only "
        "(no usable respondent).",
    },
    "method_direct": {"fr": "directe", "en": "direct"},
    "method_eblup": {"fr": "EBLUP", "en": "EBLUP"},
    "method_synthetic": {"fr": "synthétique", "en": "synthetic"},
    "method_none": {"fr": "aucune", "en": "none"},
    "method_excluded": {"fr": "exclus", "en": "excluded"},
    "flag_none": {"fr": "(aucune)", "en": "(none)"},
}


def render(code: str, params: Mapping[str, Any], language: str) -> str:
    """The text of ``code`` in ``language`` (English if the language is unknown)."""
    texts = MESSAGES[code]
    return texts.get(language, texts["en"]).format(**params)
