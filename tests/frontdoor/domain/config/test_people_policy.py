"""The people policy's config: what `frontdoor:people` says, checked against the catalogue, and the
members the program hands the pack (who the HR export puts in each privileged group)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import read_stack_file, stack_relative_path
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.config.people_policy import people_policy_config, privileged_groups
from frontdoor.domain.model.people import privileged_worker_types

REPO = Path(__file__).resolve().parents[4]
SOURCE = str(REPO / "stacks" / "Pulumi.demo.yaml")
DEMO = read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml")


def _with_people(people: dict[str, Any]) -> dict[str, Any]:
    values = copy.deepcopy(DEMO)
    values["people"] = {**values["people"], **people}
    return values


def errors(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(values, SOURCE)
    return [issue.render() for issue in caught.value.issues]


def test_privileged_sets_are_platform_admin_the_admin_tier_and_the_listed_ones() -> None:
    config = parse_stack_config(DEMO, SOURCE)
    tiers = {name: ps.tier for name, ps in config.permission_sets.items()}
    assert privileged_worker_types(config.people, tiers) == {
        "PlatformAdmin": ("employee",),
        "ReadOnlyAuditor": ("employee", "contractor"),
    }
    assert privileged_worker_types(None, {"Ops": "admin", "Dev": "dev"}) == {"Ops": ("employee",)}


def test_the_config_may_widen_platform_admin_too() -> None:
    """README: PlatformAdmin and the admin tier are employees-only "unless privilegedWorkerTypes lists
    others": the configured list replaces the default for them as for any set."""
    people = parse_stack_config(
        _with_people({"privilegedWorkerTypes": {"PlatformAdmin": ["employee", "contractor"]}}), SOURCE
    ).people
    tiers = {"PlatformAdmin": "admin", "Ops": "admin"}
    assert privileged_worker_types(people, tiers) == {
        "Ops": ("employee",),
        "PlatformAdmin": ("employee", "contractor"),
    }


def test_a_team_grant_with_its_own_members_hands_the_pack_that_expression() -> None:
    values = copy.deepcopy(DEMO)
    own = 'user.team == "payments" AND user.title == "Staff Engineer"'
    values["teams"]["payments"]["grants"]["PlatformAdmin"] = {"targets": ["Workloads/Prod"], "members": own}
    groups = privileged_groups(parse_stack_config(values, SOURCE), {"PlatformAdmin"})
    assert groups["aws-payments-admin"] == own


def test_a_privileged_set_outside_the_catalogue_or_an_unknown_worker_type_is_refused() -> None:
    assert errors(_with_people({"privilegedWorkerTypes": {"PlatfromAdmin": ["employee"]}})) == [
        f"{SOURCE}: frontdoor:people.privilegedWorkerTypes.PlatfromAdmin: not a permission set of the "
        "catalogue (frontdoor:permissionSets) (got 'PlatfromAdmin'). Fix: use one of BillingViewer, "
        "DeveloperAccess, PlatformAdmin, ReadOnlyAuditor"
    ]
    assert errors(_with_people({"privilegedWorkerTypes": {"PlatformAdmin": ["intern"]}})) == [
        f"{SOURCE}: frontdoor:people.privilegedWorkerTypes.PlatformAdmin: unknown worker type 'intern' (got "
        "['intern']). Fix: list one or more of employee, contractor (the HR export's userType values)"
    ]
    assert errors(_with_people({"idColumn": "status"})) == [
        f"{SOURCE}: frontdoor:people.idColumn: not a profile attribute the export can fill with a person's "
        "HR id (got 'status'). Fix: name the export's id column as its Okta attribute, e.g. employeeNumber"
    ]


def test_the_id_column_must_be_a_column_of_the_export() -> None:
    assert errors(_with_people({"idColumn": "personId"})) == [
        f"{SOURCE}: frontdoor:people.export: the HR export cannot be read: the export has no personId column "
        "(frontdoor:people.idColumn: people are matched by it) ((header)) (got 'stacks/people.demo.csv'). "
        "Fix: add the personId column "
        "(README: People)"
    ]


