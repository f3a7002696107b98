"""Break-glass documents: the MFA deny, the console sign-in event pattern, the alert plumbing policies.

Break-glass is a few IAM users in the management account, for the day Okta or Identity Center is
unreachable (reference architecture, "Security & Zero Trust"; reliability F17). They are
AdministratorAccess plus an explicit deny of EVERY action while `aws:MultiFactorAuthPresent` is
false or absent (`BoolIfExists`, AWS's "force MFA" condition). AWS's self-service example
("Allows MFA-authenticated IAM users to manage their own credentials") exempts the MFA-enrolment
actions from that deny so users can enrol themselves; we deliberately do not: for an administrator
that exemption means anyone holding only the password of a user without a device could enrol their
own device and become admin. Devices are enrolled by a second operator (runbook).

Every sign-in attempt by one of these users (success or failure) raises an alert: an EventBridge rule
on CloudTrail's `AWS Console Sign In via CloudTrail` events. Where AWS records an IAM user's
`ConsoleLogin` depends on the endpoint: the global endpoint records it in us-east-1, or, when the
browser carries an account-alias cookie, in us-east-2, eu-north-1 or ap-southeast-2; a regional
endpoint records it in that region (CloudTrail user guide, "AWS Management Console sign-in events").
So the rule exists in each of those regions; the home region (first) holds the SNS topic, the others
forward matching events to the home region's default bus through a role.

Their ARNs carry their path (`arn:aws:iam::<management>:user/breakglass/breakglass-1`: IAM User Guide,
"IAM identifiers"; `aws:PrincipalArn` is that full ARN). `break_glass_user_arns` is the one place that
spells them: the break-glass stack exports them, the access stack's SCP and trail bucket exemptions
name them. A path-less ARN matches no break-glass user, so the trail bucket's denies used to deny them
too (real-api-audit-2, certain 7).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from frontdoor.domain.model.break_glass import DEFAULT_ALERT_REGIONS

# The names the break-glass stack gives its group and its alert forwarder role (its deployer's policy
# names them: frontdoor/domain/documents/deploy_permissions.py `break_glass_deploy_policy`).
BREAK_GLASS_GROUP_NAME = "BreakGlassAdmins"
FORWARDER_ROLE_NAME = "breakglass-sign-in-forwarder"
SIGN_IN_DETAIL_TYPE = "AWS Console Sign In via CloudTrail"
SIGN_IN_SOURCE = "aws.signin"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
EVENTS_PRINCIPAL = "events.amazonaws.com"

USER_NAME_RE = re.compile(r"^[A-Za-z0-9_+=,.@-]{1,64}$")
GROUP_NAME_RE = re.compile(r"^[A-Za-z0-9_+=,.@-]{1,128}$")
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def break_glass_user_arns(
    account_id: str, path: str, user_names: Iterable[str], partition: str = "aws"
) -> tuple[str, ...]:
    """The break-glass users' ARNs, path included, sorted and each once: what both stacks name them by."""
    if not (path.startswith("/") and path.endswith("/")):
        raise ValueError(f"IAM path {path!r} must start and end with '/', e.g. /breakglass/")
    return tuple(f"arn:{partition}:iam::{account_id}:user{path}{name}" for name in sorted(set(user_names)))


# "Context key names are not case-sensitive" (IAM User Guide, "IAM JSON policy elements: Condition"): the
# SCPs spell it aws:PrincipalARN, the trail bucket aws:PrincipalArn.
PRINCIPAL_ARN_KEY = "aws:principalarn"
USER_ARN_MARK = ":user/"


def exempted_user_arns(document: Mapping[str, Any]) -> tuple[str, ...]:
    """Every IAM user ARN a policy document names under an `aws:PrincipalArn` condition (any operator,
    any spelling of the key), in document order, each once: the users its statements exempt or pin."""
    statements = document.get("Statement", [])
    found: list[str] = []
    for statement in statements if isinstance(statements, list) else [statements]:
        condition = statement.get("Condition", {}) if isinstance(statement, Mapping) else {}
        for operands in condition.values() if isinstance(condition, Mapping) else ():
            for key, values in operands.items() if isinstance(operands, Mapping) else ():
                if key.lower() != PRINCIPAL_ARN_KEY:
                    continue
                for value in values if isinstance(values, list) else [values]:
                    if isinstance(value, str) and USER_ARN_MARK in value and value not in found:
                        found.append(value)
    return tuple(found)


