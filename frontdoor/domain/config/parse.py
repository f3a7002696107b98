"""Loading a stack's config into the typed model, with errors a user can act on.

Three entry points: `read_stack_file` (the YAML file the offline engine and tests read),
`parse_stack_config` (a mapping of `frontdoor:` keys -> StackConfig, or ConfigError), and
`from_pulumi_config` (what `__main__.py` calls under the real CLI or the offline engine).
"""

from __future__ import annotations

import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from frontdoor.domain.base import strict_yaml
from frontdoor.domain.base.errors import ConfigError, ConfigIssue, FixHint
from frontdoor.domain.config.abac_chain import chain_issues
from frontdoor.domain.config.rule_attributes import rule_attribute_issues
from frontdoor.domain.model.stack import (
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
# An estate is the whole organization: 100,000 accounts are ~10 MB and cannot be split.
MAX_ESTATE_FILE_BYTES = 64 * 1024 * 1024


def stack_file(stack: str, root: Path | None = None) -> Path:
    return (root or Path.cwd()) / "stacks" / f"Pulumi.{stack}.yaml"


def read_yaml_file(path: Path, what: str) -> Any:
    """Parse a YAML file or raise ConfigError naming it; guards kind, size and emptiness first.

    Duplicate keys, aliases, merge keys and absurd nesting are refused (frontdoor.domain.base.strict_yaml).
    """
    source = str(path)
    text = read_text_file(path, what)
    try:
        # libyaml's parser when the wheel has it: a 2,000-account estate loads 6x faster.
        return strict_yaml.load(text)
    except strict_yaml.InputRefused as refused:
        raise ConfigError([_refused_issue(source, refused)]) from None
    except (yaml.YAMLError, RecursionError):
        pass
    try:
        # Re-read a broken file with the pure-Python loader: its messages are the ones we document.
        return strict_yaml.load(text, pure=True)
    except strict_yaml.InputRefused as refused:
        raise ConfigError([_refused_issue(source, refused)]) from None
    except RecursionError:
        raise ConfigError([_refused_issue(source, strict_yaml._too_deep(0))]) from None
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
                    redact_line(shown),
                    f"YAML syntax error: {problem}",
                    "fix the YAML at that position (indentation, quotes, colons)",
                )
            ]
        ) from None


# A config key whose value is a credential: never printed, never accepted in plaintext.
SECRET_KEY_RE = re.compile(
    r"(?i)(token|secret|password|passwd|private_?key|secret_?key|api_?key|app_?key|access_?key)\Z"
)
_SECRET_LINE_RE = re.compile(
    r"(?i)\A(\s*-?\s*[\"']?[\w:.-]*(?:token|secret|password|passwd|key)[\"']?\s*:\s*)(.+)\Z"
)


def redact_line(line: str) -> str:
    """A source line as shown in an error, with the value of a secret-looking key blanked."""
    match = _SECRET_LINE_RE.match(line)
    if match is None:
        return line
    return match.group(1) + "[redacted]"


def _refused_issue(source: str, refused: strict_yaml.InputRefused) -> ConfigIssue:
    where = f"line {refused.line}" if refused.line else "(file)"
    return ConfigIssue(source, where, refused.value, refused.problem, refused.fix)


def read_text_file(path: Path, what: str) -> str:
    """The text of a regular, readable, non-empty file of at most MAX_STACK_FILE_BYTES, or ConfigError."""
    source = str(path)

    def refuse(problem: str, value: Any, fix: str) -> ConfigError:
        return ConfigError([ConfigIssue(source, "(file)", value, f"{what} file {problem}", fix)])

    try:
        status = path.stat()
    except FileNotFoundError:
        raise refuse("not found", str(path), "check the path") from None
    except OSError as error:
        raise refuse(
            f"cannot be read: {error.strerror}", str(path), "check the path and its permissions"
        ) from None
    if stat.S_ISDIR(status.st_mode):
        raise refuse("is a directory", str(path), f"give the path of the {what} file inside it")
    if not stat.S_ISREG(status.st_mode):
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(status.st_mode)
            else "a device"
            if stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode)
            else "a socket"
        )
        raise refuse(f"is {kind}, not a regular file", str(path), f"give the path of the {what} file")
    size = status.st_size
    limit = MAX_STACK_FILE_BYTES if what == "stack config" else MAX_ESTATE_FILE_BYTES
    if size > limit:
        raise refuse(
            f"is larger than {limit} bytes",
            f"{size} bytes",
            "split it or remove generated content (a stack config is a few hundred lines)"
            if what == "stack config"
            else "remove generated content (an estate of 100,000 accounts is about 10 MB)",
        )
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise refuse(
            f"cannot be read: {error.strerror}", str(path), "check the path and its permissions"
        ) from None
    if not text.strip():
        raise ConfigError(
            [ConfigIssue(source, "(file)", "", f"{what} file is empty", f"write the {what} (see README)")]
        )
    return text


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
    issues: list[ConfigIssue] = plaintext_secrets(document["config"], source)
    written: dict[str, Any] = {}
    for key, value in document["config"].items():
        namespace, colon, name = str(key).partition(":")
        if not colon:
            # Pulumi reads a key without a namespace as the project's: `teams` is `frontdoor:teams`.
            namespace, name = NAMESPACE, str(key)
        if namespace != NAMESPACE:
            continue  # provider settings such as aws:region and okta:orgName
        if name in written:
            issues.append(
                ConfigIssue(
                    source,
                    f"config.{key}",
                    key,
                    f"{written[name]!r} and {key!r} are the same key to Pulumi (a key without a namespace "
                    "is the project's), so one would silently replace the other",
                    f"keep one block, written as {NAMESPACE}:{name}",
                )
            )
            continue
        written[name] = key
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
    if not isinstance(config, dict):
        return {}
    issues = plaintext_secrets(config, str(path))
    if issues:
        raise ConfigError(issues)
    return dict(config)


