"""The program and the pack agree: tokens, input keys, limits, the duration grammar, the clock, SCIM level.

The pack runs in its own process and imports nothing of frontdoor, so what both must agree on is
written twice: frontdoor/domain/contracts.py and policy/rules/_contracts.py. This pins them together.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from typing import Any

import pytest
from rules import _contracts as pack
from rules import saml_certificate_expiry, scim_token_expiry
from rules._common import duration_hours, today

from frontdoor.domain import contracts as program
from frontdoor.domain.base import clock
from frontdoor.domain.contracts import session_hours
from frontdoor.offline.policy_config import derived_saml_level, derived_scim_level


def _public(module: Any) -> dict[str, Any]:
    return {
        name: value.pattern if isinstance(value, re.Pattern) else value
        for name, value in vars(module).items()
        if name.isupper() and not name.startswith("_")
    }


RECORDS = ("GrantRecord", "ScimTokenExpiry", "SamlCertificateExpiry", "MachineRole")
RECORD_HELPERS = ("_sent", "_read", "_to_inputs", "_from_inputs")


def test_both_sides_define_the_same_records_to_the_letter() -> None:
    # Records are code, not values: the pack's copy must be the program's, line for line.
    for name in RECORDS + RECORD_HELPERS:
        assert inspect.getsource(getattr(pack, name)) == inspect.getsource(getattr(program, name)), name
    records = {name for name, value in vars(program).items() if isinstance(value, type) and name in RECORDS}
    assert records == set(RECORDS)


def test_both_sides_define_the_same_contract_value_by_value() -> None:
    assert _public(pack) == _public(program)
    # The limits the issue names, as numbers a reader can check against AWS's documentation.
    assert (program.SCP_CONTENT_MAX, program.INLINE_POLICY_NON_WHITESPACE_MAX) == (5_120, 10_240)
    assert (program.SESSION_MIN_HOURS, program.SESSION_MAX_HOURS) == (1, 12)
    assert program.TODAY_ENV == "FRONTDOOR_TODAY"


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
