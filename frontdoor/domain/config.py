"""Loading a stack's config into the typed model, with errors a user can act on.

Three entry points: `read_stack_file` (the YAML file the offline engine and tests read),
`parse_stack_config` (a mapping of `frontdoor:` keys -> StackConfig, or ConfigError), and
`from_pulumi_config` (what `__main__.py` calls under the real CLI or the offline engine).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from frontdoor.domain.errors import ConfigError, ConfigIssue, FixHint
from frontdoor.domain.model import (
    ACCOUNT_ID_RE,
    INLINE_POLICY_NON_WHITESPACE_MAX,
    OKTA_RULE_NAME_MAX,
    OU_ID_RE,
    ROOT_ID_RE,
    BreakGlassStackConfig,
    StackConfig,
    inline_policy_document,
    non_whitespace_length,
    render_policy,
    rule_name,
    team_group_name,
)
from frontdoor.domain.rule_attributes import rule_attribute_issues

NAMESPACE = "frontdoor"
# The keys of StackConfig as written in the stack file, in the order they are read.
CONFIG_KEYS = tuple(
    dict.fromkeys(
        field.alias or name
        for model in (StackConfig, BreakGlassStackConfig)
        for name, field in model.model_fields.items()
    )
)
BREAK_GLASS_KEY = "breakGlass"
MAX_STACK_FILE_BYTES = 2 * 1024 * 1024


def stack_file(stack: str, root: Path | None = None) -> Path:
    return (root or Path.cwd()) / "stacks" / f"Pulumi.{stack}.yaml"


def read_yaml_file(path: Path, what: str) -> Any:
    """Parse a YAML file or raise ConfigError naming it; guards size and emptiness first."""
    source = str(path)
    if not path.is_file():
        raise ConfigError(
            [ConfigIssue(source, "(file)", str(path), f"{what} file not found", "check the path")]
        )
    size = path.stat().st_size
    if size > MAX_STACK_FILE_BYTES:
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "(file)",
                    f"{size} bytes",
                    f"{what} file is larger than {MAX_STACK_FILE_BYTES} bytes",
                    "split it or remove generated content (a stack config is a few hundred lines)"
                    if what == "stack config"
                    else "split it or remove generated content",
                )
            ]
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise ConfigError(
            [ConfigIssue(source, "(file)", "", f"{what} file is empty", f"write the {what} (see README)")]
        )
    fast_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # libyaml's loader when the wheel has it: a 2,000-account estate loads 6x faster.
        return yaml.load(text, Loader=fast_loader)
    except yaml.YAMLError:
        pass
    try:
        # Re-read a broken file with the pure-Python loader: its messages are the ones we document.
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        lines = text.splitlines()
        shown = lines[mark.line] if mark and mark.line < len(lines) else "(end of file)"
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    where,
                    shown,
                    f"YAML syntax error: {problem}",
                    "fix the YAML at that position (indentation, quotes, colons)",
                )
            ]
        ) from None


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `frontdoor:` values of a `Pulumi.<stack>.yaml`, keyed without the namespace."""
    document = read_yaml_file(path, "stack config")
    source = str(path)
    if not isinstance(document, dict) or not isinstance(document.get("config"), dict):
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "config",
                    type(document).__name__ if not isinstance(document, dict) else document.get("config"),
                    "a stack file must be a mapping with a `config:` mapping",
                    "put the settings under `config:` as `frontdoor:<key>: ...`",
                )
            ]
        )
    values: dict[str, Any] = {}
    issues: list[ConfigIssue] = []
    for key, value in document["config"].items():
        namespace, _, name = str(key).partition(":")
        if namespace != NAMESPACE:
            continue  # provider settings such as aws:region and okta:orgName
        if name not in CONFIG_KEYS:
            issues.append(
                ConfigIssue(
                    source,
                    f"config.{key}",
                    key,
                    "unknown frontdoor config key",
                    f"use one of {', '.join(NAMESPACE + ':' + k for k in CONFIG_KEYS)}",
                )
            )
            continue
        values[name] = value
    if issues:
        raise ConfigError(issues)
    return values


def provider_settings(path: Path) -> dict[str, Any]:
    """Every config value of the stack file, namespaced keys as written (aws:region, okta:orgName…)."""
    document = read_yaml_file(path, "stack config")
    config = document.get("config") if isinstance(document, dict) else None
    return dict(config) if isinstance(config, dict) else {}


