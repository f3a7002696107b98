"""The mutation corpus (issue 25 item 6): small edits of what the demo stacks register, or of the demo
stack config, each with the exact check that must catch it; and benign edits that must pass.

Resource mutants edit a copy of the records a preview registered (the generated permission-set policy,
a Vault role, a StackSet's template, a Datadog monitor or SLO), the way a hand edit of the program or
the document templates would change them; the pack then runs over the whole stack, and the mutant is
caught when the named rule reports a violation the unmutated stack does not have. Config mutants edit
a copy of stacks/Pulumi.demo.yaml; they are caught when `frontdoor preview` refuses the config (exit 2)
naming the field, before the program runs. A benign edit must leave the pack's report exactly as it
was (resource edits) or the config accepted (config edits).

Each edit raises `EditMissed` when its target is not where it expects it, so a mutant can never pass
by editing nothing.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from frontdoor.offline.record import RecordedResource

INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
MANAGED_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
VAULT_ROLE = "vault:aws/secretBackendRole:SecretBackendRole"
STACK_SET = "aws:cloudformation/stackSet:StackSet"
MONITOR = "datadog:index/monitor:Monitor"
SLO = "datadog:index/serviceLevelObjective:ServiceLevelObjective"
LOGS_METRIC = "datadog:index/logsMetric:LogsMetric"

ABAC_SET = "DeveloperAccess/inline"
OU_STACK_SET = "machines/legacy-reporting/stack-set"
VAULT_ROLE_NAME = "machines/legacy-reporting"
OWN = "${aws:PrincipalTag/team}"


class EditMissed(AssertionError):
    """The edit's target is not in the stack: the mutant would test nothing."""


class Stack:
    """A mutable copy of a preview's records, edited by type and logical name."""

    def __init__(self, records: list[RecordedResource]) -> None:
        self.records = list(records)

    def record(self, type_token: str, name: str) -> tuple[int, RecordedResource]:
        found = [(i, r) for i, r in enumerate(self.records) if r.type == type_token and r.name == name]
        if len(found) != 1:
            raise EditMissed(f"{type_token} {name}: found {len(found)} records")
        return found[0]

    def props(self, type_token: str, name: str) -> dict[str, Any]:
        """The record's values (outputs over inputs, as the stack rules read them), as a copy."""
        _, record = self.record(type_token, name)
        return copy.deepcopy({**record.inputs, **record.outputs})

    def set(self, type_token: str, name: str, key: str, value: Any) -> None:
        """Set (or, with `None`, remove) one property in the inputs and the outputs alike."""
        index, record = self.record(type_token, name)
        inputs, outputs = copy.deepcopy(dict(record.inputs)), copy.deepcopy(dict(record.outputs))
        for values in (inputs, outputs):
            if value is None:
                values.pop(key, None)
            elif values is inputs or key in values:
                values[key] = value
        self.records[index] = dataclasses.replace(record, inputs=inputs, outputs=outputs)


# --- edits of documents ----------------------------------------------------------------------------
def _statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    found = [s for s in document["Statement"] if s.get("Sid") == sid]
    if len(found) != 1:
        raise EditMissed(f"statement {sid}: found {len(found)}")
    return found[0]


def inline_statement(sid: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Stack], None]:
    """Edit one statement of the ABAC set's generated inline policy."""

    def edit(stack: Stack) -> None:
        document = json.loads(stack.props(INLINE_POLICY, ABAC_SET)["inlinePolicy"])
        change(_statement(document, sid))
        stack.set(INLINE_POLICY, ABAC_SET, "inlinePolicy", json.dumps(document))

    return edit


def add_inline_statement(statement: dict[str, Any]) -> Callable[[Stack], None]:
    def edit(stack: Stack) -> None:
        document = json.loads(stack.props(INLINE_POLICY, ABAC_SET)["inlinePolicy"])
        document["Statement"].append(statement)
        stack.set(INLINE_POLICY, ABAC_SET, "inlinePolicy", json.dumps(document))

    return edit


