"""The sub-packages of questionnaire/ import each other in one direction only.

Read from the source with :mod:`ast` (imports inside functions and under
``TYPE_CHECKING`` count too), so that a circle cannot hide behind a lazy
import. The same layers are declared for ``lint-imports`` in ``.importlinter``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "questionnaire"

#: Each sub-package and the sub-packages it may import (besides itself).
MAY_IMPORT: dict[str, set[str]] = {
    "definition": set(),
    "expressions": {"definition"},
    "checks": {"definition", "expressions"},
    "answers": {"definition", "expressions"},
    "navigation": {"definition", "expressions", "answers"},
    "simulation": {"definition", "expressions", "answers", "navigation"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> Iterator[str]:
    """The questionnaire modules ``path`` imports, wherever the import statement is."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        yield from (name for name in names if name.startswith("questionnaire."))


def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {n for n in imported(path) if n in modules} for name, path in modules.items()}


def sub_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in MAY_IMPORT) else None


def test_every_sub_package_is_placed_in_the_layers() -> None:
    found = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert found == set(MAY_IMPORT)


def test_sub_packages_import_only_the_layers_below() -> None:
    wrong = []
    for importer, targets in graph().items():
        source = sub_package(importer)
        if source is None:
            continue  # a module at the root (the loader) may use every layer
        for target in targets:
            aimed = sub_package(target)
            if aimed is not None and aimed != source and aimed not in MAY_IMPORT[source]:
                wrong.append(f"{importer} -> {target}")
    assert wrong == []


def test_no_module_imports_itself_through_others() -> None:
    edges = graph()
    circles = []
    for start in edges:
        seen, todo = set(), list(edges[start])
        while todo:
            current = todo.pop()
            if current == start:
                circles.append(start)
                break
            if current not in seen:
                seen.add(current)
                todo.extend(edges.get(current, ()))
    assert circles == []


def test_package_imports_stay_light() -> None:
    """Importing ``questionnaire`` or a sub-package loads nothing (start-up time matters)."""
    inits = [PACKAGE / "__init__.py", *PACKAGE.glob("*/__init__.py")]
    heavy = [
        module_name(path)
        for path in inits
        if path.parent.name != "expressions" and any(True for _ in imported(path))
    ]
    assert heavy == []
