"""Hypothesis strategies for HR records with the variants Okta treats as different values.

Each record is a dict of the export's columns (the tool's canonical names) to cell text; the cell
text is exactly what the HR system exports. Variants: leading/trailing ASCII space, tab, NBSP
(U+00A0), figure space (U+2007), narrow NBSP (U+202F), ideographic space (U+3000), zero-width space
(U+200B, which str.strip() keeps), case changes, whitespace-only and empty cells, non-ASCII names
(precomposed and combining forms).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import strategies as st

TEAMS = (
    "payments", "devices-firmware", "telemetry", "clinical-data", "manufacturing", "quality",
    "regulatory", "supply-chain", "mobile", "data-platform", "patient-portal", "platform",
)  # fmt: skip
TITLES = ("Platform Engineer", "Staff Engineer", "Engineering Manager", "CTO", "Analyst")
DEPARTMENTS = ("Engineering", "Security", "Internal Audit", "Finance", "Regulatory Affairs")
NAMES = (
    ("Ana", "Silva"), ("José", "Núñez"), ("Jose\u0301", "Nun\u0303ez"), ("Zoë", "Brontë"),
    ("Łukasz", "Żółć"), ("Øystein", "Ærø"), ("Jürgen", "Straße"), ("İlker", "Işık"),
    ("Σωκράτης", "Παππάς"), ("芳", "王"), ("Nguyễn", "Thị"), ("Olúwaṣeun", "Àdìsá"),
)  # fmt: skip
AFFIXES = ("", " ", "  ", "\t", "\u00a0", "\u2007", "\u202f", "\u3000", "\u200b")
COLUMNS = (
    "login", "email", "employeeNumber", "status", "firstName", "lastName", "department", "team",
    "title", "costCenter", "manager", "userType",
)  # fmt: skip


@st.composite
def variant(draw: st.DrawFn, base: str) -> str:
    """`base` as an HR system might export it: same text, or with invisible or case differences."""
    kind = draw(st.sampled_from(("same", "same", "affix", "case", "blank", "empty")))
    if kind == "same":
        return base
    if kind == "affix":
        return draw(st.sampled_from(AFFIXES)) + base + draw(st.sampled_from(AFFIXES))
    if kind == "case":
        return draw(st.sampled_from((base.upper(), base.title(), base[:1].upper() + base[1:])))
    if kind == "blank":
        return draw(st.sampled_from((" ", "\u00a0", "\t ")))
    return ""


@st.composite
def record(draw: st.DrawFn, index: int, padded_identity: bool = True) -> dict[str, str]:
    """One HR record. `padded_identity`: the login, email and userType may carry surrounding whitespace
    too (an export Okta refuses to import, and frontdoor with it); otherwise only the other cells do."""
    first, last = draw(st.sampled_from(NAMES))
    local = f"user{index}"
    jane = index == 0 and draw(st.booleans())
    login = "jane.doe@acme-medical.example" if jane else f"{local}@acme-medical.example"
    padded = (login + " ", "\u00a0" + login) if padded_identity else ()
    login = draw(st.sampled_from((login,) * 6 + (login.capitalize(), *padded)))
    email = draw(st.sampled_from((login.strip(), f"{local}.alt@acme-medical.example")))
    worker_types = ("employee", "employee", "contractor")
    worker_types += ("contractor ", "\u00a0contractor") if padded_identity else ()
    return {
        "login": login,
        "email": email,
        "employeeNumber": f"E{100000 + index}",
        "status": draw(st.sampled_from(("active", "active", "active", "terminated"))),
        "firstName": draw(variant(first)),
        "lastName": last,
        "department": draw(variant(draw(st.sampled_from(DEPARTMENTS)))),
        "team": draw(variant(draw(st.sampled_from(TEAMS)))),
        "title": draw(variant(draw(st.sampled_from(TITLES)))),
        "costCenter": draw(st.sampled_from(("CC-4181", "", " ", "CC-4181 "))),
        "manager": draw(st.sampled_from(("", "sofia.novak@acme-medical.example"))),
        "userType": draw(st.sampled_from(worker_types)),
    }


@st.composite
def export(draw: st.DrawFn, padded_identity: bool = True) -> list[dict[str, str]]:
    size = draw(st.integers(min_value=1, max_value=8))
    return [draw(record(i, padded_identity)) for i in range(size)]


def as_csv(records: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def as_json(records: list[dict[str, str]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1)


def login_refused_by_okta(row: dict[str, Any]) -> bool:
    """Okta refuses a login/email with leading or trailing whitespace on import (support.okta.com
    "Cannot Confirm Active Directory User to Okta Due to Email Format": "login field failed validation
    with value ' user@domain.com'"; ErrorCode doesNotMatchPattern)."""
    return any(str(row[c]) != str(row[c]).strip() for c in ("login", "email"))


def refused_cells(row: dict[str, Any]) -> set[str]:
    """The columns frontdoor refuses in this record: a login/email Okta refuses (above), and a userType
    that is a worker type only once trimmed (the lifecycle and the people policy need the exact type)."""
    refused = {c for c in ("login", "email") if str(row[c]) != str(row[c]).strip()}
    if row["userType"] not in ("employee", "contractor"):
        refused.add("userType")
    return refused
