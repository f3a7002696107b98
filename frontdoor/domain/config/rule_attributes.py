"""Config-time check that every group rule reads only attributes that exist.

Owns the "known attributes" of a stack: the Okta profile (base attributes plus the custom ones the
program creates from `okta.abacAttributes`) and, when `frontdoor:people` names an HR export, the
profile attributes that export's columns fill. A rule reading anything else would be refused by
Okta ("Invalid property ... in expression") or silently match nobody.
"""

from __future__ import annotations

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.files import stack_relative_path
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.people.hr_export import export_attributes
from frontdoor.domain.people.okta_expression import ExpressionError, parse
from frontdoor.domain.people.okta_profile import custom_attributes, profile_attributes


def members_expressions(config: StackConfig) -> list[tuple[str, str]]:
    """(field path as written in the stack file, expression) of every members expression."""
    found: list[tuple[str, str]] = []
    for team_name, team in sorted(config.teams.items()):
        found.append((f"frontdoor:teams.{team_name}.members", team.members))
        for set_name, grant in sorted(team.grants.items()):
            if grant.members:
                found.append((f"frontdoor:teams.{team_name}.grants.{set_name}.members", grant.members))
    for group, org_grant in sorted(config.org_grants.items()):
        found.append((f"frontdoor:orgGrants.{group}.members", org_grant.members))
    return found


def unknown_attribute_issues(
    config: StackConfig, source: str, export_columns: frozenset[str] = frozenset(), export_name: str = ""
) -> list[ConfigIssue]:
    """One issue per members expression that reads an attribute outside the profile and the export."""
    sources = config.okta.abac_attributes.values()
    known = profile_attributes(sources) | export_columns
    custom = sorted(custom_attributes(sources) | (export_columns - profile_attributes(sources)))
    where = f" or a column of the HR export {export_name}" if export_name else ""
    issues: list[ConfigIssue] = []
    for path, expression in members_expressions(config):
        try:
            unknown = sorted(parse(expression).reads.attributes - known)
        except ExpressionError:
            continue  # already reported by the field's own validator
        for name in unknown:
            issues.append(
                ConfigIssue(
                    source,
                    path,
                    expression,
                    f"user.{name} is not an attribute of the Okta profile{where}",
                    "check the spelling (attributes are case-sensitive); known beyond Okta's base profile: "
                    f"{', '.join(custom) or '(none)'}; add a custom attribute under okta.abacAttributes "
                    "or a column to the HR export",
                )
            )
    return issues


def rule_attribute_issues(config: StackConfig, source: str) -> list[ConfigIssue]:
    """The config check: the profile, plus the columns of `frontdoor:people` when it names an export."""
    columns: frozenset[str] = frozenset()
    export_name = ""
    if config.people is not None:
        export_name = config.people.export
        try:
            path = stack_relative_path(source, config.people.export)
            columns = export_attributes(path, config.people.id_column)
        except ConfigError as error:
            return [
                ConfigIssue(
                    source,
                    "frontdoor:people.export",
                    config.people.export,
                    f"the HR export cannot be read: {issue.problem}"
                    + ("" if issue.field == "(file)" else f" ({issue.field})"),
                    issue.fix,
                )
                for issue in error.issues
            ]
    return unknown_attribute_issues(config, source, columns, export_name)
