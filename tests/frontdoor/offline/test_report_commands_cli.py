"""access-report and identities at the command line: an empty filter result, and progress lines.

An access-report filter that matches nothing exits 1 naming the filter (an auditor's empty CSV must
not look like "nobody has access"); long runs say what they are doing on stderr when asked (or on a
terminal), and stdout carries only the report either way. The demo preview is run once per session
(tests/conftest.py `demo`) and handed to the commands, so these tests add no program run.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import frontdoor.offline.preview
from frontdoor.commands.cli import main
from frontdoor.offline.preview import PreviewInputs, PreviewResult

PHASE = re.compile(r"^\[ *\d+\.\d+s\] ")


@pytest.fixture
def demo_preview(demo: PreviewResult, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands get the session's demo preview; each phase message they would print is passed on."""

    def cached(
        inputs: PreviewInputs,
        *,
        evaluate_policies: bool = True,
        progress: Callable[[str], None] | None = None,
    ) -> PreviewResult:
        assert inputs.stack == "demo" and not evaluate_policies
        if progress is not None:
            progress("running the program for stack demo against estate.demo.yaml")
        return demo

    monkeypatch.setattr(frontdoor.offline.preview, "run_preview", cached)


def test_an_account_filter_that_matches_nothing_names_it_and_exits_1(
    demo_preview: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["access-report", "--account", "no-such-account", "--format", "csv"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "no access rows match --account 'no-such-account': no group reaches that account, or no such "
        "account or group in this stack (an account matches by id or name, a group by its full name)\n"
    )


def test_two_filters_that_match_nothing_together_are_both_named(
    demo_preview: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each matches rows alone; together they match none.
    assert main(["access-report", "--account", "payments-prod1", "--format", "json"]) == 0
    assert main(["access-report", "--group", "aws-billing-readonly", "--format", "json"]) == 0
    capsys.readouterr()
    code = main(["access-report", "--account", "payments-prod1", "--group", "aws-billing-readonly"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err.startswith(
        "no access rows match --account 'payments-prod1' and --group 'aws-billing-readonly': "
    )


@pytest.mark.parametrize("command", ["identities", "access-report"])
def test_progress_lines_go_to_stderr_only_when_asked(
    command: str, demo_preview: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--progress"]) == 0
    with_progress = capsys.readouterr()
    lines = with_progress.err.splitlines()
    assert [PHASE.sub("", line) for line in lines] == [
        "running the program for stack demo against estate.demo.yaml"
    ]
    assert all(PHASE.match(line) for line in lines)
    # Not a terminal (captured), no --progress: silent; --quiet wins over --progress.
    for flags in ([], ["--progress", "--quiet"]):
        assert main([command, *flags]) == 0
        quiet = capsys.readouterr()
        assert quiet.err == ""
        assert quiet.out == with_progress.out