_FIXES: dict[str, str] = {
    "missing": "add this key",
    "extra_forbidden": "remove the key or correct its spelling (see `frontdoor schema` for the allowed keys)",
    "string_type": "give a string",
    "int_type": "give a whole number",
    "int_parsing": "give a whole number",
    "bool_type": "give true or false",
    "bool_parsing": "give true or false",
    "dict_type": "give a mapping (key: value lines)",
    "model_type": "give a mapping (key: value lines)",
    "list_type": "give a list ([a, b] or - items)",
    "too_short": "add at least one entry",
    "too_long": "shorten it",
    "string_too_short": "give a non-empty value",
    "string_too_long": "shorten it",
    "string_pattern_mismatch": "match the expected format",
    "literal_error": "use one of the allowed values",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "datetime_parsing": "write a timestamp as YYYY-MM-DDTHH:MM:SSZ",
    "greater_than_equal": "raise the value",
    "less_than_equal": "lower the value",
}


_PATTERN_PROBLEMS: dict[str, str] = {
    ACCOUNT_ID_RE.pattern: "not an AWS account id",
    OU_ID_RE.pattern: "not an OU id",
    ROOT_ID_RE.pattern: "not an organization root id",
}
_PATTERN_FIXES: dict[str, str] = {
    ACCOUNT_ID_RE.pattern: 'write the 12-digit account id, quoted so YAML keeps it a string ("123456789012")',
    OU_ID_RE.pattern: "copy the id from Organizations: ou-<4-32 chars>-<8-32 chars>, lowercase",
    ROOT_ID_RE.pattern: "copy the root id from Organizations: r-<4-32 lowercase chars>",
}


def _field_path(loc: tuple[int | str, ...], namespace: str) -> str:
    path = namespace
    # pydantic adds "[key]" for a bad dict key and "function-…" for validator wrappers: not fields.
    loc = tuple(p for p in loc if not (isinstance(p, str) and (p == "[key]" or p.startswith("function-"))))
    for index, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
        elif index == 0:
            path += ("." if ":" in namespace else ":" if namespace else "") + str(part)
        else:
            path += "." + str(part)
    return path or "(file)"


def issue_from_pydantic(source: str, error: ErrorDetails, namespace: str = NAMESPACE) -> ConfigIssue:
    """One pydantic error as a ConfigIssue: the field path as written in the file, and a fix."""
    loc = tuple(error["loc"])
    context = error.get("ctx") or {}
    hint = context.get("error")
    if isinstance(hint, FixHint):
        path = _field_path((*loc, *hint.at), namespace)
        return ConfigIssue(source, path, hint.shown_value(error.get("input")), hint.problem, hint.fix)
    problem = error["msg"]
    if problem.startswith("Value error, "):
        problem = problem.removeprefix("Value error, ")
    value = error.get("input") if error["type"] != "missing" else None
    fix = _FIXES.get(error["type"], "correct the value")
    if error["type"] == "string_pattern_mismatch":
        pattern = str(context.get("pattern", ""))
        problem = _PATTERN_PROBLEMS.get(pattern, problem)
        fix = _PATTERN_FIXES.get(pattern, fix)
    if error["type"] == "extra_forbidden":
        value = loc[-1] if loc else value
    return ConfigIssue(source, _field_path(loc, namespace), value, problem, fix)


def parse_break_glass_config(values: Mapping[str, Any], source: str) -> BreakGlassStackConfig:
    """The break-glass stack: the management account and its emergency users only."""
    try:
        return BreakGlassStackConfig.model_validate(dict(values))
    except ValidationError as error:
        raise ConfigError([issue_from_pydantic(source, e) for e in error.errors()]) from None


def is_break_glass(values: Mapping[str, Any]) -> bool:
    return BREAK_GLASS_KEY in values


def parse_stack_config(values: Mapping[str, Any], source: str) -> StackConfig:
    """Validate the `frontdoor:` values; ConfigError lists every problem found."""
    try:
        config = StackConfig.model_validate(dict(values))
    except ValidationError as error:
        raise ConfigError([issue_from_pydantic(source, e) for e in error.errors()]) from None
    issues = cross_check(config, source)
    if not issues:  # rule attributes: checked once the rules themselves are known to be well formed
        issues = rule_attribute_issues(config, source)
    if issues:
        raise ConfigError(issues)
    return config


