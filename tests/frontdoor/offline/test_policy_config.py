"""`frontdoor policy-config`: the pack config for the real CLI, from the stack config alone."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.offline.policy_overrides import override_issues
from frontdoor.offline.project import PACK_DIR

REPO = Path(__file__).resolve().parents[3]


def _config(capsys: pytest.CaptureFixture[str], stack: str = "demo") -> dict[str, object]:
    assert main(["policy-config", "--stack", stack]) == 0
    document: dict[str, object] = json.loads(capsys.readouterr().out)
    return document


def test_demo_pack_config(capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(capsys)
    config.pop("privileged-worker-types")  # the people policy's: its own test below
    assert config == {
        "abac-condition-required": {"tagKeys": ["team"]},
        "managed-policies-per-permission-set": {"maxPerPermissionSet": 10},
        "no-iam-users": {"breakGlassUsers": ["breakglass-1", "breakglass-2"]},
        "no-management-account-assignment": {
            "allowedPermissionSets": ["BillingViewer"],
            "managementAccountId": "100000000026",
        },
        "github-oidc-trust-pinned": {
            # frontdoor:delivery's exact token subjects, per role (the rule compares the trust with them).
            "expectedSubjects": {
                "frontdoor-deploy": ["repo:acme-medical/frontdoor:environment:prod"],
                "frontdoor-github-preview": [
                    "repo:acme-medical/frontdoor:pull_request",
                    "repo:acme-medical/frontdoor:ref:refs/heads/main",
                ],
            }
        },
        "okta-push-scope": {"prefix": "aws-"},
        "posture-detectors-present": {
            "breakGlassPath": "/breakglass/",
            "breakGlassUsers": ["breakglass-1", "breakglass-2"],
            # The demo estate's two accounts without a recorder of IAM users (its configRecording).
            "excludableAccounts": ["100000005979", "100000006287"],
            "required": True,
        },
        "saml-certificate-expiry": {"enforcementLevel": "advisory", "expiresOn": "2027-03-14"},
        "scim-token-expiry": {"enforcementLevel": "advisory", "expiresOn": "2027-09-30"},
        "scp-attachments-per-target": {"maxPerTarget": 5},
    }


def test_scim_token_level_turns_mandatory_the_day_after_expiry(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "2027-09-30")
    assert _config(capsys)["scim-token-expiry"] == {"enforcementLevel": "advisory", "expiresOn": "2027-09-30"}
    monkeypatch.setenv("FRONTDOOR_TODAY", "2027-10-01")
    assert _config(capsys)["scim-token-expiry"] == {
        "enforcementLevel": "mandatory",
        "expiresOn": "2027-09-30",
    }


def test_saml_certificate_level_turns_mandatory_the_day_after_expiry(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "2027-03-14")
    assert _config(capsys)["saml-certificate-expiry"] == {
        "enforcementLevel": "advisory",
        "expiresOn": "2027-03-14",
    }
    monkeypatch.setenv("FRONTDOOR_TODAY", "2027-03-15")
    assert _config(capsys)["saml-certificate-expiry"] == {
        "enforcementLevel": "mandatory",
        "expiresOn": "2027-03-14",
    }


def test_break_glass_stack_allow_lists_its_users(capsys: pytest.CaptureFixture[str]) -> None:
    assert _config(capsys, "breakglass") == {
        "no-iam-users": {"breakGlassUsers": ["breakglass-1", "breakglass-2"]}
    }


@pytest.mark.parametrize("stack", ["demo", "breakglass"])
def test_the_derived_config_names_the_packs_rules_and_their_properties(
    capsys: pytest.CaptureFixture[str], stack: str
) -> None:
    # The rule ids and property names the program writes are the pack's own (its rules' config
    # schemas, read from the rule files as the overrides check reads them), not a copy of them.
    assert override_issues(_config(capsys, stack), "derived", PACK_DIR) == []
    misspelled = {"okta-push-scope": {"prefixes": "aws-"}, "no-iam-user": {"breakGlassUsers": []}}
    assert [(issue.field, issue.problem) for issue in override_issues(misspelled, "derived", PACK_DIR)] == [
        (
            "okta-push-scope",
            "rejected by the rule's config schema: Additional properties are not allowed ('prefixes' was "
            "unexpected)",
        ),
        ("no-iam-user", "no policy with this id in the pack"),
    ]


def test_demo_people_policy_config(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who the demo's HR export puts in each group granting a privileged set, for the pack rule
    privileged-worker-types: every group granted PlatformAdmin or ReadOnlyAuditor (written out from
    stacks/Pulumi.demo.yaml), the platform admins computed from the export by hand."""
    monkeypatch.chdir(REPO)
    people = _config(capsys)["privileged-worker-types"]
    assert isinstance(people, dict)
    assert people["allowedWorkerTypes"] == {
        "PlatformAdmin": ["employee"],
        "ReadOnlyAuditor": ["employee", "contractor"],
    }
    assert people["hrExport"] == "stacks/people.demo.csv"
    teams_with_read_only = [
        "clinical-data",
        "data-platform",
        "devices-firmware",
        "manufacturing",
        "mobile",
        "patient-portal",
        "payments",
        "quality",
        "regulatory",
        "supply-chain",
        "telemetry",
    ]
    assert sorted(people["groupMembers"]) == sorted(
        ["aws-platform-admin", "aws-incident-4711-admin", "aws-security-auditors"]
        + [f"aws-{team}-readonly" for team in teams_with_read_only]
    )
    rows = list(csv.DictReader((REPO / "stacks" / "people.demo.csv").open(newline="")))
    assert people["groupMembers"]["aws-platform-admin"] == [
        {"login": row["login"], "workerType": "employee", "row": number}
        for number, row in enumerate(rows, start=1)
        if (row["status"], row["team"], row["title"], row["userType"])
        == ("active", "platform", "Platform Engineer", "employee")
    ]
