"""Break-glass documents: MFA deny, sign-in event pattern, topic and forwarder policies, validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from frontdoor.domain.documents.break_glass import (
    break_glass_user_arns,
    exempted_user_arns,
    forwarder_policy,
    forwarder_trust_policy,
    require_mfa_policy,
    sign_in_event_pattern,
    topic_policy,
    unmatched_user_arns,
    validate_break_glass,
)
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.model.break_glass import DEFAULT_ALERT_REGIONS

USERS = ("breakglass-1", "breakglass-2")
EMAILS = ("security@example.com",)


def test_mfa_policy_denies_everything_without_mfa() -> None:
    assert render_policy(require_mfa_policy()) == (
        '{"Statement":[{"Action":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}},'
        '"Effect":"Deny","Resource":"*","Sid":"DenyEverythingWithoutMfa"}],"Version":"2012-10-17"}'
    )


def test_sign_in_event_pattern_exact() -> None:
    assert json.dumps(sign_in_event_pattern(reversed(USERS)), sort_keys=True) == (
        '{"detail": {"userIdentity": {"type": ["IAMUser"], "userName": ["breakglass-1", "breakglass-2"]}}, '
        '"detail-type": ["AWS Console Sign In via CloudTrail"], "source": ["aws.signin"]}'
    )


def test_topic_policy_only_our_rule_publishes() -> None:
    topic = "arn:aws:sns:us-east-1:111111111111:breakglass-sign-in-alerts"
    rule = "arn:aws:events:us-east-1:111111111111:rule/breakglass-console-sign-in"
    (statement,) = topic_policy(topic, rule)["Statement"]
    assert statement == {
        "Sid": "AllowBreakGlassSignInRule",
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": topic,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule}},
    }


def test_forwarder_documents() -> None:
    bus = "arn:aws:events:us-east-1:111111111111:event-bus/default"
    assert forwarder_policy(bus)["Statement"] == [
        {
            "Sid": "ForwardSignInEventsToHomeRegion",
            "Effect": "Allow",
            "Action": "events:PutEvents",
            "Resource": bus,
        }
    ]
    assert forwarder_trust_policy()["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}


def test_default_regions_start_with_us_east_1() -> None:
    assert DEFAULT_ALERT_REGIONS == ("us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2")


def _check(**overrides: Any) -> None:
    values: dict[str, Any] = {
        "user_names": USERS,
        "group_name": "BreakGlassAdmins",
        "alert_emails": EMAILS,
        "alert_regions": DEFAULT_ALERT_REGIONS,
    }
    values.update(overrides)
    validate_break_glass(**values)


def test_valid_inputs_pass() -> None:
    _check()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"user_names": ()},
            'no break-glass users: list their names, e.g. ["breakglass-1", "breakglass-2"] (two, so one lost '
            "device does not lock the organization out)",
        ),
        (
            {"user_names": ("break glass",)},
            "break-glass user name 'break glass' is not a valid IAM user name: use 1-64 characters from "
            'letters, digits and +=,.@_-, e.g. "breakglass-1"',
        ),
        (
            {"user_names": ("a", "a")},
            "break-glass user names ['a', 'a'] repeat a name: list each user once",
        ),
        (
            {"group_name": "Break Glass"},
            "group name 'Break Glass' is not a valid IAM group name: use 1-128 characters from letters, "
            'digits and +=,.@_-, e.g. "BreakGlassAdmins"',
        ),
        (
            {"alert_emails": ()},
            "no alert email: a break-glass sign-in nobody hears about is an unmonitored admin login; list "
            'at least one address, e.g. "security-oncall@example.com"',
        ),
        (
            {"alert_emails": ("security",)},
            "alert email 'security' is not an email address: use e.g. security@example.com",
        ),
        (
            {"alert_regions": ()},
            "no alert region: list the regions that record sign-ins, e.g. "
            "['us-east-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2']",
        ),
        (
            {"alert_regions": ("us-east-1", "virginia")},
            "alert region 'virginia' is not an AWS region name: use e.g. 'us-east-1'",
        ),
    ],
)
def test_bad_inputs_raise_with_the_fix(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        _check(**overrides)
    assert str(error.value) == message


MANAGEMENT = "100000000026"
AT_PATH = {"breakglass-1": "/breakglass/", "breakglass-2": "/breakglass/"}


def _exempting(*arns: str, key: str = "aws:PrincipalArn") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Other", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {
                "Sid": "DenyLogDeletion",
                "Effect": "Deny",
                "Action": "s3:DeleteObject",
                "Resource": "*",
                "Condition": {
                    "ArnNotLike": {key: list(arns)},
                    "StringEquals": {"aws:PrincipalOrgID": "o-ab12cd34ef"},
                },
            },
        ],
    }


def test_exempted_user_arns_are_read_under_any_spelling_of_the_key() -> None:
    role = "arn:aws:iam::100000000026:role/frontdoor-deploy"
    arns = break_glass_user_arns(MANAGEMENT, "/breakglass/", AT_PATH)
    assert exempted_user_arns(_exempting(*arns, role)) == arns  # a role is not a user
    # Context key names are not case-sensitive (IAM User Guide): the SCPs write aws:PrincipalARN.
    assert exempted_user_arns(_exempting(*arns, key="aws:PrincipalARN")) == arns
    assert exempted_user_arns(_exempting(arns[0], key="AWS:principalarn")) == arns[:1]
    # Another key naming a user ARN is not an exemption by principal.
    assert exempted_user_arns(_exempting(*arns, key="aws:SourceArn")) == ()
    # A single statement (not a list) and a single value (not a list) are read as well.
    single = {"Statement": {"Condition": {"ArnEquals": {"aws:PrincipalArn": arns[1]}}}}
    assert exempted_user_arns(single) == arns[1:]
    # Two statements naming the same users list each once.
    twice = _exempting(*arns)
    twice["Statement"].append(twice["Statement"][1])
    assert exempted_user_arns(twice) == arns


def test_an_exempted_arn_matches_only_the_user_at_its_path_in_its_account() -> None:
    good = break_glass_user_arns(MANAGEMENT, "/breakglass/", AT_PATH)
    assert unmatched_user_arns(good, MANAGEMENT, AT_PATH) == ()
    pathless = "arn:aws:iam::100000000026:user/breakglass-1"  # real-api-audit-2, certain 7
    other_account = "arn:aws:iam::100000000027:user/breakglass/breakglass-1"
    wildcard = "arn:aws:iam::100000000026:user/breakglass/*"
    unknown = "arn:aws:iam::100000000026:user/breakglass/breakglass-3"
    planted = (pathless, *good, other_account, wildcard, unknown)
    assert unmatched_user_arns(planted, MANAGEMENT, AT_PATH) == (pathless, other_account, wildcard, unknown)
    # A user iam:GetUser did not find (None) matches nothing; one at the root path matches its own ARN.
    assert unmatched_user_arns(good, MANAGEMENT, {"breakglass-1": None, "breakglass-2": "/"}) == good
    assert unmatched_user_arns([pathless], MANAGEMENT, {"breakglass-1": "/"}) == ()
