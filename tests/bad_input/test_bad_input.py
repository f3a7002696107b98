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
EXPECTED: dict[str, list[str]] = yaml.safe_load((HERE / "expected.yaml").read_text())
CASES = sorted(
    str(p.relative_to(HERE)) for kind in ("configs", "estates") for p in (HERE / kind).glob("*.yaml")
)


def test_the_corpus_is_large_and_every_file_has_an_expectation() -> None:
    assert len(CASES) >= 30
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
    assert err.splitlines() == [
        "error: bad input, nothing was registered",
        *(line.replace("{file}", str(path)) for line in EXPECTED[case]),
    ]


def test_a_huge_file_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine_never_runs: None
) -> None:
    huge = tmp_path / "Pulumi.huge.yaml"
    huge.write_text("config:\n" + "".join(f"  frontdoor:x{i}: {'y' * 100}\n" for i in range(25_000)))
    code, _, err = _run(huge, capsys, "--config")
    assert code == 2
    assert err.splitlines() == [
        "error: bad input, nothing was registered",
        f"{huge}: (file): stack config file is larger than 2097152 bytes "
        f"(got '{huge.stat().st_size} bytes'). "
        "Fix: split it or remove generated content (a stack config is a few hundred lines)",
    ]


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine_never_runs: None) -> None:
    missing = tmp_path / "configs" / "nope.yaml"
    code, _, err = _run(missing, capsys)
    assert code == 2
    assert (
        err.splitlines()[1]
        == f"{missing}: (file): stack config file not found (got '{missing}'). Fix: check the path"
    )