def replace_condition(operator: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """The statement's one team clause becomes `operator: {key: value}` (other clauses kept)."""

    def change(statement: dict[str, Any]) -> None:
        condition = statement["Condition"]
        team = [op for op, block in condition.items() if any(v == OWN for v in block.values())]
        if len(team) != 1:
            raise EditMissed(f"team clause in {statement.get('Sid')}: found {len(team)}")
        block = condition.pop(team[0])
        old_key = next(k for k, v in block.items() if v == OWN)
        rest = {k: v for k, v in block.items() if k != old_key}
        if rest:
            condition[team[0]] = rest
        condition.setdefault(operator, {})[key] = value

    return change


def drop(key: str) -> Callable[[dict[str, Any]], None]:
    def change(statement: dict[str, Any]) -> None:
        if key not in statement:
            raise EditMissed(f"{statement.get('Sid')} has no {key}")
        del statement[key]

    return change


def rename(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(statement: dict[str, Any]) -> None:
        if old not in statement:
            raise EditMissed(f"{statement.get('Sid')} has no {old}")
        statement[new] = statement.pop(old)

    return change


def trust(change: Callable[[dict[str, Any]], None], name: str = OU_STACK_SET) -> Callable[[Stack], None]:
    """Edit the trust statement of the target role a StackSet's template deploys."""

    def edit(stack: Stack) -> None:
        template = json.loads(stack.props(STACK_SET, name)["templateBody"])
        document = template["Resources"]["VaultTargetRole"]["Properties"]["AssumeRolePolicyDocument"]
        change(_statement(document, "VaultAssumesWithOwnerTeamTag"))
        stack.set(STACK_SET, name, "templateBody", json.dumps(template))

    return edit


def pin(value: Any) -> Callable[[dict[str, Any]], None]:
    def change(statement: dict[str, Any]) -> None:
        equals = statement["Condition"]["StringEquals"]
        if "aws:RequestTag/team" not in equals:
            raise EditMissed("the trust has no team pin")
        if value is None:
            del equals["aws:RequestTag/team"]
        else:
            equals["aws:RequestTag/team"] = value

    return change


def set_prop(type_token: str, name: str, key: str, value: Any) -> Callable[[Stack], None]:
    def edit(stack: Stack) -> None:
        stack.props(type_token, name)  # raises when the record is missing
        stack.set(type_token, name, key, value)

    return edit


def update_prop(
    type_token: str, name: str, key: str, change: Callable[[Any], Any]
) -> Callable[[Stack], None]:
    def edit(stack: Stack) -> None:
        old = stack.props(type_token, name).get(key)
        if old is None:
            raise EditMissed(f"{name} has no {key}")
        stack.set(type_token, name, key, change(old))

    return edit


def replace_in(old: str, new: str) -> Callable[[Any], Any]:
    """A string value with `old` replaced by `new`; EditMissed when `old` is not in it."""

    def change(value: Any) -> Any:
        if not isinstance(value, str) or old not in value:
            raise EditMissed(f"{old!r} not in {value!r}")
        return value.replace(old, new)

    return change


def also(*edits: Callable[[Stack], None]) -> Callable[[Stack], None]:
    def edit(stack: Stack) -> None:
        for one in edits:
            one(stack)

    return edit


# --- edits for the guard fixes (independent review b: M09, M21, M37, M38, M51, M55) -----------------
IAM_ROLE = "aws:iam/role:Role"
VAULT_BACKEND = "vault:aws/secretBackend:SecretBackend"
DEPLOY_ROLE = "frontdoor-deploy"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


def deploy_trust(sid: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Stack], None]:
    """Edit one statement of the GitHub deploy role's trust policy."""

    def edit(stack: Stack) -> None:
        document = json.loads(stack.props(IAM_ROLE, DEPLOY_ROLE)["assumeRolePolicy"])
        change(_statement(document, sid))
        stack.set(IAM_ROLE, DEPLOY_ROLE, "assumeRolePolicy", json.dumps(document))

    return edit


def loosen_subject(statement: dict[str, Any]) -> None:
    equals = statement["Condition"]["StringEquals"]
    key = "token.actions.githubusercontent.com:sub"
    if key not in equals:
        raise EditMissed("the GitHub trust pins no sub")
    subject = equals.pop(key)
    first = subject[0] if isinstance(subject, list) else subject
    statement["Condition"]["StringLike"] = {key: ":".join(first.split(":")[:2]) + ":*"}


def drop_condition(statement: dict[str, Any]) -> None:
    if "Condition" not in statement:
        raise EditMissed(f"{statement.get('Sid')} has no Condition")
    del statement["Condition"]


def target_role_policies(*arns: str, name: str = OU_STACK_SET) -> Callable[[Stack], None]:
    """Add managed policies to the target role a StackSet's template deploys."""

    def edit(stack: Stack) -> None:
        template = json.loads(stack.props(STACK_SET, name)["templateBody"])
        properties = template["Resources"]["VaultTargetRole"]["Properties"]
        properties["ManagedPolicyArns"] = [*properties.get("ManagedPolicyArns", []), *arns]
        stack.set(STACK_SET, name, "templateBody", json.dumps(template))

    return edit


def admin_role_arns(arns: Any) -> list[str]:
    if not isinstance(arns, list) or not arns:
        raise EditMissed("the Vault role names no role_arns")
    return [arn.rsplit(":role/", 1)[0] + ":role/OrganizationAccountAccessRole" for arn in arns]


GITHUB = "github-oidc-trust-pinned"


# --- the corpus ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResourceMutant:
    id: str
    stack: str  # "demo" or "monitoring": whose preview it edits
    what: str  # the class of issue 25 it belongs to, and what it does
    edit: Callable[[Stack], None]
    caught_by: str | None  # the pack rule that must report it; None for a benign edit
    # Judged only once ids are known: with unknown ids (`pulumi preview` of new resources) the rule
    # defers (SDK advisory) and the update run judges it.
    needs_known_ids: bool = False


@dataclass(frozen=True)
class ConfigMutant:
    id: str
    what: str
    edit: Callable[[dict[str, Any]], None]  # edits the parsed `config:` mapping of Pulumi.demo.yaml
    caught_at: str | None  # the field the refusal (exit 2) names; None for a benign edit


ABAC = "abac-condition-required"
VAULT = "vault-session-tags-pinned"
STACK_SETS = "stack-set-auto-deployment"
MONITOR_TYPE = "datadog-monitor-query-type"
SLO_METRIC = "datadog-slo-metric-created"
MONITORS_PRESENT = "identity-monitors-present"
HEARTBEAT = "identity-monitors/trail-logs-heartbeat"
IAM_MONITOR = "identity-monitors/iam-user-created"
BREAK_GLASS_EXCLUSION = "-@requestParameters.userName:(breakglass-1 OR breakglass-2)"
RESOURCE_KEY = "aws:ResourceTag/team"
REQUEST_KEY = "aws:RequestTag/team"


def _scoped(sid: str, operator: str, key: str, value: Any) -> Callable[[Stack], None]:
    return inline_statement(sid, replace_condition(operator, key, value))


def _unscoped(sid: str, action: str | list[str], resource: str) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource}


