"""Absent is unknown: each fact the run decides with, deleted from the demo estate, stops it (exit 2)
naming the field and the `frontdoor estate pull` flag that writes it (issue 29, research 29-aws §2).

Before issue 29 three of these passed silently: an estate without `awsServiceAccessPrincipals` was
given trusted access for CloudTrail and Identity Center, one without `delegatedAdministrators` the
delegation the config names, and one without `syncedGroups` deferred every grant.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.config.files import provider_settings, read_yaml_file
from frontdoor.domain.planning.pulled import EstateUnknown
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import parse_estate

REPO = Path(__file__).resolve().parents[3]
DEMO_ESTATE = REPO / "stacks" / "estate.demo.yaml"
PULL = "frontdoor estate pull --stack <stack>"

FIX_STATE = (
    f"run `{PULL} --stack-state FILE` (FILE: the output of `pulumi stack export --stack <stack>`), or "
    "`--fresh-stack` for a stack never applied"
)
# field -> (the decision that needed it, the fix), exactly as the stop says them. The demo estate passes
# every stage-a check, so its own state is needed by the engine's adoption rules (its delegated
# administrator is registered: the stack's own, or made by hand?), not by the program; the break-glass
# users' paths by the engine's exemption rule (exempt-principal-arn-has-path: the SCPs and the trail
# bucket exempt them).
FIELDS: dict[str, tuple[str, str]] = {
    "configRecording": (
        "the AWS Config organization rules of frontdoor:posture must exclude every account without a "
        "recorder of AWS::IAM::User, or their creation fails (NoAvailableConfigurationRecorderException)",
        f"run `{PULL} --config-recorders` (DescribeConfigurationRecorders in every account through the audit "
        "role, --audit-role)",
    ),
    "deployed": ("whether the delegation of 100000000299 is the stack's own", FIX_STATE),
    "managementAccount.breakGlassUsers": (
        "an aws:PrincipalArn exemption names an IAM user, exempt only at the path its ARN includes",
        f"run `{PULL}` (iam:GetUser of guardrails.breakGlassUserNames)",
    ),
    "managementAccount.iamRoles": (
        "the provider assumes arn:aws:iam::100000000026:role/frontdoor-deploy",
        f"run `{PULL}` (iam:GetRole of the stack's deploy and preview roles and the Datadog integration "
        "role)",
    ),
    "managementAccount.oidcProviders": (
        "whether the OIDC provider token.actions.githubusercontent.com exists",
        f"run `{PULL}` (iam:ListOpenIDConnectProviders)",
    ),
    "oktaProfileAttributes": (
        "creating a custom Okta attribute over an existing one would take it over",
        "write the custom attributes of Okta's user profile (Directory > Profile Editor > User "
        "(default)), [] for none: `frontdoor estate pull` does not read Okta",
    ),
    "organization.awsServiceAccessPrincipals": (
        "first-run stage a checks which services have trusted access (getOrganization)",
        f"run `{PULL}` (ListAWSServiceAccessForOrganization)",
    ),
    "organization.delegatedAdministrators": (
        "which account administers Identity Center decides what the Identity Center provider can read",
        f"run `{PULL}` (ListDelegatedAdministrators)",
    ),
    "organization.featureSet": (
        "first-run stage a checks the organization has all features (getOrganization)",
        f"run `{PULL}` (DescribeOrganization)",
    ),
    "organization.enabledPolicyTypes": (
        "first-run stage a checks the policy types enabled on the root (getOrganization)",
        f"run `{PULL}` (ListRoots)",
    ),
    "organization.stackSetsAccess": (
        "a service-managed StackSet needs StackSets' trusted access",
        f"run `{PULL}` (CloudFormation DescribeOrganizationsAccess)",
    ),
    "syncedGroups": (
        "which groups SCIM has synced decides which grants are deferred (getGroups)",
        f"run `{PULL}` (the identity store's groups)",
    ),
}


def _line(source: str, field: str) -> str:
    decision, fix = FIELDS[field]
    return (
        f"{source}: {field}: absent, so unknown, and this run cannot decide without it: {decision} (got "
        f"'(absent)'). Fix: {fix}"
    )


def _settings() -> dict[str, Any]:
    """The demo config with the machine consumers' three teams: every section, a fraction of the size."""
    settings = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")
    teams = settings["frontdoor:teams"]
    settings["frontdoor:teams"] = {n: teams[n] for n in ("payments", "devices-firmware", "data-platform")}
    settings["frontdoor:orgGrants"] = {}
    return settings


def _without(field: str) -> dict[str, Any]:
    document = read_yaml_file(DEMO_ESTATE, "estate")
    *parents, last = field.split(".")
    holder = document
    for part in parents:
        holder = holder[part]
    del holder[last]
    return document


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_deleted_fact_stops_the_run_naming_it(field: str) -> None:
    estate = parse_estate(_without(field), "estate.demo.yaml")
    with pytest.raises(EstateUnknown) as raised:
        run_program(REPO, stack="demo", config=_settings(), estate=estate)
    assert raised.value.fields == (field,)
    if field == "deployed":
        # Two engine rules ask the state (existing-delegation-adopted, existing-iam-entity-adopted); the
        # one whose resource registers first stops the run, and registrations are asynchronous.
        oidc = "whether token.actions.githubusercontent.com is the stack's own or made by hand"
        assert raised.value.render().splitlines() in (
            [_line("estate.demo.yaml", field)],
            [_line("estate.demo.yaml", field).replace(FIELDS[field][0], oidc)],
        )
        return
    assert raised.value.render().splitlines() == [_line("estate.demo.yaml", field)]


def test_the_demo_estate_holds_every_fact() -> None:
    document = read_yaml_file(DEMO_ESTATE, "estate")
    for field in FIELDS:
        value: Any = document
        for part in field.split("."):
            value = value[part]
        assert value is not None, field


def test_the_cli_exits_2_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(json.dumps(_without("organization.awsServiceAccessPrincipals")))
    code = main(["preview", "--stack", "demo", "--quiet", "--no-policy", "--estate", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "error: the estate does not hold a fact this run needs; the run stopped before registering anything "
        "but its providers",
        _line(str(path), "organization.awsServiceAccessPrincipals"),
    ]
