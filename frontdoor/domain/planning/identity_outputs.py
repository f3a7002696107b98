"""What the monitoring stack reads from the identity stack: three of its outputs, checked as data.

The identity program exports them (frontdoor/program/build.py `export`); the monitoring program reads
them through a `pulumi.StackReference` (frontdoor/program/monitoring.py), and the offline engine
answers that read from the monitoring stack's estate (`stackOutputs:`). A missing or malformed output
stops the monitoring run, naming the output and how to get it: absent is unknown, never a default. The
checks are the APIs' own: the account id is botocore's organizations `AccountId`, each user name its
iam `userNameType` (frontdoor/domain/base/aws_patterns.py); the Okta app label is what OktaConfig
accepts, a string (the identity stack's own config check), here also non-empty, since the queries
match on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frontdoor.domain.base.aws_patterns import StringRule, string_rule
from frontdoor.domain.base.errors import ConfigError, ConfigIssue

OKTA_APP_LABEL = "oktaAppLabel"  # the AWS app's label: Okta's logs name the SSO target by it
TRAIL_ACCOUNT_ID = "trailAccountId"  # the account the organization trail (and its bucket) lives in
BREAK_GLASS_USER_NAMES = "breakGlassUserNames"  # the IAM users the guardrails exempt
IDENTITY_OUTPUTS = (OKTA_APP_LABEL, TRAIL_ACCOUNT_ID, BREAK_GLASS_USER_NAMES)

ACCOUNT_ID = ("organizations", "AccountId")
IAM_USER_NAME = ("iam", "userNameType")


@dataclass(frozen=True)
class IdentityOutputs:
    okta_app_label: str
    trail_account_id: str
    break_glass_user_names: tuple[str, ...]


@dataclass(frozen=True)
class OutputsSource:
    """Where the outputs were read, for the messages: the file and the field path to each output, and
    the fix when one is missing."""

    file: str
    prefix: str  # e.g. "stackOutputs.acme-medical/frontdoor/demo" (offline) or "outputs" (a real read)
    missing_fix: str


def _string_issue(rule: StringRule, value: Any, what: str) -> str | None:
    if not isinstance(value, str):
        return f"{what} must be a string, not {type(value).__name__}"
    problem = rule.problem(value)
    return None if problem is None else f"{what} {problem} ({rule.source})"


def identity_output_issues(outputs: Mapping[str, Any] | None, source: OutputsSource) -> list[ConfigIssue]:
    """Every problem with the three outputs, each naming the output, its value and the fix; `None`: the
    identity stack's outputs were not read at all (one issue)."""
    if outputs is None:
        missing = "the identity stack's outputs are missing"
        return [ConfigIssue(source.file, source.prefix, None, missing, source.missing_fix)]
    issues: list[ConfigIssue] = []

    def issue(key: str, value: Any, problem: str, fix: str) -> None:
        issues.append(ConfigIssue(source.file, f"{source.prefix}.{key}", value, problem, fix))

    wrong_value = (
        "the identity stack exports it from its config: fix the identity stack's config and run its "
        "`pulumi up`, then read the outputs again"
    )
    for key in IDENTITY_OUTPUTS:
        if key not in outputs:
            issue(key, None, "the identity stack's output is missing", source.missing_fix)
    label = outputs.get(OKTA_APP_LABEL)
    if OKTA_APP_LABEL in outputs and (not isinstance(label, str) or not label):
        issue(OKTA_APP_LABEL, label, "the Okta app label must be a non-empty string", wrong_value)
    if TRAIL_ACCOUNT_ID in outputs:
        account = outputs[TRAIL_ACCOUNT_ID]
        problem = _string_issue(string_rule(*ACCOUNT_ID), account, "the trail's account id")
        if problem is not None:
            issue(TRAIL_ACCOUNT_ID, account, problem, wrong_value)
    if BREAK_GLASS_USER_NAMES in outputs:
        names = outputs[BREAK_GLASS_USER_NAMES]
        if not isinstance(names, list):
            issue(BREAK_GLASS_USER_NAMES, names, "must be a list of IAM user names", wrong_value)
        else:
            for index, name in enumerate(names):
                problem = _string_issue(string_rule(*IAM_USER_NAME), name, "an IAM user name")
                if problem is not None:
                    issues.append(
                        ConfigIssue(
                            source.file,
                            f"{source.prefix}.{BREAK_GLASS_USER_NAMES}[{index}]",
                            name,
                            problem,
                            wrong_value,
                        )
                    )
    return issues


def parse_identity_outputs(outputs: Mapping[str, Any], source: OutputsSource) -> IdentityOutputs:
    """The three outputs, or ConfigError listing every problem."""
    issues = identity_output_issues(outputs, source)
    if issues:
        raise ConfigError(issues)
    return IdentityOutputs(
        okta_app_label=outputs[OKTA_APP_LABEL],
        trail_account_id=outputs[TRAIL_ACCOUNT_ID],
        break_glass_user_names=tuple(outputs[BREAK_GLASS_USER_NAMES]),
    )


def offline_source(estate_file: str, identity_stack: str, monitoring_stack: str) -> OutputsSource:
    """The outputs as the monitoring stack's estate holds them (the offline preview)."""
    return OutputsSource(
        estate_file,
        f"stackOutputs.{identity_stack}",
        f"copy the identity stack's outputs under stackOutputs.{identity_stack} of {estate_file}: "
        f"`pulumi stack output --json --stack {identity_stack}` prints them (after a `pulumi up` of that "
        f"stack with this frontdoor version, which exports {', '.join(IDENTITY_OUTPUTS)}); the preview of "
        f"stack {monitoring_stack} reads nothing else",
    )


def stack_reference_source(identity_stack: str, monitoring_source: str) -> OutputsSource:
    """The outputs as `pulumi.StackReference` read them (under the Pulumi CLI)."""
    return OutputsSource(
        monitoring_source,
        f"frontdoor:monitoring.identityStack ({identity_stack}) outputs",
        f"run `pulumi up --stack {identity_stack}` with this frontdoor version first: it exports "
        f"{', '.join(IDENTITY_OUTPUTS)}; then this stack",
    )