RESOURCE_MUTANTS: tuple[ResourceMutant, ...] = (
    # Pack rules accept vacuous conditions (abac-condition-required).
    ResourceMutant(
        "abac-inverted",
        "demo",
        "StringEquals -> StringNotEquals on the team scope",
        _scoped("TeamScopedByAbac", "StringNotEquals", RESOURCE_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-shared-tag-key",
        "demo",
        "the team scope compares a tag several teams share (costCenter) instead of the stack's tagKey",
        _scoped(
            "TeamScopedByAbac", "StringEquals", "aws:ResourceTag/costCenter", "${aws:PrincipalTag/costCenter}"
        ),
        ABAC,
    ),
    ResourceMutant(
        "abac-if-exists",
        "demo",
        "StringEquals -> StringEqualsIfExists on the team scope",
        _scoped("TeamScopedByAbac", "StringEqualsIfExists", RESOURCE_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-like-suffix",
        "demo",
        "StringLike with a wildcard after the variable",
        _scoped("TeamScopedByAbac", "StringLike", RESOURCE_KEY, OWN + "*"),
        ABAC,
    ),
    ResourceMutant(
        "abac-wildcard-beside",
        "demo",
        "a wildcard value beside the variable",
        _scoped("TeamScopedByAbac", "StringLike", RESOURCE_KEY, [OWN, "*"]),
        ABAC,
    ),
    ResourceMutant(
        "abac-literal-beside",
        "demo",
        "a literal team beside the variable",
        _scoped("TeamScopedByAbac", "StringEquals", RESOURCE_KEY, [OWN, "platform"]),
        ABAC,
    ),
    ResourceMutant(
        "abac-literal-only",
        "demo",
        "a literal team instead of the variable",
        _scoped("TeamScopedByAbac", "StringEquals", RESOURCE_KEY, "payments"),
        ABAC,
    ),
    ResourceMutant(
        "abac-for-all-values",
        "demo",
        "ForAllValues on the single-valued ResourceTag",
        _scoped("TeamScopedByAbac", "ForAllValues:StringEquals", RESOURCE_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-for-any-value",
        "demo",
        "ForAnyValue on the single-valued ResourceTag",
        _scoped("TeamScopedByAbac", "ForAnyValue:StringEquals", RESOURCE_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-ignore-case",
        "demo",
        "StringEqualsIgnoreCase on the team scope",
        _scoped("TeamScopedByAbac", "StringEqualsIgnoreCase", RESOURCE_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-other-principal-key",
        "demo",
        "the scope compares with another principal tag",
        _scoped("TeamScopedByAbac", "StringEquals", RESOURCE_KEY, "${aws:PrincipalTag/costCenter}"),
        ABAC,
    ),
    ResourceMutant(
        "abac-request-tag-scope",
        "demo",
        "service-wide scope on RequestTag instead of ResourceTag",
        _scoped("TeamScopedByAbac", "StringEquals", REQUEST_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-condition-removed",
        "demo",
        "the team scope's condition removed",
        inline_statement("TeamScopedByAbac", drop("Condition")),
        ABAC,
    ),
    ResourceMutant(
        "abac-create-like-any",
        "demo",
        'the create statement\'s RequestTag loosened to "*"',
        _scoped("CreateWithOwnTeamTag", "StringLike", REQUEST_KEY, "*"),
        ABAC,
    ),
    ResourceMutant(
        "abac-create-if-exists",
        "demo",
        "the create statement's RequestTag made IfExists",
        _scoped("CreateWithOwnTeamTag", "StringEqualsIfExists", REQUEST_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-passrole-inverted",
        "demo",
        "PassRole for roles NOT tagged with the caller's team",
        _scoped("PassOwnTeamRoles", "StringNotEquals", RESOURCE_KEY, OWN),
        ABAC,
    ),
    ResourceMutant(
        "abac-not-resource",
        "demo",
        "the team scope's Resource turned into NotResource",
        inline_statement("TeamScopedByAbac", rename("Resource", "NotResource")),
        ABAC,
    ),
    ResourceMutant(
        "abac-not-action",
        "demo",
        "the navigation statement's Action turned into NotAction",
        inline_statement("DescribeForNavigation", rename("Action", "NotAction")),
        ABAC,
    ),
    ResourceMutant(
        "abac-added-not-action-allow",
        "demo",
        "an Allow of everything but IAM added",
        add_inline_statement({"Sid": "AllButIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        ABAC,
    ),
    # Reach without the team equality (abac-condition-required, IAM reference data): a Resource
    # pattern as broad as "*", a narrower wildcard, or a named write, on another team's resources.
    ResourceMutant(
        "abac-ec2-all-arns",
        "demo",
        'the team scope\'s ec2 on "arn:aws:ec2:*:*:*" with no condition',
        add_inline_statement(_unscoped("Ec2Everywhere", "ec2:*", "arn:aws:ec2:*:*:*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-ec2-all-instances",
        "demo",
        'ec2:* on "arn:aws:ec2:*:*:instance/*" with no condition',
        add_inline_statement(_unscoped("Ec2Instances", "ec2:*", "arn:aws:ec2:*:*:instance/*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-ec2-any-partition",
        "demo",
        'ec2:* on "arn:*:ec2:*:*:*" with no condition',
        add_inline_statement(_unscoped("Ec2AnyPartition", "ec2:*", "arn:*:ec2:*:*:*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-ec2-terminate-wildcard",
        "demo",
        'ec2:Terminate* (a wildcard that is not service-wide) on "*" with no condition',
        add_inline_statement(_unscoped("Terminate", "ec2:Terminate*", "*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-dynamodb-delete-table",
        "demo",
        'a named write, dynamodb:DeleteTable, on "*" with no condition',
        add_inline_statement(_unscoped("DropTables", "dynamodb:DeleteTable", "*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-dynamodb-deletes-on-all-tables",
        "demo",
        'dynamodb:Delete* on "arn:aws:dynamodb:*:*:table/*" with no condition',
        add_inline_statement(_unscoped("DeleteItems", "dynamodb:Delete*", "arn:aws:dynamodb:*:*:table/*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-lambda-update-code",
        "demo",
        'lambda:UpdateFunctionCode on "*" with no condition (code runs as another team\'s role)',
        add_inline_statement(_unscoped("Deploy", "lambda:UpdateFunctionCode", "*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-s3-put-any-object",
        "demo",
        's3:PutObject on "arn:aws:s3:::*/*" with no condition',
        add_inline_statement(_unscoped("Upload", "s3:PutObject", "arn:aws:s3:::*/*")),
        ABAC,
    ),
    ResourceMutant(
        "abac-ecr-pull-one-account",
        "demo",
        "ecr image reads on every repository of one (shared) dev account with no condition",
        add_inline_statement(
            _unscoped(
                "Pull",
                ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "arn:aws:ecr:eu-west-1:100000000584:repository/*",
            )
        ),
        ABAC,
    ),
    ResourceMutant(
        "abac-delete-in-create-statement",
        "demo",
        "a delete slipped into the request-tag-scoped create statement",
        inline_statement("CreateWithOwnTeamTag", lambda s: s["Action"].append("sqs:DeleteQueue")),
        ABAC,
    ),
    ResourceMutant(
        "abac-write-in-navigation",
        "demo",
        "a write slipped into the unconditioned navigation statement",
        inline_statement("DescribeForNavigation", lambda s: s["Action"].append("logs:DeleteLogGroup")),
        ABAC,
    ),
    ResourceMutant(
        "abac-misspelled-action",
        "demo",
        "an action the IAM reference does not list, unconditioned (fail closed)",
        add_inline_statement(_unscoped("Typo", "ec2:TerminateInstance", "*")),
        ABAC,
    ),
    # Machines: the session tag and the trust pin (vault-session-tags-pinned).
    ResourceMutant(
        "vault-session-tags-dropped",
        "demo",
        "a Vault role without session_tags",
        set_prop(VAULT_ROLE, VAULT_ROLE_NAME, "sessionTags", None),
        VAULT,
    ),
    ResourceMutant(
        "vault-session-tags-empty",
        "demo",
        "a Vault role with session_tags {}",
        set_prop(VAULT_ROLE, VAULT_ROLE_NAME, "sessionTags", {}),
        VAULT,
    ),
    ResourceMutant(
        "vault-session-tag-wrong-key",
        "demo",
        "the session tag under a key no policy reads",
        set_prop(VAULT_ROLE, VAULT_ROLE_NAME, "sessionTags", {"Team": "data-platform"}),
        VAULT,
    ),
    ResourceMutant(
        "vault-trust-pin-dropped",
        "demo",
        "the target role's trust without the team pin",
        trust(pin(None)),
        VAULT,
    ),
    ResourceMutant(
        "vault-trust-pin-other-team",
        "demo",
        "the trust pinned to another team",
        trust(pin("payments")),
        VAULT,
    ),
    ResourceMutant(
        "vault-trust-pin-two-teams",
        "demo",
        "the trust pinned to two teams",
        trust(pin(["data-platform", "payments"])),
        VAULT,
    ),
    ResourceMutant(
        "vault-trust-no-tag-session",
        "demo",
        "the trust without sts:TagSession",
        trust(lambda s: s.update(Action=["sts:AssumeRole"])),
        VAULT,
    ),
    ResourceMutant(
        "vault-trust-pin-in-accounts-stack-set",
        "demo",
        "the never-auto-deploying StackSet's trust without the pin",
        trust(pin(None), "machines/jenkins-firmware/accounts-stack-set"),
        VAULT,
    ),
    ResourceMutant(
        "vault-trust-pin-in-shadowed-stack-set",
        "demo",
        "the OU StackSet's trust without the pin, its account StackSet deploying the same role intact",
        trust(pin(None), "machines/jenkins-firmware/stack-set"),
        VAULT,
    ),
    # StackSets: permission model vs auto-deployment (stack-set-auto-deployment).
    ResourceMutant(
        "stack-set-self-managed-auto",
        "demo",
        "a SELF_MANAGED StackSet with auto-deployment",
        set_prop(STACK_SET, OU_STACK_SET, "permissionModel", "SELF_MANAGED"),
        STACK_SETS,
    ),
    ResourceMutant(
        "stack-set-default-model-auto",
        "demo",
        "no permission model (SELF_MANAGED) with auto-deployment",
        set_prop(STACK_SET, OU_STACK_SET, "permissionModel", None),
        STACK_SETS,
    ),
    ResourceMutant(
        "stack-set-service-managed-no-auto",
        "demo",
        "SERVICE_MANAGED without auto_deployment",
        set_prop(STACK_SET, OU_STACK_SET, "autoDeployment", None),
        STACK_SETS,
    ),
    # Monitors: type vs query, SLO metric (datadog-monitor-query-type, datadog-slo-metric-created).
    ResourceMutant(
        "monitor-metric-alert-on-logs",
        "monitoring",
        "a log monitor typed metric alert",
        set_prop(MONITOR, "identity-monitors/scim-errors-aws", "type", "metric alert"),
        MONITOR_TYPE,
    ),
    ResourceMutant(
        "monitor-query-alert-on-logs",
        "monitoring",
        "a log monitor typed query alert",
        set_prop(MONITOR, "identity-monitors/iam-user-created", "type", "query alert"),
        MONITOR_TYPE,
    ),
    ResourceMutant(
        "monitor-slo-alert-on-logs",
        "monitoring",
        "a log monitor typed slo alert",
        set_prop(MONITOR, "identity-monitors/scim-errors-okta", "type", "slo alert"),
        MONITOR_TYPE,
    ),
    ResourceMutant(
        "monitor-burn-rate-typed-log",
        "monitoring",
        "the burn-rate monitor typed log alert",
        set_prop(MONITOR, "identity-monitors/sso-burn-rate", "type", "log alert"),
        MONITOR_TYPE,
        needs_known_ids=True,
    ),
    ResourceMutant(
        "slo-numerator-uncreated",
        "monitoring",
        "the SLO's numerator on a metric nothing creates",
        update_prop(
            SLO,
            "identity-monitors/sso-availability",
            "query",
            lambda q: {**q, "numerator": q["numerator"].replace("aws_sso", "aws_sign_in")},
        ),
        SLO_METRIC,
    ),
    ResourceMutant(
        "slo-denominator-uncreated",
        "monitoring",
        "the SLO's denominator on a metric nothing creates",
        update_prop(
            SLO,
            "identity-monitors/sso-availability",
            "query",
            lambda q: {**q, "denominator": "sum:okta.sso{*}.as_count()"},
        ),
        SLO_METRIC,
    ),
    ResourceMutant(
        "slo-metric-renamed",
        "monitoring",
        "the log-based metric the SLO reads renamed",
        set_prop(LOGS_METRIC, "identity-monitors/okta-aws-sso", "name", "frontdoor.identity.okta.sso"),
        SLO_METRIC,
    ),
    # The independent review's misses (M26, M28, M30, M31, M53), each now caught by the named rule.
    ResourceMutant(
        "monitor-type-not-datadogs",
        "monitoring",
        "a log monitor typed 'logs alert', a type Datadog does not have (M26)",
        set_prop(MONITOR, "identity-monitors/failed-okta-sign-ins", "type", "logs alert"),
        MONITOR_TYPE,
    ),
    ResourceMutant(
        "slo-no-aggregator-typo",
        "monitoring",
        "the SLO's queries without a space aggregator, over a typo'd metric (M28)",
        update_prop(
            SLO,
            "identity-monitors/sso-availability",
            "query",
            lambda q: {
                part: replace_in("sum:frontdoor.identity.okta.aws_sso{", "frontdoor.identity.okta.aws_ssos{")(
                    q[part]
                )
                for part in ("numerator", "denominator")
            },
        ),
        SLO_METRIC,
    ),
    ResourceMutant(
        "slo-tag-not-created",
        "monitoring",
        "the SLO's log-based metric loses its outcome group-by: {outcome:success} never has data (M30)",
        set_prop(LOGS_METRIC, "identity-monitors/okta-aws-sso", "groupBies", []),
        SLO_METRIC,
    ),
    ResourceMutant(
        "heartbeat-metric-uncreated",
        "monitoring",
        "the heartbeat monitor watches a metric nothing creates (M31)",
        update_prop(
            MONITOR,
            HEARTBEAT,
            "query",
            replace_in("assume_role_with_saml{", "assume_role_with_saml_events{"),
        ),
        SLO_METRIC,
    ),
    ResourceMutant(
        "iam-monitor-excludes-every-user",
        "monitoring",
        "the IAM-user monitor excludes every user name, so CreateUser never alerts (M53)",
        update_prop(
            MONITOR, IAM_MONITOR, "query", replace_in(BREAK_GLASS_EXCLUSION, "-@requestParameters.userName:*")
        ),
        MONITORS_PRESENT,
    ),
    # Already guarded (kept so they stay guarded).
    ResourceMutant(
        "admin-on-developer-set",
        "demo",
        "AdministratorAccess attached to BillingViewer",
        set_prop(
            MANAGED_ATTACHMENT,
            "BillingViewer/AWSBillingReadOnlyAccess",
            "managedPolicyArn",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ),
        "admin-access-restricted",
    ),
    ResourceMutant(
        "inline-action-star",
        "demo",
        'the team scope allows Action "*" on everything',
        inline_statement("TeamScopedByAbac", lambda s: (s.update(Action="*"), s.pop("Condition"))),
        "no-wildcard-inline-admin",
    ),
    ResourceMutant(
        "vault-iam-user",
        "demo",
        "a Vault role issuing IAM users",
        set_prop(VAULT_ROLE, VAULT_ROLE_NAME, "credentialType", "iam_user"),
        "vault-assumed-role-only",
    ),
    # Independent review b's misses (M09, M21, M37, M38, M51, M55).
    ResourceMutant(
        "vault-targets-organization-admin-role",
        "demo",
        "Vault role_arns name OrganizationAccountAccessRole instead of the StackSet's role (M09)",
        update_prop(VAULT_ROLE, VAULT_ROLE_NAME, "roleArns", admin_role_arns),
        VAULT,
    ),
    ResourceMutant(
        "stack-set-role-administrator",
        "demo",
        "a machine consumer's target role gets AdministratorAccess (M21)",
        target_role_policies(ADMIN_POLICY),
        "admin-access-restricted",
    ),
    ResourceMutant(
        "vault-mount-static-key",
        "demo",
        "the Vault AWS mount given a static access key (M51)",
        set_prop(VAULT_BACKEND, "machines/aws", "accessKey", "AKIAIOSFODNN7EXAMPLE"),
        "vault-assumed-role-only",
    ),
    ResourceMutant(
        "deploy-trust-any-ref",
        "demo",
        "the deploy role trusts repo:OWNER/REPO:* (any branch or pull request may deploy) (M37)",
        deploy_trust("GitHubActionsOidc", loosen_subject),
        GITHUB,
    ),
    ResourceMutant(
        "deploy-self-assume-unpinned",
        "demo",
        "the deployer's self-assumption loses its aws:PrincipalArn pin (the whole account) (M38)",
        deploy_trust("DeployerAssumesItself", drop_condition),
        GITHUB,
    ),
    ResourceMutant(
        "deploy-session-twelve-hours",
        "demo",
        "the GitHub deploy role's session 12 h (M55)",
        set_prop(IAM_ROLE, DEPLOY_ROLE, "maxSessionDuration", 43200),
        GITHUB,
    ),
)

BENIGN_RESOURCE_EDITS: tuple[ResourceMutant, ...] = (
    ResourceMutant(
        "deploy-session-one-hour",
        "demo",
        "the GitHub deploy role's session shortened to 1 h",
        set_prop(IAM_ROLE, DEPLOY_ROLE, "maxSessionDuration", 3600),
        None,
    ),
    ResourceMutant(
        "stack-set-role-read-only",
        "demo",
        "a machine consumer's target role also gets ReadOnlyAccess",
        target_role_policies("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        None,
    ),
    ResourceMutant(
        "abac-extra-bool-clause",
        "demo",
        "the team scope also requires TLS",
        inline_statement(
            "TeamScopedByAbac", lambda s: s["Condition"].update(Bool={"aws:SecureTransport": "true"})
        ),
        None,
    ),
    ResourceMutant(
        "abac-fewer-services",
        "demo",
        "one service fewer in the team scope",
        inline_statement("TeamScopedByAbac", lambda s: s["Action"].remove("sqs:*")),
        None,
    ),
    ResourceMutant(
        "abac-extra-deny",
        "demo",
        "an extra deny of another team's resources",
        add_inline_statement(
            {
                "Sid": "DenyOthers",
                "Effect": "Deny",
                "Action": "s3:DeleteBucket",
                "Resource": "*",
                "Condition": {"StringNotEquals": {RESOURCE_KEY: OWN}},
            }
        ),
        None,
    ),
    ResourceMutant(
        "abac-specific-arn-allow",
        "demo",
        "an unconditioned Allow on one bucket's objects",
        add_inline_statement(
            {
                "Sid": "Docs",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::acme-medical-docs/*",
            }
        ),
        None,
    ),
    ResourceMutant(
        "abac-null-false-beside-equality",
        "demo",
        'Null {"aws:ResourceTag/team": "false"} beside the equality (it only requires the tag)',
        inline_statement("TeamScopedByAbac", lambda s: s["Condition"].update(Null={RESOURCE_KEY: "false"})),
        None,
    ),
    ResourceMutant(
        "abac-extra-list-action",
        "demo",
        "one more List-level action in the navigation statement",
        inline_statement("DescribeForNavigation", lambda s: s["Action"].append("ecs:ListTaskDefinitions")),
        None,
    ),
    ResourceMutant(
        "abac-one-named-table",
        "demo",
        "an unconditioned read of one named table in one account (the same table for every team)",
        add_inline_statement(
            _unscoped(
                "ReferenceData",
                "dynamodb:GetItem",
                "arn:aws:dynamodb:eu-west-1:100000000584:table/reference-data",
            )
        ),
        None,
    ),
    ResourceMutant(
        "abac-extra-no-resource-action",
        "demo",
        "an unconditioned action with no resource-level permissions (sts:GetCallerIdentity)",
        add_inline_statement(_unscoped("WhoAmI", "sts:GetCallerIdentity", "*")),
        None,
    ),
    ResourceMutant(
        "vault-team-moved-consistently",
        "demo",
        "the owner team changed in the tag and the pin alike",
        also(
            set_prop(VAULT_ROLE, VAULT_ROLE_NAME, "sessionTags", {"team": "payments"}), trust(pin("payments"))
        ),
        None,
    ),
    ResourceMutant(
        "stack-set-stops-auto-deploying",
        "demo",
        "the OU StackSet stops auto-deploying",
        set_prop(STACK_SET, OU_STACK_SET, "autoDeployment", {"enabled": False}),
        None,
    ),
    ResourceMutant(
        "monitor-threshold-raised",
        "monitoring",
        "a log monitor's threshold raised",
        update_prop(
            MONITOR, "identity-monitors/failed-okta-sign-ins", "query", lambda q: q.replace("> 25", "> 50")
        ),
        None,
    ),
    ResourceMutant(
        "slo-target-lowered",
        "monitoring",
        "the SLO's target lowered",
        set_prop(SLO, "identity-monitors/sso-availability", "targetThreshold", 99.5),
        None,
    ),
    ResourceMutant(
        "heartbeat-typed-query-alert",
        "monitoring",
        "the heartbeat typed query alert, Datadog's other name for a metric monitor",
        set_prop(MONITOR, HEARTBEAT, "type", "query alert"),
        None,
    ),
    ResourceMutant(
        "logs-metric-gains-a-tag",
        "monitoring",
        "the SLO's log-based metric gains a group-by, and the heartbeat filters on one it has",
        also(
            update_prop(
                LOGS_METRIC,
                "identity-monitors/okta-aws-sso",
                "groupBies",
                lambda g: [*g, {"path": "@actor.alternateId", "tagName": "user"}],
            ),
            update_prop(MONITOR, HEARTBEAT, "query", replace_in("{*}", "{!account:000000000000}")),
        ),
        None,
    ),
    ResourceMutant(
        "iam-monitor-break-glass-reordered",
        "monitoring",
        "the IAM-user monitor names the break-glass users in another order",
        update_prop(
            MONITOR,
            IAM_MONITOR,
            "query",
            replace_in(BREAK_GLASS_EXCLUSION, "-@requestParameters.userName:(breakglass-2 OR breakglass-1)"),
        ),
        None,
    ),
)


# --- config edits (stacks/Pulumi.demo.yaml) --------------------------------------------------------
def machines(values: dict[str, Any]) -> dict[str, Any]:
    section = values.get("frontdoor:machines")
    if not isinstance(section, dict):
        raise EditMissed("no frontdoor:machines section")
    return section


def consumer(values: dict[str, Any], name: str = "legacy-reporting") -> dict[str, Any]:
    consumers = machines(values)["consumers"]
    if name not in consumers:
        raise EditMissed(f"no consumer {name}")
    return consumers[name]


CONFIG_MUTANTS: tuple[ConfigMutant, ...] = (
    ConfigMutant(
        "consumer-owner-not-a-team",
        "a machine owned by a team that does not exist",
        lambda v: consumer(v).update(ownerTeam="nobody"),
        "consumers.legacy-reporting.ownerTeam",
    ),
    ConfigMutant(
        "consumer-ttl-over-chaining-cap",
        "a machine TTL over STS's one-hour chaining cap",
        lambda v: consumer(v).update(maxTtlSeconds=7200),
        "consumers.legacy-reporting.maxTtlSeconds",
    ),
    ConfigMutant(
        "vault-runs-as-a-user",
        "Vault's own credential an IAM user",
        lambda v: machines(v)["vault"].update(vaultRoleArn="arn:aws:iam::100000000371:user/vault"),
        "vault.vaultRoleArn",
    ),
)

BENIGN_CONFIG_EDITS: tuple[ConfigMutant, ...] = (
    ConfigMutant(
        "consumer-described-differently",
        "a machine's description reworded",
        lambda v: consumer(v).update(description="Regulatory reporting, nightly"),
        None,
    ),
    ConfigMutant(
        "consumer-shorter-ttl",
        "a machine's max TTL shortened",
        lambda v: consumer(v, "jenkins-firmware").update(maxTtlSeconds=1800),
        None,
    ),
)


def by_id(mutants: tuple[Any, ...]) -> Mapping[str, Any]:
    ids = [m.id for m in mutants]
    assert len(ids) == len(set(ids)), "mutant ids are unique"
    return {m.id: m for m in mutants}
