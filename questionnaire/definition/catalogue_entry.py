"""The shape of one entry of the definition-error catalogue.

Kept apart from :mod:`questionnaire.definition.error_catalogue`, which lists
the codes and their descriptions; the message and hint of each code, in
French and English, are in the gettext catalogs (``definition.<code>.message``
and ``definition.<code>.hint``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from i18n import texts


@dataclass(frozen=True)
class CatalogueEntry:
    """One error code: what it means, its message and its fix in each language."""

    code: str
    description: str

    @property
    def message_id(self) -> str:
        """The catalog id of the message template."""
        return f"definition.{self.code}.message"

    @property
    def hint_id(self) -> str:
        """The catalog id of the fix template."""
        return f"definition.{self.code}.hint"

    @property
    def message(self) -> Mapping[str, str]:
        """The message template in every language."""
        return texts(self.message_id)

    @property
    def hint(self) -> Mapping[str, str]:
        """The fix template in every language."""
        return texts(self.hint_id)
