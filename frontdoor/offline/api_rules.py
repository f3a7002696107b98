"""The real APIs' rules the offline engine enforces on every registered resource.

Mocks accept any value the SDK types allow; the real AWS and Okta APIs do not. Each rule below is one
function over a just-registered resource (its inputs and dependencies) and what the engine knows (the
estate, the stack config, every resource registered before it), with a one-line citation of the API
behaviour it models. Which rules judge which type is the catalogue's (frontdoor/domain/resource_types.py,
`engine_rules`): a rule runs only on the types whose entry names it. String patterns and lengths come
from botocore's own service models (frontdoor/domain/base/aws_patterns.py), for every AWS argument the
program sets (mapped to its request member by the type's entry, `strings` and `tags`).

A violation is what `pulumi up` would have hit: the engine collects them while the program runs and
raises `ApiRulesViolated` at the end, naming resource, argument, rule and source (the CLI exits 3).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from frontdoor.domain.base import aws_patterns
from frontdoor.domain.contracts import CHAINED_SESSION_MAX_SECONDS, OKTA_RULE
from frontdoor.domain.people.okta_profile import OKTA_BASE_ATTRIBUTES
from frontdoor.domain.resource_types import (
    CATALOGUE,
    DELEGATION_TRUSTED_ACCESS,
    EXISTING_ATTRIBUTE_ADOPTED,
    FEDERATED_PRINCIPAL_EXISTS,
    GROUP_RULE_ATTRIBUTE_EXISTS,
    GROUP_RULE_NO_CASCADE,
    OIDC_PROVIDER,
    OKTA_USER_SCHEMA_PROPERTY,
    ORGANIZATION_TRAIL_TRUSTED_ACCESS,
    PUSH_GROUP_NEEDS_PROVISIONING,
    ROLE_CHAINING_TTL,
    STACK_SET,
    STACK_SET_AUTO_DEPLOY_NO_FILTER,
    STACK_SET_INSTANCE_DELETE_FIRST,
    VAULT_AWS_SECRET_BACKEND,
)
from frontdoor.offline.estate import Estate
from frontdoor.offline.record import RecordedResource

BOTOCORE_STRING = "botocore-string"
CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
SSO_PRINCIPAL = "sso.amazonaws.com"

_USER_ATTRIBUTE = re.compile(r"\buser\.([A-Za-z][A-Za-z0-9_]*)")
_OIDC_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/(.+)$")


@dataclass(frozen=True)
class Violation:
    resource: str  # type and name
    argument: str
    rule: str
    problem: str
    source: str

    def render(self) -> str:
        return f"{self.resource}: {self.argument}: {self.problem} [rule {self.rule}; source: {self.source}]"


class ApiRulesViolated(RuntimeError):
    """The program registered what the real API would reject (the CLI reports it with exit 3)."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__(
            "the real APIs would reject this program:\n" + "\n".join(v.render() for v in violations)
        )


@dataclass
class Context:
    """What a rule may consult: the estate, the stack config, and what was registered before."""

    estate: Estate
    config: Mapping[str, Any]
    registered: dict[str, RecordedResource] = field(default_factory=dict)
    # URN -> the id of the resource's `import` option (adopted, not created).
    imports: dict[str, str] = field(default_factory=dict)

    def ancestors_and_dependencies(self, record: RecordedResource) -> Iterator[RecordedResource]:
        """Every resource `record` transitively depends on (a component dependency means its children)."""
        seen: set[str] = set()
        frontier = list(record.dependencies)
        components: set[str] = set()
        while frontier:
            urn = frontier.pop()
            if urn in seen:
                continue
            seen.add(urn)
            found = self.registered.get(urn)
            if found is None:
                continue
            if not found.custom:
                components.add(urn)
            yield found
            frontier.extend(found.dependencies)
        if components:
            for other in self.registered.values():
                if other.parent_urn in components and other.urn not in seen:
                    seen.add(other.urn)
                    yield other

    def config_value(self, namespace_key: str, field_name: str, default: Any) -> Any:
        section = self.config.get(namespace_key)
        if isinstance(section, str):
            try:
                section = json.loads(section)
            except ValueError:
                return default
        return section.get(field_name, default) if isinstance(section, dict) else default


