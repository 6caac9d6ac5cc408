"""The checks of a definition beyond its shape: names, references, types, reach.

``survey.check_survey`` runs them all; each module checks one aspect and
reports :class:`questionnaire.definition.errors.DefinitionError` values.
Nothing is imported here: import the module you need.
"""
