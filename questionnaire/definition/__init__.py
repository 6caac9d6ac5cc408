"""A questionnaire as data: the model, answer values, and reading YAML with its lines.

``model`` (the typed definition), ``values`` (what an answer is), ``slots``
(where an answer goes), ``source`` and ``includes`` (YAML with positions,
blocks), ``shape`` (YAML -> model, with ``repair`` and ``words``), ``errors``
and ``error_catalogue`` (every definition error, with a code). Nothing is
imported here: import the module you need.
"""
