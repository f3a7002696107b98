"""The people benchmark measures what it claims: the evaluator and the hand-written floor agree."""

from __future__ import annotations

from benchmarks import people


def test_evaluator_and_floor_make_the_same_decisions_on_a_small_export() -> None:
    result = people.measure(repeat=1, people=600)
    assert result["people"] == 600
    assert result["rules"] == 25  # every group rule of the demo stack (teams x tiers + org grants)
    assert result["memberships"] > 500
    assert "per 1,000 people" in people.render(result)
