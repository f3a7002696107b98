"""What every live command does before it reads: the management-account check, the project's default
files wherever it runs, the role adopt reads through, the first progress line and the connection budget."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from frontdoor.commands.cli import main
from frontdoor.commands.live_common import management_mismatch
from frontdoor.live import aws as live_aws
from frontdoor.offline import preview as offline_preview
from frontdoor.offline.preview import PreviewResult
from tests.frontdoor.live.demo_server import IDENTITY_CENTER_ACCOUNT, REPO_ROOT, DemoServer, as_account

# Another organization's management account: a leading-zero id, as real ones can be.
OTHER = "012345678901"
DEMO_CONFIG = REPO_ROOT / "stacks" / "Pulumi.demo.yaml"
DEMO_MANAGEMENT = "100000000026"


def mismatch_line(operation: str, where: str) -> str:
    return (
        f"error: {operation}these credentials are in {where}, but {DEMO_CONFIG} says "
        f"frontdoor:organization.managementAccountId is {DEMO_MANAGEMENT}: run with a profile of account "
        f"{DEMO_MANAGEMENT} (--profile), or pass --config with the stack config of account {OTHER}'s "
        "organization; nothing was read"
    )


@pytest.fixture
def other_organization(aws: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The local server holds one organization, not the demo stack's: boto3 is its management account."""
    as_account(monkeypatch, OTHER)
    boto3.Session().client("organizations").create_organization(FeatureSet="ALL")
    return OTHER


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory outside the project, with no stacks/ of its own."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


