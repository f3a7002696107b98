"""The ABAC tag key is one idea: the key a stack configures reaches every consumer, Vault's machines too.

A stack that partitions by `squad` (its ABAC permission set's `tagKey`, with the matching Okta source,
declared chain and Identity Center attribute) tags machine sessions `squad`, pins `squad` in the target
roles' trust and tags the roles and StackSets with it; nothing it registers carries `team` as a tag key.
The demo (key `team`) is the control: the same resources with `team` where `squad` stands here.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain.config.files import provider_settings
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate
from frontdoor.offline.preview import PreviewResult

REPO = Path(__file__).resolve().parents[3]
ROLE = "vault:aws/secretBackendRole:SecretBackendRole"
STACK_SET = "aws:cloudformation/stackSet:StackSet"
OWNERS = {"legacy-reporting": "data-platform", "jenkins-firmware": "devices-firmware"}
# jenkins-firmware's account target has its own StackSet, which never auto-deploys.
SETS = [
    "machines/jenkins-firmware/accounts-stack-set",
    "machines/jenkins-firmware/stack-set",
    "machines/legacy-reporting/stack-set",
]


def _renamed(mapping: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {new if key == old else key: value for key, value in mapping.items()}


def squad_settings() -> dict[str, Any]:
    """The demo stack keyed by `squad` in all four places, with only the machines' owner teams."""
    settings = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")
    settings["frontdoor:teams"] = {team: settings["frontdoor:teams"][team] for team in OWNERS.values()}
    settings["frontdoor:orgGrants"] = {}
    settings["frontdoor:permissionSets"]["DeveloperAccess"]["abac"]["tagKey"] = "squad"
    okta = settings["frontdoor:okta"]
    okta["abacAttributes"] = _renamed(okta["abacAttributes"], "team", "squad")
    settings["frontdoor:abacChains"] = _renamed(settings["frontdoor:abacChains"], "team", "squad")
    identity_center = settings["frontdoor:identityCenter"]
    identity_center["accessControlAttributes"] = _renamed(
        identity_center["accessControlAttributes"], "team", "squad"
    )
    return settings


@pytest.fixture(scope="module")
def squad(demo_estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> ProgramRun:
    program = tmp_path_factory.mktemp("squad")
    (program / "__main__.py").write_text("from frontdoor.program import main\n\nmain()\n")
    return run_program(program, stack="demo", config=squad_settings(), estate=demo_estate)


def _by_name(run: ProgramRun, type_token: str) -> dict[str, dict[str, Any]]:
    return {r.name: dict(r.inputs) for r in run.by_type(type_token)}


def test_machine_sessions_carry_the_configured_key(squad: ProgramRun, demo: PreviewResult) -> None:
    demo_roles = _by_name(demo.run, ROLE)
    assert {name: inputs["sessionTags"] for name, inputs in demo_roles.items()} == {
        f"machines/{consumer}": {"team": owner} for consumer, owner in OWNERS.items()
    }
    # Everything else of each Vault role is the demo's; the session tag is the stack's key.
    assert _by_name(squad, ROLE) == {
        name: {**inputs, "sessionTags": {"squad": inputs["sessionTags"]["team"]}}
        for name, inputs in demo_roles.items()
    }


def test_the_target_roles_pin_and_carry_the_configured_key(squad: ProgramRun, demo: PreviewResult) -> None:
    demo_sets = _by_name(demo.run, STACK_SET)
    squad_sets = _by_name(squad, STACK_SET)
    assert sorted(squad_sets) == sorted(demo_sets) == SETS
    for name in SETS:
        consumer = name.split("/")[1]
        owner = OWNERS[consumer]
        assert demo_sets[name]["tags"] == {"team": owner, "frontdoor:machine": consumer}
        assert squad_sets[name]["tags"] == {"squad": owner, "frontdoor:machine": consumer}
        expected = json.loads(demo_sets[name]["templateBody"])
        role = expected["Resources"]["VaultTargetRole"]["Properties"]
        assert role["Tags"][0] == {"Key": "team", "Value": owner}
        role["Tags"][0] = {"Key": "squad", "Value": owner}
        pinned = role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
        assert pinned.pop("aws:RequestTag/team") == owner
        pinned["aws:RequestTag/squad"] = owner
        assert json.loads(squad_sets[name]["templateBody"]) == expected
        assert {k: v for k, v in squad_sets[name].items() if k not in ("tags", "templateBody")} == {
            k: v for k, v in demo_sets[name].items() if k not in ("tags", "templateBody")
        }


def team_as_tag_key(value: Any, where: str = "") -> Iterator[str]:
    """Every place `value` uses `team` as a tag key: a key of a tag map, a {"Key": "team"} tag entry,
    an `aws:*Tag/team` condition key, `AccessControl:team`, `aws:TagKeys` naming it (JSON documents
    held as strings are read too). An HR attribute named team (`user.team`, an Okta property's index)
    or a Datadog monitor tag (`team:platform`) is not a session or resource tag key."""
    if isinstance(value, str):
        if value[:1] in "{[":
            try:
                document = json.loads(value)
            except ValueError:
                document = None
            if document is not None:
                yield from team_as_tag_key(document, where)
                return
        if value.endswith(("Tag/team", "AccessControl:team")):
            yield f"{where}: {value}"
    elif isinstance(value, dict):
        if value.get("Key") == "team" or value.get("key") == "team":
            yield f"{where}: {value}"
        for key, item in value.items():
            if key == "team" or key.endswith(("Tag/team", "AccessControl:team")):
                yield f"{where}.{key}"
            if key == "aws:TagKeys" and "team" in (item if isinstance(item, list) else [item]):
                yield f"{where}.{key}"
            yield from team_as_tag_key(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from team_as_tag_key(item, f"{where}[{index}]")


def test_no_registered_input_uses_team_as_a_tag_key(squad: ProgramRun, demo: PreviewResult) -> None:
    found = [hit for r in squad.resources for hit in team_as_tag_key(r.inputs, f"{r.type} {r.name}")]
    assert found == []
    # The scan is not blind: on the demo (key `team`) it finds the key wherever the stack uses it.
    demo_hits = {
        hit.split(" ", 1)[0] for r in demo.run.resources for hit in team_as_tag_key(r.inputs, f"{r.type} ")
    }
    assert demo_hits == {
        "aws:ssoadmin/instanceAccessControlAttributes:InstanceAccessControlAttributes",
        "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        ROLE,
        STACK_SET,
    }


def test_the_squad_stack_is_otherwise_the_demo_minus_what_it_leaves_out(squad: ProgramRun) -> None:
    # The settings edit touched only the key: the four sections agree, so the program planned.
    assert squad.warnings == sorted(squad.warnings)
    settings = squad_settings()
    assert copy.deepcopy(settings["frontdoor:abacChains"]) == {
        "squad": {"scimAttribute": "division"},
        "costCenter": {"scimAttribute": "costCenter"},
    }
