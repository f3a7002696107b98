"""access-report and identities at the command line: an empty filter result, and progress lines.

An access-report filter that matches nothing exits 1 naming the filter (an auditor's empty CSV must
not look like "nobody has access"); long runs say what they are doing on stderr when asked (or on a
terminal), and stdout carries only the report either way.
"""

from __future__ import annotations

import re

import pytest

from frontdoor.commands.cli import main

PHASE = re.compile(r"^\[ *\d+\.\d+s\] ")


def test_an_account_filter_that_matches_nothing_names_it_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["access-report", "--account", "no-such-account", "--format", "csv"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "no access rows match --account 'no-such-account': no group reaches that account, or no such "
        "account or group in this stack (an account matches by id or name, a group by its full name)\n"
    )


def test_two_filters_that_match_nothing_together_are_both_named(capsys: pytest.CaptureFixture[str]) -> None:
    # Each matches rows alone (see test_access_report.py); together they match none.
    code = main(["access-report", "--account", "payments-prod1", "--group", "aws-billing-readonly"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err.startswith(
        "no access rows match --account 'payments-prod1' and --group 'aws-billing-readonly': "
    )


def test_identities_shows_phases_on_stderr_with_progress_and_none_without(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["identities", "--progress"]) == 0
    with_progress = capsys.readouterr()
    phases = [PHASE.sub("", line) for line in with_progress.err.splitlines()]
    assert phases == [
        "reading estate.demo.yaml and Pulumi.demo.yaml",
        "running the program for stack demo against estate.demo.yaml",
    ]
    assert all(PHASE.match(line) for line in with_progress.err.splitlines())
    # stdout is the snapshot alone: the golden file is written from it.
    assert with_progress.out.splitlines()[0].count("\t") == 2
    assert main(["identities", "--progress", "--quiet"]) == 0
    quiet = capsys.readouterr()
    assert quiet.err == ""
    assert quiet.out == with_progress.out
