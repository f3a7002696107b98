"""Helpers shared by the rules: type tokens, config reading, policy documents, durations, stack views.

Nothing here reports a violation itself. Parsing helpers raise `ValueError` with a message fit for
a violation, and each rule turns that into a report (fail closed).
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
    _DictProxy,
    _ListProxy,
)
from pulumi_policy.secret import _DictSecretsProxy, _ListSecretsProxy

# What the program shares lives in _contracts (generated from frontdoor's); re-exported for the rules:
# the tokens, today's date (FRONTDOOR_TODAY pins it) and the pack config's numbers.
from ._contracts import (
    ACCESS_ANALYZER as ACCESS_ANALYZER,
)
from ._contracts import (
    ACCESS_CONTROL_ATTRIBUTES as ACCESS_CONTROL_ATTRIBUTES,
)
from ._contracts import (
    ACCESS_PLATFORM as ACCESS_PLATFORM,
)
from ._contracts import (
    ACCOUNT_ASSIGNMENT as ACCOUNT_ASSIGNMENT,
)
from ._contracts import (
    BREAK_GLASS_PATH as BREAK_GLASS_PATH,
)
from ._contracts import (
    CONFIG_CUSTOM_POLICY_RULE as CONFIG_CUSTOM_POLICY_RULE,
)
from ._contracts import (
    CONFIG_IAM_USER_TYPE as CONFIG_IAM_USER_TYPE,
)
from ._contracts import (
    CONFIG_MANAGED_RULE as CONFIG_MANAGED_RULE,
)
from ._contracts import (
    CUSTOMER_MANAGED_ATTACHMENT as CUSTOMER_MANAGED_ATTACHMENT,
)
from ._contracts import (
    DATADOG_MONITOR as DATADOG_MONITOR,
)
from ._contracts import (
    DATADOG_MONITORS as DATADOG_MONITORS,
)
from ._contracts import (
    IAM_LOGIN_PROFILE as IAM_LOGIN_PROFILE,
)
from ._contracts import (
    IAM_ROLE as IAM_ROLE,
)
from ._contracts import (
    IAM_USER as IAM_USER,
)
from ._contracts import (
    INLINE_POLICY as INLINE_POLICY,
)
from ._contracts import (
    MANAGED_ATTACHMENT as MANAGED_ATTACHMENT,
)
from ._contracts import (
    OKTA_APP_GROUP_ASSIGNMENTS as OKTA_APP_GROUP_ASSIGNMENTS,
)
from ._contracts import (
    OKTA_GROUP as OKTA_GROUP,
)
from ._contracts import (
    OKTA_GROUP_ASSIGNMENT as OKTA_GROUP_ASSIGNMENT,
)
from ._contracts import (
    OKTA_PROFILE_MAPPING as OKTA_PROFILE_MAPPING,
)
from ._contracts import (
    OKTA_PUSH_GROUP as OKTA_PUSH_GROUP,
)
from ._contracts import (
    OKTA_SAML_APP as OKTA_SAML_APP,
)
from ._contracts import (
    ORG_POLICY as ORG_POLICY,
)
from ._contracts import (
    ORG_POLICY_ATTACHMENT as ORG_POLICY_ATTACHMENT,
)
from ._contracts import (
    ORGANIZATION_PLUMBING as ORGANIZATION_PLUMBING,
)
from ._contracts import (
    PERMISSION_SET as PERMISSION_SET,
)
from ._contracts import (
    POSTURE_KEYS_ROTATED_RULE as POSTURE_KEYS_ROTATED_RULE,
)
from ._contracts import (
    POSTURE_UNUSED_CREDENTIALS_RULE as POSTURE_UNUSED_CREDENTIALS_RULE,
)
from ._contracts import (
    SAML_APP_COMPONENT as SAML_APP_COMPONENT,
)
from ._contracts import (
    SAML_CERTIFICATE_EXPIRY_KEY as SAML_CERTIFICATE_EXPIRY_KEY,
)
from ._contracts import (
    SCIM_PROVISIONING as SCIM_PROVISIONING,
)
from ._contracts import (
    UNUSED_ACCESS_ANALYZER_TYPE as UNUSED_ACCESS_ANALYZER_TYPE,
)
from ._contracts import (
    VAULT_AWS_ROLE as VAULT_AWS_ROLE,
)
from ._contracts import (
    config_number as config_number,
)
from ._contracts import (
    session_hours,
)
from ._contracts import (
    today as today,
)

# ---- type tokens only the pack reads (technical-facts §1, §2); the shared ones are in _contracts ----
IAM_ACCESS_KEY = "aws:iam/accessKey:AccessKey"
MANAGED_ATTACHMENTS_EXCLUSIVE = (
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive"
)

DELEGATED_ADMINISTRATOR = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
STACK_SET = "aws:cloudformation/stackSet:StackSet"
DATADOG_SLO = "datadog:index/serviceLevelObjective:ServiceLevelObjective"
DATADOG_LOGS_METRIC = "datadog:index/logsMetric:LogsMetric"
# What a first run registers while a stage-a precondition fails (frontdoor/domain/planning/bootstrap.py,
# docs/first-run.md stage a), besides its providers.
FIRST_RUN_STAGE_A = frozenset({ACCESS_PLATFORM, ORGANIZATION_PLUMBING, DELEGATED_ADMINISTRATOR})

SCP_TYPE = "SERVICE_CONTROL_POLICY"
ADMIN_POLICY_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::aws:policy/AdministratorAccess$")
SAML_ACCESS_CONTROL_PREFIX = "https://aws.amazon.com/SAML/Attributes/AccessControl:"

_UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_STRING_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_OBJECT_VALUE,
    }
)


# ---- unknown values -----------------------------------------------------------------------------
def is_unknown(value: Any) -> bool:
    """True for the engine's "not known during preview" sentinels (as the SDK deserializes them)."""
    return isinstance(value, str) and value in _UNKNOWN_SENTINELS


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Unwrap the SDK's unknown-checking proxies into plain dicts/lists, keeping unknown sentinels.

    Stack rules read through this so that one unknown output defers only the judgement that needs it,
    instead of the whole stack policy.
    """
    # Exact-type fast path first: AnalyzeStack unwraps every property of every resource once per
    # stack rule, and the abstract-class checks below dominated its profile at 2,000 accounts.
    kind_of = type(value)
    if kind_of in _SCALARS:
        return value
    if kind_of is dict:
        return {k: plain(v) for k, v in value.items()}
    if kind_of is list:
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        target = _proxy_target(value)
        return {k: plain(target[k]) for k in target}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        target = _proxy_target(value)
        return [plain(v) for v in target]
    return value


def _proxy_target(value: Any) -> Any:
    # The proxies expose their raw target under "__target" (what the SDK's own serializer uses).
    if isinstance(value, _DictProxy | _ListProxy | _DictSecretsProxy | _ListSecretsProxy):
        return value["__target"]
    return value


def unknown_at(where: str) -> NoReturn:
    """Defer the whole rule: raise the SDK's UnknownValueError for a value unknown at preview."""
    raise UnknownValueError(UNKNOWN_STRING_VALUE, [where])


