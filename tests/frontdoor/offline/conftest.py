"""The offline commands' tests: `frontdoor ...` run from the checkout on the session's demo preview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.offline.preview import PreviewResult

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def cli(
    demo_preview_reused: PreviewResult, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """`frontdoor ...` from the checkout, reusing the session's demo run instead of running the program
    again (the people commands' tests: their subject is the HR side, the plan is the demo's)."""
    monkeypatch.chdir(REPO)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
