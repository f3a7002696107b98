"""Break-glass documents: MFA deny, sign-in event pattern, topic and forwarder policies, validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from frontdoor.domain.documents.break_glass import (
    forwarder_policy,
    forwarder_trust_policy,
    require_mfa_policy,
    sign_in_event_pattern,
    topic_policy,
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
