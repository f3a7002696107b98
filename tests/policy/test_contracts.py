"""The program and the pack agree: the duration grammar, the clock, the derived expiry levels.

The pack runs in its own process and imports nothing of frontdoor (checked below); what both must
agree on is frontdoor/domain/contracts.py, which the pack carries as a generated copy,
policy/rules/_contracts.py (tests/frontdoor/offline/test_pack_contracts.py compares the bytes). These
tests check that both sides use it.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import inspect
from typing import Any, TypeVar

import pytest
from rules import _contracts as pack
from rules import saml_certificate_expiry, scim_token_expiry
from rules._common import duration_hours, today

from frontdoor.domain import contracts as program
from frontdoor.domain.base import clock
from frontdoor.domain.contracts import session_hours
from frontdoor.offline.policy_config import derived_saml_level, derived_scim_level
from frontdoor.offline.project import PACK_DIR


def test_the_pack_imports_nothing_of_frontdoor() -> None:
    imported = {
        f"{path.relative_to(PACK_DIR)}: {name}"
        for path in sorted(PACK_DIR.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and node.level == 0
            else []
        )
        if name.split(".")[0] in {"frontdoor", "components"}
    }
    assert sorted(imported) == []


def test_the_limits_are_the_documented_numbers() -> None:
    # The limits the issue names, as numbers a reader can check against AWS's documentation.
    assert (program.SCP_CONTENT_MAX, program.INLINE_POLICY_NON_WHITESPACE_MAX) == (5_120, 10_240)
    assert (program.SESSION_MIN_HOURS, program.SESSION_MAX_HOURS) == (1, 12)
    assert program.TODAY_ENV == pack.TODAY_ENV == "FRONTDOOR_TODAY"


DURATIONS = ["PT1H", "PT8H", "PT12H", "PT90M", "PT1H30M", "PT0M", "PT", "P1D", "PT30S", "PT1.5H",
             "8h", "pt8h", "PT8H\n", "PT١H", " PT8H", "PT8HPT1H", ""]  # fmt: skip


@pytest.mark.parametrize("duration", DURATIONS)
def test_the_packs_duration_parser_agrees_with_the_models(duration: str) -> None:
    def outcome(parse: Any) -> float | str:
        try:
            return float(parse(duration))
        except ValueError:
            return "refused"

    # The model's validator calls contracts.session_hours; the rule calls _common.duration_hours.
    assert outcome(duration_hours) == outcome(program.session_hours)
    assert outcome(session_hours) == outcome(program.session_hours)


def test_the_clock_is_one_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(program.TODAY_ENV, "2031-02-03")
    assert clock.today() == today() == dt.date(2031, 2, 3)


@pytest.mark.parametrize(
    ("expiries", "properties"),
    [
        (["2026-12-01"], {"today": "2026-11-30"}),
        (["2026-12-01"], {"today": "2026-12-01"}),
        (["2026-12-01"], {"today": "2026-12-02"}),
        (["2026-12-01", "2025-01-01"], {"today": "2026-06-01"}),
        (["not-a-date"], {"today": "2026-06-01"}),
        ([], {"expiresOn": "2020-01-01", "today": "2026-06-01"}),
        (["2030-01-01"], {"today": "2026-06-01", "warnDays": "thirty"}),
        (["2030-01-01"], {"today": "June"}),
        ([], {}),
    ],
)
def test_the_derived_scim_level_is_the_rules_own(expiries: list[str], properties: dict[str, Any]) -> None:
    derived = derived_scim_level(expiries, properties)
    if not expiries and "expiresOn" not in properties:
        assert derived is None
    else:
        assert derived == scim_token_expiry.configured_level(expiries, properties).value


@pytest.mark.parametrize(
    ("expiries", "properties"),
    [
        (["2027-03-14"], {"today": "2027-03-14"}),
        (["2027-03-14"], {"today": "2027-03-15"}),
        (["2027-03-14T12:00:00.000Z"], {"today": "2027-03-14"}),  # Okta's key timestamps: their day
        (["2027-03-14T12:00:00.000Z"], {"today": "2027-03-15"}),
        (["2030-01-01", "2020-01-01"], {"today": "2026-06-01"}),
        (["not-a-date"], {"today": "2026-06-01"}),
        ([], {"expiresOn": "2020-01-01", "today": "2026-06-01"}),
        (["2030-01-01"], {"today": "2026-06-01", "warnDays": "sixty"}),
        ([], {}),
    ],
)
def test_the_derived_saml_level_is_the_rules_own(expiries: list[str], properties: dict[str, Any]) -> None:
    derived = derived_saml_level(expiries, properties)
    if not expiries and "expiresOn" not in properties:
        assert derived is None
    else:
        assert derived == saml_certificate_expiry.configured_level(expiries, properties).value


def _definitions(module: Any) -> dict[str, Any]:
    """What a contracts module's own text defines at its top level, each as a value that compares equal
    across the two modules (a regex compares by pattern and flags)."""
    names: list[str] = []
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return {name: _comparable(getattr(module, name)) for name in names}


def _comparable(value: Any) -> Any:
    """Equal for equal definitions in two modules: the source text of a class or a function, a record
    (one module's dataclass instance) as its class name and fields, a TypeVar as its repr."""
    if inspect.isclass(value) or inspect.isfunction(value):
        return inspect.getsource(value)
    if dataclasses.is_dataclass(value):
        return type(value).__qualname__, dataclasses.asdict(value)
    if isinstance(value, TypeVar):
        return repr(value)
    return value


def test_the_packs_copy_defines_what_the_program_defines() -> None:
    # Independent of the byte comparison (tests/frontdoor/offline/test_pack_contracts.py): a stale copy
    # differs here in a limit, a record's input keys or a function's text, even were that test weakened.
    ours, theirs = _definitions(program), _definitions(pack)
    assert {"SESSION_MAX_HOURS", "MachineRole", "SCIM_TOKEN_RULE", "session_hours"} <= set(ours)
    assert sorted(theirs) == sorted(ours)
    assert {name for name, value in theirs.items() if value != ours[name]} == set()
