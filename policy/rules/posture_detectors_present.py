"""The IAM-user detectors stay in place and exempt nothing but the break-glass users at their path.

When the stack declares `frontdoor:posture` (pack config `required: true`, written by
`frontdoor policy-config`), four resources must exist: the AWS Config organization managed rules
IAM_USER_UNUSED_CREDENTIALS_CHECK and ACCESS_KEYS_ROTATED, an organization custom policy (Guard)
rule scoped to `AWS::IAM::User`, and an Access Analyzer analyzer of type ORGANIZATION_UNUSED_ACCESS.

Whether required or not, any such detector in the stack must not exempt more than the break-glass
users: no `excludedAccounts` beyond `excludableAccounts` (the accounts that record no AWS::IAM::User, as
the stack's estate says: an organization Config rule fails to create in such an account, so the program
excludes exactly those and reports them), no `resourceIdScope`/`tagKeyScope` narrowing, no analyzer
exclusions,
and the Guard policy's only exemption is `configuration.path == "<breakGlassPath>"` together with
`configuration.userName IN [...]` over `breakGlassUsers` (a root path, a path comparison of any
other form, a name outside the list or names without the path are refused). A Guard text this rule
cannot read is reported (fails closed).

Unknown at preview: a policy text or exclusion list unknown at preview defers the rule (SDK advisory
"can't run policy during preview"); the update run judges the real value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from ._common import (
    ACCESS_ANALYZER,
    ACCESS_PLATFORM,
    BREAK_GLASS_PATH,
    CONFIG_CUSTOM_POLICY_RULE,
    CONFIG_IAM_USER_TYPE,
    CONFIG_MANAGED_RULE,
    POSTURE_KEYS_ROTATED_RULE,
    POSTURE_UNUSED_CREDENTIALS_RULE,
    UNUSED_ACCESS_ANALYZER_TYPE,
    StackResource,
    config_str,
    config_str_list,
    first_run_stage_a,
    is_unknown,
    of_type,
    stack_view,
    unknown_at,
)

NAME = "posture-detectors-present"
DESCRIPTION = (
    "AWS Config rules and an unused-access analyzer find IAM users and old keys; "
    "they exempt only the break-glass users at their path."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "required": {
            "type": "boolean",
            "default": False,
            "description": "The stack declares frontdoor:posture: all four detectors must exist.",
        },
        "breakGlassPath": {
            "type": "string",
            "default": BREAK_GLASS_PATH,
            "description": "The break-glass users' IAM path: the only path the Guard rule may exempt.",
        },
        "breakGlassUsers": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "The break-glass user names: the only names the Guard rule may exempt.",
        },
        "excludableAccounts": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Accounts with no recorder of AWS::IAM::User (the estate's configRecording): the "
            "only accounts the Config rules may exclude.",
        },
    }
)

# The detectors the program registers (the contract's identifiers), under this rule's short names.
UNUSED_CREDENTIALS = POSTURE_UNUSED_CREDENTIALS_RULE
KEYS_ROTATED = POSTURE_KEYS_ROTATED_RULE
IAM_USER = CONFIG_IAM_USER_TYPE
UNUSED_ACCESS = UNUSED_ACCESS_ANALYZER_TYPE

_PATH_CLAUSE = re.compile(r'configuration\.path\s*==\s*"([^"]*)"')
_PATH_ANY = re.compile(r"configuration\.path\b")
_NAME_CLAUSE = re.compile(r"configuration\.userName\s+IN\s+\[([^\]]*)\]")
_NAME_ABSENT = re.compile(r"configuration\.userName\s+!exists")
_NAME_ANY = re.compile(r"configuration\.userName\b")
_QUOTED = re.compile(r'"([^"]*)"')


def guard_exemption_problems(text: str, path: str, users: Sequence[str]) -> list[str]:
    """What the Guard text exempts beyond `users` at `path` (empty when it exempts no more)."""
    problems: list[str] = []
    paths = _PATH_CLAUSE.findall(text)
    if len(_PATH_ANY.findall(text)) != len(paths):
        problems.append('compares configuration.path other than with == "<path>"')
    for found in paths:
        if found != path:
            problems.append(f"exempts path {found!r}, not the break-glass path {path!r}")
    name_lists = _NAME_CLAUSE.findall(text)
    absent = _NAME_ABSENT.findall(text)
    if len(_NAME_ANY.findall(text)) != len(name_lists) + len(absent):
        problems.append("compares configuration.userName other than with IN [...]")
    names = sorted({name for listed in name_lists for name in _QUOTED.findall(listed)})
    extra = [name for name in names if name not in users]
    if extra:
        problems.append(f"exempts users {extra} that are not break-glass users {sorted(users)}")
    if not absent and not (paths and name_lists):
        problems.append("must require both the break-glass path and the break-glass user names")
    return problems


def _exclusions(resource: StackResource, unknown: list[str], excludable: Sequence[str] = ()) -> list[str]:
    problems: list[str] = []
    for key in ("excludedAccounts", "resourceIdScope", "tagKeyScope", "tagValueScope"):
        value = resource.props.get(key)
        if is_unknown(value):
            unknown.append(f"{resource.urn}.{key}")
        elif key == "excludedAccounts" and isinstance(value, list):
            beyond = sorted(str(account) for account in value if account not in excludable)
            if beyond:
                problems.append(
                    f"excludedAccounts {beyond!r} exempts accounts that record IAM users (excludable: only "
                    f"the accounts without a recorder, {sorted(excludable)!r})"
                )
        elif value:
            problems.append(f"{key} {value!r} exempts resources from the rule")
    return problems


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    try:
        required = bool(config.get("required", False))
        path = config_str(config, "breakGlassPath", BREAK_GLASS_PATH)
        users = config_str_list(config, "breakGlassUsers")
        excludable = config_str_list(config, "excludableAccounts")
    except ValueError as error:
        return [(None, f"cannot check the posture detectors: {error}; fix the pack config")]
    result: list[tuple[str | None, str]] = []
    unknown: list[str] = []
    present: set[str] = set()
    fix = (
        "exempt only the break-glass users at their path (frontdoor:posture / frontdoor:guardrails "
        "breakGlassUserNames); remove the exclusion"
    )
    for rule in of_type(resources, CONFIG_MANAGED_RULE):
        identifier = rule.props.get("ruleIdentifier")
        if is_unknown(identifier):
            # It may be one of the two detectors: neither "present" nor "missing" can be said.
            unknown.append(f"{rule.urn}.ruleIdentifier")
            continue
        if identifier not in (UNUSED_CREDENTIALS, KEYS_ROTATED):
            continue
        present.add(str(identifier))
        for problem in _exclusions(rule, unknown, excludable):
            result.append((rule.urn, f"Config rule {identifier}: {problem}; fix: {fix}"))
    for rule in of_type(resources, CONFIG_CUSTOM_POLICY_RULE):
        scopes = rule.props.get("resourceTypesScopes")
        text = rule.props.get("policyText")
        if is_unknown(scopes) or is_unknown(text):
            unknown.append(f"{rule.urn}.policyText")
            continue
        if IAM_USER not in (scopes or []) and IAM_USER not in str(text or ""):
            continue
        present.add(IAM_USER)
        problems = _exclusions(rule, unknown, excludable)
        if not isinstance(text, str) or f'resourceType == "{IAM_USER}"' not in text:
            problems.append(f'cannot read the Guard policy: no `when resourceType == "{IAM_USER}"` clause')
        else:
            problems.extend(guard_exemption_problems(text, path, users))
        for problem in problems:
            result.append((rule.urn, f"Guard rule for IAM users: {problem}; fix: {fix}"))
    for analyzer in of_type(resources, ACCESS_ANALYZER):
        analyzer_type = analyzer.props.get("type")
        if is_unknown(analyzer_type):
            unknown.append(f"{analyzer.urn}.type")
            continue
        if analyzer_type != UNUSED_ACCESS:
            continue
        present.add(UNUSED_ACCESS)
        configuration = analyzer.props.get("configuration") or {}
        unused = configuration.get("unusedAccess") if isinstance(configuration, Mapping) else None
        rule_config = unused.get("analysisRule") if isinstance(unused, Mapping) else None
        exclusions = rule_config.get("exclusions") if isinstance(rule_config, Mapping) else None
        # An unknown anywhere on the way to the exclusions could hide one: never a silent pass.
        hidden = next((v for v in (configuration, unused, rule_config, exclusions) if is_unknown(v)), None)
        if hidden is not None:
            unknown.append(f"{analyzer.urn}.configuration.unusedAccess.analysisRule.exclusions")
        elif exclusions:
            result.append(
                (
                    analyzer.urn,
                    f"unused-access analyzer: analysisRule exclusions exempt accounts or tags; fix: {fix}",
                )
            )
    # A first run registers the organization stage alone (frontdoor/domain/planning/bootstrap.py), the
    # platform and its plumbing included: the detectors need stage a's trusted access, so they are
    # required once the stack holds more than stage a.
    if required and any(r.type == ACCESS_PLATFORM for r in resources) and not first_run_stage_a(resources):
        missing = [
            label
            for key, label in (
                (UNUSED_CREDENTIALS, f"an organization managed Config rule {UNUSED_CREDENTIALS}"),
                (KEYS_ROTATED, f"an organization managed Config rule {KEYS_ROTATED}"),
                (IAM_USER, f"an organization custom policy (Guard) rule scoped to {IAM_USER}"),
                (UNUSED_ACCESS, f"an Access Analyzer analyzer of type {UNUSED_ACCESS}"),
            )
            if key not in present
        ]
        if missing:
            if unknown:
                unknown_at(unknown[0])
            result.append(
                (
                    None,
                    "the stack declares frontdoor:posture but these detectors are missing: "
                    + "; ".join(missing)
                    + "; keep components.posture_detectors.PostureDetectors in the program",
                )
            )
    if unknown and not result:
        unknown_at(unknown[0])
    return result


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
