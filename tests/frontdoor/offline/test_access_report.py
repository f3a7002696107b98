"""The access report, checked against counts computed independently from the estate and the config.

The expected numbers are computed here by walking the raw estate YAML and the raw stack YAML with
plain dict code: not by calling the fan-out the program uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from frontdoor.commands.cli import main
from frontdoor.offline.estate import Estate
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.report import access_rows, filter_rows

REPO = Path(__file__).resolve().parents[3]


def _raw_accounts() -> tuple[str, list[tuple[str, str, str]]]:
    """(management id, [(account id, OU path, state)]) straight from the estate YAML."""
    estate = yaml.safe_load((REPO / "stacks" / "estate.demo.yaml").read_text())
    out: list[tuple[str, str, str]] = []
    management = estate["organization"]["managementAccount"]
    out.append((management["id"], "", management["state"]))
    out += [(a["id"], "", a["state"]) for a in estate["accounts"]]

    def walk(ous: list[dict[str, Any]], prefix: str) -> None:
        for ou in ous:
            path = prefix + ou["name"]
            out.extend((a["id"], path, a["state"]) for a in ou["accounts"])
            walk(ou["children"], path + "/")

    walk(estate["ous"], "")
    return management["id"], out


def _expected_rows() -> dict[tuple[str, str], int]:
    management, accounts = _raw_accounts()
    config = yaml.safe_load((REPO / "stacks" / "Pulumi.demo.yaml").read_text())["config"]
    tiers = {name: ps["tier"] for name, ps in config["frontdoor:permissionSets"].items()}

    def reach(targets: list[str], exclude: list[str], with_management: bool) -> int:
        def hit(account: tuple[str, str, str], target: str) -> bool:
            account_id, path, _ = account
            return target == "*" or target == account_id or path == target or path.startswith(target + "/")

        chosen = {
            a[0]
            for a in accounts
            if a[2] == "ACTIVE"
            and any(hit(a, t) for t in targets)
            and not any(hit(a, x) for x in exclude)
            and (a[0] != management or with_management)
        }
        return len(chosen)

    expected: dict[tuple[str, str], int] = {}
    for team, spec in config["frontdoor:teams"].items():
        for set_name, grant in spec["grants"].items():
            grant = grant if isinstance(grant, dict) else {"targets": grant}
            group = f"aws-{team}-{tiers[set_name]}"
            expected[(group, set_name)] = reach(grant["targets"], grant.get("exclude", []), False)
    for group, grant in config["frontdoor:orgGrants"].items():
        expected[(group, grant["permissionSet"])] = reach(
            grant.get("targets", ["*"]),
            grant.get("exclude", []),
            grant.get("includeManagementAccount", False),
        )
    return expected


def test_rows_match_independent_counts(demo: PreviewResult, demo_estate: Estate) -> None:
    rows = access_rows(demo.run, demo_estate)
    counted: dict[tuple[str, str], int] = {}
    for row in rows:
        counted[(row.group, row.permission_set)] = counted.get((row.group, row.permission_set), 0) + 1
    assert counted == _expected_rows()
    assert len(rows) == 922
    assert len(set((r.group, r.permission_set, r.account_id) for r in rows)) == len(rows)


def test_row_contents(demo: PreviewResult, demo_estate: Estate) -> None:
    rows = access_rows(demo.run, demo_estate)
    (billing,) = filter_rows(rows, account="acme-management")
    assert billing.__dict__ == {
        "group": "aws-billing-readonly",
        "permission_set": "BillingViewer",
        "account_id": "100000000026",
        "account_name": "acme-management",
        "ou_path": "/",  # directly under the root (an OU named Root would read "Root")
        "session_duration": "PT2H",
        "members_rule": 'user.department == "Finance"',
        "status": "synced",
        "expires": None,
        "ticket": None,
    }
    exception = filter_rows(rows, group="aws-incident-4711-admin")
    assert [(r.account_name, r.permission_set, r.expires, r.ticket, r.status) for r in exception] == [
        ("payments-prod1", "PlatformAdmin", "2026-12-05", "CHG0041234", "synced"),
        ("payments-prod2", "PlatformAdmin", "2026-12-05", "CHG0041234", "synced"),
    ]
    deferred = filter_rows(rows, group="aws-patient-portal-dev")
    assert {r.status for r in deferred} == {"deferred"} and len(deferred) == 33
    assert {r.ou_path for r in deferred} == {"Workloads/Dev", "Workloads/Staging"}
    suspended = {a.id for a in demo_estate.snapshot().accounts if a.state != "ACTIVE"}
    assert not [r for r in rows if r.account_id in suspended]


def test_who_can_reach_an_account(
    demo_preview_reused: PreviewResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["access-report", "--account", "payments-prod1", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert list(rows[0]) == [
        "group",
        "permission_set",
        "account_id",
        "account_name",
        "ou_path",
        "session_duration",
        "members_rule",
        "status",
        "expires",
        "ticket",
    ]
    assert sorted((r["group"], r["permission_set"]) for r in rows) == [
        ("aws-clinical-data-readonly", "ReadOnlyAuditor"),
        ("aws-data-platform-readonly", "ReadOnlyAuditor"),
        ("aws-devices-firmware-readonly", "ReadOnlyAuditor"),
        ("aws-incident-4711-admin", "PlatformAdmin"),
        ("aws-manufacturing-readonly", "ReadOnlyAuditor"),
        ("aws-mobile-readonly", "ReadOnlyAuditor"),
        ("aws-patient-portal-readonly", "ReadOnlyAuditor"),
        ("aws-payments-readonly", "ReadOnlyAuditor"),
        ("aws-platform-admin", "PlatformAdmin"),
        ("aws-quality-readonly", "ReadOnlyAuditor"),
        ("aws-regulatory-readonly", "ReadOnlyAuditor"),
        ("aws-security-auditors", "ReadOnlyAuditor"),
        ("aws-supply-chain-readonly", "ReadOnlyAuditor"),
        ("aws-telemetry-readonly", "ReadOnlyAuditor"),
    ]
    assert {r["status"] for r in rows if r["group"] == "aws-patient-portal-readonly"} == {"deferred"}


def test_csv_header(demo_preview_reused: PreviewResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["access-report", "--group", "aws-billing-readonly", "--format", "csv"]) == 0
    assert capsys.readouterr().out == (
        '"group","permission_set","account_id","account_name","ou_path","session_duration","members_rule",'
        '"status","expires","ticket"\n'
        '"aws-billing-readonly","BillingViewer","100000000026","acme-management","/","PT2H",'
        '"user.department == ""Finance""","synced","",""\n'
    )
