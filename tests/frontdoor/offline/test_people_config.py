"""The people commands run the program of the stack file they are given, and the pack enforces the
people policy at preview: real offline runs (not the session's demo run) of a smaller stack file.

`other.yaml` is the demo stack with one team, no machines, and PlatformAdmin for "Principal Platform
Engineer"s only; every people command given `--config other.yaml` must show and apply that rule.
"""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import frontdoor.offline.preview
from frontdoor.commands.cli import main
from frontdoor.domain.base.spreadsheet import write_csv
from frontdoor.domain.people.hr_export import COLUMNS
from frontdoor.offline import people_demo
from frontdoor.offline.preview import PreviewInputs, PreviewResult, run_preview

REPO = Path(__file__).resolve().parents[3]
CURRENT = REPO / people_demo.CURRENT_FILE
SOFIA = "sofia.moreau@acme-medical.example"
PRINCIPAL = 'user.team == "platform" AND user.title == "Principal Platform Engineer"'


def stack_file(path: Path, platform_rule: str) -> Path:
    document = yaml.safe_load((REPO / "stacks" / "Pulumi.demo.yaml").read_text())
    config: dict[str, Any] = copy.deepcopy(document["config"])
    config["frontdoor:teams"] = {"payments": config["frontdoor:teams"]["payments"]}
    del config["frontdoor:machines"]  # its consumers belong to teams dropped here
    config["frontdoor:orgGrants"]["aws-platform-admin"]["members"] = platform_rule
    config["frontdoor:people"]["export"] = str(CURRENT)
    path.write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stack_file(tmp_path_factory.mktemp("other") / "Pulumi.other.yaml", PRINCIPAL)


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """The real preview, run once per stack file (the commands here share it)."""
    runs: dict[tuple[Path, Path], PreviewResult] = {}

    def once(inputs: PreviewInputs, **kwargs: Any) -> PreviewResult:
        key = (inputs.config_file, inputs.estate_file)
        if key not in runs:
            runs[key] = run_preview(inputs, **kwargs)
        return runs[key]

    monkeypatch.setattr(frontdoor.offline.preview, "run_preview", once)
    monkeypatch.chdir(REPO)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def promoted(tmp_path: Path) -> Path:
    rows = list(csv.DictReader(CURRENT.open(newline="")))
    for row in rows:
        if row["login"] == SOFIA:
            row["title"] = "Principal Platform Engineer"
    path = tmp_path / "promoted.csv"
    path.write_text(write_csv(COLUMNS, rows))
    return path


def test_every_people_command_shows_and_applies_the_rules_of_config(
    cli: Callable[..., tuple[int, str, str]], other: Path, tmp_path: Path
) -> None:
    export = promoted(tmp_path)
    code, out, err = cli("access-report", "--config", str(other), "--people", str(export), "--person", SOFIA,
                         "--format", "json")  # fmt: skip
    assert (code, err) == (0, "")
    (report,) = json.loads(out)
    assert {g["group"]: g["rule"] for g in report["groups"]}["aws-platform-admin"] == PRINCIPAL
    assert {r["permission_set"] for r in report["access"]} == {"PlatformAdmin"}
    # The same person under the demo's own rules ("Platform Engineer") and the stack file's export.
    code, out, _ = cli("access-report", "--config", str(other), "--person", SOFIA, "--format", "json")
    assert json.loads(out)[0]["groups"] == []

    code, out, err = cli(
        "jml", "--config", str(other), str(CURRENT), str(export), "--fail-on-gain", "PlatformAdmin"
    )
    assert code == 1
    assert out.splitlines()[:3] == [
        f"mover: {SOFIA} (E100224)",
        "  title: 'Platform Engineer' -> 'Principal Platform Engineer'",
        "  joins app-aws-identity-center-users, aws-platform-admin",
    ]

    code, out, err = cli("sample", "--config", str(other), "--hr-export", str(export), "--people", SOFIA,
                         "--out", str(tmp_path / "ev"))  # fmt: skip
    assert (code, err) == (0, "")
    (entry,) = json.loads((tmp_path / "ev" / "access-sample.json").read_text())["people"]
    assert {g["group"]: g["rule"] for g in entry["groups"]}["aws-platform-admin"] == PRINCIPAL


def test_the_calendar_reads_the_config_it_is_given(
    cli: Callable[..., tuple[int, str, str]], other: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "2026-11-28")
    code, out, err = cli("calendar", "--config", str(other), "--json")
    assert (code, err) == (0, "")
    items = json.loads(out)["items"]
    assert {item["stack"] for item in items} == {"other"}
    assert {item["kind"] for item in items} == {"time-bound-grant", "saml-certificate", "scim-token"}


def test_the_pack_blocks_a_privileged_grant_to_contractors_at_preview(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loose = stack_file(
        tmp_path / "Pulumi.loose.yaml", 'user.team == "platform" AND user.title == "Platform Engineer"'
    )
    code = main(["preview", "--config", str(loose), "--quiet", "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    mandatory = [v for v in document["violations"] if v["enforcement"] == "mandatory"]
    assert mandatory == [
        {
            "policy": "privileged-worker-types",
            "enforcement": "mandatory",
            "urn": "urn:pulumi:demo::frontdoor::frontdoor:index:OrganizationAccess"
            "$frontdoor:aws:AccountAssignments::aws-platform-admin/PlatformAdmin",
            "message": "aws-platform-admin grants PlatformAdmin on 127 account(s); PlatformAdmin is for "
            f"employee only, and the group's rule puts 2 other HR record(s) of {CURRENT} in it: "
            "dara.garcia@acme-medical.example (contractor, row 225), emeka.dubois@acme-medical.example "
            '(contractor, row 230); narrow the rule (e.g. AND user.userType == "employee") or allow the '
            "worker type in frontdoor:people.privilegedWorkerTypes.PlatformAdmin",
        }
    ]
