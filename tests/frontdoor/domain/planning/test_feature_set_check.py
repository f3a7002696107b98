"""First-run stage a: an organization without all features can have neither SCPs nor trusted access."""

from __future__ import annotations

from pathlib import Path

from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.planning.bootstrap import SSO_PRINCIPAL, organization_checks, required_trusted_access

REPO = Path(__file__).resolve().parents[4]


def test_consolidated_billing_is_a_stage_a_check_of_its_own() -> None:
    config = parse_stack_config(
        read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml"), "stacks/Pulumi.demo.yaml"
    )
    ready = {
        "trusted_access": [needed.principal for needed in required_trusted_access(config)],
        "delegated_administrators": {SSO_PRINCIPAL: [config.organization.identity_center_account_id]},
        "root_policy_types": ["SERVICE_CONTROL_POLICY"],
    }
    assert organization_checks(config, **ready, feature_set="ALL") == []
    checks = organization_checks(config, **ready, feature_set="CONSOLIDATED_BILLING")
    assert [(c.stage, c.render(), c.observed) for c in checks] == [
        (
            "a",
            "first run, stage a: the organization has feature set CONSOLIDATED_BILLING: service control "
            "policies and trusted access need ALL. Next: Organizations console > Settings > Enable all "
            "features (or `aws organizations enable-all-features`), then every member account approves; "
            "docs/first-run.md step a2",
            "CONSOLIDATED_BILLING",
        )
    ]
