"""The auditor's sample: the posture file it reads (the sample itself: test_people_demo.py)."""

from __future__ import annotations

import json
from pathlib import Path

from frontdoor.offline.sample import read_posture


def test_a_posture_file_that_does_not_list_what_it_scanned_is_coverage_unknown(tmp_path: Path) -> None:
    """Absent is unknown, never "scanned nothing": the sample then says "coverage unknown"."""
    path = tmp_path / "posture.json"
    for scanned in ({}, {"accounts_scanned": None}, {"accounts_scanned": 7}):  # 7: an older output's count
        path.write_text(json.dumps({"findings": [{"account_id": "100000000001", "user": "ana"}], **scanned}))
        assert read_posture(path).accounts_scanned is None, scanned
    path.write_text(json.dumps({"findings": [], "accounts_scanned": []}))
    assert read_posture(path).accounts_scanned == ()
