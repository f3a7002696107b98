"""The bad-input corpus: every broken stack config and estate exits 2 with its exact message.

Each case runs the real CLI (`frontdoor preview`), asserts exit code 2, the exact lines on stderr
(file, field path, bad value, fix), that no traceback reaches the user, and that nothing was
registered: the engine that runs the program must never be reached.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import frontdoor.offline.preview
from frontdoor.commands.cli import main

HERE = Path(__file__).resolve().parent
DEMO_STACK = HERE.parents[1] / "stacks" / "Pulumi.demo.yaml"
EXPECTED: dict[str, list[str]] = yaml.safe_load((HERE / "expected.yaml").read_text())
CASES = sorted(
    str(p.relative_to(HERE)) for kind in ("configs", "estates") for p in (HERE / kind).glob("*.yaml")
)


def test_the_corpus_is_large_and_every_file_has_an_expectation() -> None:
    assert len(CASES) >= 120
    assert sorted(EXPECTED) == CASES


@pytest.fixture
def engine_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the program ran: something could have been registered")

    monkeypatch.setattr(frontdoor.offline.preview, "run_program", forbidden)


def _run(case: Path, capsys: pytest.CaptureFixture[str], kind: str = "") -> tuple[int, str, str]:
    kind = kind or ("--config" if case.parent.name == "configs" else "--estate")
    code = main(["preview", "--stack", "demo", "--quiet", kind, str(case)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_its_message(
    case: str, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    path = HERE / case
    code, out, err = _run(path, capsys)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.splitlines() == expected_lines(case)


def expected_lines(case: str) -> list[str]:
    """The header and each issue. {file} is the broken file given on the command line; {stack} the demo
    stack it is checked with. The header is bad input's unless the case writes its own (an estate id
    AWS's model refuses is no typing mistake: frontdoor/domain/base/errors.py `EstateIdIssue`)."""
    path = HERE / case
    lines = [line.replace("{file}", str(path)).replace("{stack}", str(DEMO_STACK)) for line in EXPECTED[case]]
    return lines if lines[0].startswith("error: ") else ["error: bad input, nothing was registered", *lines]


# Every command that reads a stack, with the flag that points it at the broken file. policy-config
# reads no estate. The canary reads both, plans without running the program, and must refuse alike.
COMMANDS = ("preview", "access-report", "identities", "policy-config", "canary")


@pytest.mark.parametrize("case", CASES)
def test_every_command_that_reads_a_stack_refuses_it_the_same_way(
    case: str, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    path = HERE / case
    flag = "--config" if case.startswith("configs/") else "--estate"
    for command in COMMANDS:
        if command == "preview" or (command == "policy-config" and flag == "--estate"):
            continue  # preview: the test above; policy-config never reads an estate
        code = main([command, "--stack", "demo", flag, str(path)])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err, command
        if command == "policy-config" and not _fails_on_the_stack_file_alone(case):
            # Checking a config against the estate needs the estate; policy-config reads only its Config
            # recorders (the posture rules' excludable accounts), never checks the config against it.
            assert code == 0, command
            continue
        assert captured.out == "", command
        assert code == 2, command
        assert captured.err.splitlines() == expected_lines(case), command


# Configs that are wrong only against the organization: policy-config, which reads no more of the
# estate than its Config recorders, cannot know and writes the pack config.
NEEDS_THE_ORGANIZATION = {
    f"configs/{name}.yaml"
    for name in (
        "ic_account_missing",
        "ic_account_suspended",
        "management_not_estates",
        "mgmt_no_flag",
        "machine_account_inside_ou",
        "machine_exclude_with_ou",
        "machine_unknown_ou",
        "machine_unknown_team",
        "scp_too_many_at_root",
        "scp_unknown_ou",
        "unknown_account",
        "unknown_exclude_ou",
        "unknown_ou",
        "unknown_ou_id",
    )
}


def _fails_on_the_stack_file_alone(case: str) -> bool:
    return case not in NEEDS_THE_ORGANIZATION
