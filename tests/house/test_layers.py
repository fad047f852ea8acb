"""The packages import one another downwards only, and no two of our modules import each other.

core ← reports ← models ← handlers and scheduler ← bot; migrations read core and models. Flows and
jobs reach the database only through domain operations: they import no SQLAlchemy but the
session's type and run no statement themselves. The checks read the source with `ast`; for the
direction an import inside a function or under `if TYPE_CHECKING:` counts too (it is still a
dependency), for cycles only what runs when a module is loaded.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "reports", "models", "handlers", "scheduler", "bot", "migrations")

# What each package may import of ours, besides itself.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "reports": frozenset({"core"}),
    "models": frozenset({"core", "reports"}),
    "handlers": frozenset({"core", "reports", "models"}),
    "scheduler": frozenset({"core", "reports", "models"}),
    "migrations": frozenset({"core", "models"}),
    "bot": frozenset(PACKAGES),
}
NO_SQL = frozenset({"handlers", "scheduler"})  # flows and jobs call domain operations
SESSION_TYPES = "sqlalchemy.ext.asyncio"
STATEMENT_METHODS = frozenset({"execute", "scalar", "scalars", "stream"})


@dataclass(frozen=True)
class Import:
    """One imported module as written at one line, and whether it runs when the file is loaded."""

    path: Path
    line: int
    module: str
    names: tuple[str, ...]
    at_load: bool

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(path: Path) -> list[Import]:
    """Every import in one file, marked with whether it runs when the module itself is loaded."""
    found: list[Import] = []

    def visit(node: ast.AST, at_load: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Import(path, child.lineno, a.name, (), at_load) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                names = tuple(a.name for a in child.names)
                found.append(Import(path, child.lineno, _absolute(path, child), names, at_load))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), False)
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), at_load)
            else:
                visit(child, at_load)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), True)
    return found


def layer_violations(files: list[Path]) -> list[str]:
    problems = []
    for path in files:
        own = module_name(path).split(".")[0]
        for imp in imports(path):
            target = imp.module.split(".")[0]
            if target in PACKAGES and target != own and target not in ALLOWED[own]:
                allowed = ", ".join(sorted(ALLOWED[own])) or "nothing of ours"
                problems.append(f"{imp.where()}: {own} imports {imp.module}; {own} may import {allowed}")
    return problems


def sql_violations(files: list[Path]) -> list[str]:
    """Handlers and jobs leave statements to models: no SQLAlchemy but the session's type, no statement run."""
    problems = []
    for path in files:
        own = module_name(path).split(".")[0]
        if own not in NO_SQL:
            continue
        for imp in imports(path):
            if imp.module.split(".")[0] == "sqlalchemy" and not (imp.module + ".").startswith(SESSION_TYPES + "."):
                problems.append(
                    f"{imp.where()}: {own} imports {imp.module}; only {SESSION_TYPES} (the session's type) "
                    "is allowed, queries belong in models"
                )
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STATEMENT_METHODS:
                problems.append(
                    f"{path.relative_to(ROOT)}:{node.lineno}: {own} calls .{node.func.attr}(); "
                    "statements run in models' domain operations"
                )
    return problems


def _targets(imp: Import, modules: set[str]) -> list[str]:
    """Our modules an import loads: each submodule named in `from package import x`, and the module itself
    (or its nearest package) for any other name."""
    if imp.module.split(".")[0] not in PACKAGES:
        return []
    submodules = [f"{imp.module}.{name}" for name in imp.names if f"{imp.module}.{name}" in modules]
    if imp.names and len(submodules) == len(imp.names):
        return submodules
    module = imp.module
    while module and module not in modules:
        module = module.rpartition(".")[0]
    return submodules + ([module] if module else [])


def import_cycles(files: list[Path]) -> list[list[tuple[str, str]]]:
    """Each cycle among module-level imports, as (module, where it imports the next) pairs."""
    modules = {module_name(p) for p in files}
    edges: dict[str, dict[str, str]] = {}
    for path in files:
        here = module_name(path)
        for imp in imports(path):
            if imp.at_load:
                for target in _targets(imp, modules):
                    if target != here:
                        edges.setdefault(here, {}).setdefault(target, imp.where())
    cycles: list[list[tuple[str, str]]] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges.get(module, {})):
            if state.get(target) == 1:
                loop = stack[stack.index(target):]
                if frozenset(loop) not in seen:
                    seen.add(frozenset(loop))
                    hops = loop + [target]
                    cycles.append([(a, edges[a][b]) for a, b in zip(hops, hops[1:])])
            elif target not in state:
                walk(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            walk(module)
    return cycles


def test_packages_import_downwards_only() -> None:
    problems = layer_violations(source_files())
    rule = "core ← reports ← models ← handlers, scheduler ← bot; migrations ← core, models"
    assert not problems, f"imports against the layers ({rule}):\n" + "\n".join(problems)


def test_handlers_and_jobs_run_no_sql() -> None:
    problems = sql_violations(source_files())
    assert not problems, "SQL outside models:\n" + "\n".join(problems)


def test_no_import_cycle_between_our_modules() -> None:
    cycles = import_cycles(source_files())
    described = [" → ".join(f"{module} ({where})" for module, where in cycle) + f" → {cycle[0][0]}"
                 for cycle in cycles]
    assert not cycles, "module-level import cycles:\n" + "\n".join(described)


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_checks_catch_what_they_are_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rule fails on a small made-up tree, so a passing suite means the rules hold, not that they are blind."""
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    files = [
        _write(tmp_path, "core/__init__.py", ""),
        _write(tmp_path, "core/a.py", "import core.b\n"),
        _write(tmp_path, "core/b.py", "from core import a\n"),
        _write(tmp_path, "core/c.py", "def f():\n    from models import x\n"),
        _write(tmp_path, "models/__init__.py", ""),
        _write(tmp_path, "models/x.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from handlers.h import y\n"),
        _write(tmp_path, "handlers/__init__.py", ""),
        _write(tmp_path, "handlers/h.py", (
            "from sqlalchemy.ext.asyncio import AsyncSession\nfrom sqlalchemy import select\nfrom models import x\n"
            "async def y(s):\n    await s.scalar(select(1))\n"
        )),
        _write(tmp_path, "scheduler/__init__.py", ""),
        _write(tmp_path, "scheduler/jobs/__init__.py", ""),
        _write(tmp_path, "scheduler/jobs/j.py", "from ...handlers import h\nasync def job(s):\n    await s.execute(1)\n"),
    ]
    layers = layer_violations(files)
    assert layers == [
        "core/c.py:2: core imports models; core may import nothing of ours",
        "models/x.py:3: models imports handlers.h; models may import core, reports",
        "scheduler/jobs/j.py:1: scheduler imports handlers; scheduler may import core, models, reports",
    ]
    sql = sql_violations(files)
    assert sql == [
        "handlers/h.py:2: handlers imports sqlalchemy; only sqlalchemy.ext.asyncio (the session's type) is allowed, "
        "queries belong in models",
        "handlers/h.py:5: handlers calls .scalar(); statements run in models' domain operations",
        "scheduler/jobs/j.py:3: scheduler calls .execute(); statements run in models' domain operations",
    ]
    # models.x → handlers.h only under TYPE_CHECKING, so handlers.h → models.x closes no cycle.
    assert import_cycles(files) == [[("core.a", "core/a.py:1"), ("core.b", "core/b.py:1")]]
