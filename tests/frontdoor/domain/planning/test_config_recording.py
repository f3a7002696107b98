"""Which recorders record AWS::IAM::User, read as the Config API defines the recording group.

Source: botocore config service-2.json, `RecordingGroup` ("By default, Config records ... excluding the
global IAM resource types"; `includeGlobalResourceTypes` "should only be used to modify the AllSupported
field"; "includeGlobalResourceTypes and the exclusion recording strategy": it "has no impact on the
EXCLUSION_BY_RESOURCE_TYPES recording strategy") and `RecordingStrategy.useOnly` ("even if you set
includeGlobalResourceTypes to false, global IAM resource types will still be automatically recorded in this
option unless those resource types are specifically listed as exclusions"). Nothing else tested the pure
function directly: a recorder that records every type but the global ones passed for one that records users.
"""

from __future__ import annotations

from typing import Any

import pytest

from frontdoor.domain.planning.config_recording import (
    ConfigRecording,
    config_rule_exclusions,
    records_iam_users,
)

RECORDING = {"name": "default", "recording": True}
USER = "AWS::IAM::User"


def recorder(group: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"name": "default", **extra}
    if group is not None:
        found["recordingGroup"] = group
    return found


@pytest.mark.parametrize(
    "group",
    [
        {"allSupported": True, "includeGlobalResourceTypes": True},
        {
            "allSupported": True,
            "includeGlobalResourceTypes": True,
            "recordingStrategy": {"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"},
        },
        {"allSupported": False, "resourceTypes": [USER]},
        {
            "allSupported": False,
            "resourceTypes": ["AWS::IAM::Role", USER],
            "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"},
        },
        # EXCLUSION records the global IAM types unless they are listed, whatever includeGlobal says.
        {
            "allSupported": False,
            "includeGlobalResourceTypes": False,
            "exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::Instance"]},
            "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
        },
    ],
)
def test_recorders_that_record_iam_users(group: dict[str, Any]) -> None:
    assert records_iam_users(recorder(group), RECORDING) is None


@pytest.mark.parametrize(
    ("group", "reason"),
    [
        # The API's default and the commonest console setup: every type but the global IAM ones.
        ({"allSupported": True, "includeGlobalResourceTypes": False}, "not the global IAM types"),
        ({"allSupported": True}, "not the global IAM types"),
        (
            {
                "allSupported": True,
                "includeGlobalResourceTypes": False,
                "recordingStrategy": {"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"},
            },
            "not the global IAM types",
        ),
        (None, "not the global IAM types"),  # no recording group: the API's default
        ({"allSupported": False, "resourceTypes": ["AWS::IAM::Role"]}, f"does not list {USER}"),
        (
            {
                "allSupported": False,
                "exclusionByResourceTypes": {"resourceTypes": [USER]},
                "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
            },
            f"excludes {USER}",
        ),
    ],
)
def test_recorders_that_do_not_record_iam_users(group: dict[str, Any] | None, reason: str) -> None:
    problem = records_iam_users(recorder(group), RECORDING)
    assert problem is not None and reason in problem


def test_a_recorder_must_exist_be_customer_managed_and_recording() -> None:
    users = {"allSupported": False, "resourceTypes": [USER]}
    assert records_iam_users(None, None) == "no customer-managed configuration recorder"
    linked = records_iam_users(recorder(users, servicePrincipal="config-conforms.amazonaws.com"), RECORDING)
    assert linked is not None and "service-linked" in linked
    stopped = records_iam_users(recorder(users), {"name": "default", "recording": False})
    assert stopped is not None and "not recording" in stopped
    assert records_iam_users(recorder(users), None) is not None  # no status: not known to record


def test_only_accounts_that_record_escape_the_exclusions() -> None:
    recording = ConfigRecording(
        region="us-east-1",
        recording_iam_users=["111111111111"],
        not_recording={"222222222222": "no customer-managed configuration recorder"},
        unreadable={"333333333333": "AccessDenied"},
    )
    found = config_rule_exclusions(
        ["111111111111", "222222222222", "333333333333", "444444444444"], recording
    )
    assert found.excluded == ("222222222222", "333333333333", "444444444444")
    assert found.reasons["333333333333"] == "not read: AccessDenied"
    assert "pull again" in found.reasons["444444444444"]
