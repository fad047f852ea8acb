"""Channels reach the database only through the engine (`handlers.engine.gateway`): no module
under bot/channels imports SQLAlchemy or any of `models` but its enums."""

import ast
from pathlib import Path

CHANNELS = Path(__file__).resolve().parents[2] / "bot" / "channels"
ALLOWED_FROM_MODELS = {"models.enums"}


def imported(path: Path) -> set[str]:
    """Every module a file imports, at any depth (functions and TYPE_CHECKING blocks included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            if node.module == "models":  # "from models import conversations" names a module
                names.update(f"models.{alias.name}" for alias in node.names)
    return names


def forbidden(name: str) -> bool:
    if name == "sqlalchemy" or name.startswith("sqlalchemy."):
        return True
    return (name == "models" or name.startswith("models.")) and name not in ALLOWED_FROM_MODELS


def test_channels_import_no_models_but_enums_and_no_sqlalchemy():
    files = sorted(CHANNELS.rglob("*.py"))
    assert len(files) > 10  # the rule looks at the real package
    leaks = {str(path.relative_to(CHANNELS)): sorted(filter(forbidden, imported(path))) for path in files}
    assert {path: names for path, names in leaks.items() if names} == {}


def test_the_rule_would_catch_a_leak(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from models.tables import X\n"
                      "from models import conversations\ndef f():\n    import sqlalchemy.orm\n"
                      "from models.enums import Channel\n")
    assert sorted(filter(forbidden, imported(sneaky))) == ["models", "models.conversations", "models.tables",
                                                           "sqlalchemy.orm"]
