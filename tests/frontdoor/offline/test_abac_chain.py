"""`abac-attributes-consistent` on what the demo program registers: the chain holds, and breaks are named.

The resources are the engine's record of the real program (the demo preview), so the rule is judged
on the exact inputs the SAML app, the profile mapping and Identity Center's attributes are created
with. The two broken variants are edits of those records: the config refuses both before anything
is registered (tests/bad_input), so the program itself cannot produce them.
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

from frontdoor.offline.preview import PreviewResult
from tests.policy.conftest import Res, run_stack  # also puts policy/ on sys.path, for `rules`

rule = importlib.import_module("rules.abac_attributes_consistent")
common = importlib.import_module("rules._common")
ACCESS_CONTROL_ATTRIBUTES: str = common.ACCESS_CONTROL_ATTRIBUTES
INLINE_POLICY: str = common.INLINE_POLICY
OKTA_PROFILE_MAPPING: str = common.OKTA_PROFILE_MAPPING
OKTA_SAML_APP: str = common.OKTA_SAML_APP
TYPES = (INLINE_POLICY, ACCESS_CONTROL_ATTRIBUTES, OKTA_SAML_APP, OKTA_PROFILE_MAPPING)


def registered(demo: PreviewResult) -> list[Res]:
    return [Res(r.type, r.name, copy.deepcopy(dict(r.inputs))) for r in demo.run.resources if r.type in TYPES]


def only(resources: list[Res], resource_type: str) -> Res:
    (found,) = [r for r in resources if r.type == resource_type]
    return found


def test_the_demo_registers_one_scim_chain_for_team(demo: PreviewResult) -> None:
    resources = registered(demo)
    attributes: list[dict[str, Any]] = only(resources, ACCESS_CONTROL_ATTRIBUTES).props["attributes"]
    assert {a["key"]: a["values"][0]["sources"] for a in attributes} == {
        "costCenter": ["${path:enterprise.costCenter}"],
        "team": ["${path:enterprise.division}"],
    }
    mappings = only(resources, OKTA_PROFILE_MAPPING).props["mappings"]
    assert {m["id"]: m["expression"] for m in mappings} == {
        "division": "user.team",
        "costCenter": "user.costCenter",
    }
    assert only(resources, OKTA_SAML_APP).props.get("attributeStatements") in (None, [])
    assert run_stack(rule.POLICY, resources) == []
    assert not [v for v in demo.violations if v.policy == rule.NAME]


def test_department_source_with_a_saml_team_statement_fails_the_rule(demo: PreviewResult) -> None:
    resources = registered(demo)
    ic = only(resources, ACCESS_CONTROL_ATTRIBUTES)
    for attribute in ic.props["attributes"]:
        if attribute["key"] == "team":
            attribute["values"] = [{"sources": ["${path:enterprise.department}"]}]
    only(resources, OKTA_SAML_APP).props["attributeStatements"] = [
        {"name": "https://aws.amazon.com/SAML/Attributes/AccessControl:team", "values": ["user.team"]}
    ]
    messages = [message for _, message in run_stack(rule.POLICY, resources)]
    assert [m.split(";")[0] for m in messages] == [
        'ABAC key "team" is sourced from ${path:enterprise.department} in Identity Center, but no Okta '
        'profile mapping writes the app user\'s "department", so aws:PrincipalTag/team carries whatever HR '
        "put in department",
        'ABAC key "team" is sent by SAML as "https://aws.amazon.com/SAML/Attributes/AccessControl:team" = '
        "user.team, but Identity Center also sources it from ${path:enterprise.department} and replaces the "
        "asserted value, so the statement is dead",
    ]


def test_dropping_the_scim_mapping_fails_the_rule(demo: PreviewResult) -> None:
    resources = registered(demo)
    mapping = only(resources, OKTA_PROFILE_MAPPING)
    mapping.props["mappings"] = [m for m in mapping.props["mappings"] if m["id"] != "division"]
    messages = [message for _, message in run_stack(rule.POLICY, resources)]
    assert [m.split(";")[0] for m in messages] == [
        'ABAC key "team" is sourced from ${path:enterprise.division} in Identity Center, but no Okta '
        'profile mapping writes the app user\'s "division", so aws:PrincipalTag/team carries whatever HR '
        "put in division"
    ]
