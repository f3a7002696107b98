"""The contracts module can travel to the pack: it imports nothing but the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from frontdoor.domain import contracts


def non_stdlib_imports(source: str) -> list[str]:
    """Every import of `source` that is not of the standard library (relative imports included)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = ["." * node.level + (node.module or "")]
        else:
            continue
        found += [
            name
            for name in names
            if name.startswith(".") or name.split(".")[0] not in sys.stdlib_module_names | {"__future__"}
        ]
    return found


def test_the_contracts_module_imports_only_the_standard_library() -> None:
    assert non_stdlib_imports(Path(contracts.__file__).read_text(encoding="utf-8")) == []


def test_the_check_sees_a_frontdoor_a_relative_and_a_third_party_import() -> None:
    source = "import re\nfrom frontdoor.domain.base import clock\nfrom . import x\nimport pulumi.runtime\n"
    assert non_stdlib_imports(source) == ["frontdoor.domain.base", ".", "pulumi.runtime"]
