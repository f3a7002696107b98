"""The pack's exact contents: a rule cannot appear, vanish or change its default level unnoticed."""

from pathlib import Path

import yaml
from rules import POLICIES, RULE_MODULES

EXPECTED = {
    "no-iam-users": "mandatory",
    "assignments-to-groups-only": "mandatory",
    "session-duration-limit": "mandatory",
    "admin-access-restricted": "mandatory",
    "no-wildcard-inline-admin": "mandatory",
    "abac-condition-required": "mandatory",
    "abac-attributes-consistent": "mandatory",
    "scp-deny-iam-users-at-root": "mandatory",
    "scp-size-limit": "mandatory",
    "scp-attachments-per-target": "mandatory",
    "inline-policy-size-limit": "mandatory",
    "managed-policies-per-permission-set": "mandatory",
    "permission-set-explicit-name": "mandatory",
    "okta-push-scope": "mandatory",
    "push-group-keeps-target": "mandatory",
    "assignment-push-groups-separate": "mandatory",
    "scim-token-expiry": "advisory",
    "critical-resources-protected": "mandatory",
    "no-management-account-assignment": "mandatory",
    "unused-permission-set": "advisory",
    "github-oidc-trust-pinned": "mandatory",
    "temporary-grant-expiry": "advisory",
    "posture-detectors-present": "mandatory",
    "saml-certificate-expiry": "advisory",
    "vault-assumed-role-only": "mandatory",
    "vault-ttl-limit": "mandatory",
    "vault-session-tags-pinned": "mandatory",
    "stack-set-auto-deployment": "mandatory",
    "datadog-monitor-query-type": "mandatory",
    "datadog-slo-metric-created": "mandatory",
    "identity-monitors-present": "mandatory",
    "privileged-worker-types": "mandatory",
}


def test_exact_ids_and_default_levels() -> None:
    assert {p.name: p.enforcement_level.value for p in POLICIES if p.enforcement_level} == EXPECTED
    assert len(POLICIES) == 32


def test_each_module_declares_its_rule() -> None:
    for module in RULE_MODULES:
        assert module.__name__.rsplit(".", 1)[1] == module.NAME.replace("-", "_")
        assert module.POLICY.name == module.NAME
        assert module.POLICY.description == module.DESCRIPTION
        assert module.POLICY.enforcement_level == module.ENFORCEMENT
        assert module.__doc__ and "preview" in module.__doc__


def test_policy_project_file() -> None:
    project = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "policy" / "PulumiPolicy.yaml").read_text()
    )
    assert project["runtime"] == "python"
    assert project["version"] and project["description"]
