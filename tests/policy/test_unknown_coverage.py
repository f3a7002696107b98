"""Every pack rule is tested with a value unknown at preview (issue 13 item 10).

A rule must neither crash nor pass silently on an unknown: each rule's test module feeds the SDK's
unknown sentinel (`UNKNOWN` from tests/policy/conftest.py) and asserts what the rule does with it
(defers with UnknownValueError, or reports what it knows). This keeps a new rule from arriving
without such a test.
"""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE.parents[1] / "policy" / "rules"


def _uses_unknown(test_file: Path) -> bool:
    tree = ast.parse(test_file.read_text())
    return any(isinstance(node, ast.Name) and node.id == "UNKNOWN" for node in ast.walk(tree))


def test_every_rule_has_a_test_with_an_unknown_input() -> None:
    rules = sorted(p.stem for p in RULES.glob("*.py") if not p.stem.startswith("_"))
    assert len(rules) >= 23
    without = [r for r in rules if not _uses_unknown(HERE / "rules" / f"test_{r}.py")]
    assert without == []
