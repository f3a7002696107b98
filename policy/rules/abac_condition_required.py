"""Inline Allow statements of a team-scoped document carry the one condition that really scopes them.

One DeveloperAccess set is safe for every team only if each Allow that can reach another team's
resources compares the resource's (or, for a create, the request's) tag with the caller's own, exactly.

A document is team-scoped when any of its statements reads the principal's tag in a condition (a key
`aws:PrincipalTag/<k>` or a value naming `${aws:PrincipalTag/<k>}`); the keys so read are the keys it
scopes by. When the pack config gives the stack's ABAC tag keys (`tagKeys`: every set's `abac.tagKey`,
derived by frontdoor/offline/policy_config.py, the keys the canary's tag chain proves from HR), only
those count: an exact equality on another principal tag (a `costCenter` several teams share) scopes
nothing by team, and an Allow resting on it is judged as unconditioned. Without `tagKeys` (a stack with
no ABAC set, or another program) the keys the document reads are taken as written. The inline policy's
own text is otherwise all a resource rule sees; the demo's ABAC set carries the principal tag in four
statements. A document stripped of every reference to the principal's tag is not
team-scoped to this rule; the canary, which reads the config's ABAC sets, is what catches that.

In a team-scoped document, every Allow statement:

- For each Action pattern (expanded over the IAM Service Authorization Reference data the pack carries,
  `_iam_actions.json`, generated from parliament's iam_definition.json by `make pack-contracts`): each
  action that can act on another team's existing resource must be scoped by the exact team equality
  `StringEquals {"aws:ResourceTag/<k>": "${aws:PrincipalTag/<k>}"}` (or a service's own
  `<service>:ResourceTag/<k>`) in the statement. Such an action is one with a resource type in the
  reference, an access level other than List, and a Resource pattern that leaves another team's
  resources in reach: "*", a non-ARN, or, for one of the action's resource types, an ARN pattern
  with a wildcard in the account or in the resource's name after the type's fixed prefix
  (`arn:aws:ec2:*:*:*`, `...:instance/*`, `arn:aws:s3:::*/*`, `...:table/*`, `...:table/orders*`; a
  literal account is no partition, dev accounts are shared). A pattern of another service or resource
  type does not reach the action's resources; a statement without Resource is judged as "*".
  Not judged: List-level actions and actions without resource types (e.g.
  `ecr:GetAuthorizationToken`), which no resource tag can scope; `ecr:DescribeRepositories`
  (`_NAVIGATION_READS`: Read in the reference, but like the List-level `ec2:Describe*` it returns
  names, URIs and settings, never images); and Resource patterns naming one resource (a literal name in
  a literal account, or in a service whose ARNs carry no account, like an S3 bucket): the same resource
  for every team the set serves, written into the set on purpose. Also not judged: the resources a
  create action uses and does not create, exactly the (action, ARN pattern) pairs of
  `SUPPORTING_RESOURCES` (contracts: `ec2:RunInstances` on AMIs, key pairs, security groups and subnets;
  `ec2:CreateSecurityGroup` on VPCs), which the ABAC template allows unconditioned because a public AMI
  or the platform's subnet carries no team tag; any other pattern beside them (`snapshot/*`) or any
  other action on them is judged. That another team's security group stays out of a launch is the
  template's `DenyLaunchWithAnotherTeamsSecurityGroup` and the canary's business.
- A statement scoped only by the request-tag equality `StringEquals {"aws:RequestTag/<k>": ...}`
  is scoped for the actions that take a request tag (the reference lists `aws:RequestTag/${TagKey}`
  for them: creates and tag actions) and those named `Create*` (s3:CreateBucket takes tags since
  botocore's `CreateBucketConfiguration.Tags`, which the pinned data predates); any other action in it
  needs the resource-tag equality.
  That a tag action cannot stamp the caller's team on another team's resource is the document's denies'
  business (the demo's `DenyTeamTagChangeOnOthers`), not this rule's.
- An action the reference does not list (a misspelling, a service newer than the pinned data) fails
  closed, named, unless the statement carries the resource-tag equality.
- Every clause that scopes by team (its value names `${aws:PrincipalTag/...}`, or its key is a
  resource or request tag of a key the document scopes by) is that equality and nothing else:
  `StringNotEquals` inverts it, `...IfExists` passes when the tag is absent, `StringLike` with a
  wildcard or a second value beside the variable lets other values through, and `ForAllValues` on a
  single-valued key is true when the key is missing. The IAM user guide ("Single-valued vs.
  multivalued context keys") says not to use a set operator with a single-valued key such as
  `aws:ResourceTag/<k>`; a multivalued key (`aws:TagKeys`) takes `ForAnyValue:StringEquals`. The one
  other clause allowed on such a key is `Null: "false"`, which only requires the tag to be present.

In every inline policy (team-scoped or not):

- An Allow with `NotAction` or `NotResource` grants everything it does not list, which no tag
  condition was written to bound; it is refused.
- In a document that is not team-scoped, a service-wide wildcard ("ec2:*") on Resource "*" carries
  the resource-tag equality (the rule's earlier claim, kept). Action "*" is also no-wildcard-inline-admin's.

Messages name the permission set (the program registers its inline policy as `<set>/inline`), the
statement's Sid (or position), the action pattern with up to three of the actions it reaches, and the fix.
A document that cannot be parsed is reported (fail closed). Unknown at preview: an unknown
`inlinePolicy` defers the rule (SDK advisory "can't run policy during preview").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from . import _iam_reference
from ._common import INLINE_POLICY, statement_label, statements, string_list
from ._contracts import SUPPORTING_RESOURCES

NAME = "abac-condition-required"
DESCRIPTION = (
    "In an inline policy that reads the principal's tag, every Allow whose actions (IAM reference: a "
    "resource type, not List) reach resources another team may own carries StringEquals ResourceTag = "
    "PrincipalTag (RequestTag for creates); every team-scoping condition is exactly that equality; no "
    "Allow uses NotAction or NotResource."
)
ENFORCEMENT = EnforcementLevel.MANDATORY

_SERVICE_WILDCARD = re.compile(r"^[a-z0-9-]+:\*$", re.IGNORECASE)
# Resource tags: the global key and the services' own (`secretsmanager:ResourceTag/tag-key`, ...).
_RESOURCE_TAG = re.compile(r"^[a-z0-9-]+:ResourceTag/(.+)$", re.IGNORECASE)
_REQUEST_TAG = re.compile(r"^aws:RequestTag/(.+)$", re.IGNORECASE)
_PRINCIPAL_TAG_KEY = re.compile(r"^aws:PrincipalTag/(.+)$", re.IGNORECASE)
_PRINCIPAL_TAG_VARIABLE = re.compile(r"\$\{aws:PrincipalTag/([^}]+)\}", re.IGNORECASE)
# Multivalued keys among those a team-scoping clause may use (IAM global condition keys: "Multivalued").
_MULTIVALUED_KEYS = frozenset({"aws:tagkeys"})
_SET_OPERATORS = ("ForAnyValue:", "ForAllValues:")
# Reads the reference classes Read although, like the List-level ec2:Describe*, they return what a
# console's navigation shows (names, ARNs, settings), never contents. Each is named, with why:
# ecr:DescribeRepositories returns repository names, URIs and settings, never an image or layer (images
# need ecr:BatchGetImage / GetDownloadUrlForLayer, which stay scoped); the demo's DescribeForNavigation.
_NAVIGATION_READS = frozenset({"ecr:describerepositories"})


@dataclass(frozen=True)
class _Clause:
    operator: str
    key: str
    values: list[str]

    @property
    def tag_key(self) -> str | None:
        """The tag key of a resource or request tag condition key, else None."""
        match = _RESOURCE_TAG.match(self.key) or _REQUEST_TAG.match(self.key)
        return match.group(1) if match else None


def findings(props: Mapping[str, Any], config: Mapping[str, Any], name: str = "") -> list[str]:
    tag_keys = config.get("tagKeys")
    try:
        return _findings(
            props.get("inlinePolicy"), _set_name(name), None if tag_keys is None else list(tag_keys)
        )
    except ValueError as error:
        return [f"cannot check the inline policy: {error}; fix the document so the pack can verify it"]


def _set_name(resource_name: str) -> str:
    """The permission set an inline policy belongs to, as its messages name it: the program registers
    a set's inline policy as `<set>/inline`; any other logical name is shown whole."""
    return resource_name.removesuffix("/inline") or "(unnamed)"