def delegated_administrators(estate: Estate, config: Mapping[str, Any]) -> dict[str, list[str]]:
    """The estate's delegations; when it does not model them, the one the stack config names."""
    if estate.organization.delegated_administrators is not None:
        return estate.organization.delegated_administrators
    organization = Context(estate, config).config_value(
        "frontdoor:organization", "identityCenterAccountId", None
    )
    return {SSO_PRINCIPAL: [str(organization)]} if organization else {}


def identity_center_readable(estate: Estate, config: Mapping[str, Any]) -> bool:
    """Reads through the Identity Center provider need that account to be the delegated administrator.

    Source: sso-admin ListInstances answers only in the management account and the delegated
    administrator account (IAM Identity Center User Guide, "Delegated administration").
    """
    account = Context(estate, config).config_value("frontdoor:organization", "identityCenterAccountId", None)
    return account is None or str(account) in delegated_administrators(estate, config).get(SSO_PRINCIPAL, [])


def _label(record: RecordedResource) -> str:
    return f"{record.type} {record.name!r}"


def _known_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def federated_principal_exists(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """A trust policy's Federated principal must exist when the role is created.

    Source: IAM CreateRole, MalformedPolicyDocument "Invalid principal in policy" (IAM User Guide,
    "IAM JSON policy elements: Principal": IAM validates principals when the policy is saved).
    """
    document = _known_str(record.inputs.get("assumeRolePolicy"))
    if document is None:
        return
    try:
        statements = json.loads(document).get("Statement", [])
    except (ValueError, AttributeError):
        return
    hosts = {
        str(dep.inputs.get("url", "")).removeprefix("https://")
        for dep in context.ancestors_and_dependencies(record)
        if dep.type == OIDC_PROVIDER
    }
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        federated = principal.get("Federated") if isinstance(principal, dict) else None
        for arn in [federated] if isinstance(federated, str) else federated or []:
            match = _OIDC_ARN.match(str(arn))
            if match and match.group(1) not in hosts:
                yield Violation(
                    _label(record),
                    "assumeRolePolicy",
                    FEDERATED_PRINCIPAL_EXISTS,
                    f"the Federated principal {arn} is not an OIDC provider this role depends on, so IAM may "
                    "create the role first and reject it (Invalid principal); add depends_on the provider",
                    "IAM CreateRole: MalformedPolicyDocument for a principal that does not exist",
                )


def organization_trail_needs_trusted_access(
    record: RecordedResource, context: Context
) -> Iterator[Violation]:
    """An organization trail needs CloudTrail's trusted access in AWS Organizations.

    Source: CloudTrail CreateTrail, CloudTrailAccessNotEnabledException ("trusted access for CloudTrail
    must be enabled in AWS Organizations", EnableAWSServiceAccess cloudtrail.amazonaws.com).
    """
    if record.inputs.get("isOrganizationTrail") is not True:
        return
    enabled = context.estate.organization.aws_service_access_principals
    if CLOUDTRAIL_PRINCIPAL not in enabled:
        yield Violation(
            _label(record),
            "isOrganizationTrail",
            ORGANIZATION_TRAIL_TRUSTED_ACCESS,
            f"CloudTrail trusted access is not enabled (enabled: {sorted(enabled)}); run "
            f"`aws organizations enable-aws-service-access --service-principal {CLOUDTRAIL_PRINCIPAL}` "
            "(first-run stage a)",
            "CloudTrail CreateTrail: CloudTrailAccessNotEnabledException",
        )


def delegation_needs_trusted_access(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """Registering a delegated administrator needs the service's trusted access first.

    Source: Organizations RegisterDelegatedAdministrator, AccessDeniedForDependencyException / "the
    service must be enabled with trusted access" (Identity Center: enabling it in the console does so).
    """
    principal = record.inputs.get("servicePrincipal")
    enabled = context.estate.organization.aws_service_access_principals
    if isinstance(principal, str) and principal not in enabled:
        yield Violation(
            _label(record),
            "servicePrincipal",
            DELEGATION_TRUSTED_ACCESS,
            f"{principal} has no trusted access in the organization (enabled: {sorted(enabled)})",
            "Organizations RegisterDelegatedAdministrator: service access must be enabled first",
        )


def push_group_needs_provisioning(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """A Group Push mapping needs the app's provisioning (API integration) enabled first.

    Source: Okta Group Push docs ("provisioning must be enabled for the app") and
    terraform-provider-okta resource_okta_push_group.go (a mapping in ERROR cannot be updated or deleted).
    """
    if context.config_value("frontdoor:okta", "provisioningEnabled", True) is not True:
        yield Violation(
            _label(record),
            "appId",
            PUSH_GROUP_NEEDS_PROVISIONING,
            "the app's provisioning is not enabled (frontdoor:okta.provisioningEnabled is false); finish the "
            "console step in docs/first-run.md (stage b), then set provisioningEnabled: true",
            "Okta Group Push: requires provisioning enabled on the app",
        )


def group_rule_attributes_exist(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """Every `user.<attribute>` a group rule reads must exist on the Okta user profile before the rule.

    Source: Okta Group Rules API (a rule over an unknown attribute is rejected or goes INVALID) and the
    terraform-provider-okta group rule resource (created in dependency order, not after the schema).
    """
    expression = _known_str(record.inputs.get("expressionValue"))
    if expression is None:
        return
    created = {
        str(dep.inputs.get("index"))
        for dep in context.ancestors_and_dependencies(record)
        if dep.type == OKTA_USER_SCHEMA_PROPERTY
    }
    existing = set(context.estate.okta_profile_attributes)
    for attribute in sorted(set(_USER_ATTRIBUTE.findall(expression))):
        if attribute not in OKTA_BASE_ATTRIBUTES | created | existing:
            yield Violation(
                _label(record),
                "expressionValue",
                GROUP_RULE_ATTRIBUTE_EXISTS,
                f"reads user.{attribute}, which is neither a base Okta attribute, nor created by a "
                "UserSchemaProperty the rule depends on, nor in the estate's oktaProfileAttributes",
                "Okta Group Rules API: expressions may only reference existing profile attributes",
            )


def existing_attribute_is_adopted(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """A custom Okta user attribute that exists already is imported, never "created" over.

    Source: Okta Schemas API, "Update User Profile Schema Property" (POST /api/v1/meta/schemas/user/default
    adds or updates: a create over an existing property silently takes it over) and
    terraform-provider-okta resource_okta_user_schema_property.go (create is that same upsert).
    """
    if record.urn in context.imports:
        return
    index = record.inputs.get("index")
    if isinstance(index, str) and index in context.estate.okta_profile_attributes:
        yield Violation(
            _label(record),
            "index",
            EXISTING_ATTRIBUTE_ADOPTED,
            f"the Okta user profile already has {index!r} (fed by HR): a create would silently take it over "
            f"and a later delete would erase every user's value; list it under "
            "frontdoor:okta.adoptProfileAttributes to import it",
            "Okta Schemas API: the user schema update is an upsert",
        )


def group_rule_no_cascade(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """A group rule must not read the membership of a group another rule fills.

    Source: Okta, "Group Rule Restrictions": cascading rules (a rule referencing groups also populated
    by other group rules) cause performance issues and must be avoided.
    """
    expression = _known_str(record.inputs.get("expressionValue"))
    if expression is None or "isMemberOf" not in expression:
        return
    filled = {
        str(group_id): other.name
        for other in context.registered.values()
        if other.type == OKTA_RULE
        for group_id in other.inputs.get("groupAssignments") or []
    }
    for group_id, rule in sorted(filled.items()):
        if f'"{group_id}"' in expression:
            yield Violation(
                _label(record),
                "expressionValue",
                GROUP_RULE_NO_CASCADE,
                f"reads the membership of group {group_id}, which rule {rule!r} fills: a cascade; "
                "read the HR attributes that rule reads instead",
                "Okta Group Rule Restrictions: cascading rules must be avoided",
            )


def role_chaining_caps_sts_ttl(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """A Vault `assumed_role` role's STS TTLs stay within the one hour STS allows a chained session.

    Vault issues the credentials with AssumeRole, called with its own credential; when the mount holds
    no access key (the only way frontdoor configures it: Vault's own role, or a web-identity session),
    that credential is a role session and the call is role chaining.
    Source: botocore sts AssumeRoleRequest.DurationSeconds ("if you assume a role using role chaining
    and provide a DurationSeconds parameter value greater than one hour, the operation fails").
    """
    if record.inputs.get("credentialType") != "assumed_role":
        return
    backend = record.inputs.get("backend")
    mounts = [
        other
        for other in context.registered.values()
        if other.type == VAULT_AWS_SECRET_BACKEND and other.inputs.get("path") == backend
    ]
    if any(mount.inputs.get("accessKey") for mount in mounts):
        return  # an IAM user's key: AssumeRole with it is not a chain (the 12-hour role maximum applies)
    for argument in ("defaultStsTtl", "maxStsTtl"):
        value = record.inputs.get(argument)
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and value > CHAINED_SESSION_MAX_SECONDS
        ):
            yield Violation(
                _label(record),
                argument,
                ROLE_CHAINING_TTL,
                f"{value:g} seconds, but Vault's AssumeRole is role chaining (its own credential is a role "
                f"session), which STS caps at {CHAINED_SESSION_MAX_SECONDS} seconds: every credential "
                f"request would fail; use at most {CHAINED_SESSION_MAX_SECONDS}",
                "botocore sts AssumeRoleRequest.DurationSeconds: role chaining limits a session to one hour",
            )


def _auto_deploys(stack_set: RecordedResource) -> bool:
    auto = stack_set.inputs.get("autoDeployment")
    return isinstance(auto, dict) and auto.get("enabled") is True


def stack_set_auto_deploy_takes_no_account_filter(
    record: RecordedResource, context: Context
) -> Iterator[Violation]:
    """An instance of an auto-deploying StackSet names no accounts and no account filter.

    Source: CloudFormation User Guide, "Enable or disable automatic deployments for StackSets in AWS
    Organizations", Considerations: "Automatic deployments do not consider account level targeting
    filters. If you target specific accounts and enable automatic deployments, your StackSet will continue
    to deploy to any newly added accounts within the deployed organization."
    """
    targets = record.inputs.get("deploymentTargets")
    if not isinstance(targets, dict):
        return
    name = record.inputs.get("stackSetName")
    auto = [
        other.name
        for other in context.registered.values()
        if other.type == STACK_SET and other.inputs.get("name") == name and _auto_deploys(other)
    ]
    filtered = targets.get("accountFilterType") not in (None, "NONE") or bool(targets.get("accounts"))
    if auto and filtered:
        yield Violation(
            _label(record),
            "deploymentTargets",
            STACK_SET_AUTO_DEPLOY_NO_FILTER,
            f"filters accounts ({targets.get('accountFilterType')}: {targets.get('accounts') or []}) on "
            f"StackSet {name!r}, which auto-deploys: auto-deployment ignores the filter and deploys to every "
            "account that joins the OUs; put account targets on a StackSet without auto-deployment",
            "CloudFormation User Guide, automatic deployments: they do not consider account level filters",
        )


def stack_set_instance_deletes_before_replacing(
    record: RecordedResource, context: Context
) -> Iterator[Violation]:
    """A StackSet instance is replaced delete-first.

    Source: terraform-provider-aws internal/service/cloudformation/stack_set_instance.go: every
    `deployment_targets` field is ForceNew, the resource id (`<stack set>,<OU ids>,<region>`) names no
    account, and Delete calls DeleteStackInstances with the stored targets. A create-before-delete
    replacement (Pulumi's default) therefore deletes the stacks, and the roles, the new instance claimed.
    """
    if isinstance(record.inputs.get("deploymentTargets"), dict) and not record.delete_before_replace:
        yield Violation(
            _label(record),
            "deploymentTargets",
            STACK_SET_INSTANCE_DELETE_FIRST,
            "is replaced create-before-delete (no delete_before_replace), and the old instance's delete "
            "would remove the stacks the new one claims (the id names no account); set "
            "delete_before_replace=True",
            "terraform-provider-aws stack_set_instance.go: deployment_targets ForceNew, id without accounts",
        )


def botocore_string_rules(record: RecordedResource, context: Context) -> Iterator[Violation]:
    """Every AWS string argument the program sets matches its botocore shape (pattern, min, max).

    Source: botocore/data/<service>/<version>/service-2.json, loaded by botocore.loaders.
    """
    entry = CATALOGUE.get(record.type)
    if entry is None:
        return
    for argument, member in entry.strings.items():
        value = _known_str(record.inputs.get(argument))
        if value is None:
            continue
        rule = aws_patterns.member_rule(*member)
        problem = rule.problem(value)
        if problem:
            yield Violation(_label(record), argument, BOTOCORE_STRING, problem, rule.source)
    tags = record.inputs.get("tags")
    if entry.tags and isinstance(tags, dict):
        service, structure = entry.tags
        for key, value in sorted(tags.items()):
            for part, text in (("Key", key), ("Value", value)):
                if not isinstance(text, str):
                    continue
                rule = aws_patterns.member_rule(service, structure, part)
                problem = rule.problem(text)
                if problem:
                    yield Violation(_label(record), f"tags.{key}", BOTOCORE_STRING, problem, rule.source)


Rule = Callable[[RecordedResource, Context], Iterator[Violation]]
# Each named rule by its id; the catalogue's entries say which types it judges.
RULES: Mapping[str, Rule] = {
    FEDERATED_PRINCIPAL_EXISTS: federated_principal_exists,
    ORGANIZATION_TRAIL_TRUSTED_ACCESS: organization_trail_needs_trusted_access,
    DELEGATION_TRUSTED_ACCESS: delegation_needs_trusted_access,
    PUSH_GROUP_NEEDS_PROVISIONING: push_group_needs_provisioning,
    GROUP_RULE_ATTRIBUTE_EXISTS: group_rule_attributes_exist,
    EXISTING_ATTRIBUTE_ADOPTED: existing_attribute_is_adopted,
    GROUP_RULE_NO_CASCADE: group_rule_no_cascade,
    ROLE_CHAINING_TTL: role_chaining_caps_sts_ttl,
    STACK_SET_AUTO_DEPLOY_NO_FILTER: stack_set_auto_deploy_takes_no_account_filter,
    STACK_SET_INSTANCE_DELETE_FIRST: stack_set_instance_deletes_before_replacing,
}


def check(record: RecordedResource, context: Context, import_id: str = "") -> list[Violation]:
    """Every rule's violations for one just-registered resource; then it counts as registered.

    The named rules its catalogue entry lists, in that order, then its botocore string rules.
    """
    if import_id:
        context.imports[record.urn] = import_id
    entry = CATALOGUE.get(record.type)
    named = entry.engine_rules if entry is not None else ()
    violations = [v for rule_id in named for v in RULES[rule_id](record, context)]
    violations.extend(botocore_string_rules(record, context))
    context.registered[record.urn] = record
    return violations
