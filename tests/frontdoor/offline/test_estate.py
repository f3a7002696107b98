"""The estate loader: the demo estate's shape, and each way an estate file can be wrong."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from frontdoor.domain.base.errors import ConfigError
from frontdoor.offline.estate import load_estate, parse_estate

DEMO = Path(__file__).resolve().parents[3] / "stacks" / "estate.demo.yaml"


@pytest.fixture(scope="module")
def demo_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(DEMO.read_text())
    return document


def test_demo_estate_is_the_140_account_manufacturer() -> None:
    estate = load_estate(DEMO)
    snapshot = estate.snapshot()
    assert len(snapshot.accounts) == 140
    assert snapshot.management_account_id == "100000000026"
    assert sorted(ou.path for ou in snapshot.ous if "/" not in ou.path) == [
        "Acquired",
        "Infrastructure",
        "Sandbox",
        "Security",
        "Suspended",
        "Workloads",
    ]
    assert sorted(ou.path for ou in snapshot.ous if ou.path.startswith("Workloads/")) == [
        "Workloads/Decommissioning",
        "Workloads/Dev",
        "Workloads/Prod",
        "Workloads/Shared",
        "Workloads/Staging",
    ]
    suspended = [a for a in snapshot.accounts if a.state == "SUSPENDED"]
    assert {a.ou_path for a in suspended} == {"Suspended"} and len(suspended) == 8
    # every team group is synced except the newly onboarded patient-portal team's
    assert not [g for g in estate.synced_groups if g.startswith("aws-patient-portal-")]
    assert "aws-payments-dev" in estate.synced_groups


def test_snapshot_paths_and_ancestors() -> None:
    snapshot = load_estate(DEMO).snapshot()
    prod = snapshot.ou_by_path["Acquired/Medisyn/Prod"]
    medisyn = snapshot.ou_by_path["Acquired/Medisyn"]
    acquired = snapshot.ou_by_path["Acquired"]
    assert prod.parent_id == medisyn.id and medisyn.parent_id == acquired.id
    account = snapshot.accounts_below[prod.id][0]
    assert account.ou_ids == (acquired.id, medisyn.id, prod.id)
    assert len(snapshot.accounts_below[acquired.id]) == 35
    assert snapshot.accounts_below.get(snapshot.ou_by_path["Workloads/Decommissioning"].id, ()) == ()


def _error(document: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as raised:
        parse_estate(document, "estate.bad.yaml")
    return raised.value.render()


def test_duplicate_ou_id_reads_as_a_cycle(demo_document: dict[str, Any]) -> None:
    document = copy.deepcopy(demo_document)
    security = document["ous"][0]
    document["ous"][1]["children"].append(copy.deepcopy(security))
    assert _error(document) == (
        f"estate.bad.yaml: (file): OU {security['id']} appears twice (at Infrastructure/Security): "
        f"the OU tree would be cyclic or ambiguous (got '{security['id']}'). Fix: give every OU one place in "
        "the tree and a unique id"
    )


def test_account_in_two_places(demo_document: dict[str, Any]) -> None:
    document = copy.deepcopy(demo_document)
    document["accounts"].append(copy.deepcopy(document["ous"][0]["accounts"][0]))
    account_id = document["ous"][0]["accounts"][0]["id"]
    assert _error(document) == (
        f"estate.bad.yaml: (file): account {account_id} appears twice in the estate (got '{account_id}'). "
        "Fix: an account lives in exactly one OU (or the root)"
    )


def test_bad_account_state(demo_document: dict[str, Any]) -> None:
    document = copy.deepcopy(demo_document)
    document["accounts"][0]["state"] = "CLOSED"
    assert _error(document) == (
        "estate.bad.yaml: accounts[0].state: Input should be 'ACTIVE', 'SUSPENDED' or 'PENDING_CLOSURE' "
        "(got 'CLOSED'). Fix: use one of the allowed values"
    )


def test_bad_group_id(demo_document: dict[str, Any]) -> None:
    document = copy.deepcopy(demo_document)
    document["syncedGroups"]["aws-payments-dev"] = "not-a-guid"
    assert _error(document) == (
        "the estate file estate.bad.yaml field syncedGroups.aws-payments-dev holds 'not-a-guid', which AWS's "
        "SSO Admin model (PrincipalId: pattern ([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-"
        "[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}, 1-47 characters) does not accept: pull again "
        "(`frontdoor estate pull`)"
    )


def test_unknown_key(demo_document: dict[str, Any]) -> None:
    document = copy.deepcopy(demo_document)
    document["organisation"] = {}
    assert _error(document) == (
        "estate.bad.yaml: organisation: Extra inputs are not permitted (got 'organisation'). Fix: remove the "
        "key or correct its spelling (see `frontdoor schema` for the allowed keys)"
    )


def test_not_a_mapping() -> None:
    assert _error(["a"]) == (  # type: ignore[arg-type]
        "estate.bad.yaml: (file): an estate file must be a mapping (got 'list'). Fix: start from "
        "stacks/estate.demo.yaml"
    )


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "estate.empty.yaml"
    empty.write_text("\n")
    with pytest.raises(ConfigError) as raised:
        load_estate(empty)
    assert (
        raised.value.render()
        == f"{empty}: (file): estate file is empty (got ''). Fix: write the estate (see README)"
    )
    with pytest.raises(ConfigError) as raised:
        load_estate(tmp_path / "nope.yaml")
    assert "estate file not found" in raised.value.render()