def _findings(document: Any, set_name: str = "(unnamed)", tag_keys: list[str] | None = None) -> list[str]:
    parsed = statements(document)
    scoped_keys = _scoped_tag_keys(parsed)
    if tag_keys is not None:
        # The stack's ABAC tag keys (its sets' `abac.tagKey`, the keys the tag chain proves from HR): an
        # equality on another principal tag (a cost centre several teams share) scopes nothing by team.
        configured = {k.lower() for k in tag_keys}
        scoped_keys = {k for k in scoped_keys if k.lower() in configured}
    messages = []
    for index, statement in enumerate(parsed):
        if statement.get("Effect") != "Allow":
            continue
        label = f'inline policy of permission set "{set_name}", statement {statement_label(statement, index)}'
        for element in ("NotAction", "NotResource"):
            if element in statement:
                listed = element.removeprefix("Not")
                messages.append(
                    f"{label} is an Allow with {element} "
                    f"{_shown(string_list(statement[element], element))}, which grants everything it "
                    f"does not list; name the allowed {listed.lower()}s in {listed} instead"
                )
        clauses = _clauses(statement.get("Condition"))
        scoping = [c for c in clauses if _scopes_by_team(c, scoped_keys)]
        for clause in scoping:
            reason = _refusal(clause)
            if reason:
                messages.append(
                    f"{label} scopes by team with "
                    f'"{clause.operator}": {{"{clause.key}": {_shown(clause.values)}}}, but {reason}; '
                    f"use {_fix(clause)}"
                )
        if scoped_keys:
            if "NotAction" not in statement and "NotResource" not in statement:
                messages += _reach(statement, label, scoping, scoped_keys, tag_keys is not None)
        elif _service_wide(statement):
            wildcards = [
                a for a in string_list(statement.get("Action"), "Action") if _SERVICE_WILDCARD.match(a)
            ]
            messages.append(
                f"{label} allows "
                f'{", ".join(wildcards)} on Resource "*" without an ABAC condition; add '
                '"Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}} '
                "or scope Resource to specific ARNs"
            )
    return messages


