"""The real APIs' rules the offline engine enforces: each rule firing, and staying silent when met."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.config.files import provider_settings
from frontdoor.domain.documents.break_glass import exempted_user_arns
from frontdoor.offline import api_rules
from frontdoor.offline.api_rules import Context, Violation, check
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import (
    Estate,
    EstateDeployed,
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
    violations = check(delegation, Context(fresh, {}))
    assert rules_fired(violations) == [("servicePrincipal", "delegation-trusted-access")]
    # The error RegisterDelegatedAdministrator really answers (not AccessDeniedForDependencyException,
    # which is about iam:CreateServiceLinkedRole).
    assert violations[0].source == (
        "Organizations RegisterDelegatedAdministrator: ConstraintViolationException, reason "
        "SERVICE_ACCESS_NOT_ENABLED (botocore organizations model)"
    )


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


# --- issue 29: trusted access for every service, recorders, the roles the providers assume ---------

MANAGEMENT = "100000000026"
STACK_SET = "aws:cloudformation/stackSet:StackSet"
STACKSETS = "member.org.stacksets.cloudformation.amazonaws.com"
ANALYZER = "access-analyzer.amazonaws.com"
NOT_RECORDING = ["100000005979", "100000006287"]  # the demo estate's two accounts without a recorder


def _organization(estate: Estate, **update: Any) -> Estate:
    return estate.model_copy(update={"organization": estate.organization.model_copy(update=update)})


def _principals_without(estate: Estate, principal: str) -> Estate:
    kept = [p for p in estate.organization.aws_service_access_principals or [] if p != principal]
    return _organization(estate, aws_service_access_principals=kept)


def test_a_service_managed_stack_set_needs_stacksets_trusted_access(estate: Estate) -> None:
    stack_set = resource(STACK_SET, "ss", {"name": "vault-jenkins", "permissionModel": "SERVICE_MANAGED"})
    assert check(stack_set, Context(estate, {})) == []
    violations = check(stack_set, Context(_principals_without(estate, STACKSETS), {}))
    assert rules_fired(violations) == [("permissionModel", "stacksets-trusted-access")]
    assert violations[0].problem == (
        "SERVICE_MANAGED needs trusted access for StackSets, but the organization lists "
        "['access-analyzer.amazonaws.com', 'cloudtrail.amazonaws.com', 'sso.amazonaws.com'] and "
        "DescribeOrganizationsAccess answers ENABLED; an administrator of the management account runs "
        "`aws cloudformation activate-organizations-access` (first-run stage a)"
    )
    # CloudFormation's own view of it counts too.
    disabled = _organization(estate, stack_sets_access="DISABLED")
    assert rules_fired(check(stack_set, Context(disabled, {}))) == [
        ("permissionModel", "stacksets-trusted-access")
    ]
    # A self-managed StackSet needs none.
    self_managed = resource(STACK_SET, "own", {"permissionModel": "SELF_MANAGED"})
    assert check(self_managed, Context(_principals_without(estate, STACKSETS), {})) == []
    # Unknown is not fine: the run stops naming the field, no violation is invented.
    context = Context(_organization(estate, stack_sets_access=None), {})
    assert check(stack_set, context) == []
    assert list(context.unknowns) == ["organization.stackSetsAccess"]


def test_an_organization_analyzer_needs_access_analyzer_trusted_access(estate: Estate) -> None:
    analyzer = resource(contracts.ACCESS_ANALYZER, "unused", {"type": "ORGANIZATION_UNUSED_ACCESS"})
    assert check(analyzer, Context(estate, {})) == []
    violations = check(analyzer, Context(_principals_without(estate, ANALYZER), {}))
    assert rules_fired(violations) == [("type", "access-analyzer-trusted-access")]
    assert "--service-principal access-analyzer.amazonaws.com" in violations[0].problem
    account = resource(contracts.ACCESS_ANALYZER, "account", {"type": "ACCOUNT"})
    assert check(account, Context(_principals_without(estate, ANALYZER), {})) == []
    context = Context(_organization(estate, aws_service_access_principals=None), {})
    assert check(analyzer, context) == []
    assert list(context.unknowns) == ["organization.awsServiceAccessPrincipals"]


@pytest.mark.parametrize("type_", [contracts.CONFIG_MANAGED_RULE, contracts.CONFIG_CUSTOM_POLICY_RULE])
def test_a_config_organization_rule_reaches_only_accounts_that_record_iam_users(
    estate: Estate, type_: str
) -> None:
    config = {"aws:region": "us-east-1"}
    excluding = resource(type_, "rule", {"name": "r", "excludedAccounts": NOT_RECORDING})
    assert check(excluding, Context(estate, config)) == []
    reaching = resource(type_, "rule", {"name": "r", "excludedAccounts": NOT_RECORDING[:1]})
    violations = check(reaching, Context(estate, config))
    assert rules_fired(violations) == [("excludedAccounts", "config-recorder-present")]
    assert violations[0].problem == (
        "reaches 1 account(s) that do not record AWS::IAM::User in us-east-1: 100000006287; exclude them "
        "(excludedAccounts) or start a recorder there"
    )
    # Recorders are regional: pulled in another region, which accounts record is unknown here.
    elsewhere = check(excluding, Context(estate, {"aws:region": "eu-west-1"}))
    assert rules_fired(elsewhere) == [("excludedAccounts", "config-recorder-present")]
    assert elsewhere[0].problem.startswith(
        "the estate's configRecording was pulled in us-east-1, the rule is"
    )
    context = Context(estate.model_copy(update={"config_recording": None}), config)
    assert check(excluding, context) == []
    assert list(context.unknowns) == ["configRecording"]


def _provider(account: str = MANAGEMENT, role: str = "frontdoor-deploy") -> RecordedResource:
    return resource(
        "pulumi:providers:aws",
        "aws-management",
        {
            "assumeRoles": json.dumps([{"roleArn": f"arn:aws:iam::{account}:role/{role}"}]),
            "allowedAccountIds": json.dumps([account]),
        },
    )


def _roles(estate: Estate, roles: dict[str, bool] | None) -> Estate:
    management = estate.management_account.model_copy(update={"iam_roles": roles})
    return estate.model_copy(update={"management_account": management})


def test_a_provider_assumes_only_a_role_that_exists(estate: Estate) -> None:
    assert check(_provider(), Context(estate, {})) == []
    missing = _roles(estate, {"frontdoor-deploy": False, "frontdoor-github-preview": True})
    violations = check(_provider(), Context(missing, {}))
    assert rules_fired(violations) == [("assumeRoles", "provider-assumes-existing-role")]
    assert violations[0].render() == (
        "pulumi:providers:aws 'aws-management': assumeRoles: assumes "
        "arn:aws:iam::100000000026:role/frontdoor-deploy, which does not exist: the provider fails before "
        "any resource, even one that would create the role; create it first with `frontdoor "
        "bootstrap-roles` and adopt it (delivery.adoptDeployRole; docs/first-run.md step 0) [rule "
        "provider-assumes-existing-role; source: STS AssumeRole: AccessDenied for a role that does not "
        "exist]"
    )
    # Another account's roles are not modelled: not judged.
    assert check(_provider("100000000299"), Context(missing, {})) == []
    # A role the estate does not list, or no list at all: unknown, the run stops naming the field.
    unlisted = Context(_roles(estate, {}), {})
    assert check(_provider(), unlisted) == []
    assert [u.fields for u in unlisted.unknowns.values()] == [("managementAccount.iamRoles",)]
    absent = Context(_roles(estate, None), {})
    assert check(_provider(), absent) == []
    assert list(absent.unknowns) == ["managementAccount.iamRoles"]


def _in_management(record: RecordedResource, context: Context) -> RecordedResource:
    provider = _provider()
    check(provider, context)
    return dataclasses.replace(record, provider=f"{provider.urn}::provider-id")


def _fresh(estate: Estate) -> Estate:
    return estate.model_copy(update={"deployed": EstateDeployed(resources=0, beyond_stage_a=False)})


def test_an_existing_role_or_oidc_provider_is_imported_not_created(estate: Estate) -> None:
    role = resource(contracts.IAM_ROLE, "frontdoor-deploy", {"name": "frontdoor-deploy"})
    oidc = resource(catalogue.OIDC_PROVIDER, "oidc", {"url": "https://token.actions.githubusercontent.com"})
    # The demo stack's state holds both: they are its own.
    context = Context(estate, {})
    assert check(_in_management(role, context), context) == []
    assert check(_in_management(oidc, context), context) == []
    # A fresh stack over roles made by hand: created, they would fail with EntityAlreadyExists.
    fresh = Context(_fresh(estate), {})
    role_violations = check(_in_management(role, fresh), fresh)
    assert rules_fired(role_violations) == [("name", "existing-iam-entity-adopted")]
    assert role_violations[0].problem == (
        "frontdoor-deploy exists in the management account and is not in the stack's state: a create fails "
        "with EntityAlreadyExists; adopt it (delivery.adoptDeployRole / adoptPreviewRole: true, then unset "
        "after the apply)"
    )
    assert rules_fired(check(_in_management(oidc, fresh), fresh)) == [("url", "existing-iam-entity-adopted")]
    # Imported (the adopt flags): nothing to refuse.
    adopting = Context(_fresh(estate), {})
    assert check(_in_management(role, adopting), adopting, import_id="frontdoor-deploy") == []
    # A role that does not exist is created: nothing to refuse.
    absent = Context(_fresh(_roles(estate, {"frontdoor-deploy": False})), {})
    assert check(_in_management(role, absent), absent) == []
    # A role in another account (no management provider) is not judged.
    assert check(role, Context(_fresh(estate), {})) == []


def test_an_existing_delegation_is_imported_by_a_fresh_stack_not_registered_again(estate: Estate) -> None:
    delegation = resource(
        catalogue.DELEGATED_ADMINISTRATOR,
        "ic",
        {"accountId": "100000000299", "servicePrincipal": "sso.amazonaws.com"},
    )
    # The demo stack's state is not empty: the delegation it registered first is its own.
    assert check(delegation, Context(estate, {})) == []
    fresh = Context(_fresh(estate), {})
    violations = check(delegation, fresh)
    assert [(v.argument, v.rule, v.problem) for v in violations] == [
        (
            "accountId",
            "existing-delegation-adopted",
            "100000000299 is already the delegated administrator for sso.amazonaws.com and the stack's state "
            "is empty: RegisterDelegatedAdministrator fails with AccountAlreadyRegisteredException; adopt it "
            "(frontdoor:bootstrap.adoptDelegatedAdministrator: true, then unset after the apply)",
        )
    ]
    # Imported (bootstrap.adoptDelegatedAdministrator): nothing to refuse.
    assert check(delegation, Context(_fresh(estate), {}), import_id="100000000299/sso.amazonaws.com") == []
    # Another account registered for the service: this one is new.
    other = dataclasses.replace(delegation, inputs={**delegation.inputs, "accountId": "100000000371"})
    assert check(other, Context(_fresh(estate), {})) == []
    # Unknown delegations stop the run, naming the pull.
    unknown = Context(_fresh(_organization(estate, delegated_administrators=None)), {})
    assert check(delegation, unknown) == []
    assert sorted(unknown.unknowns) == ["organization.delegatedAdministrators"]


# --- engine rule 7: judged on the completed run -------------------------------------------------------

BEYOND = EstateDeployed(
    resources=1094, beyond_stage_a=True, assigned_groups=["aws-payments-dev", "aws-payments-readonly"]
)
GATED = {"firstRunChecks": ["first run, stage a: ..."]}


def test_a_deployed_stack_never_gates_nor_defers_what_it_assigns() -> None:
    gated = api_rules.stage_gate_only_fresh(BEYOND, GATED, [], "frontdoor-demo")
    assert [v.render() for v in gated] == [
        "pulumi:pulumi:Stack 'frontdoor-demo': firstRunChecks: the run registered first-run stage a alone, "
        "but the stack's state holds 1094 resources beyond it: `pulumi up` would delete them; a deployed "
        "stack must stop on a failing precondition instead (PreconditionFailed) [rule "
        "stage-gate-only-fresh; source: pulumi up: a completed run deletes what it no longer registers]"
    ]
    deferred = api_rules.stage_gate_only_fresh(
        BEYOND, {}, ["aws-new-dev", "aws-payments-dev"], "frontdoor-demo"
    )
    assert [(v.argument, v.rule) for v in deferred] == [("deferredGroups", "stage-gate-only-fresh")]
    assert deferred[0].problem.startswith("the run deferred ['aws-payments-dev'], whose account assignments")
    # Met: a fresh stack gates; a stack holding stage a alone gates again; a group never assigned waits.
    fresh = EstateDeployed(resources=0, beyond_stage_a=False)
    assert api_rules.stage_gate_only_fresh(fresh, GATED, ["aws-payments-dev"], "frontdoor-demo") == []
    stage_a = EstateDeployed(resources=3, beyond_stage_a=False)
    assert api_rules.stage_gate_only_fresh(stage_a, GATED, [], "frontdoor-demo") == []
    assert api_rules.stage_gate_only_fresh(BEYOND, {}, ["aws-new-dev"], "frontdoor-demo") == []
    assert api_rules.stage_gate_only_fresh(None, GATED, ["aws-payments-dev"], "frontdoor-demo") == []


def test_the_engine_refuses_a_program_that_shrinks_a_deployed_stack(estate: Estate) -> None:
    program = Path(__file__).resolve().parents[2] / "fixtures" / "programs" / "first_run_on_a_deployed_stack"
    with pytest.raises(api_rules.ApiRulesViolated) as raised:
        run_program(program, stack="demo", config={}, estate=estate)
    assert [(v.argument, v.rule) for v in raised.value.violations] == [
        ("firstRunChecks", "stage-gate-only-fresh"),
        ("deferredGroups", "stage-gate-only-fresh"),
    ]
    fresh = estate.model_copy(update={"deployed": EstateDeployed(resources=0, beyond_stage_a=False)})
    run = run_program(program, stack="demo", config={}, estate=fresh)
    assert run.deferred == ["aws-payments-dev"]


# --- engine rule 6: an exempted IAM user ARN carries its user's path -------------------------------

USER = "arn:aws:iam::100000000026:user"
BREAK_GLASS = [f"{USER}/breakglass/breakglass-1", f"{USER}/breakglass/breakglass-2"]
RULE6_SOURCE = (
    'IAM User Guide, "IAM identifiers": a user\'s ARN includes its path, and aws:PrincipalArn is that '
    "full ARN"
)


def _exempting(*arns: str, key: str = "aws:PrincipalARN") -> str:
    """An SCP statement (or a bucket policy's) denying all but `arns`, as scp.py and trail.py write them."""
    statement = {
        "Sid": "Deny",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"ArnNotLike": {key: list(arns)}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _scp(*arns: str) -> RecordedResource:
    return resource(contracts.ORG_POLICY, "deny-root-user", {"name": "x", "content": _exempting(*arns)})


def _users(estate: Estate, users: dict[str, str | None] | None) -> Estate:
    management = estate.management_account.model_copy(update={"break_glass_users": users})
    return estate.model_copy(update={"management_account": management})


def _refusal(
    arn: str, reason: str, label: str = "aws:organizations/policy:Policy 'deny-root-user': content"
) -> str:
    return (
        f"{label}: exempts {arn} under aws:PrincipalArn, which is no break-glass user's ARN: {reason} [rule "
        f"exempt-principal-arn-has-path; source: {RULE6_SOURCE}]"
    )


def test_an_exempted_user_arn_names_an_existing_break_glass_user_at_its_path(estate: Estate) -> None:
    # Met: the break-glass users at their path, in the management account (a role is not judged).
    role = "arn:aws:iam::*:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"
    assert check(_scp(*BREAK_GLASS, role), Context(estate, {})) == []
    # A path-less ARN: what the access stack exempted before issue 29 (certain 7).
    path_less = f"{USER}/breakglass-1"
    assert [v.render() for v in check(_scp(path_less, BREAK_GLASS[1]), Context(estate, {}))] == [
        _refusal(
            path_less,
            f"user breakglass-1 lives at path /breakglass/, not /: its ARN is {BREAK_GLASS[0]}; set "
            "guardrails.breakGlassPath to /breakglass/",
        )
    ]
    # The right user at another path.
    other_path = f"{USER}/ops/breakglass-2"
    assert [v.render() for v in check(_scp(other_path), Context(estate, {}))] == [
        _refusal(
            other_path,
            f"user breakglass-2 lives at path /breakglass/, not /ops/: its ARN is {BREAK_GLASS[1]}; set "
            "guardrails.breakGlassPath to /breakglass/",
        )
    ]
    # Another account: break-glass users live in the management account.
    member = "arn:aws:iam::100000000299:user/breakglass/breakglass-1"
    assert [v.render() for v in check(_scp(member), Context(estate, {}))] == [
        _refusal(
            member,
            "its account is 100000000299, but the break-glass users live in the management account "
            "100000000026",
        )
    ]
    # A user that does not exist (iam:GetUser: NoSuchEntity): the break-glass stack not applied yet.
    gone = Context(_users(estate, {"breakglass-1": "/breakglass/", "breakglass-2": None}), {})
    assert [v.render() for v in check(_scp(*BREAK_GLASS), gone)] == [
        _refusal(
            BREAK_GLASS[1],
            "user breakglass-2 does not exist in the management account (iam:GetUser: NoSuchEntity); apply "
            "the break-glass stack first, then `frontdoor estate pull`",
        )
    ]
    # A pattern exempts whoever matches it, whatever the path.
    pattern = f"{USER}/*"
    assert [v.render() for v in check(_scp(pattern), Context(estate, {}))] == [
        _refusal(
            pattern,
            "it is a pattern, not one user's ARN, and exempts whoever's ARN matches (aws:PrincipalArn is a "
            "sensitive key: no wildcard has a valid use); name each break-glass user's full ARN",
        )
    ]
    # Another partition.
    china = "arn:aws-cn:iam::100000000026:user/breakglass/breakglass-1"
    assert [v.problem for v in check(_scp(china), Context(estate, {}))] == [
        f"exempts {china} under aws:PrincipalArn, which is no break-glass user's ARN: its partition is "
        "'aws-cn', the management account's 'aws'"
    ]


def test_the_trail_bucket_policy_is_judged_in_any_spelling_of_the_key(estate: Estate) -> None:
    path_less = f"{USER}/breakglass-1"
    for key in ("aws:PrincipalArn", "AWS:PRINCIPALARN"):
        bucket = resource(
            "aws:s3/bucketPolicy:BucketPolicy", "policy", {"policy": _exempting(path_less, key=key)}
        )
        assert rules_fired(check(bucket, Context(estate, {}))) == [
            ("policy", "exempt-principal-arn-has-path")
        ]
    # Only the types whose entry names it: the same document on an IAM role policy is not an exemption.
    role_policy = resource("aws:iam/rolePolicy:RolePolicy", "p", {"policy": _exempting(path_less)})
    assert check(role_policy, Context(estate, {})) == []


def test_the_break_glass_users_unknown_stop_the_run(estate: Estate) -> None:
    # Absent: unknown, never "exists"; the run stops naming the field (exit 2).
    absent = Context(_users(estate, None), {})
    assert check(_scp(*BREAK_GLASS), absent) == []
    assert list(absent.unknowns) == ["managementAccount.breakGlassUsers"]
    # A user the estate does not list: whether it exists is unknown too.
    unlisted = Context(_users(estate, {"breakglass-1": "/breakglass/"}), {})
    assert check(_scp(*BREAK_GLASS), unlisted) == []
    assert [u.render() for u in unlisted.unknowns.values()] == [
        f"{DEMO}: managementAccount.breakGlassUsers: absent, so unknown, and this run cannot decide "
        f"without it: whether {BREAK_GLASS[1]} exists (not listed) (got '(absent)'). Fix: run `frontdoor "
        "estate pull --stack <stack>` (iam:GetUser of guardrails.breakGlassUserNames)"
    ]
    # A document exempting no user needs no break-glass facts.
    nobody = Context(_users(estate, None), {})
    assert (
        check(_scp("arn:aws:iam::*:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"), nobody)
        == []
    )
    assert nobody.unknowns == {}


def test_mutant_m43_an_exemption_by_role_pattern_is_refused(estate: Estate) -> None:
    # Mutant M43: the deny-iam-users SCP also exempts every role; any principal allowed iam:CreateRole
    # walks past it. Refused whatever the estate knows (no break-glass fact is needed).
    every_role = "arn:aws:iam::*:role/*"
    nobody = Context(_users(estate, None), {})
    assert [v.render() for v in check(_scp(*BREAK_GLASS, every_role), Context(estate, {}))] == [
        "aws:organizations/policy:Policy 'deny-root-user': content: exempts arn:aws:iam::*:role/* under "
        "aws:PrincipalArn, a pattern, not one principal's ARN: whoever can create a principal whose ARN "
        "matches walks past the statement (aws:PrincipalArn is a sensitive key: no wildcard has a valid use "
        "in an exemption); name each exempt principal's full ARN [rule exempt-principal-arn-has-path; "
        'source: IAM User Guide, "AWS global condition context keys": aws:PrincipalArn]'
    ]
    assert len(check(_scp("arn:aws:iam::100000000026:role/BreakGlass?"), nobody)) == 1
    # Benign: one role by exact ARN, a service-linked role in every account, a pattern that narrows
    # (ArnLike, as the deny-root-user SCP's) rather than exempts.
    exact = "arn:aws:iam::100000000026:role/frontdoor-deployer"
    linked = "arn:aws:iam::*:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"
    assert check(_scp(exact, linked), nobody) == []
    narrowing = json.loads(_exempting(*BREAK_GLASS))
    narrowing["Statement"][0]["Condition"]["ArnLike"] = {"aws:PrincipalARN": "arn:aws:iam::*:root"}
    root = resource(contracts.ORG_POLICY, "deny-root-user", {"name": "x", "content": json.dumps(narrowing)})
    assert check(root, Context(estate, {})) == []


def test_the_demo_exemptions_pass_and_a_planted_path_is_refused_everywhere(demo_estate: Estate) -> None:
    repo = Path(__file__).resolve().parents[3]
    settings = provider_settings(repo / "stacks" / "Pulumi.demo.yaml")
    teams = settings["frontdoor:teams"]
    settings["frontdoor:teams"] = {n: teams[n] for n in ("payments", "devices-firmware", "data-platform")}
    settings["frontdoor:orgGrants"] = {}
    run = run_program(repo, stack="demo", config=settings, estate=demo_estate)
    exempting = {
        f"{r.type} {r.name!r}"
        for r in run.resources
        if "exempt-principal-arn-has-path" in catalogue.engine_rules(r.type)
        and exempted_user_arns(json.loads(r.inputs.get("content") or r.inputs["policy"]))
    }
    assert len(exempting) == 7  # six SCPs and the trail bucket: judged, and none refused
    # The access stack's path differs from where the users live: every exemption refused.
    guardrails = {**settings["frontdoor:guardrails"], "breakGlassPath": "/ops/"}
    planted = {**settings, "frontdoor:guardrails": guardrails}
    with pytest.raises(api_rules.ApiRulesViolated) as raised:
        run_program(repo, stack="demo", config=planted, estate=demo_estate)
    assert {v.resource for v in raised.value.violations} == exempting
    assert {(v.argument, v.rule) for v in raised.value.violations} == {
        ("content", "exempt-principal-arn-has-path"),
        ("policy", "exempt-principal-arn-has-path"),
    }
    assert len(raised.value.violations) == 14  # both users in each of the seven documents
