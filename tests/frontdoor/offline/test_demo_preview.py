"""The demo stack end to end: what `make preview` shows, and the golden identity snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.offline.preview import PreviewResult, identity_lines

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "demo-identities.tsv"


def test_demo_passes_the_pack_with_no_violation(demo: PreviewResult) -> None:
    assert demo.policies_evaluated
    assert [v.as_json() for v in demo.violations] == []
    assert demo.exit_code == 0


def test_demo_registers_every_piece(demo: PreviewResult) -> None:
    counts = demo.run.counts_by_type()
    assert counts["frontdoor:index:TeamAccess"] == 11
    assert counts["frontdoor:index:OrganizationAccess"] == 4
    assert counts["aws:ssoadmin/permissionSet:PermissionSet"] == 4
    assert counts["aws:ssoadmin/accountAssignment:AccountAssignment"] == 867
    assert counts["aws:organizations/policy:Policy"] == 6
    assert counts["aws:organizations/policyAttachment:PolicyAttachment"] == 9
    assert counts["aws:organizations/delegatedAdministrator:DelegatedAdministrator"] == 1
    assert counts["aws:ssoadmin/instanceAccessControlAttributes:InstanceAccessControlAttributes"] == 1
    assert counts["okta:app/saml:Saml"] == 1
    assert counts["okta:index/pushGroup:PushGroup"] == 25
    assert counts["okta:group/group:Group"] == 26  # 25 pushed + the app assignment group
    assert counts["okta:app/groupAssignment:GroupAssignment"] == 1
    # costCenter and division: the demo app lacks them (estate okta.appUserSchema), createAppUserProperties.
    assert counts["okta:index/appUserSchemaProperty:AppUserSchemaProperty"] == 2
    assert counts["pulumi:providers:aws"] == 2 and counts["pulumi:providers:okta"] == 1
    # frontdoor:machines (two consumers)
    assert counts["frontdoor:vault:VaultAwsAccess"] == 1 and counts["pulumi:providers:vault"] == 1
    assert counts["vault:aws/secretBackend:SecretBackend"] == 1
    assert counts["vault:aws/secretBackendRole:SecretBackendRole"] == 2
    assert counts["aws:cloudformation/stackSet:StackSet"] == 2
    assert counts["aws:cloudformation/stackSetInstance:StackSetInstance"] == 3
    # The Datadog monitors are the monitoring stack's (test_monitoring_stack.py): none here.
    assert [t for t in counts if "datadog" in t] == []
    assert not [t for t in counts if t in ("aws:iam/user:User", "aws:iam/accessKey:AccessKey")]


def test_the_new_team_is_deferred_not_guessed(demo: PreviewResult) -> None:
    assert demo.run.deferred == ["aws-patient-portal-dev", "aws-patient-portal-readonly"]
    assert demo.run.outputs["deferredGroups"].value == demo.run.deferred
    assert [w.split(":")[0] for w in demo.run.warnings] == [
        "group 'aws-patient-portal-dev' is not in the Identity Center identity store yet "
        "(SCIM has not synced it)",
        "group 'aws-patient-portal-readonly' is not in the Identity Center identity store yet "
        "(SCIM has not synced it)",
    ]


def test_identities_match_the_golden_snapshot(demo: PreviewResult) -> None:
    expected = GOLDEN.read_text().splitlines()
    actual = identity_lines(demo.run.resources)
    if actual != expected:
        added = sorted(set(actual) - set(expected))[:10]
        removed = sorted(set(expected) - set(actual))[:10]
        pytest.fail(
            "resource identities changed: every changed line is a delete + create in Pulumi.\n"
            f"added: {added}\nremoved: {removed}\n"
            "If intended, add aliases for renames or accept the replacement: `make golden` and commit."
        )


def test_json_document(demo_preview_reused: PreviewResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--stack", "demo", "--json", "--no-policy"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document)[:5] == ["stack", "resources", "total", "components", "deferred"]
    assert document["stack"] == "demo"
    assert document["total"] == 1099 == sum(document["resources"].values())
    assert document["deferred"] == ["aws-patient-portal-dev", "aws-patient-portal-readonly"]
    assert document["violations"] == []
    assert document["reads"] == []


def test_text_preview_shows_counts_tree_and_deferred(
    demo_preview_reused: PreviewResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", "--stack", "demo", "--no-policy", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Offline preview of stack 'demo' (estate.demo.yaml): 1099 resources to create\n")
    assert "  frontdoor:index:TeamAccess payments: 64\n" in out
    assert "    frontdoor:index:TeamAccess payments\n" in out
    assert "        aws:ssoadmin/accountAssignment:AccountAssignment x33\n" in out
    assert "Deferred (2 groups pushed now, not yet synced by SCIM" in out