@pytest.fixture
def no_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """drift and adopt plan offline for ~20 s: the check must stop them before."""

    def planned(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the offline plan ran before the management-account check")

    monkeypatch.setattr(offline_preview, "run_preview", planned)


def test_the_mismatch_message_names_both_ids_and_the_fix() -> None:
    assert management_mismatch("100000000026", "100000000026", "stacks/Pulumi.demo.yaml") is None
    assert (
        management_mismatch(OTHER, DEMO_MANAGEMENT, DEMO_CONFIG) == mismatch_line("", f"account {OTHER}")[7:]
    )


@pytest.mark.parametrize(
    "command", [["doctor"], ["drift"], ["adopt", "--out", "OUT"], ["estate", "pull", "--estate", "OUT"]]
)
def test_another_organization_stops_every_live_command_before_it_reads(
    other_organization: str,
    elsewhere: Path,
    no_plan: None,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    # Run from outside the project with no --config: the project's stacks/Pulumi.demo.yaml is read (not
    # the working directory's, which has none), and names another management account than the caller.
    out = elsewhere / "written"
    argv = [*(str(out) if arg == "OUT" else arg for arg in command), "--stack", "demo"]
    code = main(argv)
    err = capsys.readouterr().err
    name = " ".join(command[:2]) if command[0] == "estate" else command[0]
    assert (code, err.splitlines()) == (
        2,
        [
            f"... {name}: stack demo, config {DEMO_CONFIG}",
            f"... sts: checking these credentials are the management account {DEMO_MANAGEMENT}'s",
            mismatch_line(f"account {OTHER}, call GetCallerIdentity: ", f"account {OTHER}"),
        ],
    )
    assert not out.exists()  # estate pull wrote no estate, adopt no report


def test_posture_of_another_organization_stops_before_any_account_is_scanned(
    other_organization: str, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Both default stack files are the project's: run from elsewhere, posture still finds them.
    code = main(["posture"])
    captured = capsys.readouterr()
    assert (code, captured.out, captured.err.splitlines()) == (
        2,
        "",
        [
            "... posture: access stack demo, break-glass stack breakglass",
            mismatch_line(
                "call DescribeOrganization: ", f"the organization whose management account is {OTHER}"
            ),
        ],
    )


def test_calendar_reads_the_project_stacks_from_any_directory(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRONTDOOR_TODAY", "2026-06-01")
    code = main(["calendar", "--json"])
    from_elsewhere = capsys.readouterr().out
    assert main(["calendar", "--json", "--stacks-dir", str(REPO_ROOT / "stacks")]) == code
    named = capsys.readouterr().out
    assert from_elsewhere == named
    assert {item["stack"] for item in json.loads(named)["items"]} == {"demo", "breakglass"}


@pytest.mark.parametrize(
    ("identity", "role"),
    [(None, "OrganizationAccountAccessRole"), ("preview", "frontdoor-github-preview")],
)
def test_adopt_assumes_the_configured_read_role(
    demo_org: DemoServer,
    demo_preview_reused: PreviewResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    identity: str | None,
    role: str,
) -> None:
    # The role ARN each AssumeRole sends, as botocore serializes it (the local server accepts any role).
    assumed: list[str] = []
    original = live_aws.LiveSession.client

    def recording_client(self: live_aws.LiveSession, service: str, *, region: str | None = None) -> Any:
        client = original(self, service, region=region)
        if service == "sts":
            client.meta.events.register(
                "provide-client-params.sts.AssumeRole",
                lambda params, **_: assumed.append(params["RoleArn"]),
                unique_id="test-record-assume-role",
            )
        return client

    monkeypatch.setattr(live_aws.LiveSession, "client", recording_client)
    if identity is None:
        monkeypatch.delenv("FRONTDOOR_IDENTITY", raising=False)
    else:
        monkeypatch.setenv("FRONTDOOR_IDENTITY", identity)
    flags = ["--out", str(tmp_path / "out"), "--quiet", "--no-boundary", "--no-abac"]
    assert main(["adopt", "--stack", "demo", *flags]) in (0, 1)
    assert sorted(set(assumed)) == [f"arn:aws:iam::{IDENTITY_CENTER_ACCOUNT}:role/{role}"]


def unanswered_endpoint() -> str:
    """A local port nobody listens on (bound, then closed: connecting is refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_an_endpoint_nobody_listens_on_is_named_within_the_budget(
    aws: str, elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = unanswered_endpoint()
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    started = time.monotonic()
    code = main(["doctor", "--stack", "demo"])
    elapsed = time.monotonic() - started
    waiting = "... waiting for sts.us-east-1: no answer (EndpointConnectionError), retry {} of 2"
    assert (code, capsys.readouterr().err.splitlines()) == (
        2,
        [
            f"... doctor: stack demo, config {DEMO_CONFIG}",
            f"... sts: checking these credentials are the management account {DEMO_MANAGEMENT}'s",
            waiting.format(1),
            waiting.format(2),
            f"error: call get_caller_identity: cannot reach {endpoint}/ after 3 attempts "
            "(EndpointConnectionError): check the region, the network and AWS_ENDPOINT_URL",
        ],
    )
    # botocore's defaults spent 25-50 s here; the budget is the worst case of a silent black hole
    # (every attempt timing out). A refused connection takes the backoff alone: generous slack.
    assert elapsed < live_aws.CONNECTION_BUDGET_SECONDS + 10, elapsed


# Prints, at the command's first line on stderr, whether boto3 or the engine were imported yet, then
# runs the command: the first progress line must come before those imports (seconds on a busy machine).
FIRST_LINE_PROBE = """
import sys, time
started = time.monotonic()
real = sys.stderr
class FirstLine:
    seen = False
    def write(self, text):
        if not FirstLine.seen and text.strip():
            FirstLine.seen = True
            heavy = sorted(m for m in ("boto3", "botocore", "frontdoor.offline.preview") if m in sys.modules)
            real.write(f"probe: {time.monotonic() - started:.2f}s imported={heavy}\\n")
        return real.write(text)
    def flush(self):
        real.flush()
    def isatty(self):
        return False
sys.stderr = FirstLine()
from frontdoor.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [["doctor"], ["drift"], ["adopt"], ["estate", "pull"], ["posture"]])
def test_the_first_progress_line_comes_before_the_slow_imports(tmp_path: Path, command: list[str]) -> None:
    environment = {
        **os.environ,
        "AWS_ENDPOINT_URL": unanswered_endpoint(),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [sys.executable, "-c", FIRST_LINE_PROBE, *command, "--stack", "demo"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr
    probe, first = lines[0], lines[1]
    assert probe.endswith("imported=[]"), done.stderr
    stack = "access stack demo" if command == ["posture"] else "stack demo"
    assert first.startswith(f"... {' '.join(command)}: {stack}"), done.stderr
    # Measured: 0.1 s after the interpreter started on an idle machine; generous for a loaded one.
    assert float(probe.split()[1].rstrip("s")) < 5, probe
