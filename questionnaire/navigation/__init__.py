"""What comes next: slots that apply, pages, progress, eligibility, prompts.

``next`` is what channels import (next slot or page, back, prune, status);
``applicability`` and ``relevance`` decide which slots apply, ``progress``
the progress and the end of a response (``status``, with the vocabulary of
``status.ResponseStatus``), ``prompts`` what to show. Nothing is imported
here: import the module you need.
"""