def defer(value: Any, where: str) -> None:
    """Raise the SDK's UnknownValueError (advisory "can't run during preview") if `value` is unknown."""
    if is_unknown(value):
        raise UnknownValueError(value, [where])


# ---- config -------------------------------------------------------------------------------------
def config_str(config: Mapping[str, Any], key: str, default: str) -> str:
    value = config.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"pack config {key} must be a string, got {value!r}")
    return value


def config_str_list(config: Mapping[str, Any], key: str, default: Sequence[str] = ()) -> list[str]:
    value = config.get(key, list(default))
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"pack config {key} must be a list of strings, got {value!r}")
    return list(value)


def kind(value: Any) -> str:
    """A JSON-ish name for a value's type, for messages (proxies are an SDK detail)."""
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return "a list"
    return "null" if value is None else type(value).__name__


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# ---- IAM policy documents -----------------------------------------------------------------------
def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of an IAM/SCP policy document given as a JSON string; ValueError if malformed."""
    if not isinstance(document, str):
        raise ValueError(f"policy document must be a JSON string, got {kind(document)}")
    try:
        parsed = json.loads(document)
    except json.JSONDecodeError as error:
        raise ValueError(f"policy document is not valid JSON ({error})") from error
    if not isinstance(parsed, dict):
        raise ValueError("policy document must be a JSON object")
    raw = parsed.get("Statement")
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not all(isinstance(s, dict) for s in items):
        raise ValueError("policy document Statement must be an object or a list of objects")
    return items


def string_list(value: Any, element: str) -> list[str]:
    """A policy element that may be a string or a list of strings; ValueError otherwise."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ValueError(f"statement {element} must be a string or a list of strings, got {value!r}")
    return items


