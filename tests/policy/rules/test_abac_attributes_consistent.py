import json

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import abac_attributes_consistent as rule
from rules._common import ACCESS_CONTROL_ATTRIBUTES, INLINE_POLICY, OKTA_PROFILE_MAPPING, OKTA_SAML_APP

from ..conftest import UNKNOWN, Res, run_stack

DOCUMENT = json.dumps(
    {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "ec2:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
            }
        ]
    }
)
INLINE = Res(INLINE_POLICY, "developer-inline", {"inlinePolicy": DOCUMENT})
ATTRIBUTES = Res(
    ACCESS_CONTROL_ATTRIBUTES,
    "abac",
    {"attributes": [{"key": "team", "values": [{"sources": ["${path:enterprise.department}"]}]}]},
)
SAML = Res(
    OKTA_SAML_APP,
    "aws",
    {
        "attributeStatements": [
            {"name": "https://aws.amazon.com/SAML/Attributes/AccessControl:team", "values": ["user.team"]}
        ]
    },
)
MAPPING = Res(
    OKTA_PROFILE_MAPPING,
    "team-mapping",
    {"mappings": [{"id": "team", "expression": "user.team", "pushStatus": "PUSH"}]},
)


def test_key_carried_end_to_end_is_compliant() -> None:
    assert run_stack(rule.POLICY, [INLINE, ATTRIBUTES, SAML]) == []
    assert run_stack(rule.POLICY, [INLINE, ATTRIBUTES, MAPPING]) == []


def test_key_not_mapped_in_identity_center() -> None:
    assert run_stack(rule.POLICY, [INLINE, SAML]) == [
        (
            INLINE.urn,
            'ABAC key "team" is used as aws:PrincipalTag/team but is not mapped in Identity Center\'s '
            'InstanceAccessControlAttributes; add {"key": "team", "values": [{"sources": ["${path:...}"]}]} '
            "to the access-control attributes",
        )
    ]


def test_key_not_sent_by_okta() -> None:
    assert run_stack(rule.POLICY, [INLINE, ATTRIBUTES]) == [
        (
            INLINE.urn,
            'ABAC key "team" is used as aws:PrincipalTag/team but Okta does not send it; add a SAML '
            'attribute statement named "https://aws.amazon.com/SAML/Attributes/AccessControl:team" to the '
            'AWS app, or map it to the app user attribute "team" with an Okta profile mapping',
        )
    ]


def test_each_missing_link_is_reported() -> None:
    assert len(run_stack(rule.POLICY, [INLINE])) == 2


def test_malformed_attributes_fail_closed() -> None:
    bad = Res(ACCESS_CONTROL_ATTRIBUTES, "abac", {"attributes": "team"})
    assert run_stack(rule.POLICY, [INLINE, bad, SAML]) == [
        (None, "cannot check ABAC attributes: abac attributes must be a list of {key, values}, got 'team'")
    ]


def test_unknown_document_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [Res(INLINE_POLICY, "x", {"inlinePolicy": UNKNOWN}), ATTRIBUTES, SAML])


def test_no_principal_tags_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [Res(INLINE_POLICY, "x", {"inlinePolicy": "{}"})]) == []
