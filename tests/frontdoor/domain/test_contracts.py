"""The contracts module: it can travel to the pack (standard library only), and what it computes."""

from __future__ import annotations

import ast
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

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


def test_today_is_the_pinned_day_and_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contracts.TODAY_ENV, "2031-02-03")
    assert contracts.today() == dt.date(2031, 2, 3)
    monkeypatch.setenv(contracts.TODAY_ENV, "tomorrow")
    with pytest.raises(ValueError, match="tomorrow"):
        contracts.today()


def fixed(day: str) -> Callable[[], dt.date]:
    return lambda: dt.date.fromisoformat(day)


def test_an_expiry_turns_mandatory_the_day_after_it() -> None:
    scim = contracts.SCIM_TOKEN_RULE
    assert scim.level(["2026-12-01"], {}, fixed("2026-12-01")) == contracts.ADVISORY
    assert scim.level(["2026-12-01"], {}, fixed("2026-12-02")) == contracts.MANDATORY
    assert scim.level(["2030-01-01", "2020-01-01"], {}, fixed("2026-06-01")) == contracts.MANDATORY
    # `expiresOn` overrides what the stack carries; `today` overrides the clock.
    assert scim.level(["2020-01-01"], {"expiresOn": "2030-01-01"}, fixed("2026-06-01")) == contracts.ADVISORY
    assert scim.level(["2026-12-01"], {"today": "2027-01-01"}, fixed("2026-06-01")) == contracts.MANDATORY


def test_what_cannot_be_read_is_mandatory_and_named() -> None:
    scim, saml = contracts.SCIM_TOKEN_RULE, contracts.SAML_CERTIFICATE_RULE
    assert scim.level(["30/06/2026"], {}, fixed("2026-06-01")) == contracts.MANDATORY
    assert scim.level(["2030-01-01"], {"warnDays": "thirty"}, fixed("2026-06-01")) == contracts.MANDATORY
    with pytest.raises(ValueError) as bad_date:
        scim.settings(["30/06/2026"], {}, fixed("2026-06-01"))
    assert str(bad_date.value) == (
        "tokenExpiresOn '30/06/2026' is not a YYYY-MM-DD date; set it to the token's expiry date"
    )
    with pytest.raises(ValueError) as bad_days:
        saml.settings([], {"warnDays": True}, fixed("2026-06-01"))
    assert str(bad_days.value) == "pack config warnDays must be a number, got True"


def test_only_the_certificate_reads_okta_timestamps_by_their_day() -> None:
    stamp = "2027-03-14T12:00:00.000Z"
    saml, scim = contracts.SAML_CERTIFICATE_RULE, contracts.SCIM_TOKEN_RULE
    day = dt.date(2027, 3, 14)
    assert saml.settings([stamp], {}, fixed("2027-03-14")) == (day, 60, [day])
    assert saml.level([stamp], {}, fixed("2027-03-15")) == contracts.MANDATORY
    assert scim.level([stamp], {}, fixed("2027-03-01")) == contracts.MANDATORY  # unreadable as a date
