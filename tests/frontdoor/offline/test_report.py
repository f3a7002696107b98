"""The access report's rows from recorded grants: status, the root's OU path, the account filter."""

from __future__ import annotations

from pathlib import Path

from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.estate import load_estate
from frontdoor.offline.record import RecordedResource
from frontdoor.offline.report import (
    ASSIGNMENT,
    ASSIGNMENTS_COMPONENT,
    PERMISSION_SET,
    AccessRow,
    access_rows,
    filter_rows,
)

ESTATE = """\
organization:
  id: o-test000001
  rootId: r-ab12
  managementAccount: {id: '111111111111', name: management, state: ACTIVE}
identityCenter:
  instanceArn: arn:aws:sso:::instance/ssoins-0000000000000001
  identityStoreId: d-0000000001
  region: us-east-1
accounts:
- {id: '222222222222', name: at-the-root, state: ACTIVE}
ous:
- id: ou-ab12-root0001
  name: Root
  accounts:
  - {id: '333333333333', name: in-an-ou-named-root, state: ACTIVE}
  children: []
"""
COMPONENT_URN = "urn:pulumi:t::frontdoor::frontdoor:index:TeamAccess$frontdoor:aws:AccountAssignments::g/Set"


def _resource(type_: str, logical: str, urn: str, parent: str, **inputs: object) -> RecordedResource:
    return RecordedResource(type=type_, name=logical, urn=urn, custom=True, parent_urn=parent, inputs=inputs)


def _run(*, deferred: bool, registered: tuple[str, ...]) -> ProgramRun:
    grant = _resource(
        ASSIGNMENTS_COMPONENT,
        "g/Set",
        COMPONENT_URN,
        "",
        group="g",
        permissionSet="Set",
        accountIds=["222222222222", "333333333333"],
        deferred=deferred,
    )
    children = [
        _resource(
            ASSIGNMENT, f"g/Set/{account}", f"{COMPONENT_URN}$a::{account}", COMPONENT_URN, targetId=account
        )
        for account in registered
    ]
    permission_set = _resource(PERMISSION_SET, "Set", "urn:ps", "", name="Set", sessionDuration="PT4H")
    return ProgramRun("t", [grant, *children, permission_set], {}, [], [])


def test_rows_come_from_the_recorded_grant_and_children_only_confirm_them(tmp_path: Path) -> None:
    (tmp_path / "estate.yaml").write_text(ESTATE)
    estate = load_estate(tmp_path / "estate.yaml")
    rows = access_rows(_run(deferred=False, registered=("222222222222",)), estate)
    assert [(r.account_name, r.ou_path, r.session_duration, r.status) for r in rows] == [
        ("at-the-root", "/", "PT4H", "synced"),
        # An OU named Root is not the root; an assignment the grant planned but nobody registered shows.
        ("in-an-ou-named-root", "Root", "PT4H", "missing"),
    ]
    deferred = access_rows(_run(deferred=True, registered=()), estate)
    assert [r.status for r in deferred] == ["deferred", "deferred"]


def _row(account_id: str, account_name: str) -> AccessRow:
    return AccessRow("g", "Set", account_id, account_name, "/", "PT1H", "rule", "synced")


def test_an_account_id_matches_ids_only_and_a_name_names_only() -> None:
    # An account whose NAME is another account's id must not bring that account along.
    rows = [_row("111111111111", "prod"), _row("222222222222", "111111111111")]
    assert filter_rows(rows, account="111111111111") == [rows[0]]
    assert filter_rows(rows, account="prod") == [rows[0]]
    assert filter_rows(rows, account="1111111111112") == []  # 13 digits: a name, and no account has it
