"""A test double of the expression Scope over plain dicts, shared by the expression tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DictScope:
    """Answers by name; repeats as lists of instance answers; unknown names raise KeyError."""

    def __init__(
        self,
        values: Mapping[str, object],
        repeats: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    ) -> None:
        self.values = dict(values)
        self.repeats = dict(repeats or {})

    def lookup(self, name: str) -> object:
        return self.values[name]

    def is_repeat(self, name: str) -> bool:
        return name in self.repeats

    def instances(self, repeat: str) -> list[DictScope]:
        return [
            DictScope({**self.values, **answers, "index": number})
            for number, answers in enumerate(self.repeats[repeat], start=1)
        ]
