"""The real APIs' rules the offline engine enforces: each rule firing, and staying silent when met."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.offline import api_rules
from frontdoor.offline.api_rules import Context, Violation, check
from frontdoor.offline.estate import (
    Estate,
    EstateOkta,
    EstateUserSchema,
    EstateUserSchemaProperty,
    load_estate,
)
from frontdoor.offline.record import RecordedResource

DEMO = Path(__file__).resolve().parents[3] / "stacks" / "estate.demo.yaml"
OIDC_ARN = "arn:aws:iam::100000000026:oidc-provider/token.actions.githubusercontent.com"


@pytest.fixture(scope="module")
def estate() -> Estate:
    return load_estate(DEMO)


def resource(
    type_: str, name: str, inputs: dict[str, Any], *, deps: tuple[str, ...] = (), custom: bool = True
) -> RecordedResource:
    return RecordedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:demo::frontdoor::{type_}::{name}",
        custom=custom,
        parent_urn="",
        inputs=inputs,
        dependencies=deps,
    )


def rules_fired(violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.argument, v.rule) for v in violations]


def trust(federated: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": federated},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ],
        }
    )


def test_federated_principal_needs_the_provider_as_a_dependency(estate: Estate) -> None:
    context = Context(estate, {})
    provider = resource(
        catalogue.OIDC_PROVIDER, "oidc", {"url": "https://token.actions.githubusercontent.com"}
    )
    assert check(provider, context) == []
    racing = resource(
        contracts.IAM_ROLE,
        "preview",
        {"name": "frontdoor-github-preview", "assumeRolePolicy": trust(OIDC_ARN)},
    )
    violations = check(racing, context)
    assert rules_fired(violations) == [("assumeRolePolicy", "federated-principal-exists")]
    assert (
        violations[0]
        .render()
        .startswith(
            "aws:iam/role:Role 'preview': assumeRolePolicy: the Federated principal "
            f"{OIDC_ARN} is not an OIDC provider this role depends on"
        )
    )
    assert (
        violations[0].source == "IAM CreateRole: MalformedPolicyDocument for a principal that does not exist"
    )
    ordered = resource(
        contracts.IAM_ROLE,
        "deploy",
        {"name": "frontdoor-deploy", "assumeRolePolicy": trust(OIDC_ARN)},
        deps=(provider.urn,),
    )
    assert check(ordered, context) == []


def test_a_dependency_on_a_component_covers_its_children(estate: Estate) -> None:
    context = Context(estate, {})
    component = resource("frontdoor:aws:GitHubDeployRole", "deploy", {}, custom=False)
    check(component, context)
    child = RecordedResource(
        type=catalogue.OIDC_PROVIDER,
        name="deploy/oidc-provider",
        urn="urn:child",
        custom=True,
        parent_urn=component.urn,
        inputs={"url": "https://token.actions.githubusercontent.com"},
    )
    check(child, context)
    role = resource(
        contracts.IAM_ROLE, "preview", {"assumeRolePolicy": trust(OIDC_ARN)}, deps=(component.urn,)
    )
    assert check(role, context) == []


def test_organization_trail_needs_cloudtrail_trusted_access(estate: Estate) -> None:
    trail = resource(catalogue.TRAIL, "trail", {"name": "organization-trail", "isOrganizationTrail": True})
    assert check(trail, Context(estate, {})) == []
    fresh = estate.model_copy(
        update={
            "organization": estate.organization.model_copy(
                update={"aws_service_access_principals": ["sso.amazonaws.com"]}
            )
        }
    )
    violations = check(trail, Context(fresh, {}))
    assert rules_fired(violations) == [("isOrganizationTrail", "organization-trail-trusted-access")]
    assert (
        "aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com"
        in violations[0].problem
    )
    assert violations[0].source == "CloudTrail CreateTrail: CloudTrailAccessNotEnabledException"


def test_delegation_needs_trusted_access(estate: Estate) -> None:
    delegation = resource(
        catalogue.DELEGATED_ADMINISTRATOR,
        "ic",
        {"accountId": "100000000299", "servicePrincipal": "sso.amazonaws.com"},
    )
    assert check(delegation, Context(estate, {})) == []
    fresh = estate.model_copy(
        update={"organization": estate.organization.model_copy(update={"aws_service_access_principals": []})}
    )
    assert rules_fired(check(delegation, Context(fresh, {}))) == [
        ("servicePrincipal", "delegation-trusted-access")
    ]


def test_push_group_needs_provisioning_enabled(estate: Estate) -> None:
    push = resource(
        contracts.OKTA_PUSH_GROUP, "aws-web-dev-push", {"appId": "0oa1", "targetGroupName": "aws-web-dev"}
    )
    assert check(push, Context(estate, {"frontdoor:okta": {"provisioningEnabled": True}})) == []
    violations = check(push, Context(estate, {"frontdoor:okta": json.dumps({"provisioningEnabled": False})}))
    assert rules_fired(violations) == [("appId", "push-group-needs-provisioning")]
    # Unset is unknown, never "on" (the old default pushed in the run that created the app).
    unset = check(push, Context(estate, {}))
    assert rules_fired(unset) == [("appId", "push-group-needs-provisioning")]
    assert "(frontdoor:okta.provisioningEnabled is unset)" in unset[0].problem


def test_group_rule_attributes_must_exist_first(estate: Estate) -> None:
    context = Context(estate, {})
    expression = 'user.team == "web" AND user.department == "Engineering"'
    rule = resource(contracts.OKTA_RULE, "aws-web-dev-rule", {"expressionValue": expression})
    violations = check(rule, context)
    assert rules_fired(violations) == [("expressionValue", "group-rule-attribute-exists")]
    assert violations[0].problem.startswith("reads user.team, which is neither a base Okta attribute")
    schema = resource(catalogue.OKTA_USER_SCHEMA_PROPERTY, "okta-user.team", {"index": "team"})
    check(schema, context)
    after = resource(
        contracts.OKTA_RULE, "aws-web-dev-rule", {"expressionValue": expression}, deps=(schema.urn,)
    )
    assert check(after, context) == []
    fed_by_hr = estate.model_copy(update={"okta_profile_attributes": ["team"]})
    assert check(rule, Context(fed_by_hr, {})) == []


def test_an_hr_fed_attribute_must_be_adopted_not_created(estate: Estate) -> None:
    fed_by_hr = estate.model_copy(update={"okta_profile_attributes": ["team"]})
    created = resource(catalogue.OKTA_USER_SCHEMA_PROPERTY, "okta-user.team", {"index": "team"})
    violations = check(created, Context(fed_by_hr, {}))
    assert rules_fired(violations) == [("index", "existing-attribute-adopted")]
    assert "list it under frontdoor:okta.adoptProfileAttributes" in violations[0].problem
    # Adopted, it is judged against HR's live definition instead (test_api_rules_vendors.py).
    live = EstateUserSchemaProperty(title="team", type="string")
    known = fed_by_hr.model_copy(
        update={"okta": EstateOkta(user_schema=EstateUserSchema(custom={"team": live}))}
    )
    assert (
        check(
            dataclasses.replace(created, inputs={"index": "team", "title": "team", "type": "string"}),
            Context(known, {}),
            import_id="team",
        )
        == []
    )
    assert check(created, Context(estate, {})) == []  # not in the profile yet: created


def test_a_rule_over_a_rule_filled_group_is_a_cascade(estate: Estate) -> None:
    context = Context(estate, {})
    filling = resource(
        contracts.OKTA_RULE,
        "aws-web-dev-rule",
        {"expressionValue": 'user.department == "Web"', "groupAssignments": ["00g1"]},
    )
    assert check(filling, context) == []
    cascade = resource(
        contracts.OKTA_RULE,
        "app-users-rule",
        {"expressionValue": 'isMemberOfAnyGroup("00g1")', "groupAssignments": ["00g9"]},
    )
    violations = check(cascade, context)
    assert rules_fired(violations) == [("expressionValue", "group-rule-no-cascade")]
    assert "which rule 'aws-web-dev-rule' fills" in violations[0].problem
    direct = resource(
        contracts.OKTA_RULE,
        "app-users-rule",
        {"expressionValue": 'user.department == "Web"', "groupAssignments": ["00g9"]},
    )
    assert check(direct, context) == []


def test_botocore_patterns_for_aws_arguments(estate: Estate) -> None:
    permission_set = resource(
        "aws:ssoadmin/permissionSet:PermissionSet",
        "Dev",
        {
            "name": "DeveloperAccess",
            "description": "Build \u2014 and operate",
            "sessionDuration": "PT1H",
            "tags": {"tier": "dev\u2019s"},
        },
    )
    violations = check(permission_set, Context(estate, {}))
    assert [(v.argument, v.rule, v.source) for v in violations] == [
        ("description", "botocore-string", "botocore sso-admin model, shape PermissionSetDescription"),
        ("tags.tier", "botocore-string", "botocore sso-admin model, shape TagValue"),
    ]
    assert violations[0].problem.startswith("has the character '\u2014' (U+2014) at position 6")
    too_long = resource(contracts.IAM_ROLE, "r", {"name": "x" * 65})
    assert [(v.argument, v.problem) for v in check(too_long, Context(estate, {}))] == [
        ("name", "is 65 characters, longer than the maximum 64")
    ]


def test_every_table_entry_names_a_real_botocore_member() -> None:
    for member in catalogue.string_arguments().values():
        api_rules.aws_patterns.member_rule(*member)  # raises UnknownShape when the table is stale
    for service, structure in catalogue.tag_arguments().values():
        api_rules.aws_patterns.member_rule(service, structure, "Key")


def test_every_named_rule_judges_the_types_the_catalogue_gives_it() -> None:
    named = {rule for token in catalogue.CATALOGUE for rule in catalogue.engine_rules(token)}
    assert named == set(api_rules.RULES)


def test_a_named_rule_runs_only_on_its_types(estate: Estate) -> None:
    # What the trail rule and the cascade rule judge, on types whose entries do not name them.
    fresh = estate.model_copy(
        update={"organization": estate.organization.model_copy(update={"aws_service_access_principals": []})}
    )
    trail_like = resource(contracts.IAM_ROLE, "r", {"isOrganizationTrail": True})
    assert check(trail_like, Context(fresh, {})) == []
    assert rules_fired(
        check(resource(catalogue.TRAIL, "t", {"isOrganizationTrail": True}), Context(fresh, {}))
    ) == [("isOrganizationTrail", "organization-trail-trusted-access")]
    context = Context(estate, {})
    filling = resource(contracts.OKTA_RULE, "fill", {"expressionValue": "true", "groupAssignments": ["00g1"]})
    assert check(filling, context) == []
    reading = {"expressionValue": 'isMemberOfAnyGroup("00g1")'}
    assert check(resource(contracts.OKTA_GROUP, "g", reading), context) == []
    assert rules_fired(check(resource(contracts.OKTA_RULE, "r", reading), context)) == [
        ("expressionValue", "group-rule-no-cascade")
    ]
