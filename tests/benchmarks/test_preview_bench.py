"""The preview bench's pure parts: which SDKs a stack's floor imports, the table's marks, and the
process measurement (a real child process, reaped with os.wait4)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import preview
from benchmarks import run as bench_run


def test_the_floor_imports_the_sdks_of_the_registered_types_only() -> None:
    types = [
        "pulumi:providers:aws",
        "aws:ssoadmin/accountAssignment:AccountAssignment",
        "okta:group/group:Group",
        "pulumi:providers:vault",
        "frontdoor:aws:TeamAccess",
        "pulumi:pulumi:Stack",
    ]
    assert preview.stack_sdks(types) == ["pulumi_aws", "pulumi_okta", "pulumi_vault"]
    assert preview.stack_sdks(["pulumi:providers:datadog", "frontdoor:datadog:DatadogMonitors"]) == [
        "pulumi_datadog"
    ]


def _stack(name: str, wall: float, rss_mb: float, imported: list[str]) -> dict[str, Any]:
    measured = {
        "wall_seconds": wall,
        "wall_seconds_min": wall - 1,
        "cpu_seconds": 5.0,
        "peak_rss_kb": rss_mb * 1024,
        "load1": 1.5,
    }
    floor = {**measured, "wall_seconds": 4.0, "cpu_seconds": 4.0, "peak_rss_kb": 100 * 1024.0}
    return {
        "stack": name,
        "floor_imports": ["pulumi_aws"],
        "imported_sdks": imported,
        "preview": measured,
        "floor": floor,
        "wall_ratio": wall / 4.0,
        "cpu_ratio": 1.25,
    }


def _document(demo_wall: float, demo_rss: float, demo_imports: list[str]) -> dict[str, Any]:
    sdk = {"sdk": "pulumi_datadog", "after": "pulumi", "seconds": 4.4, "cpu_seconds": 4.3}
    return {
        "repeat": 3,
        "stacks": [
            _stack("demo", demo_wall, demo_rss, demo_imports),
            _stack("monitoring", 9.0, 257, ["pulumi", "pulumi_datadog"]),
        ],
        "sdks": [{**sdk, "rss_kb": 193 * 1024, "peak_kb": 237 * 1024}],
    }


def test_the_demo_rows_mark_exactly_the_missed_targets() -> None:
    met = preview.render(_document(6.0, 200, ["pulumi", "pulumi_aws"]), "2026-12-07 07:00 UTC").splitlines()
    assert met[4] == (
        "| demo | 6.00 (5.00) | 5.00 | 200 | 4.00 | 4.00 | 100 | 1.50 · 1.25 | pulumi_aws | 1.5 |"
    )
    # The monitoring stack has no target: its floor alone is the Datadog import.
    assert met[5] == (
        "| monitoring | 9.00 (8.00) | 5.00 | 257 | 4.00 | 4.00 | 100 | 2.25 · 1.25 | pulumi_aws | 1.5 |"
    )
    assert met[-1] == "| pulumi_datadog | pulumi | 4.40 | 4.30 | 193 | 237 | no | yes |"
    missed = preview.render(_document(8.5, 251, ["pulumi_datadog"]), "x").splitlines()
    assert missed[4].startswith("| demo | 8.50 (7.50) ✗ | 5.00 | 251 ✗ |")
    assert missed[-1] == "| pulumi_datadog | pulumi | 4.40 | 4.30 | 193 | 237 | yes ✗ | yes |"


def test_the_floor_is_its_own_process_importing_only_the_registered_types_sdks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A floor measured with the preview's own command, or importing every SDK the preview imported,
    # would track the preview and hide exactly the regression the table exists for (an SDK imported for
    # no registered type, as pulumi_datadog was).
    records = tmp_path / "preview.demo.pickle"
    imported = ["pulumi_aws", "pulumi_datadog", "pulumi_okta"]
    types = [
        "pulumi:providers:aws",
        "aws:iam/role:Role",
        "okta:group/group:Group",
        "frontdoor:aws:TeamAccess",
    ]
    monkeypatch.setattr(preview, "record", lambda stack, workdir: (records, types, imported))
    commands: list[list[str]] = []

    def measured(command: list[str]) -> dict[str, float]:
        commands.append(list(command))
        wall = 8.0 if len(commands) % 2 else 4.0
        return {"wall_seconds": wall, "cpu_seconds": wall, "peak_rss_kb": 1024.0, "load1": 0.5}

    monkeypatch.setattr(preview, "measure_process", measured)
    result = preview.measure_stack("demo", 2, tmp_path, lambda message: None)
    previews, floors = commands[0::2], commands[1::2]
    assert previews == [preview._preview_command("demo")] * 2
    assert all(c[:2] == [sys.executable, "-c"] and "frontdoor" not in c[2:] for c in floors)
    assert all(c[3:5] == [str(records), "pulumi_aws,pulumi_okta"] for c in floors)
    assert result["floor_imports"] == ["pulumi_aws", "pulumi_okta"]
    assert result["imported_sdks"] == imported
    assert result["wall_ratio"] == 2.0


def test_a_process_is_measured_from_start_to_reaping() -> None:
    measured = preview.measure_process([sys.executable, "-c", "x = bytearray(64 * 1024 * 1024)"])
    assert set(measured) == {"wall_seconds", "cpu_seconds", "peak_rss_kb", "load1"}
    assert measured["peak_rss_kb"] >= 64 * 1024
    assert measured["wall_seconds"] > 0
    assert measured["cpu_seconds"] > 0


def test_a_failing_process_is_an_error_with_its_exit_code() -> None:
    with pytest.raises(RuntimeError, match=r"exited 3:\nboom"):
        preview.measure_process([sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"])


def test_skip_names_only_known_sections(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        bench_run.main(["--skip", "preview,posturee", "--sizes", "140"])
    assert stopped.value.code == 2
    assert "--skip: unknown sections ['posturee']" in capsys.readouterr().err
