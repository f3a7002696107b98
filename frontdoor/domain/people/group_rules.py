"""The group rules of a stack as one evaluable set: Okta group -> the members expression that fills it.

Owns evaluating every rule over one HR record the way Okta does: a person who is not active (a leaver,
deactivated in Okta) is in no group, since rules do not evaluate users in Pending or Inactive state
(help.okta.com "About group rules"); an active person is in each group whose rule matches their
profile, as written (okta_expression_evaluation.py). Rules are not evaluated over groups other rules
fill (Okta warns against cascading rules); `isMemberOf…` reads the groups the export lists for a person.
Those groups (the export's `groups` column: Okta groups assigned outside rules) are groups the person
is in: an active person listed in one of these groups by name is its member whatever its rule says, as
in Okta, where a member is a member however added, and group push carries every member to AWS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from frontdoor.domain.people.hr_export import Person
from frontdoor.domain.people.okta_expression import parse
from frontdoor.domain.people.okta_expression_evaluation import Expression

# What `Membership.rule` says for a group the person is in only because the export lists it.
ASSIGNED_OUTSIDE_RULES = "(assigned outside rules: the HR export's groups column)"


@dataclass(frozen=True)
class Membership:
    group: str
    rule: str  # the members expression that matched, or ASSIGNED_OUTSIDE_RULES


@dataclass(frozen=True)
class GroupRules:
    """The program's group rules, parsed once: group -> (expression text, evaluator)."""

    rules: tuple[tuple[str, str, Expression], ...]

    @classmethod
    def from_mapping(cls, rules: Mapping[str, str]) -> GroupRules:
        return cls(tuple((group, text, parse(text)) for group, text in sorted(rules.items())))

    def groups_for(self, person: Person) -> tuple[Membership, ...]:
        if not person.active:
            return ()
        profile, direct = person.profile, person.groups
        found: list[Membership] = []
        for group, text, rule in self.rules:
            if rule.evaluate(profile, direct):
                found.append(Membership(group, text))
            elif group in direct:
                found.append(Membership(group, ASSIGNED_OUTSIDE_RULES))
        return tuple(found)

    def attributes(self) -> frozenset[str]:
        return frozenset().union(*(rule.reads.attributes for _, _, rule in self.rules))

    def readers(self) -> dict[str, tuple[str, ...]]:
        """Attribute -> the groups whose rules read it."""
        found: dict[str, list[str]] = {}
        for group, _, rule in self.rules:
            for name in rule.reads.attributes:
                found.setdefault(name, []).append(group)
        return {name: tuple(groups) for name, groups in found.items()}
