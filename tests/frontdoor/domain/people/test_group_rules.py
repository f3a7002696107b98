"""The stack's group rules over one HR record: the groups Okta puts an active person in."""

from __future__ import annotations

from frontdoor.domain.people.group_rules import ASSIGNED_OUTSIDE_RULES, GroupRules, Membership
from frontdoor.domain.people.hr_export import parse_people

HEADER = ["login", "email", "employeeNumber", "status", "team", "title", "userType", "groups"]
RULES = GroupRules.from_mapping(
    {
        "aws-platform-admin": 'user.team == "platform" AND user.userType == "employee"',
        "aws-payments-dev": 'user.team == "payments"',
    }
)


def _person(status: str = "active", team: str = "payments", groups: str = "") -> dict[str, str]:
    return {"login": "c@x.example", "email": "c@x.example", "employeeNumber": "E9", "status": status,
            "team": team, "title": "", "userType": "contractor", "groups": groups}  # fmt: skip


def test_a_group_the_export_says_a_person_is_in_outside_rules_is_a_group_they_are_in() -> None:
    """README: the `groups` column lists "Okta groups assigned outside rules"; a member is a member however
    added, and group push carries every member to AWS."""
    (person,) = parse_people(HEADER, [_person(groups="aws-platform-admin;okta-everyone")], "hr.csv").people
    assert RULES.groups_for(person) == (
        Membership("aws-payments-dev", 'user.team == "payments"'),
        Membership("aws-platform-admin", ASSIGNED_OUTSIDE_RULES),
    )


def test_a_rule_match_is_shown_with_its_rule_even_when_the_export_lists_the_group_too() -> None:
    (person,) = parse_people(HEADER, [_person(groups="aws-payments-dev")], "hr.csv").people
    assert RULES.groups_for(person) == (Membership("aws-payments-dev", 'user.team == "payments"'),)


def test_a_leaver_is_in_no_group_however_assigned() -> None:
    (person,) = parse_people(HEADER, [_person("terminated", groups="aws-platform-admin")], "hr.csv").people
    assert RULES.groups_for(person) == ()