# A service-linked role's ARN: `role/aws-service-role/<service principal>/<name>` (IAM User Guide, "Using
# service-linked roles"). Only the service creates one (iam:CreateServiceLinkedRole), and SCPs do not
# restrict service-linked roles at all (Organizations User Guide, "Service control policies": "SCPs
# don't affect service-linked roles"), so exempting one in every account (`iam::*:`) opens nothing.
_SERVICE_LINKED_ROLE = re.compile(r"^arn:[^:*?]+:iam::\*:role/aws-service-role/[^*?]+/[^*?]+$")


def exempted_principal_patterns(document: Mapping[str, Any]) -> tuple[str, ...]:
    """Every pattern (a value with `*` or `?`) a statement exempts under `aws:PrincipalArn` (a negated
    operator: ArnNotLike, ArnNotEquals, StringNotLike, ...), users' and roles' alike, each once; a
    service-linked role's ARN in every account is not one (see `_SERVICE_LINKED_ROLE`).

    A positive operator (`ArnLike aws:PrincipalArn arn:aws:iam::*:root`, the deny-root-user SCP) narrows
    what a statement applies to and is not judged here; an exemption by pattern lets whoever can create a
    matching principal (`arn:aws:iam::*:role/*`: anyone allowed iam:CreateRole) past the statement.
    """
    statements = document.get("Statement", [])
    found: list[str] = []
    for statement in statements if isinstance(statements, list) else [statements]:
        condition = statement.get("Condition", {}) if isinstance(statement, Mapping) else {}
        for operator, operands in condition.items() if isinstance(condition, Mapping) else ():
            if "not" not in str(operator).lower() or not isinstance(operands, Mapping):
                continue
            for key, values in operands.items():
                if key.lower() != PRINCIPAL_ARN_KEY:
                    continue
                for value in values if isinstance(values, list) else [values]:
                    if (
                        isinstance(value, str)
                        and ("*" in value or "?" in value)
                        and not _SERVICE_LINKED_ROLE.match(value)
                        and value not in found
                    ):
                        found.append(value)
    return tuple(found)


def unmatched_user_arns(
    arns: Iterable[str], account_id: str, users: Mapping[str, str | None], partition: str = "aws"
) -> tuple[str, ...]:
    """The user ARNs that name no user of `account_id` as it exists: `users` maps a user name to its IAM
    path (None: iam:GetUser answered NoSuchEntity). A user's ARN carries its path (IAM User Guide, "IAM
    identifiers"), so a path-less ARN, another path, another account or a wildcard matches none."""
    existing = {
        arn
        for name, path in users.items()
        if path is not None
        for arn in break_glass_user_arns(account_id, path, [name], partition)
    }
    return tuple(arn for arn in arns if arn not in existing)


_USER_ARN = re.compile(r"^arn:([^:]*):iam::([^:]*):user(/.*)$")


def why_unmatched(
    arn: str, account_id: str, users: Mapping[str, str | None], partition: str = "aws"
) -> str | None:
    """Why `arn` (one of `unmatched_user_arns`) names no existing user of `account_id`, with the fix; None
    when `users` does not list the user it names (whether that user exists is unknown, not "absent")."""
    if "*" in arn or "?" in arn:
        return (
            "it is a pattern, not one user's ARN, and exempts whoever's ARN matches (aws:PrincipalArn is a "
            "sensitive key: no wildcard has a valid use); name each break-glass user's full ARN"
        )
    match = _USER_ARN.match(arn)
    if match is None:
        return "it is not an IAM user ARN (arn:<partition>:iam::<account>:user<path><name>)"
    arn_partition, arn_account, path_and_name = match.groups()
    if arn_partition != partition:
        return f"its partition is {arn_partition!r}, the management account's {partition!r}"
    if arn_account != account_id:
        return (
            f"its account is {arn_account}, but the break-glass users live in the management account "
            f"{account_id}"
        )
    path, name = path_and_name.rsplit("/", 1)
    path += "/"
    if name not in users:
        return None
    live = users[name]
    if live is None:
        return (
            f"user {name} does not exist in the management account (iam:GetUser: NoSuchEntity); apply the "
            "break-glass stack first, then `frontdoor estate pull`"
        )
    if live != path:
        expected = break_glass_user_arns(account_id, live, [name], partition)[0]
        return (
            f"user {name} lives at path {live}, not {path}: its ARN is {expected}; set "
            f"guardrails.breakGlassPath to {live}"
        )
    return "no user of the management account has it"  # unreachable for an unmatched ARN