def cross_check(config: StackConfig, source: str) -> list[ConfigIssue]:
    """References between sections: permission sets named by grants, group ownership, limits."""
    issues: list[ConfigIssue] = []
    known_sets = sorted(config.permission_sets)
    prefix = config.okta.push_group_prefix
    owners: dict[str, str] = {}

    def claim(group: str, owner: str, where: str) -> None:
        previous = owners.setdefault(group, owner)
        if previous != owner:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    group,
                    f"group {group!r} is already owned by {previous}",
                    "rename the team or the tier so that each group has one owner",
                )
            )
        if len(rule_name(group)) > OKTA_RULE_NAME_MAX:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    rule_name(group),
                    f"the Okta group rule name would be {len(rule_name(group))} characters, "
                    f"Okta allows {OKTA_RULE_NAME_MAX}",
                    "shorten the team name or the permission set's tier",
                )
            )

    for team_name, team in sorted(config.teams.items()):
        members_by_group: dict[str, str] = {}
        for set_name, grant in sorted(team.grants.items()):
            where = f"frontdoor:teams.{team_name}.grants.{set_name}"
            permission_set = config.permission_sets.get(set_name)
            if permission_set is None:
                issues.append(
                    ConfigIssue(
                        source,
                        where,
                        set_name,
                        "unknown permission set",
                        f"use one of {', '.join(known_sets)} or add it under frontdoor:permissionSets",
                    )
                )
                continue
            group = team_group_name(prefix, team_name, permission_set.tier)
            claim(group, f"team {team_name}", where)
            members = grant.members or team.members
            if members_by_group.setdefault(group, members) != members:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.members",
                        members,
                        f"two grants share group {group!r} (same tier) with different members",
                        "give the grants the same members, or use permission sets of different tiers",
                    )
                )
    for group, org_grant in sorted(config.org_grants.items()):
        where = f"frontdoor:orgGrants.{group}"
        if org_grant.permission_set not in config.permission_sets:
            issues.append(
                ConfigIssue(
                    source,
                    f"{where}.permissionSet",
                    org_grant.permission_set,
                    "unknown permission set",
                    f"use one of {', '.join(known_sets)} or add it under frontdoor:permissionSets",
                )
            )
        if not group.startswith(prefix):
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    group,
                    f"organization-wide group does not start with the push prefix {prefix!r}",
                    f"name it {prefix}<purpose>, e.g. {prefix}platform-admin, so that it is pushed",
                )
            )
        claim(group, f"orgGrants.{group}", where)
    if config.okta.app_assignment_group in owners:
        issues.append(
            ConfigIssue(
                source,
                "frontdoor:okta.appAssignmentGroup",
                config.okta.app_assignment_group,
                "the app assignment group is also a granted group",
                "keep the assignment group separate from every pushed group",
            )
        )
    quota = config.quotas.managed_policies_per_permission_set
    for set_name, permission_set in sorted(config.permission_sets.items()):
        where = f"frontdoor:permissionSets.{set_name}"
        attached = len(permission_set.aws_managed_policies) + len(permission_set.customer_managed_policies)
        if attached > quota:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    attached,
                    f"{attached} managed policies attached, the quota is {quota}",
                    "merge policies, or raise quotas.managedPoliciesPerPermissionSet after raising IAM's "
                    "managed-policies-per-role quota in every target account",
                )
            )
        document = inline_policy_document(permission_set)
        if document is not None:
            size = non_whitespace_length(render_policy(document))
            if size > INLINE_POLICY_NON_WHITESPACE_MAX:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.inlineStatements",
                        f"{size} characters",
                        f"inline policy is {size} non-whitespace characters, Identity Center allows "
                        f"{INLINE_POLICY_NON_WHITESPACE_MAX}",
                        "move statements into customer-managed policies",
                    )
                )
        if permission_set.abac:
            key = permission_set.abac.tag_key
            if key not in config.identity_center.access_control_attributes:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.abac.tagKey",
                        key,
                        "the ABAC tag key is not mapped in identityCenter.accessControlAttributes, so "
                        "every session would lack the tag and the policy would deny everything",
                        f"add {key}: ${{path:...}} under frontdoor:identityCenter.accessControlAttributes",
                    )
                )
            if key not in config.okta.abac_attributes:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.abac.tagKey",
                        key,
                        "the ABAC tag key is not carried from Okta (okta.abacAttributes)",
                        f"add {key}: user.<attribute> under frontdoor:okta.abacAttributes",
                    )
                )
    return issues


def from_pulumi_config() -> StackConfig | BreakGlassStackConfig:
    """The stack's config as the running program sees it (real CLI or offline engine)."""
    import pulumi  # imported here so the pure loaders above need no Pulumi runtime

    stack_config = pulumi.Config(NAMESPACE)
    values: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        value = stack_config.get_object(key)
        if value is not None:
            values[key] = value
    source = f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
    if is_break_glass(values):
        return parse_break_glass_config(values, source)
    return parse_stack_config(values, source)
