"""People benchmark: 10,000 HR records against the demo's group rules (`make bench`, or run this module).

Measures, over an export of the demo's shape (frontdoor/offline/people_demo.py `generate_people`):
- load: validating the export (`parse_people`: every row, column, duplicate check);
- evaluate: every person against every group rule of the demo stack (`GroupRules.groups_for`, the
  lark-parsed expressions compiled to closures);
- floor: the same decisions made by hand-written Python predicates over the same dicts (what the
  rules would cost written directly in Python), measured in the same run for the ratio.
Times are the best of `repeat` runs; the target is well under 1 s per 1,000 people.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

PEOPLE = 10_000
TARGET_SECONDS_PER_1000 = 1.0


def _demo_rules() -> dict[str, str]:
    # Imported in the measuring process, not by whoever imports this module.
    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.domain.config.parse import parse_stack_config
    from frontdoor.domain.model.grants import team_group_name
    from frontdoor.offline.project import CHECKOUT as REPO_ROOT

    path = REPO_ROOT / "stacks" / "Pulumi.demo.yaml"
    config = parse_stack_config(read_stack_file(path), str(path))
    prefix = config.okta.push_group_prefix
    rules = {
        team_group_name(prefix, team, config.permission_sets[name].tier): spec.members
        for team, spec in config.teams.items()
        for name in spec.grants
    }
    rules.update({group: grant.members for group, grant in config.org_grants.items()})
    return rules


def _floor_predicates(rules: Mapping[str, str]) -> list[Callable[[Mapping[str, Any]], bool]]:
    """The demo's rules as plain Python (same decisions; checked against the evaluator below)."""
    predicates: list[Callable[[Mapping[str, Any]], bool]] = []
    for group, text in sorted(rules.items()):
        if group == "aws-platform-admin":
            predicates.append(lambda p: p.get("team") == "platform" and p.get("title") == "Platform Engineer")
        elif group == "aws-security-auditors":
            predicates.append(lambda p: p.get("department") in ("Security", "Internal Audit"))
        elif group == "aws-billing-readonly":
            predicates.append(lambda p: p.get("department") == "Finance")
        elif group.startswith("aws-regulatory"):
            predicates.append(
                lambda p: p.get("team") == "regulatory" or p.get("department") == "Regulatory Affairs"
            )
        elif group == "aws-incident-4711-admin":
            predicates.append(lambda p: p.get("login") == "jane.doe@acme-medical.example")
        else:
            value = text.split('"')[1]
            predicates.append(lambda p, v=value: p.get("team") == v)  # type: ignore[misc]
    return predicates


def _best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(repeat: int = 3, people: int = PEOPLE) -> dict[str, Any]:
    # Imported in the measuring process, not by whoever imports this module.
    from frontdoor.domain.people.group_rules import GroupRules
    from frontdoor.domain.people.hr_export import COLUMNS, parse_people
    from frontdoor.offline.people_demo import generate_people

    rows = generate_people(team_size=people // 13 + 10)[:people]
    rules_text = _demo_rules()
    rules = GroupRules.from_mapping(rules_text)
    load_seconds, export = _best(repeat, lambda: parse_people(list(COLUMNS), rows, "generated"))
    persons = export.people

    def evaluate() -> int:
        return sum(len(rules.groups_for(p)) for p in persons)

    def floor() -> int:
        predicates = _floor_predicates(rules_text)
        return sum(sum(1 for check in predicates if check(p.profile)) for p in persons if p.active)

    evaluate_seconds, memberships = _best(repeat, evaluate)
    floor_seconds, floor_memberships = _best(repeat, floor)
    if memberships != floor_memberships:
        raise AssertionError(
            f"evaluator and floor disagree: {memberships} != {floor_memberships} memberships"
        )
    per_1000 = (load_seconds + evaluate_seconds) / len(persons) * 1000
    return {
        "people": len(persons),
        "rules": len(rules.rules),
        "memberships": memberships,
        "load_seconds": round(load_seconds, 4),
        "evaluate_seconds": round(evaluate_seconds, 4),
        "floor_seconds": round(floor_seconds, 4),
        "evaluate_over_floor": round(evaluate_seconds / floor_seconds, 2) if floor_seconds else None,
        "seconds_per_1000_people": round(per_1000, 4),
        "target_seconds_per_1000_people": TARGET_SECONDS_PER_1000,
        "meets_target": per_1000 < TARGET_SECONDS_PER_1000,
    }


def render(result: Mapping[str, Any]) -> str:
    return (
        f"people: {result['people']} people x {result['rules']} rules -> "
        f"{result['memberships']} memberships; "
        f"load {result['load_seconds']:.3f} s, evaluate {result['evaluate_seconds']:.3f} s "
        f"({result['evaluate_over_floor']}x hand-written Python), "
        f"{result['seconds_per_1000_people']:.4f} s per 1,000 people "
        f"(target < {result['target_seconds_per_1000_people']} s: "
        f"{'met' if result['meets_target'] else 'MISSED'})"
    )


if __name__ == "__main__":
    print(render(measure()))