def require_mfa_policy() -> dict[str, Any]:
    """Deny everything unless the request was authenticated with MFA (missing key counts as no MFA)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyEverythingWithoutMfa",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            }
        ],
    }


def sign_in_event_pattern(user_names: Iterable[str]) -> dict[str, Any]:
    """EventBridge pattern: console sign-in (any outcome) by one of the named IAM users."""
    return {
        "source": [SIGN_IN_SOURCE],
        "detail-type": [SIGN_IN_DETAIL_TYPE],
        "detail": {"userIdentity": {"type": ["IAMUser"], "userName": sorted(user_names)}},
    }


def default_bus_arn(region: str, account_id: str) -> str:
    return f"arn:aws:events:{region}:{account_id}:event-bus/default"


def topic_policy(topic_arn: str, rule_arn: str, scim_rule_arn: str | None = None) -> dict[str, Any]:
    """Only EventBridge, and only for our home-region rules, may publish to the alert topic."""
    statements = [_publish("AllowBreakGlassSignInRule", topic_arn, rule_arn)]
    if scim_rule_arn is not None:
        statements.append(_publish("AllowScimTokenExpiryRule", topic_arn, scim_rule_arn))
    return {"Version": "2012-10-17", "Statement": statements}


def _publish(sid: str, topic_arn: str, rule_arn: str) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": EVENTS_PRINCIPAL},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
    }


def forwarder_trust_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": EVENTS_PRINCIPAL},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def forwarder_policy(home_bus_arn: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ForwardSignInEventsToHomeRegion",
                "Effect": "Allow",
                "Action": "events:PutEvents",
                "Resource": home_bus_arn,
            }
        ],
    }


def validate_break_glass(
    user_names: Sequence[str], group_name: str, alert_emails: Sequence[str], alert_regions: Sequence[str]
) -> None:
    """ValueError (with the fix) for anything that would leave break-glass unusable or unwatched."""
    if not user_names:
        raise ValueError(
            'no break-glass users: list their names, e.g. ["breakglass-1", "breakglass-2"] (two, so one '
            "lost device does not lock the organization out)"
        )
    for user in user_names:
        if not USER_NAME_RE.fullmatch(user):
            raise ValueError(
                f"break-glass user name {user!r} is not a valid IAM user name: use 1-64 characters from "
                'letters, digits and +=,.@_-, e.g. "breakglass-1"'
            )
    if len(set(user_names)) != len(user_names):
        raise ValueError(f"break-glass user names {list(user_names)!r} repeat a name: list each user once")
    if not GROUP_NAME_RE.fullmatch(group_name):
        raise ValueError(
            f"group name {group_name!r} is not a valid IAM group name: use 1-128 characters from letters, "
            'digits and +=,.@_-, e.g. "BreakGlassAdmins"'
        )
    if not alert_emails:
        raise ValueError(
            "no alert email: a break-glass sign-in nobody hears about is an unmonitored admin login; "
            'list at least one address, e.g. "security-oncall@example.com"'
        )
    for email in alert_emails:
        if not EMAIL_RE.fullmatch(email):
            raise ValueError(f"alert email {email!r} is not an email address: use e.g. security@example.com")
    if len(set(alert_emails)) != len(alert_emails):
        raise ValueError(f"alert emails {list(alert_emails)!r} repeat an address: list each address once")
    if not alert_regions:
        raise ValueError(
            f"no alert region: list the regions that record sign-ins, e.g. {list(DEFAULT_ALERT_REGIONS)!r}"
        )
    for region in alert_regions:
        if not REGION_RE.fullmatch(region):
            raise ValueError(f"alert region {region!r} is not an AWS region name: use e.g. 'us-east-1'")
    if len(set(alert_regions)) != len(alert_regions):
        raise ValueError(f"alert regions {list(alert_regions)!r} repeat a region: list each region once")
