"""The catalogue of definition errors: code -> description and fr/en templates.

Templates are filled with :meth:`str.format_map`; a parameter may itself be a
text per language. ``docs/definition-errors.md`` lists the same codes.
"""

from __future__ import annotations

from collections.abc import Mapping

from questionnaire.definition.catalogue_entry import CatalogueEntry
from questionnaire.definition.catalogue_entry import entry as _entry

#: Words naming the subject of a message (``question 'age': ...``).
SUBJECT_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "survey": "survey",
        "section": "section",
        "question": "question",
        "repeat": "repeat",
        "calculation": "calculation",
        "indicator": "indicator",
        "eligibility": "eligibility rule",
        "weighting": "weighting",
        "choice": "choice",
        "block": "block",
    },
    "fr": {
        "survey": "questionnaire",
        "section": "section",
        "question": "question",
        "repeat": "répétition",
        "calculation": "calcul",
        "indicator": "indicateur",
        "eligibility": "règle d'admissibilité",
        "weighting": "pondération",
        "choice": "choix",
        "block": "bloc",
    },
}

CATALOGUE: Mapping[str, CatalogueEntry] = {
    # -- reading files -----------------------------------------------------------
    "file_not_found": _entry(
        "the definition file does not exist",
        "file not found: {path}",
        "fichier introuvable : {path}",
        "check the path and the file name",
        "vérifiez le chemin et le nom du fichier",
    ),
    "file_unreadable": _entry(
        "the file cannot be read as UTF-8 text",
        "cannot read the file: {detail}",
        "impossible de lire le fichier : {detail}",
        "save the file as UTF-8 text",
        "enregistrez le fichier en texte UTF-8",
    ),
    "yaml_syntax": _entry(
        "the file is not valid YAML",
        "YAML syntax error: {detail}",
        "erreur de syntaxe YAML : {detail}",
        "{advice}",
        "{advice}",
    ),
    "duplicate_key": _entry(
        "a key appears twice in the same mapping",
        "key '{key}' appears twice in the same mapping (first at line {first_line})",
        "la clé '{key}' apparaît deux fois dans le même bloc (d'abord à la ligne {first_line})",
        "keep a single '{key}:' entry",
        "ne gardez qu'une entrée '{key}:'",
    ),
    "include_not_found": _entry(
        "an `include:` names a file that does not exist",
        "included file not found: {path}",
        "fichier inclus introuvable : {path}",
        "the path of an include is relative to the file that includes it",
        "le chemin d'un include est relatif au fichier qui l'inclut",
    ),
    "include_cycle": _entry(
        "a block includes, directly or not, a file that includes it",
        "include cycle: {cycle}",
        "inclusion circulaire : {cycle}",
        "remove one of the includes of the cycle",
        "retirez l'un des include du cycle",
    ),
    # -- shape -------------------------------------------------------------------
    "unknown_key": _entry(
        "a key that this part of a definition does not have",
        "unknown key '{key}' in {context}",
        "clé inconnue '{key}' dans {context}",
        "{advice}",
        "{advice}",
    ),
    "missing_key": _entry(
        "a required key is missing",
        "required key '{key}' is missing",
        "la clé obligatoire '{key}' manque",
        "add '{key}:'",
        "ajoutez '{key}:'",
    ),
    "wrong_type": _entry(
        "a value of the wrong kind (text, number, list, mapping, ...)",
        "'{key}' must be {expected}, not {found}",
        "'{key}' doit être {expected}, pas {found}",
        "{advice}",
        "{advice}",
    ),
    "unknown_question_type": _entry(
        "a question `type` that Vigie does not know",
        "unknown question type '{value}'",
        "type de question inconnu '{value}'",
        "{advice}",
        "{advice}",
    ),
    "bad_value": _entry(
        "a value outside the allowed list (special answers, units, populations)",
        "'{key}' cannot be '{value}'",
        "'{key}' ne peut pas valoir '{value}'",
        "use one of: {allowed}",
        "utilisez l'une de ces valeurs : {allowed}",
    ),
    # -- names -------------------------------------------------------------------
    "bad_name": _entry(
        "a name that is not lower snake case (^[a-z][a-z0-9_]*$)",
        "name '{value}' is not lower snake case",
        "le nom '{value}' n'est pas en minuscules avec soulignés",
        "start with a letter a-z, then use a-z, 0-9 and '_' (e.g. '{suggestion}')",
        "commencez par une lettre a-z, puis utilisez a-z, 0-9 et '_' (p. ex. '{suggestion}')",
    ),
    "reserved_name": _entry(
        "a name that is a word of the expression language",
        "'{value}' is a reserved word of the expression language",
        "'{value}' est un mot réservé du langage d'expressions",
        "choose another name, e.g. '{value}_answer'",
        "choisissez un autre nom, p. ex. '{value}_answer'",
    ),
    "duplicate_name": _entry(
        "two questions, sections, repeats, calculations or indicators share a name",
        "name '{value}' is already used by the {other} at line {first_line} of {first_file}",
        "le nom '{value}' est déjà pris par l'élément ({other}) de la ligne {first_line} "
        "de {first_file}",
        "give each question, section, repeat and calculation its own name",
        "donnez à chaque question, section, répétition et calcul son propre nom",
    ),
    # -- texts -------------------------------------------------------------------
    "bad_languages": _entry(
        "`languages` is empty, repeats a language or holds something that is no language code",
        "languages must list distinct language codes such as fr and en, got {value}",
        "languages doit lister des codes de langue distincts comme fr et en, reçu {value}",
        "write e.g. 'languages: [fr, en]'",
        "écrivez p. ex. 'languages: [fr, en]'",
    ),
    "missing_translation": _entry(
        "a text lacks one of the declared languages",
        "{key} has no '{language}' text",
        "{key} n'a pas de texte '{language}'",
        "add an '{language}:' entry",
        "ajoutez une entrée '{language}:'",
    ),
    "unknown_language": _entry(
        "a text in a language the survey does not declare",
        "{key} has a '{language}' text but languages are {declared}",
        "{key} a un texte '{language}' mais les langues sont {declared}",
        "remove the '{language}:' entry or add '{language}' to languages",
        "retirez l'entrée '{language}:' ou ajoutez '{language}' à languages",
    ),
    "empty_text": _entry(
        "a text that is empty or blank",
        "{key} has an empty '{language}' text",
        "{key} a un texte '{language}' vide",
        "write the text",
        "écrivez le texte",
    ),
    "unknown_pipe": _entry(
        "a piped {name} in a text names no question, calculation or context value",
        "{key} pipes '{value}', which names nothing known here",
        "{key} insère '{value}', qui ne désigne rien de connu ici",
        "check the spelling; double a brace to show it literally",
        "vérifiez l'orthographe ; doublez une accolade pour l'afficher telle quelle",
    ),
    "bad_pipe": _entry(
        "a lone brace in a text",
        "{key} has a lone brace at character {offset} of its '{language}' text",
        "{key} a une accolade isolée au caractère {offset} de son texte '{language}'",
        "write a piped name between braces, and double a brace to show it literally",
        "écrivez un nom inséré entre accolades, et doublez une accolade pour l'afficher",
    ),
    # -- choices -----------------------------------------------------------------
    "choice_code_too_long": _entry(
        "a choice code longer than 64 bytes in UTF-8 (Telegram's callback limit)",
        "choice code '{value}' is {size} bytes long; the limit is 64",
        "le code de choix '{value}' fait {size} octets ; la limite est 64",
        "shorten the code (the label may stay long)",
        "raccourcissez le code (le libellé peut rester long)",
    ),
    "bad_choice_code": _entry(
        "a choice code that is not ^[a-z0-9][a-z0-9_]*$",
        "choice code '{value}' is malformed",
        "le code de choix '{value}' est mal formé",
        "use a-z, 0-9 and '_', starting with a letter or a digit",
        "utilisez a-z, 0-9 et '_', en commençant par une lettre ou un chiffre",
    ),
    "duplicate_choice": _entry(
        "two choices of a question share a code (or a choice takes a special answer's code)",
        "choice code '{value}' is used twice (first at line {first_line})",
        "le code de choix '{value}' est utilisé deux fois (d'abord à la ligne {first_line})",
        "give each choice its own code",
        "donnez à chaque choix son propre code",
    ),
    "duplicate_export": _entry(
        "two choices share an export code, or one takes a reserved code 96-99",
        "export code {value} {reason}",
        "le code d'export {value} {reason}",
        "give each choice its own export code, outside 96-99",
        "donnez à chaque choix son propre code d'export, hors de 96 à 99",
    ),
    "choices_not_allowed": _entry(
        "choices on a question type that takes none",
        "a question of type {type} takes no choices",
        "une question de type {type} ne prend pas de choix",
        "remove 'choices:' or use single_choice or multiple_choice",
        "retirez 'choices:' ou utilisez single_choice ou multiple_choice",
    ),
    "choices_missing": _entry(
        "a single_choice or multiple_choice question without choices",
        "a question of type {type} needs choices",
        "une question de type {type} a besoin de choix",
        "add a 'choices:' list",
        "ajoutez une liste 'choices:'",
    ),
    "exclusive_not_allowed": _entry(
        "`exclusive` on a choice of a question that is not multiple_choice",
        "choice '{value}' is exclusive, which only a multiple_choice question allows",
        "le choix '{value}' est exclusif, ce que seule une question multiple_choice permet",
        "remove 'exclusive: true'",
        "retirez 'exclusive: true'",
    ),
    "special_not_allowed": _entry(
        "special answers on a note or consent question",
        "a question of type {type} takes no special answers",
        "une question de type {type} ne prend pas de réponses spéciales",
        "remove 'special:'",
        "retirez 'special:'",
    ),
    # -- per-type keys -----------------------------------------------------------
    "key_not_for_type": _entry(
        "a key that the question's type does not take (bounds, max_length, pattern, ...)",
        "'{key}' does not apply to a question of type {type}",
        "'{key}' ne s'applique pas à une question de type {type}",
        "remove '{key}:' or change the type",
        "retirez '{key}:' ou changez le type",
    ),
    "bad_bounds": _entry(
        "bounds that contradict each other or do not suit the type",
        "{detail}",
        "{detail}",
        "{advice}",
        "{advice}",
    ),
    "bad_pattern": _entry(
        "`pattern` is not a valid regular expression",
        "pattern is not a valid regular expression: {detail}",
        "pattern n'est pas une expression régulière valide : {detail}",
        "check brackets and escapes (Python regular expressions)",
        "vérifiez crochets et échappements (expressions régulières de Python)",
    ),
    "bad_repeat": _entry(
        "a repeat without `count` nor `another`, with both, or with `max` below 1",
        "{detail}",
        "{detail}",
        "{advice}",
        "{advice}",
    ),
    # -- weighting ---------------------------------------------------------------
    "weighting_unknown_question": _entry(
        "weighting names something that is no respondent-level question or calculation",
        "weighting names '{value}', which is no question or calculation outside a repeat",
        "la pondération nomme '{value}', qui n'est ni une question ni un calcul hors répétition",
        "name a single_choice question or a calculation returning codes",
        "nommez une question single_choice ou un calcul qui renvoie des codes",
    ),
    "weighting_not_categorical": _entry(
        "weighting names a question or calculation without categories",
        "weighting names '{value}' ({found}), which has no categories",
        "la pondération nomme '{value}' ({found}), qui n'a pas de catégories",
        "use a single_choice question or a calculation returning codes (e.g. an age group)",
        "utilisez une question single_choice ou un calcul qui renvoie des codes "
        "(p. ex. un groupe d'âge)",
    ),
    "bad_weighting": _entry(
        "an empty margin, or a margin naming a question twice",
        "margin {value} {reason}",
        "la marge {value} {reason}",
        "list each question once, in non-empty margins",
        "listez chaque question une fois, dans des marges non vides",
    ),
    # -- expressions -------------------------------------------------------------
    "expression_syntax": _entry(
        "an expression that cannot be read",
        "{key}: {detail}",
        "{key} : {detail}",
        "check quotes, brackets, operators and function arguments",
        "vérifiez guillemets, parenthèses, opérateurs et arguments des fonctions",
    ),
    "unknown_reference": _entry(
        "an expression names something that is not defined where it is used",
        "{key} refers to '{value}', which is not defined here",
        "{key} fait référence à '{value}', qui n'est pas défini ici",
        "{advice}",
        "{advice}",
    ),
    "type_mismatch": _entry(
        "an expression combines values of kinds that do not go together",
        "{key}: {detail}",
        "{key} : {detail}",
        "check the kinds of values the expression combines",
        "vérifiez les types de valeurs que l'expression combine",
    ),
    "unknown_choice_code": _entry(
        "an expression compares a choice question with a code it does not declare",
        "{key}: {detail}",
        "{key} : {detail}",
        "use one of the codes declared in the question's choices",
        "utilisez l'un des codes déclarés dans les choix de la question",
    ),
    "forward_reference": _entry(
        "a `relevant` or repeat `count` refers to a question asked at or after it",
        "{key} refers to '{value}', which is asked at or after this point",
        "{key} fait référence à '{value}', posée à cet endroit ou plus loin",
        "refer only to questions asked earlier, or move '{value}' before",
        "ne faites référence qu'à des questions posées avant, ou déplacez '{value}' plus haut",
    ),
    "circular_calculation": _entry(
        "calculations that refer to themselves through each other",
        "refers to itself through {cycle}",
        "fait référence à lui-même par {cycle}",
        "break the cycle: one of these calculations must not use the others",
        "brisez le cycle : l'un de ces calculs ne doit pas utiliser les autres",
    ),
    "unreachable_question": _entry(
        "a question or section whose `relevant` can never be true",
        "can never be asked: {reason}",
        "ne peut jamais être posée : {reason}",
        "fix the `relevant` expression or remove the question",
        "corrigez l'expression `relevant` ou retirez la question",
    ),
}
