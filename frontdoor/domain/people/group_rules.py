"""The group rules of a stack as one evaluable set: Okta group -> the members expression that fills it.

Owns evaluating every rule over one HR record the way Okta does: a person who is not active (a leaver,
deactivated in Okta) is in no group, since rules do not evaluate users in Pending or Inactive state
(help.okta.com "About group rules"); an active person is in each group whose rule matches their
profile, as written (okta_expression_evaluation.py). Rules are not evaluated over groups other rules
fill (Okta warns against cascading rules); `isMemberOf…` reads the groups the export lists for a person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from frontdoor.domain.people.hr_export import Person
from frontdoor.domain.people.okta_expression import parse
from frontdoor.domain.people.okta_expression_evaluation import Expression


@dataclass(frozen=True)
class Membership:
    group: str
    rule: str  # the members expression that matched


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
        return tuple(Membership(g, text) for g, text, rule in self.rules if rule.evaluate(profile, direct))

    def attributes(self) -> frozenset[str]:
        return frozenset().union(*(rule.reads.attributes for _, _, rule in self.rules))

    def readers(self) -> dict[str, tuple[str, ...]]:
        """Attribute -> the groups whose rules read it."""
        found: dict[str, list[str]] = {}
        for group, _, rule in self.rules:
            for name in rule.reads.attributes:
                found.setdefault(name, []).append(group)
        return {name: tuple(groups) for name, groups in found.items()}
