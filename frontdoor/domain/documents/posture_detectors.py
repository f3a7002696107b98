"""The posture detectors as AWS gets them: the Config organization rules' names and the Guard 2.x rule
that flags an `AWS::IAM::User` outside the break-glass users (the ONLY exemption is those users by exact
name AND path: the pack rule `posture-detectors-present` parses it back and refuses anything wider)."""

from __future__ import annotations

from collections.abc import Sequence

from frontdoor.domain.contracts import CONFIG_IAM_USER_TYPE
from frontdoor.domain.model.posture import PostureConfig

GUARD_RUNTIME = "guard-2.x.x"


def rule_names(config: PostureConfig) -> dict[str, str]:
    """Logical key -> the Config rule's name in AWS (organization rule names are unique per org)."""
    prefix = config.rule_name_prefix
    return {
        "unused-credentials": f"{prefix}iam-user-unused-credentials",
        "access-keys-rotated": f"{prefix}access-keys-rotated",
        "iam-user-outside-break-glass": f"{prefix}iam-user-outside-break-glass",
    }


def guard_rule(break_glass_path: str, break_glass_users: Sequence[str]) -> str:
    """Guard 2.x: an `AWS::IAM::User` is COMPLIANT only as a named break-glass user on their path."""
    message = (
        f"IAM users are not allowed outside the break-glass users at path {break_glass_path}: "
        "people sign in through Okta and IAM Identity Center, workloads use roles"
    )
    if not break_glass_users:
        # No break-glass users configured: every IAM user is non-compliant (userName always exists).
        body = f"    configuration.userName !exists <<{message}>>"
    else:
        names = ", ".join(f'"{name}"' for name in sorted(break_glass_users))
        body = (
            f'    configuration.path == "{break_glass_path}" <<{message}>>\n'
            f"    configuration.userName IN [{names}] <<{message}>>"
        )
    return f'rule iam_user_is_break_glass when resourceType == "{CONFIG_IAM_USER_TYPE}" {{\n{body}\n}}\n'