def test_the_pack_gets_who_the_export_puts_in_each_privileged_group() -> None:
    config = parse_stack_config(DEMO, SOURCE)
    assert sorted(privileged_groups(config, {"PlatformAdmin"})) == [
        "aws-incident-4711-admin",
        "aws-platform-admin",
    ]
    derived = people_policy_config(config, SOURCE)
    assert derived is not None
    members = derived["groupMembers"]
    assert derived["allowedWorkerTypes"] == {
        "PlatformAdmin": ["employee"],
        "ReadOnlyAuditor": ["employee", "contractor"],
    }
    assert members["aws-incident-4711-admin"] == [
        {"login": "jane.doe@acme-medical.example", "workerType": "employee", "row": 267}
    ]
    assert {m["workerType"] for m in members["aws-platform-admin"]} == {"employee"}
    assert {m["workerType"] for m in members["aws-security-auditors"]} == {"employee", "contractor"}
    assert "aws-payments-dev" not in members  # DeveloperAccess is not privileged
    # The export is the stack file's, resolved against its project wherever the command runs.
    assert derived["hrExport"] == str(stack_relative_path(SOURCE, "stacks/people.demo.csv"))


def test_without_the_employee_condition_the_contractors_are_listed() -> None:
    values = copy.deepcopy(DEMO)
    values["orgGrants"]["aws-platform-admin"]["members"] = (
        'user.team == "platform" AND user.title == "Platform Engineer"'
    )
    derived = people_policy_config(parse_stack_config(values, SOURCE), SOURCE)
    assert derived is not None
    contractors = [m for m in derived["groupMembers"]["aws-platform-admin"] if m["workerType"] != "employee"]
    assert contractors == [
        {"login": "dara.garcia@acme-medical.example", "workerType": "contractor", "row": 225},
        {"login": "emeka.dubois@acme-medical.example", "workerType": "contractor", "row": 230},
    ]


def test_a_contractor_the_export_puts_in_a_privileged_group_outside_rules_is_listed(tmp_path: Path) -> None:
    """The export's `groups` column: Okta groups the person was added to outside rules. A member is a
    member however added (group push carries them to AWS), so the pack sees them; a leaver is in none."""
    export = tmp_path / "hr.csv"
    export.write_text(
        "login,email,employeeNumber,status,team,title,userType,groups\n"
        "c@acme-medical.example,c@acme-medical.example,E9,active,payments,,contractor,aws-platform-admin\n"
        "t@acme-medical.example,t@acme-medical.example,E8,terminated,,,contractor,aws-platform-admin\n"
    )
    derived = people_policy_config(parse_stack_config(_with_people({"export": str(export)}), SOURCE), SOURCE)
    assert derived is not None
    assert derived["groupMembers"]["aws-platform-admin"] == [
        {"login": "c@acme-medical.example", "workerType": "contractor", "row": 1}
    ]


def test_no_people_section_no_pack_config() -> None:
    values = copy.deepcopy(DEMO)
    values.pop("people")
    assert people_policy_config(parse_stack_config(values, SOURCE), SOURCE) is None


def test_a_relative_export_resolves_against_the_stack_files_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "stacks").mkdir(parents=True)
    (project / "Pulumi.yaml").write_text("name: frontdoor\n")
    stack = project / "stacks" / "Pulumi.x.yaml"
    monkeypatch.chdir(tmp_path)  # elsewhere: the path is still the project's
    assert stack_relative_path(stack, "stacks/hr.csv") == Path("project/stacks/hr.csv")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert stack_relative_path(stack, "stacks/hr.csv") == project / "stacks" / "hr.csv"
    assert stack_relative_path(stack, "/abs/hr.csv") == Path("/abs/hr.csv")
    outside = tmp_path / "Pulumi.y.yaml"  # in no project: the working directory, as before
    assert stack_relative_path(outside, "stacks/hr.csv") == Path("stacks/hr.csv")
