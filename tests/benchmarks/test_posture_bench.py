"""benchmarks/posture.py runs end to end at a tiny size, so `make bench`'s posture part cannot rot."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks import posture


def test_the_posture_bench_measures_the_scan_and_its_floor_at_3_accounts(tmp_path: Path) -> None:
    result = posture.measure(3, 1, lambda _: None)
    # DescribeOrganization, one ListAccounts page, AssumeRole into the 2 members, and per account
    # GenerateCredentialReport (STARTED), again (COMPLETE), GetCredentialReport: both make exactly these.
    assert result["posture"]["calls"] == result["floor"]["calls"] == 1 + 1 + 2 + 3 * 3
    assert result["posture"]["calls_by_operation"] == {
        "iam:GenerateCredentialReport": 6,
        "iam:GetCredentialReport": 3,
        "organizations:DescribeOrganization": 1,
        "organizations:ListAccounts": 1,
        "sts:AssumeRole": 2,
    }
    # management: breakglass-1/2 (kept), breakglass-3 and legacy-admin; payments-dev1: a breakglass-1
    # outside the management account; payments-prod1: jane.doe.
    assert (result["posture"]["findings"], result["posture"]["violations"]) == (6, 4)
    assert result["posture"]["failures"] == 0
    for kind in ("posture", "floor"):
        assert result[kind]["seconds"] > 0 and result[kind]["cpu_seconds"] > 0
        assert result[kind]["peak_rss_kb"] > 10_000
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{posture.START_MARK}\nold\n{posture.END_MARK}\nafter\n")
    posture.update_readme([result], "2026-12-01 04:00 UTC", readme)
    lines = readme.read_text().splitlines()
    assert lines[:3] == [
        "before",
        posture.START_MARK,
        f"Measured 2026-12-01 04:00 UTC on {os.cpu_count()} CPUs.",
    ]
    assert lines[4].startswith("| accounts | runs | posture s |")
    assert lines[6].startswith("| 3 | 1 | ") and lines[6].endswith("| 6 (4) |")
    assert "| 13 · 13 | 1.00 |" in lines[6]
    assert lines[-2:] == [posture.END_MARK, "after"]
