"""Faults of the live commands: each a one-line message naming the account, the call and the fix, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.live import aws as live_aws
from frontdoor.offline.preview import PreviewResult
from tests.frontdoor.live.demo_server import DemoServer, as_account, cwd_with_stacks, stack_files
from tests.frontdoor.live.refuse import refuse


@pytest.fixture
def in_stacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(cwd_with_stacks(tmp_path))
    return tmp_path


def error_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip()


PULL = ["estate", "pull", "--stack", "demo", "--quiet"]


def test_no_credentials(
    demo_org: DemoServer, in_stacks: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert error_of([*PULL, *stack_files(in_stacks)], capsys) == (
        2,
        "error: call get_caller_identity: no AWS credentials found: sign in (aws sso login --profile P) and "
        "pass --profile P, or set AWS_PROFILE",
    )


def test_not_the_management_account(
    demo_org: DemoServer,
    demo_preview_reused: PreviewResult,
    in_stacks: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    as_account(monkeypatch, "100000000102")  # log-archive, a member account
    assert error_of(["drift", "--stack", "demo", "--quiet", *stack_files(in_stacks)], capsys) == (
        2,
        "error: account 100000000102, call GetCallerIdentity: these credentials are in account "
        f"100000000102, but {in_stacks / 'stacks' / 'Pulumi.demo.yaml'} says "
        "frontdoor:organization.managementAccountId is 100000000026: run with a profile of account "
        "100000000026 (--profile), or pass --config with the stack config of account 100000000102's "
        "organization; nothing was read",
    )


def test_a_member_account_named_as_the_management_account(
    demo_org: DemoServer, in_stacks: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The stack names a member account as its management account: the caller matches the config, and
    # Organizations' own answer still refuses the read.
    config = in_stacks / "stacks" / "Pulumi.demo.yaml"
    text = config.read_text()
    for line in (
        'managementAccountId: "100000000026"',
        "managementRoleArn: arn:aws:iam::100000000026:",
        "forwarderArn: arn:aws:lambda:us-east-1:100000000026:",
    ):
        assert line in text
        text = text.replace(line, line.replace("100000000026", "100000000102"))
    config.write_text(text)
    as_account(monkeypatch, "100000000102")  # log-archive, a member account
    code, err = error_of([*PULL, *stack_files(in_stacks)], capsys)
    assert (code, err.splitlines()[-1]) == (
        2,
        "error: account 100000000102, call DescribeOrganization: these credentials are in account "
        "100000000102, not the management account 100000000026: run with a profile of the management "
        "account (--profile), where Organizations answers for the whole organization",
    )


def test_an_account_that_cannot_be_assumed(
    demo_org: DemoServer, in_stacks: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refuse(monkeypatch, "sts", "AssumeRole", "AccessDenied", "not authorized to perform: sts:AssumeRole", 403)
    assert error_of([*PULL, *stack_files(in_stacks)], capsys) == (
        2,
        "error: account 100000000299, call assume_role: AccessDenied: not authorized to perform: "
        "sts:AssumeRole; fix: check that arn:aws:iam::100000000299:role/OrganizationAccountAccessRole "
        "exists and trusts the caller",
    )


@pytest.mark.parametrize(
    ("code", "fix", "attempts"),
    [
        # botocore retries throttling (the first send and 3 retries here) but not a conflict,
        # which a rerun resolves.
        (
            "ThrottlingException",
            "the call was throttled beyond the retries: run again, or lower the concurrency",
            4,
        ),
        (
            "ConflictException",
            "another change is in progress on the same object: run again once it finishes",
            1,
        ),
    ],
)
def test_throttling_beyond_the_retries(
    demo_org: DemoServer,
    in_stacks: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: str,
    fix: str,
    attempts: int,
) -> None:
    # Three retries instead of ten, so the test does not sit through the full adaptive backoff.
    monkeypatch.setattr(live_aws, "RETRIES", {"mode": "adaptive", "max_attempts": 3})
    sent = refuse(monkeypatch, "organizations", "ListAccounts", code, "Rate exceeded")
    assert error_of([*PULL, *stack_files(in_stacks)], capsys) == (
        2,
        f"error: account 100000000026, call list_accounts: {code}: Rate exceeded; fix: {fix}",
    )
    assert sent["ListAccounts"] == attempts