def _reach(
    statement: Mapping[str, Any],
    where: str,
    scoping: list[_Clause],
    scoped_keys: set[str],
    configured: bool = False,
) -> list[str]:
    """The findings of one Allow of a team-scoped document: each Action pattern that names actions able
    to reach another team's existing resources without the team equality, and each unknown action."""
    exact = [
        c
        for c in scoping
        if c.operator == "StringEquals"
        and _refusal(c) is None
        and (c.tag_key or "").lower() in {k.lower() for k in scoped_keys}
    ]
    if any(_RESOURCE_TAG.match(c.key) for c in exact):
        return []
    request_scoped = any(_REQUEST_TAG.match(c.key) for c in exact)
    resources = string_list(statement.get("Resource"), "Resource") or ["*"]
    scoped = {k.lower() for k in scoped_keys}
    # The fix names the key the statement's clause uses when the document scopes by it; else (a
    # clause on another principal tag, when the stack's keys are known) the stack's key.
    tagged = [c.tag_key for c in scoping if c.tag_key]
    key = next((k for k in tagged if k.lower() in scoped), None)
    if key is None:
        key = (
            min(scoped_keys, key=str.lower)
            if configured
            else next(iter(tagged), min(scoped_keys, key=str.lower))
        )
    fix = (
        f'add "Condition": {{"StringEquals": {{"aws:ResourceTag/{key}": "${{aws:PrincipalTag/{key}}}"}}}} '
        "(a separate statement for the create actions, on aws:RequestTag), or name the resources in Resource"
    )
    messages = []
    for pattern in string_list(statement.get("Action"), "Action"):
        actions = _iam_reference.expand(pattern)
        if not actions:
            messages.append(
                f"{where} allows {pattern}, which the pack's IAM Service Authorization Reference data "
                f"({_iam_reference.source()}) does not list, so the pack cannot tell which resources it "
                f"reaches; correct the action's name, or {fix}"
            )
            continue
        reaching = [
            a
            for a in actions
            if not _exempt(a)
            and not (request_scoped and _creates(a))
            and any(_reaches(r, a) for r in resources)
        ]
        if not reaching:
            continue
        broad = [r for r in resources if any(_reaches(r, a) for a in reaching)]
        condition = (
            "with only the request-tag condition, which scopes only actions that create a resource or "
            "take a request tag,"
            if request_scoped
            else "without the team condition,"
        )
        examples = ", ".join(f"{a.full_name} ({a.level_names})" for a in reaching[:3])
        count = "1 action that acts" if len(reaching) == 1 else f"{len(reaching)} actions that act"
        messages.append(
            f"{where} allows {pattern} on Resource {_shown(broad)} {condition} so another team's "
            f"resources are open to {count} on existing resources (IAM Service Authorization "
            f"Reference: a resource type, access level other than List): {examples}"
            f"{', ...' if len(reaching) > 3 else ''}; {fix}"
        )
    return messages


def _reaches(resource: str, action: _iam_reference.IamAction) -> bool:
    """Whether `resource` leaves another team's resources open to `action`; the resources a create
    action uses and does not create, exactly as the ABAC template names them (`SUPPORTING_RESOURCES`,
    shared with the program through _contracts.py), do not count."""
    supporting = SUPPORTING_RESOURCES.get(action.full_name, ("", ()))[1]
    return resource not in supporting and _iam_reference.covers_another_teams_resources(resource, action)


def _exempt(action: _iam_reference.IamAction) -> bool:
    """List-level actions and actions without resource-level permissions, which no resource tag can
    scope; and the named navigation reads (`_NAVIGATION_READS`)."""
    return action.list_only or not action.arn_formats or action.full_name.lower() in _NAVIGATION_READS