def plaintext_secrets(config: Mapping[Any, Any], source: str) -> list[ConfigIssue]:
    """A credential written in clear in a stack file (which lives in git) is refused, never echoed."""
    issues: list[ConfigIssue] = []
    for key, value in config.items():
        name = str(key).rpartition(":")[2]
        if SECRET_KEY_RE.search(name) and value is not None and not isinstance(value, Mapping):
            issues.append(
                ConfigIssue(
                    source,
                    f"config.{key}",
                    "[redacted]",
                    f"{key} is written in plaintext in the stack file, which is committed to git",
                    f"revoke this credential now, then store the new one with "
                    f"`pulumi config set --secret {key} <value>` (it is written as secure: ...)",
                )
            )
    return issues


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
    "string_pattern_mismatch": "write a value matching the regular expression shown in the problem",
    "literal_error": "use one of the allowed values",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "datetime_parsing": "write a timestamp as YYYY-MM-DDTHH:MM:SSZ",
    "greater_than_equal": "raise the value",
    "less_than_equal": "lower the value",
}


_PATTERN_PROBLEMS: dict[str, str] = {
    r"^/([A-Za-z0-9_+=,.@-]+/)*$": "not an IAM path",
    r"^[A-Za-z0-9_+=,.@-]{1,64}$": "not an IAM role name",
    r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$": "not a GitHub repository",
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "not an S3 bucket name",
    r"^o-[a-z0-9]{10,32}$": "not an organization id",
    r"^arn:aws:sso:::instance/ssoins-[a-f0-9]{16}$": "not an Identity Center instance ARN",
    r"^d-[0-9a-f]{10}$": "not an identity store id",
    ACCOUNT_ID_RE.pattern: "not an AWS account id",
    OU_ID_RE.pattern: "not an OU id",
    ROOT_ID_RE.pattern: "not an organization root id",
}
_PATTERN_FIXES: dict[str, str] = {
    r"^/([A-Za-z0-9_+=,.@-]+/)*$": "write / or /a/path/ (ASCII letters, digits and _+=,.@-, slashes around)",
    r"^[A-Za-z0-9_+=,.@-]{1,64}$": "use 1-64 ASCII letters, digits and _+=,.@-",
    r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$": "write owner/name, e.g. acme-medical/frontdoor",
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "use 3-63 lowercase letters, digits, '.' and '-', "
    "starting and ending with a letter or digit",
    r"^o-[a-z0-9]{10,32}$": "copy it from Organizations: o-<10-32 lowercase letters or digits>",
    r"^arn:aws:sso:::instance/ssoins-[a-f0-9]{16}$": "copy it from Identity Center > Settings: "
    "arn:aws:sso:::instance/ssoins-<16 hex digits>",
    r"^d-[0-9a-f]{10}$": "copy it from Identity Center > Settings: d-<10 hex digits>",
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
            path += "." + _key_text(part)
    return path or "(file)"


def _key_text(part: object) -> str:
    text = str(part)
    # A key with a newline or another invisible character is shown escaped, on one line.
    return text if text.isprintable() else repr(text)


# What YAML 1.1 turns an unquoted key into when it is not a name.
_KEY_READ_AS = {
    bool: "a boolean (YAML reads no/off/false and yes/on/true so)",
    type(None): "null (YAML reads null and ~ so)",
    int: "a number",
    float: "a number",
}


def _non_string_key(source: str, error: ErrorDetails, namespace: str) -> ConfigIssue | None:
    """A mapping key YAML did not read as a string (`no:`, `on:`, `1234:`, `null:`)."""
    loc = tuple(error["loc"])
    if error["type"] != "string_type" or "[key]" not in loc:
        return None
    key = error.get("input")
    read_as = _KEY_READ_AS.get(type(key))
    if read_as is None:
        return None
    parent = loc[: loc.index("[key]") - 1]
    return ConfigIssue(
        source,
        _field_path(parent, namespace),
        key,
        f"a key here was read as {read_as}, not as a name",
        'quote the name, e.g. "no": or "1234":',
    )


def issue_from_pydantic(source: str, error: ErrorDetails, namespace: str = NAMESPACE) -> ConfigIssue:
    """One pydantic error as a ConfigIssue: the field path as written in the file, and a fix."""
    loc = tuple(error["loc"])
    non_string = _non_string_key(source, error, namespace)
    if non_string is not None:
        return non_string
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
        problem = _PATTERN_PROBLEMS.get(pattern, f"does not match the pattern {pattern}")
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
    issues.extend(chain_issues(config, source))
    return issues


def pulumi_config_values() -> dict[str, Any]:
    """The `frontdoor:` values as the running program sees them (real CLI or offline engine)."""
    import pulumi  # imported here so the pure loaders above need no Pulumi runtime

    stack_config = pulumi.Config(NAMESPACE)
    values: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        value = stack_config.get_object(key)
        if value is not None:
            values[key] = value
    return values


def from_pulumi_config() -> StackConfig | BreakGlassStackConfig:
    """The stack's config as the running program sees it (real CLI or offline engine)."""
    import pulumi

    values = pulumi_config_values()
    source = f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
    if is_break_glass(values):
        return parse_break_glass_config(values, source)
    return parse_stack_config(values, source)
