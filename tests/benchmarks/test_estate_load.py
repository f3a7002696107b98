"""benchmarks/estate_load.py measures what it says: the strict loader and PyYAML on one estate text."""

from __future__ import annotations

from benchmarks import estate_load


def test_measure_reports_every_loader_and_the_ratios_against_safe_load() -> None:
    result = estate_load.measure(140, 1)
    assert result["accounts"] == 140
    assert sorted(result["seconds"]) == ["csafe_load", "load_estate", "safe_load", "strict"]
    assert all(len(times) == 1 and times[0] > 0 for times in result["runs"].values())
    ratio = result["ratios"]["strict_over_safe_load"]
    assert ratio == result["runs"]["strict"][0] / result["runs"]["safe_load"][0]
    table = estate_load.render_table(result).splitlines()
    assert table[0].startswith("| accounts | estate MB | yaml.safe_load s |")
    assert table[2].startswith("| 140 | ")
