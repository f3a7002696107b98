"""Every `frontdoor ...` command line in README.md and docs/*.md is one the real parser accepts.

Every mention (a code block's line or an inline code span) must name existing commands and only options
those commands take; a code block's concrete line (no synopsis notation: `[--flag VALUE]`, `a|b`,
`...`) must parse as written. An inline span is a mention in prose (`frontdoor estate pull`, the
command's name; `frontdoor sample --posture`, one option), not a whole command line.
"""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from frontdoor.commands.cli import build_parser
from frontdoor.offline.project import CHECKOUT

DOCUMENTS = [CHECKOUT / "README.md", *sorted((CHECKOUT / "docs").glob("*.md"))]
INLINE = re.compile(r"`(frontdoor [^`]+)`")
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
SYNOPSIS_MARKS = ("[", "|", "...", "…")
# Shell that ends the command: a pipe, a chain, a redirection (outside synopsis brackets).
SHELL_END = re.compile(r"\s(?:\||&&|;|>|2>)\s")


def command_lines(path: Path) -> list[tuple[str, str, bool]]:
    """(where, line, whole) for every frontdoor command in a fenced block (whole: a command line to
    parse) or an inline code span (a mention)."""
    found: list[tuple[str, str, bool]] = []
    fenced = False
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        where = f"{path.relative_to(CHECKOUT)}:{number}"
        if raw.lstrip().startswith("```"):
            fenced = not fenced
            continue
        text = raw.strip().removeprefix("$ ")
        if fenced and text.startswith("frontdoor "):
            found.append((where, text, True))
        elif not fenced:
            found.extend((where, match, False) for match in INLINE.findall(raw))
    return found


def without_comment_and_shell(line: str) -> str:
    line = re.split(r"\s+#\s", line, maxsplit=1)[0]
    depth, end = 0, len(line)
    for index, char in enumerate(line):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and SHELL_END.match(line, index):
            end = index
            break
    return line[:end].strip()


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def resolve(words: list[str]) -> list[tuple[list[str], argparse.ArgumentParser | None]]:
    """Each command path the leading words name (`a|b` expands), with its parser (None: no such command)."""
    paths: list[tuple[list[str], argparse.ArgumentParser | None]] = [([], build_parser())]
    for word in words:
        expanded: list[tuple[list[str], argparse.ArgumentParser | None]] = []
        for path, parser in paths:
            children = subcommands(parser) if parser is not None else {}
            if not children:
                expanded.append((path, parser))
                continue
            for name in word.split("|"):
                expanded.append(([*path, name], children.get(name)))
        paths = expanded
        if all(parser is None or not subcommands(parser) for _, parser in paths):
            break
    return paths


def problems(line: str, whole: bool = True) -> list[str]:
    command = without_comment_and_shell(line)
    words = command.split()[1:]
    if not words or words[0] in ("-h", "--help"):
        return []
    found: list[str] = []
    for path, parser in resolve(words):
        if parser is None:
            found.append(f"no command `frontdoor {' '.join(path)}`")
            continue
        accepted = set(parser._option_string_actions)
        rest = words[len(path) :]
        unknown = [
            f"`frontdoor {' '.join(path)}` has no option {flag}"
            for flag in FLAG.findall(" ".join(rest))
            if flag not in accepted
        ]
        found += unknown
        if whole and not unknown and not any(mark in command for mark in SYNOPSIS_MARKS):
            try:
                build_parser().parse_args([*path, *shlex.split(" ".join(rest))])
            except SystemExit:
                found.append(f"`frontdoor {' '.join(path)}` refuses: {' '.join(rest)}")
    return found


def test_the_documents_show_frontdoor_commands() -> None:
    # The extraction finds the commands (a test that finds none would pass on anything).
    lines = [line for path in DOCUMENTS for _, line, whole in command_lines(path) if whole]
    assert len(lines) > 30
    commands = {without_comment_and_shell(line) for line in lines}
    assert "frontdoor estate pull --stack prod --profile mgmt" in commands


def test_every_documented_command_line_parses(capsys: pytest.CaptureFixture[str]) -> None:
    wrong = [
        f"{where}: {problem}: {line}"
        for path in DOCUMENTS
        for where, line, whole in command_lines(path)
        for problem in problems(line, whole)
    ]
    capsys.readouterr()  # argparse's own usage messages
    assert wrong == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "frontdoor estate pull|doctor|drift --stack S",
            ["no command `frontdoor estate doctor`", "no command `frontdoor estate drift`"],
        ),
        ("frontdoor doctor --stack S --no-such-flag", ["`frontdoor doctor` has no option --no-such-flag"]),
        ("frontdoor drift --format yaml --stack S", ["`frontdoor drift` refuses: --format yaml --stack S"]),
        ("frontdoor doctor [--stack S] [--profile P]   # a synopsis", []),
        ("frontdoor estate pull --stack prod --profile mgmt | tee log", []),
        ("frontdoor estate pull", ["`frontdoor estate pull` refuses: "]),
    ],
)
def test_a_wrong_command_line_is_named(
    line: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert problems(line) == expected
    capsys.readouterr()


def test_an_inline_mention_is_checked_for_names_and_options_only() -> None:
    assert problems("frontdoor estate pull", whole=False) == []
    assert problems("frontdoor estate doctor", whole=False) == ["no command `frontdoor estate doctor`"]
    assert problems("frontdoor sample --posturee", whole=False) == [
        "`frontdoor sample` has no option --posturee"
    ]