def _creates(action: _iam_reference.IamAction) -> bool:
    """An action a request-tag equality scopes: it takes aws:RequestTag (creates, or tags on create), or
    it creates a resource (`Create*`: s3:CreateBucket takes tags since botocore's
    CreateBucketConfiguration.Tags, which the pinned reference data predates)."""
    return action.takes_request_tag or action.name.lower().startswith("create")


def _service_wide(statement: Mapping[str, Any]) -> bool:
    return "*" in string_list(statement.get("Resource"), "Resource") and any(
        _SERVICE_WILDCARD.match(a) for a in string_list(statement.get("Action"), "Action")
    )


def _scoped_tag_keys(parsed: list[dict[str, Any]]) -> set[str]:
    """The tag keys the document scopes by: those it reads from the principal's tags (as written)."""
    keys: set[str] = set()
    for statement in parsed:
        for clause in _clauses(statement.get("Condition")):
            principal = _PRINCIPAL_TAG_KEY.match(clause.key)
            if principal:
                keys.add(principal.group(1))
            for value in clause.values:
                keys.update(_PRINCIPAL_TAG_VARIABLE.findall(value))
    return keys


def _clauses(condition: Any) -> list[_Clause]:
    if condition is None:
        return []
    if not isinstance(condition, Mapping):
        raise ValueError(f"statement Condition must be an object, got {condition!r}")
    clauses = []
    for operator, block in condition.items():
        if not isinstance(block, Mapping):
            raise ValueError(
                f"statement Condition operator {operator} must map keys to values, got {block!r}"
            )
        for key, value in block.items():
            items = value if isinstance(value, list) else [value]
            clauses.append(_Clause(operator, key, string_list([_text(v) for v in items], "Condition value")))
    return clauses


def _text(value: Any) -> Any:
    """A JSON boolean or number condition value as IAM compares it ({"Bool": {"aws:SecureTransport":
    false}}); anything else as it is (string_list refuses what is not a string)."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, int | float) else value


def _scopes_by_team(clause: _Clause, scoped_keys: set[str]) -> bool:
    if any(_PRINCIPAL_TAG_VARIABLE.search(value) for value in clause.values):
        return True
    tag_key = clause.tag_key
    return tag_key is not None and tag_key.lower() in {k.lower() for k in scoped_keys}


def _refusal(clause: _Clause) -> str | None:
    """Why a team-scoping clause does not scope by team, or None when it is the exact equality."""
    operator = clause.operator
    if operator == "Null":
        # Null "false" requires the tag to be present: beside the equality it narrows, never widens.
        if clause.values == ["false"]:
            return None
        return f"Null {_shown(clause.values)} matches requests in which {clause.key} is absent"
    set_operator = next((p for p in _SET_OPERATORS if operator.startswith(p)), None)
    base = operator.removeprefix(set_operator) if set_operator else operator
    multivalued = clause.key.lower() in _MULTIVALUED_KEYS
    if base.endswith("IfExists"):
        return f"{operator} is true when {clause.key} is absent from the request"
    if base != "StringEquals":
        return f"{operator} is not the exact equality StringEquals"
    if set_operator == "ForAllValues:":
        return f"ForAllValues is true when {clause.key} is absent from the request"
    if set_operator and not multivalued:
        return (
            f"{clause.key} is single-valued and takes no set operator "
            "(IAM: single-valued vs. multivalued keys)"
        )
    if not set_operator and multivalued:
        return f"{clause.key} is multivalued and needs ForAnyValue"
    expected = _variable(clause)
    if clause.values != [expected]:
        return f"its value must be {expected} and nothing else"
    return None


def _variable(clause: _Clause) -> str:
    """The principal-tag variable the clause's key must equal: the same tag key."""
    tag_key = clause.tag_key
    if tag_key is not None:
        return "${aws:PrincipalTag/" + tag_key + "}"
    named = [k for value in clause.values for k in _PRINCIPAL_TAG_VARIABLE.findall(value)]
    return "${aws:PrincipalTag/" + (named[0] if named else "<key>") + "}"


def _fix(clause: _Clause) -> str:
    operator = "ForAnyValue:StringEquals" if clause.key.lower() in _MULTIVALUED_KEYS else "StringEquals"
    return f'"{operator}": {{"{clause.key}": "{_variable(clause)}"}}'


def _shown(value: Any) -> str:
    items = [value] if isinstance(value, str) else list(value)
    return "[" + ", ".join(f'"{item}"' for item in items) + "]" if len(items) != 1 else f'"{items[0]}"'


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != INLINE_POLICY:
        return
    for message in findings(args.props, args.get_config(), args.name):
        report(message, None)


# The stack's ABAC tag keys (frontdoor/offline/policy_config.py); absent: the document's own keys.
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={"tagKeys": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}}
)

POLICY = ResourceValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
