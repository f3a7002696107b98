"""The tag chain from HR to the session, proven per team: the value a team's members carry as the ABAC tag.

Okta sets the session tag `<key>` from `okta.abacAttributes.<key>` (say `user.team`; the hops from Okta
to `aws:PrincipalTag/<key>` are frontdoor/domain/config/abac_chain.py's). A team's members carry one
known value only when the team's members rule pins that same attribute: the rule implies
`user.team == "<value>"` (alone, in every branch of an OR, or in one operand of an AND). A rule that
splits on another attribute (`user.department == "Payments"`), or admits members through a branch that
does not pin it, lets members carry whatever HR wrote; nothing then ties the team's grants to its tag,
so a team holding an ABAC set with such a rule is a failure, with its fix. There is no fallback to the
team's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.people.okta_expression import ExpressionError, parse
from frontdoor.domain.people.okta_expression_tree import Attribute, BoolOp, Equality, Literal, Node

_PLAIN_ATTRIBUTE = re.compile(r"\s*user\.([A-Za-z][A-Za-z0-9_]*)\s*")


@dataclass(frozen=True)
class TeamTags:
    """The tag values a key's teams carry, and why a team's value is unknown."""

    tag_key: str
    source: str  # the Okta expression the session tag is read from
    values: dict[str, str]  # team -> the value its members rule pins
    unknown: dict[str, str]  # team -> why its members' value is not known


def pinned_value(tree: Node, attribute: str) -> str | None:
    """The value the expression forces `user.<attribute>` to equal for every member, if any."""
    if isinstance(tree, Equality) and not tree.negated:
        sides = (tree.left, tree.right)
        for side, other in (sides, sides[::-1]):
            pinned = isinstance(side, Attribute) and side.name == attribute
            if pinned and isinstance(other, Literal) and isinstance(other.value, str):
                return other.value
        return None
    if isinstance(tree, BoolOp) and tree.op == "and":
        pins = {pin for operand in tree.operands if (pin := pinned_value(operand, attribute)) is not None}
        return next(iter(pins)) if len(pins) == 1 else None
    if isinstance(tree, BoolOp) and tree.op == "or":
        branches = {pinned_value(operand, attribute) for operand in tree.operands}
        return branches.pop() if len(branches) == 1 else None
    return None


def team_tags(config: StackConfig, tag_key: str) -> TeamTags:
    """Each team's pinned value of the attribute `tag_key` is read from, or why there is none."""
    source = config.okta.abac_attributes.get(tag_key, f"user.{tag_key}")
    match = _PLAIN_ATTRIBUTE.fullmatch(source)
    values: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for name, team in sorted(config.teams.items()):
        if match is None:
            unknown[name] = (
                f"the Okta source of {tag_key!r} is {source!r}, not a profile attribute a rule can pin"
            )
            continue
        attribute = match.group(1)
        try:
            pin = pinned_value(parse(team.members).tree, attribute)
        except ExpressionError:
            pin = None
        if pin is None:
            unknown[name] = (
                f"its members rule ({team.members}) does not pin user.{attribute}, the Okta source of "
                f"the session tag {tag_key!r}"
            )
        else:
            values[name] = pin
    return TeamTags(tag_key, source, values, unknown)


def chain_failures(config: StackConfig, tags: TeamTags, holders: set[str]) -> list[str]:
    """A failure, with its fix, for each team in `holders` (the teams holding an ABAC set partitioned
    by this key) whose value is unknown, and for teams that share one value."""
    failures = []
    attribute = tags.source.strip().removeprefix("user.")
    for team in sorted(holders & set(tags.unknown)):
        failures.append(
            f"tag chain: team {team} holds an ABAC set on {tags.tag_key!r}, but {tags.unknown[team]}: its "
            f"members carry whatever HR wrote there. Fix: pin it in the rule (user.{attribute} == "
            f'"<value>" in every branch), or read the tag from the attribute the teams are split on '
            f"(frontdoor:okta.abacAttributes.{tags.tag_key})"
        )
    by_value: dict[str, list[str]] = {}
    for team in sorted(holders & set(tags.values)):
        by_value.setdefault(tags.values[team], []).append(team)
    for value, teams in sorted(by_value.items()):
        if len(teams) > 1:
            failures.append(
                f"tag chain: teams {', '.join(teams)} all pin {tags.source.strip()} == {value!r}, so they "
                f"share one partition of {tags.tag_key!r}. Fix: give each team its own value"
            )
    return failures


def pinned_team(members: str, tags: TeamTags) -> str | None:
    """The team whose value a members rule pins (`user.team == "payments" and ...`), if any: every member
    of such a group carries that team's tag, so its grant is that team's grant."""
    match = _PLAIN_ATTRIBUTE.fullmatch(tags.source)
    if match is None:
        return None
    try:
        pin = pinned_value(parse(members).tree, match.group(1))
    except ExpressionError:
        return None
    teams = sorted(team for team, value in tags.values.items() if value == pin)
    return teams[0] if len(teams) == 1 else None
