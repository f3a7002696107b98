"""The records the program's components carry: one shape written (`to_inputs`), the same read back."""

from __future__ import annotations

from typing import Any

import pytest

from frontdoor.domain.contracts import (
    GRANT_INPUT_KEYS,
    GrantRecord,
    MachineRole,
    SamlCertificateExpiry,
    ScimTokenExpiry,
)

GRANT = GrantRecord(
    group="aws-incident-4711-admin",
    permission_set="PlatformAdmin",
    owner="org:aws-incident-4711-admin",
    account_ids=("100000002009", "100000002023"),
    deferred=False,
    expires="2026-12-05",
    ticket="CHG0041234",
    expired=False,
)
ROLE = MachineRole(
    name="report",
    credential_type="assumed_role",
    role_arns=("arn:aws:iam::333333333333:role/vault/vault-report",),
    default_sts_ttl=900,
    max_sts_ttl=3600,
    session_tags={"squad": "payments"},
)


def test_a_grant_is_sent_under_the_contracts_keys_and_read_back_equal() -> None:
    inputs = GRANT.to_inputs()
    assert inputs == {
        "group": "aws-incident-4711-admin",
        "permissionSet": "PlatformAdmin",
        "owner": "org:aws-incident-4711-admin",
        "accountIds": ["100000002009", "100000002023"],
        "deferred": False,
        "expires": "2026-12-05",
        "ticket": "CHG0041234",
        "expired": False,
    }
    assert tuple(inputs) == GRANT_INPUT_KEYS
    assert GrantRecord.from_inputs(inputs) == GRANT


@pytest.mark.parametrize(
    ("record", "inputs"),
    [
        (ScimTokenExpiry("2027-09-30"), {"tokenExpiresOn": "2027-09-30"}),
        (ScimTokenExpiry(None), {"tokenExpiresOn": None}),
        (SamlCertificateExpiry("2027-03-14"), {"certificateExpiresOn": "2027-03-14"}),
        (
            ROLE,
            {
                "name": "report",
                "credentialType": "assumed_role",
                "roleArns": ["arn:aws:iam::333333333333:role/vault/vault-report"],
                "defaultStsTtl": 900,
                "maxStsTtl": 3600,
                "sessionTags": {"squad": "payments"},
            },
        ),
    ],
)
def test_each_record_round_trips_through_its_inputs(record: Any, inputs: dict[str, Any]) -> None:
    assert record.to_inputs() == inputs
    assert type(record).from_inputs(inputs) == record


def test_what_a_writer_left_out_reads_as_the_default_and_what_it_wrote_stays_as_written() -> None:
    # Another program's component of our type: only some keys, one of them not a date at all.
    partial = GrantRecord.from_inputs({"group": "aws-x", "permissionSet": "OkSet", "expires": 20260131})
    assert partial == GrantRecord(
        group="aws-x",
        permission_set="OkSet",
        owner=None,  # type: ignore[arg-type]
        account_ids=None,  # type: ignore[arg-type]
        deferred=None,  # type: ignore[arg-type]
        expires=20260131,  # type: ignore[arg-type]
        ticket=None,
        expired=False,
    )
    assert MachineRole.from_inputs({"roleArns": "not-a-list"}).role_arns == "not-a-list"
