"""Properties of the person report and of joiner/mover/leaver over generated HR exports (no engine).

Rules are generated as small condition trees, rendered to Okta expression text for the evaluator and
evaluated independently in Python (the oracle); group-level rows are generated per group.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdoor.domain.people.group_rules import GroupRules
from frontdoor.domain.people.hr_export import Person, parse_people
from frontdoor.offline.jml import compare
from frontdoor.offline.people_report import (
    NO_GROUP_NOTE,
    TERMINATED_NOTE,
    ambiguous_empty_issues,
    people_access,
    render,
)
from frontdoor.offline.report import AccessRow

TEAMS = ["payments", "mobile", "platform", None]
DEPARTMENTS = ["Engineering", "Finance", "Security", None]
TITLES = ["Platform Engineer", "Software Engineer", "Analyst", None]
HEADER = ["login", "email", "employeeNumber", "status", "department", "team", "title", "userType"]

Condition = tuple[Any, ...]

leaf = st.one_of(
    st.tuples(
        st.just("eq"),
        st.sampled_from(["team", "department", "title"]),
        st.sampled_from(TEAMS[:3] + DEPARTMENTS[:3]),
    ),
    st.tuples(st.just("starts"), st.just("title"), st.sampled_from(["Platform", "Soft", "An"])),
)
conditions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.tuples(st.just("not"), inner),
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
    ),
    max_leaves=4,
)


def text(condition: Condition) -> str:
    kind = condition[0]
    if kind == "eq":
        return f'user.{condition[1]} == "{condition[2]}"'
    if kind == "starts":
        return f'String.startsWith(user.{condition[1]}, "{condition[2]}")'
    if kind == "not":
        return f"NOT ({text(condition[1])})"
    return f"({text(condition[1])}) {kind.upper()} ({text(condition[2])})"


def oracle(condition: Condition, profile: dict[str, Any]) -> bool:
    kind = condition[0]
    if kind == "eq":
        return profile.get(condition[1]) == condition[2]
    if kind == "starts":
        value = profile.get(condition[1])
        return value is not None and value.startswith(condition[2])
    if kind == "not":
        return not oracle(condition[1], profile)
    left, right = oracle(condition[1], profile), oracle(condition[2], profile)
    return left and right if kind == "and" else left or right


record = st.fixed_dictionaries(
    {
        "department": st.sampled_from(DEPARTMENTS),
        "team": st.sampled_from(TEAMS),
        "title": st.sampled_from(TITLES),
        "status": st.sampled_from(["active", "active", "terminated"]),
        "userType": st.sampled_from(["employee", "contractor"]),
    }
)
ACCOUNTS = [f"1000000000{n:02d}" for n in range(8)]
grants = st.lists(
    st.tuples(st.sampled_from(["Dev", "ReadOnly", "Admin"]), st.sampled_from(ACCOUNTS)), max_size=5
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, Condition], list[AccessRow], list[dict[str, Any]]]:
    groups = draw(
        st.lists(st.sampled_from([f"aws-g{n}" for n in range(6)]), min_size=1, max_size=6, unique=True)
    )
    rules = {g: draw(conditions) for g in groups}
    rows = sorted(
        {
            AccessRow(g, ps, account, f"acct-{account[-2:]}", "Workloads", "PT1H", text(rules[g]), "synced")
            for g in groups
            for ps, account in draw(grants)
        }
    )
    people = draw(st.lists(record, min_size=1, max_size=12))
    for index, person in enumerate(people):
        login = f"p{index}@x.example"
        person.update(login=login, email=login, employeeNumber=f"E{index}")
    return rules, rows, people


def _export(rows: list[dict[str, Any]]) -> list[Person]:
    return list(parse_people(HEADER, [{k: v or "" for k, v in r.items()} for r in rows], "hr.csv").people)


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_groups_are_exactly_the_matching_rules_and_access_the_union_of_their_rows(
    scenario: tuple[dict[str, Condition], list[AccessRow], list[dict[str, Any]]],
) -> None:
    rules, rows, records = scenario
    compiled = GroupRules.from_mapping({g: text(c) for g, c in rules.items()})
    by_login = {r["login"]: r for r in records}
    accesses = people_access(_export(records), compiled, rows)
    assert [a.person.login for a in accesses] == sorted(by_login)
    for access in accesses:
        raw = by_login[access.person.login]
        expected = {g for g, c in rules.items() if oracle(c, raw)} if raw["status"] == "active" else set()
        assert access.groups == expected
        assert {m.rule for m in access.memberships} == {text(rules[g]) for g in expected}
        assert set(access.rows) == {r for r in rows if r.group in expected}
        if raw["status"] == "terminated":
            assert access.rows == () and access.note == TERMINATED_NOTE  # a leaver reaches nothing
        elif not access.rows:
            assert access.note == NO_GROUP_NOTE


@settings(max_examples=25, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_reordering_the_export_changes_nothing(
    scenario: tuple[dict[str, Condition], list[AccessRow], list[dict[str, Any]]], rng: Any
) -> None:
    rules, rows, records = scenario
    compiled = GroupRules.from_mapping({g: text(c) for g, c in rules.items()})
    shuffled = list(records)
    rng.shuffle(shuffled)
    for fmt in ("json", "csv", "md"):
        # Row numbers differ after a shuffle; everything else must not.
        one = render(people_access(_export(records), compiled, rows), fmt, "hr.csv")
        two = render(people_access(_export(shuffled), compiled, rows), fmt, "hr.csv")
        if fmt == "md":
            one, two = (
                [line for line in t.splitlines() if not line.startswith("HR record")] for t in (one, two)
            )
        assert one == two


@settings(max_examples=40, deadline=None)
@given(scenarios(), record)
def test_a_movers_gains_and_losses_are_the_difference_of_their_two_reports(
    scenario: tuple[dict[str, Condition], list[AccessRow], list[dict[str, Any]]], moved: dict[str, Any]
) -> None:
    rules, rows, records = scenario
    compiled = GroupRules.from_mapping({g: text(c) for g, c in rules.items()})
    after_records = [dict(records[0], **moved), *records[1:]]
    before, after = _export(records), _export(after_records)
    report = compare(before, after, compiled, rows)

    def reach(raw: dict[str, Any]) -> set[tuple[str, str]]:
        if raw["status"] != "active":
            return set()
        groups = {g for g, c in rules.items() if oracle(c, raw)}
        return {(r.permission_set, r.account_id) for r in rows if r.group in groups}

    old, new = reach(records[0]), reach(after_records[0])
    changes = {c.login: c for c in report.changes}
    change = changes.get("p0@x.example")
    if change is None:
        assert old == new  # neither joined, left nor moved groups: the same reach
    else:
        assert {(g.permission_set, g.account_id) for g in change.gained} == new - old
        assert {(g.permission_set, g.account_id) for g in change.lost} == old - new
        if change.kind == "leaver":
            assert new == set()
    assert set(changes) <= {"p0@x.example"}  # nobody else changed
    assert report.summary["unchanged"] == len(records) - len(changes)


def test_an_empty_cell_a_rule_tells_apart_from_empty_string_is_a_warning() -> None:
    """Okta holds null for an attribute never set and "" for one set then cleared (reference, "Check for
    null and blank attributes"); an empty cell cannot say which. A rule deciding differently is named."""
    header = ["login", "email", "employeeNumber", "status", "userType", "manager", "team"]
    rows = [
        {"login": "a@x.example", "email": "a@x.example", "employeeNumber": "E1", "status": "active",
         "userType": "employee", "manager": "", "team": ""},
        {"login": "b@x.example", "email": "b@x.example", "employeeNumber": "E2", "status": "terminated",
         "userType": "employee", "manager": "", "team": ""},
    ]  # fmt: skip
    export = parse_people(header, rows, "hr.csv")
    rules = GroupRules.from_mapping(
        {
            "aws-no-manager": 'user.manager == ""',
            "aws-unset-team": 'user.team == null OR user.team == "x"',
            "aws-either": 'user.manager == null OR user.manager == ""',  # decides the same for both
            "aws-payments": 'user.team == "payments"',
        }
    )
    assert [i.render() for i in ambiguous_empty_issues(export, rules)] == [
        'hr.csv: row 1, column manager: empty; Okta holds null for an attribute never set and "" for one '
        'set and then cleared (developer.okta.com/docs/reference/okta-expression-language, "Check for null '
        'and blank attributes"); an empty cell cannot say which, and the rule of aws-no-manager '
        "(user.manager == \"\") decides differently for the two; this report reads it as null (got ''). Fix: "
        'write the rule to decide the same for both (e.g. user.x == null OR user.x == ""), or fill the '
        "cell in HR",
        'hr.csv: row 1, column team: empty; Okta holds null for an attribute never set and "" for one set '
        'and then cleared (developer.okta.com/docs/reference/okta-expression-language, "Check for null and '
        'blank attributes"); an empty cell cannot say which, and the rule of aws-unset-team (user.team == '
        "null OR user.team == \"x\") decides differently for the two; this report reads it as null (got ''). "
        'Fix: write the rule to decide the same for both (e.g. user.x == null OR user.x == ""), or fill '
        "the cell in HR",
    ]  # the leaver (row 2) is in no group whatever the cell holds
