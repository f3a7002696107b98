"""The declared ABAC chain: each hop checked against both ends, exact messages, exit 2 on the CLI."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from frontdoor.commands.cli import main
from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.abac_chain import abac_tag_key, saml_attribute_statements, scim_profile_mappings
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.model.fields import DEFAULT_ABAC_TAG_KEY
from frontdoor.domain.model.stack import StackConfig

REPO = Path(__file__).resolve().parents[4]
DEMO = REPO / "stacks" / "Pulumi.demo.yaml"
SOURCE = "stacks/Pulumi.demo.yaml"


@pytest.fixture(scope="module")
def demo_values() -> dict[str, Any]:
    return read_stack_file(DEMO)


def errors(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_stack_config(values, SOURCE)
    return [issue.render() for issue in raised.value.issues]


def changed(values: dict[str, Any], **sections: Any) -> dict[str, Any]:
    out = copy.deepcopy(values)
    for name, value in sections.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out


def test_demo_team_travels_by_scim_into_division(demo_values: dict[str, Any]) -> None:
    config = parse_stack_config(demo_values, SOURCE)
    assert isinstance(config, StackConfig)
    assert config.identity_center.access_control_attributes["team"] == "${path:enterprise.division}"
    assert scim_profile_mappings(config) == {"division": "user.team", "costCenter": "user.costCenter"}
    # A configured key replaces the assertion's value: no dead AccessControl statements are sent.
    assert saml_attribute_statements(config) == {}


def test_department_source_with_a_saml_team_statement_exits_2(demo_values: dict[str, Any]) -> None:
    values = changed(
        demo_values,
        identityCenter={
            "accessControlAttributes": {
                "team": "${path:enterprise.department}",
                "costCenter": "${path:enterprise.costCenter}",
            }
        },
        abacChains={"team": {"samlOnly": True}, "costCenter": {"scimAttribute": "costCenter"}},
    )
    assert errors(values) == [
        f"{SOURCE}: frontdoor:identityCenter.accessControlAttributes.team: ABAC key 'team' is declared "
        "SAML-only (AccessControl:team = user.team), but Identity Center also sources it from "
        "${path:enterprise.department}, and a configured key replaces the assertion's value: the session "
        "tag would carry that attribute instead (got '${path:enterprise.department}'). Fix: remove team "
        "from frontdoor:identityCenter.accessControlAttributes, or carry it by SCIM: "
        "frontdoor:abacChains.team: {scimAttribute: division} with team: ${path:enterprise.division}"
    ]


def test_department_source_against_a_division_mapping_exits_2(demo_values: dict[str, Any]) -> None:
    values = changed(
        demo_values,
        identityCenter={
            "accessControlAttributes": {
                "team": "${path:enterprise.department}",
                "costCenter": "${path:enterprise.costCenter}",
            }
        },
    )
    assert errors(values) == [
        f"{SOURCE}: frontdoor:identityCenter.accessControlAttributes.team: Okta pushes team (user.team) "
        "into the app user's division, which Identity Center stores at ${path:enterprise.division}, but "
        "Identity Center reads 'team' from ${path:enterprise.department}: the session tag would carry "
        "another attribute (got '${path:enterprise.department}'). Fix: set team: ${path:enterprise.division} "
        "under frontdoor:identityCenter.accessControlAttributes, or change "
        "frontdoor:abacChains.team.scimAttribute"
    ]


def test_dropping_the_scim_mapping_exits_2(demo_values: dict[str, Any]) -> None:
    values = changed(demo_values, abacChains={"costCenter": {"scimAttribute": "costCenter"}})
    assert errors(values) == [
        f"{SOURCE}: frontdoor:abacChains.team: ABAC key 'team' has no declared path from Okta (user.team) "
        "to Identity Center (${path:enterprise.division}), so nothing proves the session tag carries "
        "user.team (got None). Fix: add team: {scimAttribute: division} under frontdoor:abacChains (Okta "
        "maps it into the app user's division, SCIM pushes it, Identity Center reads "
        "${path:enterprise.division}), or team: {samlOnly: true} if Identity Center does not configure it"
    ]


def test_overwriting_department_needs_explicit_config(demo_values: dict[str, Any]) -> None:
    ic = {
        "accessControlAttributes": {
            "team": "${path:enterprise.department}",
            "costCenter": "${path:enterprise.costCenter}",
        }
    }
    chains: dict[str, Any] = {
        "team": {"scimAttribute": "department"},
        "costCenter": {"scimAttribute": "costCenter"},
    }
    assert errors(changed(demo_values, identityCenter=ic, abacChains=chains)) == [
        f"{SOURCE}: frontdoor:abacChains.team.scimAttribute: mapping user.team onto department overwrites "
        "the HR attribute department in Identity Center for every user (got 'department'). Fix: carry team "
        "in a free attribute (division, organization, nickName), or set "
        "overwritesHrAttribute: true under "
        "frontdoor:abacChains.team if that is intended"
    ]
    chains["team"]["overwritesHrAttribute"] = True
    # The app-user properties the stack creates follow the chains (division is no longer pushed).
    okta = {**demo_values["okta"], "createAppUserProperties": ["costCenter", "department"]}
    parse_stack_config(changed(demo_values, identityCenter=ic, abacChains=chains, okta=okta), SOURCE)


def test_saml_only_key_is_valid_when_identity_center_does_not_configure_it(
    demo_values: dict[str, Any],
) -> None:
    values = changed(
        demo_values,
        identityCenter={"accessControlAttributes": {"costCenter": "${path:enterprise.costCenter}"}},
        abacChains={"team": {"samlOnly": True}, "costCenter": {"scimAttribute": "costCenter"}},
        okta={**demo_values["okta"], "createAppUserProperties": ["costCenter"]},
    )
    config = parse_stack_config(values, SOURCE)
    assert saml_attribute_statements(config) == {"team": "user.team"}
    assert scim_profile_mappings(config) == {"costCenter": "user.costCenter"}


def test_a_custom_scim_attribute_is_refused(demo_values: dict[str, Any]) -> None:
    values = changed(
        demo_values,
        abacChains={"team": {"scimAttribute": "team"}, "costCenter": {"scimAttribute": "costCenter"}},
    )
    assert errors(values)[0].startswith(
        f"{SOURCE}: frontdoor:abacChains.team.scimAttribute: Identity Center's SCIM stores only core and "
        "enterprise attributes"
    )


def test_two_keys_in_one_attribute_are_refused(demo_values: dict[str, Any]) -> None:
    ic = {
        "accessControlAttributes": {
            "team": "${path:enterprise.division}",
            "costCenter": "${path:enterprise.division}",
        }
    }
    chains = {"team": {"scimAttribute": "division"}, "costCenter": {"scimAttribute": "division"}}
    assert any(
        "frontdoor:abacChains.team.scimAttribute: division already carries ABAC key 'costCenter'" in line
        for line in errors(changed(demo_values, identityCenter=ic, abacChains=chains))
    )


def test_canary_command_exits_2_on_a_broken_chain(
    demo_values: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = yaml.safe_load(DEMO.read_text())
    document["config"]["frontdoor:identityCenter"]["accessControlAttributes"]["team"] = (
        "${path:enterprise.department}"
    )
    broken = tmp_path / "Pulumi.demo.yaml"
    broken.write_text(yaml.safe_dump(document))
    assert main(["canary", "--config", str(broken)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "error: bad input, nothing was registered"
    assert err[1].startswith(
        f"{broken}: frontdoor:identityCenter.accessControlAttributes.team: Okta pushes team"
    )


def test_the_team_tag_key_is_the_abac_sets_one_key_or_the_default(demo_values: dict[str, Any]) -> None:
    config = parse_stack_config(demo_values, SOURCE)
    assert isinstance(config, StackConfig)
    assert abac_tag_key(config) == "team"
    squad = copy.deepcopy(demo_values)
    squad["permissionSets"]["DeveloperAccess"]["abac"]["tagKey"] = "squad"
    for section, key in (("okta", "abacAttributes"), ("identityCenter", "accessControlAttributes")):
        squad[section][key] = {("squad" if k == "team" else k): v for k, v in squad[section][key].items()}
    squad["abacChains"] = {("squad" if k == "team" else k): v for k, v in squad["abacChains"].items()}
    parsed = parse_stack_config(squad, SOURCE)
    assert isinstance(parsed, StackConfig)
    assert abac_tag_key(parsed) == "squad"
    # No ABAC permission set at all: the model's default key.
    unpartitioned = copy.deepcopy(demo_values)
    unpartitioned["permissionSets"]["DeveloperAccess"].pop("abac")
    parsed = parse_stack_config(unpartitioned, SOURCE)
    assert isinstance(parsed, StackConfig)
    assert abac_tag_key(parsed) == DEFAULT_ABAC_TAG_KEY == "team"


def test_machines_need_one_team_tag_key(demo_values: dict[str, Any]) -> None:
    two_keys = copy.deepcopy(demo_values)
    second = copy.deepcopy(two_keys["permissionSets"]["DeveloperAccess"])
    second["abac"]["tagKey"] = "costCenter"
    second["tier"] = "cost"
    two_keys["permissionSets"]["CostCenterAccess"] = second
    assert errors(two_keys) == [
        f"{SOURCE}: frontdoor:machines: the ABAC permission sets partition by several tag keys, so which "
        "one machine sessions carry as their owner team's tag is ambiguous (got ['costCenter', 'team']). "
        "Fix: use one abac.tagKey in every ABAC permission set under frontdoor:permissionSets"
    ]
    # Without machines nothing needs the one key: two partitions are valid.
    del two_keys["machines"]
    assert isinstance(parse_stack_config(two_keys, SOURCE), StackConfig)


def test_creating_an_app_user_property_no_chain_pushes_exits_2(demo_values: dict[str, Any]) -> None:
    okta = {**demo_values["okta"], "createAppUserProperties": ["division", "organization"]}
    assert errors(changed(demo_values, okta=okta)) == [
        "stacks/Pulumi.demo.yaml: frontdoor:okta.createAppUserProperties: no ABAC chain pushes this SCIM "
        "attribute, so the app-user property would carry nothing (got 'organization'). Fix: list only "
        "attributes the chains push (costCenter, division), or remove it"
    ]


def keyed_by(values: dict[str, Any], key: str, *, saml_only: bool = False) -> dict[str, Any]:
    """The demo with its team partition keyed `key` in all four sections (SAML-only: Identity Center
    does not configure it)."""
    out = copy.deepcopy(values)
    out["permissionSets"]["DeveloperAccess"]["abac"]["tagKey"] = key
    out["okta"]["abacAttributes"] = {
        (key if k == "team" else k): v for k, v in out["okta"]["abacAttributes"].items()
    }
    out["abacChains"] = {(key if k == "team" else k): v for k, v in out["abacChains"].items()}
    attributes = out["identityCenter"]["accessControlAttributes"]
    out["identityCenter"]["accessControlAttributes"] = {
        (key if k == "team" else k): v for k, v in attributes.items() if not (saml_only and k == "team")
    }
    if saml_only:
        out["abacChains"][key] = {"samlOnly": True}
    return out


def test_a_session_tag_key_has_at_most_128_characters(demo_values: dict[str, Any]) -> None:
    # botocore sts/iam tagKeyType: 1-128. A SAML-only key never reaches Identity Center's own section
    # (which checks 128), and the Vault machines' session tags carry it too: the Okta source bounds it.
    longest = "k" * 128
    for saml_only in (False, True):
        parsed = parse_stack_config(keyed_by(demo_values, longest, saml_only=saml_only), SOURCE)
        assert isinstance(parsed, StackConfig)
        assert abac_tag_key(parsed) == longest
    too_long = "k" * 129
    assert errors(keyed_by(demo_values, too_long, saml_only=True)) == [
        f"{SOURCE}: frontdoor:okta.abacAttributes.{too_long}: the tag key is 129 characters; AWS session "
        f"tag keys have 1-128 (STS Tag.Key) (got '{'k' * 116}...). Fix: shorten the tag key to at most "
        "128 characters"
    ]


def test_abac_keys_that_differ_only_in_case_are_refused(demo_values: dict[str, Any]) -> None:
    # The team partition keyed CostCenter beside the demo's costCenter: two keys to the stack, one
    # session tag to AWS ("you cannot have separate Department and department tag keys", STS AssumeRole).
    assert errors(keyed_by(demo_values, "CostCenter")) == [
        f"{SOURCE}: frontdoor:abacChains: these ABAC keys differ only in case, and AWS session tag keys are "
        "not case sensitive: a session carries one tag for both, so a policy on either reads whichever "
        "value won (got ['CostCenter', 'costCenter']). Fix: rename one of them in every section that "
        "names it (okta.abacAttributes, abacChains, identityCenter.accessControlAttributes, the "
        "permission sets' abac.tagKey)"
    ]
    # Another case of a key nothing else uses is a key like any other.
    parsed = parse_stack_config(keyed_by(demo_values, "Team"), SOURCE)
    assert isinstance(parsed, StackConfig)
    assert abac_tag_key(parsed) == "Team"
