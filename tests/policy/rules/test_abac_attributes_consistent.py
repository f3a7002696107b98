import json

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import abac_attributes_consistent as rule
from rules._common import ACCESS_CONTROL_ATTRIBUTES, INLINE_POLICY, OKTA_PROFILE_MAPPING, OKTA_SAML_APP

from frontdoor.domain.contracts import SCIM_ATTRIBUTE_PATHS

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


def attributes(source: str) -> Res:
    return Res(
        ACCESS_CONTROL_ATTRIBUTES,
        "abac",
        {"attributes": [{"key": "team", "values": [{"sources": [source]}]}]},
    )


DIVISION = attributes("${path:enterprise.division}")
DEPARTMENT = attributes("${path:enterprise.department}")
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
    "abac-attributes",
    {"mappings": [{"id": "division", "expression": "user.team", "pushStatus": "PUSH"}]},
)
DEAD_SAML = (
    'ABAC key "team" is sent by SAML as "https://aws.amazon.com/SAML/Attributes/AccessControl:team" = '
    "user.team, but Identity Center also sources it from ${path:enterprise.department} and replaces the "
    "asserted value, so the statement is dead; remove the statement, or remove the key from the "
    "access-control attributes to carry it by SAML only"
)
NO_DEPARTMENT_MAPPING = (
    'ABAC key "team" is sourced from ${path:enterprise.department} in Identity Center, but no Okta profile '
    'mapping writes the app user\'s "department", so aws:PrincipalTag/team carries whatever HR put in '
    'department; add a profile mapping entry {"id": "department", "expression": "user.team"} or source team '
    "from the attribute the mapping writes"
)


def test_scim_chain_is_compliant() -> None:
    assert run_stack(rule.POLICY, [INLINE, DIVISION, MAPPING]) == []


def test_saml_only_chain_is_compliant() -> None:
    assert run_stack(rule.POLICY, [INLINE, SAML]) == []


def test_department_source_with_a_saml_team_statement_is_two_broken_hops() -> None:
    # The audit's finding: Identity Center reads department, the SAML team value is replaced.
    assert run_stack(rule.POLICY, [INLINE, DEPARTMENT, SAML, MAPPING]) == [
        (INLINE.urn, NO_DEPARTMENT_MAPPING),
        (INLINE.urn, DEAD_SAML),
    ]


def test_dropping_the_scim_mapping_is_reported() -> None:
    assert run_stack(rule.POLICY, [INLINE, DIVISION]) == [
        (
            INLINE.urn,
            'ABAC key "team" is sourced from ${path:enterprise.division} in Identity Center, but no Okta '
            'profile mapping writes the app user\'s "division", so aws:PrincipalTag/team carries whatever HR '
            'put in division; add a profile mapping entry {"id": "division", "expression": "user.team"} or '
            "source team from the attribute the mapping writes",
        )
    ]


def test_a_source_no_scim_attribute_fills_is_reported() -> None:
    found = run_stack(
        rule.POLICY, [INLINE, attributes('${path:addresses[type eq "work"].locality}'), MAPPING]
    )
    assert [message.split(",")[0] for _, message in found] == [
        'ABAC key "team" is sourced from ${path:addresses[type eq "work"].locality} in Identity Center'
    ]


def test_key_sent_nowhere() -> None:
    assert run_stack(rule.POLICY, [INLINE]) == [
        (
            INLINE.urn,
            'ABAC key "team" is used as aws:PrincipalTag/team but reaches no session: Identity Center does '
            "not configure it and the SAML app sends no "
            '"https://aws.amazon.com/SAML/Attributes/AccessControl:team"; '
            "map it by SCIM (an Okta profile mapping into an app-user attribute such as division, and "
            '{"key": "team", "values": [{"sources": ["${path:enterprise.division}"]}]} in the access-control '
            "attributes) or send it by SAML only",
        )
    ]


def test_the_pack_reads_the_programs_scim_table_backwards() -> None:
    assert {path: name for name, path in SCIM_ATTRIBUTE_PATHS.items()} == rule.SCIM_PATH_ATTRIBUTES
    assert rule.SCIM_PATH_ATTRIBUTES["${path:enterprise.division}"] == "division"
    assert len(rule.SCIM_PATH_ATTRIBUTES) == len(SCIM_ATTRIBUTE_PATHS) == 11


def test_malformed_attributes_fail_closed() -> None:
    bad = Res(ACCESS_CONTROL_ATTRIBUTES, "abac", {"attributes": "team"})
    assert run_stack(rule.POLICY, [INLINE, bad, SAML]) == [
        (None, "cannot check ABAC attributes: abac attributes must be a list of {key, values}, got 'team'")
    ]


def test_two_sources_for_one_key_fail_closed() -> None:
    bad = Res(
        ACCESS_CONTROL_ATTRIBUTES,
        "abac",
        {"attributes": [{"key": "team", "values": [{"sources": ["a", "b"]}]}]},
    )
    assert run_stack(rule.POLICY, [INLINE, bad])[0][1].startswith(
        "cannot check ABAC attributes: abac attribute 'team' needs exactly one source"
    )


def test_unknown_document_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [Res(INLINE_POLICY, "x", {"inlinePolicy": UNKNOWN}), DIVISION, MAPPING])


def test_unknown_mappings_defer() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [INLINE, DIVISION, Res(OKTA_PROFILE_MAPPING, "m", {"mappings": UNKNOWN})])


def test_no_principal_tags_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [Res(INLINE_POLICY, "x", {"inlinePolicy": "{}"})]) == []