def statement_label(statement: Mapping[str, Any], index: int) -> str:
    sid = statement.get("Sid")
    return f'"{sid}"' if isinstance(sid, str) and sid else f"#{index + 1}"


def action_covers(pattern: str, action: str) -> bool:
    """True when the IAM action pattern (with * and ?) matches the action; IAM actions ignore case."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


# ---- ISO-8601 durations -------------------------------------------------------------------------
def duration_hours(value: str) -> float:
    """Hours in a session duration such as PT8H or PT90M; ValueError for anything else.

    The program's grammar exactly (`_contracts.session_hours`, pinned to frontdoor's by a test):
    hours and minutes only, since Identity Center session durations are 1-12 hours.
    """
    return session_hours(value)


# ---- stack views --------------------------------------------------------------------------------
@dataclass(frozen=True)
class StackResource:
    """A light, plain view of one resource for stack rules (tests build these directly).

    `props` are outputs with unknown values kept as the engine's sentinels (see `is_unknown`);
    `property_dependencies` maps a property name to the URNs its value was computed from.
    """

    type: str
    urn: str
    name: str
    props: Mapping[str, Any]
    protect: bool = False
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


# The last stack unwrapped: (the SDK's resource list, its view). The pack's servicer hands every stack
# rule of one AnalyzeStack the same list (policy/runtime.py), so the stack is unwrapped once per
# request rather than once per stack rule. Keyed by identity and holding the list, so it cannot be a
# different list at a reused address; rules only read the view.
_last_view: tuple[object, list[StackResource]] | None = None


def stack_view(resources: Iterable[PolicyResource]) -> list[StackResource]:
    global _last_view
    last = _last_view  # read once: the pack serves requests on several threads
    if last is not None and last[0] is resources:
        return last[1]
    view = _stack_view(resources)
    _last_view = (resources, view)
    return view


def _stack_view(resources: Iterable[PolicyResource]) -> list[StackResource]:
    return [
        StackResource(
            type=r.resource_type,
            urn=r.urn,
            name=r.name,
            props=plain(r.props),
            protect=bool(r.opts.protect),
            parent=r.parent.urn if r.parent is not None else None,
            dependencies=tuple(d.urn for d in r.dependencies),
            property_dependencies={k: tuple(d.urn for d in v) for k, v in r.property_dependencies.items()},
        )
        for r in resources
    ]


def first_run_stage_a(resources: Sequence[StackResource]) -> bool:
    """The stack holds first-run stage a and nothing else: the organization plumbing, which `pulumi up`
    must be able to apply before the stack's guardrails and detectors can exist (their own preconditions
    are what stage a sets up). The stack rules that require those guardrails wait for the run after."""
    return any(r.type == ORGANIZATION_PLUMBING for r in resources) and all(
        r.type in FIRST_RUN_STAGE_A or r.type.startswith("pulumi:providers:") for r in resources
    )


def of_type(resources: Iterable[StackResource], *types: str) -> list[StackResource]:
    return [r for r in resources if r.type in types]


def resolve(
    holder: StackResource, prop: str, candidates: Sequence[StackResource], output: str
) -> StackResource | None:
    """The candidate that `holder.props[prop]` refers to: equal to its `output`, or by dependency.

    Values are compared when both are known; otherwise the property's dependencies decide (the
    engine records which resources a property was computed from, which is how a reference is
    resolved at preview when ids and ARNs are still unknown). None when nothing matches.
    """
    value = holder.props.get(prop)
    if value is not None and not is_unknown(value):
        for candidate in candidates:
            if candidate.props.get(output) == value:
                return candidate
    by_urn = {c.urn: c for c in candidates}
    # Plain `dependencies` are only a fallback for an unknown value: a known value that matches no
    # candidate must not be "resolved" through an unrelated depends_on.
    fallback = holder.dependencies if value is None or is_unknown(value) else ()
    for urn in (*holder.property_dependencies.get(prop, ()), *fallback):
        if urn in by_urn:
            return by_urn[urn]
    return None


def display(value: Any) -> str:
    return "(unknown until deployment)" if is_unknown(value) else json.dumps(value)
