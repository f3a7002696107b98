"""On the demo stack, the trail exemption, both providers and the CI role name the same deployer."""

from __future__ import annotations

import json
from pathlib import Path

from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import Estate
from frontdoor.offline.preview import PreviewResult
from tests.conftest import one_team_settings

REPO = Path(__file__).resolve().parents[3]

DEPLOYER = "arn:aws:iam::100000000026:role/frontdoor-deploy"


def test_one_deployer_everywhere(demo: PreviewResult) -> None:
    resources = demo.run.resources
    providers = {
        # Provider inputs reach the engine JSON-encoded, as the CLI passes them to the provider.
        r.name: json.loads(r.inputs["assumeRoles"])[0]["roleArn"]
        for r in resources
        if r.type == "pulumi:providers:aws"
    }
    assert providers == {
        "aws-management": DEPLOYER,
        "aws-identity-center": "arn:aws:iam::100000000299:role/frontdoor-deploy",
    }
    roles = {r.inputs["name"]: r for r in resources if r.type == "aws:iam/role:Role"}
    # The delivery pair, and the role Datadog's integration assumes (the trail's, not a deployer).
    assert sorted(roles) == ["DatadogIntegrationRole", "frontdoor-deploy", "frontdoor-github-preview"]
    trust = json.loads(roles["frontdoor-deploy"].inputs["assumeRolePolicy"])
    assert trust["Statement"][1]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": DEPLOYER}}
    (bucket_policy,) = [r for r in resources if r.type == "aws:s3/bucketPolicy:BucketPolicy"]
    statements = {s["Sid"]: s for s in json.loads(bucket_policy.inputs["policy"])["Statement"]}
    exempt = statements["DenyLogProtectionChanges"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    # Naming any other deployer here (or leaving this one out) locks the stack out of its own bucket.
    assert [arn for arn in exempt if ":role/" in arn] == [DEPLOYER]


def test_the_preview_role_is_created_after_the_oidc_provider(demo: PreviewResult) -> None:
    resources = demo.run.resources
    (provider,) = [r for r in resources if r.type == "aws:iam/openIdConnectProvider:OpenIdConnectProvider"]
    roles = {r.inputs["name"]: r for r in resources if r.type == "aws:iam/role:Role"}
    for name in ("frontdoor-deploy", "frontdoor-github-preview"):
        assert provider.urn in roles[name].dependencies, name


def test_a_trail_without_delivery_still_exempts_the_deployer(demo_estate: Estate) -> None:
    # Audit item 10: `trail` without `delivery` used to raise "no deployer ARN".
    settings = one_team_settings()
    del settings["frontdoor:delivery"]
    run = run_program(REPO, stack="demo", config=settings, estate=demo_estate)
    # No delivery role; only the trail's Datadog integration role.
    roles = [r.inputs["name"] for r in run.resources if r.type == "aws:iam/role:Role"]
    assert roles == ["DatadogIntegrationRole"]
    (bucket_policy,) = [r for r in run.resources if r.type == "aws:s3/bucketPolicy:BucketPolicy"]
    statements = {s["Sid"]: s for s in json.loads(bucket_policy.inputs["policy"])["Statement"]}
    exempt = statements["DenyLogProtectionChanges"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert [arn for arn in exempt if ":role/" in arn] == [DEPLOYER]
