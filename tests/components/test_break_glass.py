"""BreakGlass: users, group, MFA deny, sign-in alerting in every alert region, all protected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from components.break_glass import BreakGlass, BreakGlassArgs
from tests.components.conftest import MANAGEMENT_ACCOUNT, Recorder, make_providers, provider_ref

COMPONENT = "frontdoor:aws:BreakGlass"
USER = "aws:iam/user:User"
GROUP = "aws:iam/group:Group"
MEMBERSHIP = "aws:iam/groupMembership:GroupMembership"
GROUP_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
USERS = ("breakglass-1", "breakglass-2")
EMAILS = ("security@example.com", "cto@example.com")
TOPIC_ARN = f"arn:aws:sns:us-east-1:{MANAGEMENT_ACCOUNT}:breakglass-sign-in-alerts"
RULE_ARN = f"arn:aws:events:us-east-1:{MANAGEMENT_ACCOUNT}:rule/breakglass-console-sign-in"
FORWARDER_ARN = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/breakglass-sign-in-forwarder"
HOME_BUS = f"arn:aws:events:us-east-1:{MANAGEMENT_ACCOUNT}:event-bus/default"


@pytest.fixture
def arns(recorder: Recorder) -> Iterator[Recorder]:
    """The shared mocks echo inputs; give the topic, rules and role the ARNs AWS would."""
    original = recorder.mocks.new_resource

    def new_resource(args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        resource_id, outputs = original(args)
        region = args.inputs.get("region", "us-east-1")
        if args.typ == TOPIC:
            outputs["arn"] = f"arn:aws:sns:{region}:{MANAGEMENT_ACCOUNT}:{args.inputs['name']}"
        elif args.typ == RULE:
            outputs["arn"] = f"arn:aws:events:{region}:{MANAGEMENT_ACCOUNT}:rule/{args.inputs['name']}"
        elif args.typ == ROLE:
            outputs["arn"] = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/{args.inputs['name']}"
        return resource_id, outputs

    recorder.mocks.new_resource = new_resource  # type: ignore[method-assign]
    yield recorder


def _args(**overrides: Any) -> BreakGlassArgs:
    values: dict[str, Any] = {
        "user_names": USERS,
        "alert_emails": EMAILS,
        "account_id": MANAGEMENT_ACCOUNT,
        "provider": make_providers().management,
    }
    values.update(overrides)
    return BreakGlassArgs(**values)


def test_children(arns: Recorder) -> None:
    component = arns.run(lambda: BreakGlass("breakglass", _args()))
    regions = ("us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2")
    assert arns.children_of(arns.one(COMPONENT)) == {
        (USER, "breakglass/breakglass-1"),
        (USER, "breakglass/breakglass-2"),
        (GROUP, "breakglass/group"),
        (MEMBERSHIP, "breakglass/members"),
        (GROUP_ATTACHMENT, "breakglass/AdministratorAccess"),
        (GROUP_POLICY, "breakglass/require-mfa"),
        (TOPIC, "breakglass/alerts"),
        (TOPIC_POLICY, "breakglass/alerts/policy"),
        (SUBSCRIPTION, "breakglass/alerts/security@example.com"),
        (SUBSCRIPTION, "breakglass/alerts/cto@example.com"),
        *((RULE, f"breakglass/sign-in/{region}") for region in regions),
        (TARGET, "breakglass/sign-in/us-east-1/alerts"),
        *((TARGET, f"breakglass/sign-in/{region}/forward") for region in regions[1:]),
        (ROLE, "breakglass/forwarder"),
        (ROLE_POLICY, "breakglass/forwarder/put-events"),
    }
    assert component.user_names == USERS
    # The users' path is part of their ARNs (the access stack's exemptions name the same ones).
    assert component.user_arns == (
        f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:user/breakglass/breakglass-1",
        f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:user/breakglass/breakglass-2",
    )
    assert component.group_name == "BreakGlassAdmins"


def test_everything_is_protected_and_on_the_management_provider(arns: Recorder) -> None:
    arns.run(lambda: BreakGlass("breakglass", _args()))
    management = provider_ref(arns, "aws-management")
    custom = [r for r in arns.registrations if r.custom and not r.type.startswith("pulumi:providers:")]
    assert custom and all(r.protect for r in custom)
    assert {r.provider for r in custom} == {management}


def test_users_group_and_policies(arns: Recorder) -> None:
    arns.run(lambda: BreakGlass("breakglass", _args()))
    user = arns.by_name("breakglass/breakglass-1")
    assert user.inputs == {
        "name": "breakglass-1",
        # Their own path: the posture Guard rule and `frontdoor posture` exempt exactly it.
        "path": "/breakglass/",
        "forceDestroy": False,
        "tags": {"frontdoor:purpose": "break-glass"},
    }
    assert arns.one(GROUP).inputs == {"name": "BreakGlassAdmins"}
    assert arns.one(MEMBERSHIP).inputs == {
        "name": "BreakGlassAdmins-members",
        "group": "BreakGlassAdmins",
        "users": ["breakglass-1", "breakglass-2"],
    }
    assert arns.one(GROUP_ATTACHMENT).inputs == {
        "group": "BreakGlassAdmins",
        "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
    }
    mfa = arns.one(GROUP_POLICY).inputs
    assert mfa["name"] == "RequireMfa" and mfa["group"] == "BreakGlassAdmins"
    assert json.loads(mfa["policy"])["Statement"] == [
        {
            "Sid": "DenyEverythingWithoutMfa",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        }
    ]
    assert arns.of_type(LOGIN_PROFILE) == []
    assert not [r for r in arns.registrations if r.type == "aws:iam/accessKey:AccessKey"]


def test_sign_in_rules_and_targets(arns: Recorder) -> None:
    arns.run(lambda: BreakGlass("breakglass", _args()))
    pattern = {
        "source": ["aws.signin"],
        "detail-type": ["AWS Console Sign In via CloudTrail"],
        "detail": {"userIdentity": {"type": ["IAMUser"], "userName": ["breakglass-1", "breakglass-2"]}},
    }
    rules = {r.inputs["region"]: r.inputs for r in arns.of_type(RULE)}
    assert set(rules) == {"us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2"}
    for inputs in rules.values():
        assert inputs["name"] == "breakglass-console-sign-in"
        assert json.loads(inputs["eventPattern"]) == pattern
    alerts = arns.by_name("breakglass/sign-in/us-east-1/alerts").inputs
    assert alerts == {
        "rule": "breakglass-console-sign-in",
        "targetId": "breakglass-alerts",
        "arn": TOPIC_ARN,
        "region": "us-east-1",
    }
    forward = arns.by_name("breakglass/sign-in/eu-north-1/forward").inputs
    assert forward == {
        "rule": "breakglass-console-sign-in",
        "targetId": "forward-to-us-east-1",
        "arn": HOME_BUS,
        "roleArn": FORWARDER_ARN,
        "region": "eu-north-1",
    }
    forwarder = arns.by_name("breakglass/forwarder").inputs
    assert json.loads(forwarder["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "events.amazonaws.com"
    }
    put_events = json.loads(arns.one(ROLE_POLICY).inputs["policy"])
    assert put_events["Statement"][0]["Resource"] == HOME_BUS


def test_topic_policy_and_subscriptions(arns: Recorder) -> None:
    arns.run(lambda: BreakGlass("breakglass", _args()))
    assert arns.one(TOPIC).inputs["region"] == "us-east-1"
    policy = arns.one(TOPIC_POLICY).inputs
    assert policy["arn"] == TOPIC_ARN and policy["region"] == "us-east-1"
    assert json.loads(policy["policy"])["Statement"] == [
        {
            "Sid": "AllowBreakGlassSignInRule",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": TOPIC_ARN,
            "Condition": {"ArnEquals": {"aws:SourceArn": RULE_ARN}},
        }
    ]
    subscriptions = {s.inputs["endpoint"]: s.inputs for s in arns.of_type(SUBSCRIPTION)}
    assert subscriptions["security@example.com"] == {
        "topic": TOPIC_ARN,
        "protocol": "email",
        "endpoint": "security@example.com",
        "region": "us-east-1",
    }
    assert set(subscriptions) == set(EMAILS)


def test_single_region_needs_no_forwarder(arns: Recorder) -> None:
    arns.run(lambda: BreakGlass("breakglass", _args(alert_regions=("us-east-1",))))
    assert arns.of_type(ROLE) == []
    assert [t.name for t in arns.of_type(TARGET)] == ["breakglass/sign-in/us-east-1/alerts"]


def test_login_profiles_when_flagged(arns: Recorder) -> None:
    arns.run(lambda: BreakGlass("breakglass", _args(create_login_profiles=True)))
    profiles = {p.name: p for p in arns.of_type(LOGIN_PROFILE)}
    assert set(profiles) == {"breakglass/breakglass-1/login-profile", "breakglass/breakglass-2/login-profile"}
    profile = profiles["breakglass/breakglass-1/login-profile"]
    assert profile.inputs == {"user": "breakglass-1", "passwordResetRequired": False}
    assert profile.protect


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"user_names": ()},
            'no break-glass users: list their names, e.g. ["breakglass-1", "breakglass-2"] (two, so one lost '
            "device does not lock the organization out)",
        ),
        (
            {"alert_emails": ()},
            "no alert email: a break-glass sign-in nobody hears about is an unmonitored admin login; list "
            'at least one address, e.g. "security-oncall@example.com"',
        ),
        (
            {"account_id": "mgmt"},
            "account id 'mgmt' is not a 12-digit AWS account id: use the account that holds these "
            'resources, e.g. "111111111111"',
        ),
    ],
)
def test_bad_args_raise_before_any_registration(
    arns: Recorder, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError) as error:
        arns.run(lambda: BreakGlass("breakglass", _args(**overrides)))
    assert str(error.value) == message
    assert arns.of_type(COMPONENT) == []


SCIM_PATTERN = {
    "source": ["aws.health"],
    "detail-type": ["AWS Health Event"],
    "detail": {"eventTypeCode": ["AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION"]},
}
SCIM_RULE_ARN = f"arn:aws:events:us-east-1:{MANAGEMENT_ACCOUNT}:rule/identity-center-scim-token-expiry"


def test_scim_token_expiry_reaches_the_same_alert_topic(arns: Recorder) -> None:
    arns.run(lambda: BreakGlass("breakglass", _args(scim_token_expiry_region="us-east-1")))
    rule = arns.by_name("breakglass/scim-token-expiry/us-east-1").inputs
    assert (rule["name"], rule["region"]) == ("identity-center-scim-token-expiry", "us-east-1")
    assert json.loads(rule["eventPattern"]) == SCIM_PATTERN
    assert arns.by_name("breakglass/scim-token-expiry/us-east-1/alerts").inputs == {
        "rule": "identity-center-scim-token-expiry",
        "targetId": "scim-token-expiry-alerts",
        "arn": TOPIC_ARN,
        "region": "us-east-1",
    }
    statements = json.loads(arns.one(TOPIC_POLICY).inputs["policy"])["Statement"]
    assert [(s["Sid"], s["Condition"]["ArnEquals"]["aws:SourceArn"]) for s in statements] == [
        ("AllowBreakGlassSignInRule", RULE_ARN),
        ("AllowScimTokenExpiryRule", SCIM_RULE_ARN),
    ]


def test_scim_token_expiry_in_another_region_is_forwarded_home(arns: Recorder) -> None:
    arns.run(
        lambda: BreakGlass(
            "breakglass", _args(alert_regions=("us-east-1",), scim_token_expiry_region="eu-west-1")
        )
    )
    assert {r.inputs["region"] for r in arns.of_type(RULE) if r.inputs["name"].startswith("identity")} == {
        "us-east-1",
        "eu-west-1",
    }
    assert arns.by_name("breakglass/scim-token-expiry/eu-west-1/forward").inputs == {
        "rule": "identity-center-scim-token-expiry",
        "targetId": "forward-to-us-east-1",
        "arn": HOME_BUS,
        "roleArn": FORWARDER_ARN,
        "region": "eu-west-1",
    }
