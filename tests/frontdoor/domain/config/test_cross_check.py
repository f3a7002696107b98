"""Names the real engine or the APIs would choke on are refused at config time, each naming its source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from components.birthright_group import group_description
from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.model.break_glass import BreakGlassConfig
from frontdoor.domain.model.grants import OKTA_RULE_NAME_MAX, RULE_SUFFIX
from frontdoor.domain.planning.fanout import GroupSpec

REPO = Path(__file__).resolve().parents[4]
DEMO = REPO / "stacks" / "Pulumi.demo.yaml"
SOURCE = "stacks/Pulumi.test.yaml"


def _demo() -> dict[str, Any]:
    return dict(read_stack_file(DEMO))


def _issues(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_stack_config(values, SOURCE)
    return [issue.render() for issue in raised.value.issues]


def _with_org_grant(name: str) -> dict[str, Any]:
    values = _demo()
    grants = dict(values["orgGrants"])
    grants[name] = {"members": 'user.department == "Security"', "permissionSet": "ReadOnlyAuditor"}
    values["orgGrants"] = grants
    return values


def test_a_slash_in_a_group_name_is_refused() -> None:
    assert _issues(_with_org_grant("aws-ops/readonly")) == [
        "stacks/Pulumi.test.yaml: frontdoor:orgGrants.aws-ops/readonly: the group name contains '/', the "
        "separator of frontdoor's assignment names <group>/<permission set>/<account id>: two grants could "
        "then name the same assignment (got 'aws-ops/readonly'). Fix: name the group without '/', e.g. "
        "aws-platform-admin"
    ]


def test_the_urn_delimiter_in_a_group_name_is_refused() -> None:
    assert _issues(_with_org_grant("aws-ops::admin")) == [
        "stacks/Pulumi.test.yaml: frontdoor:orgGrants.aws-ops::admin: the group name contains '::', "
        "Pulumi's URN delimiter: the resource names built from it are cut short wherever the SDK parses a "
        "URN (got 'aws-ops::admin'). Fix: name the group without '::'"
    ]


def test_two_group_names_differing_only_in_case_are_refused() -> None:
    # The team payments owns aws-payments-dev; an org grant spelt with a capital is the same Okta group.
    assert _issues(_with_org_grant("aws-Payments-dev")) == [
        "stacks/Pulumi.test.yaml: frontdoor:orgGrants.aws-Payments-dev: group 'aws-Payments-dev' differs "
        "from 'aws-payments-dev' only in letter case: Okta matches group names without regard to case, so "
        "both would be one group to every lookup by name (got 'aws-Payments-dev'). Fix: rename one of them "
        "so the names differ in more than letter case"
    ]


def test_a_pushed_group_spelt_like_the_app_assignment_group_is_refused() -> None:
    values = _with_org_grant("aws-users")
    values["okta"] = {**values["okta"], "appAssignmentGroup": "AWS-Users"}
    assert _issues(values) == [
        "stacks/Pulumi.test.yaml: frontdoor:orgGrants.aws-users: group 'aws-users' differs from 'AWS-Users' "
        "only in letter case: Okta matches group names without regard to case, so both would be one group "
        "to every lookup by name (got 'aws-users'). Fix: rename one of them so the names differ in more "
        "than letter case"
    ]


def test_an_identity_center_display_name_identity_store_rejects_is_refused() -> None:
    assert _issues(_with_org_grant("aws-ops\u2028admin")) == [
        "stacks/Pulumi.test.yaml: frontdoor:orgGrants.aws-ops\u2028admin: the group name has the character "
        "'\\u2028' (U+2028) at position 7, outside the allowed characters [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t"
        "\\n\\r \xa0\u3000], which Identity Center rejects for the group SCIM creates (botocore "
        "identitystore model, shape GroupDisplayName, CreateGroupRequest.DisplayName) (got "
        "'aws-ops\\u2028admin'). Fix: use letters, digits, punctuation and spaces only"
    ]


def test_identity_centers_reserved_group_names_are_refused() -> None:
    issues = _issues(_with_org_grant("Administrator"))
    assert (
        "stacks/Pulumi.test.yaml: frontdoor:orgGrants.Administrator: 'Administrator' is reserved by "
        "Identity Center and cannot name a group (botocore identitystore CreateGroupRequest.DisplayName) "
        "(got 'Administrator'). Fix: choose another name"
    ) in issues


def test_the_urn_delimiter_in_the_app_assignment_group_is_refused() -> None:
    values = _demo()
    values["okta"] = {**values["okta"], "appAssignmentGroup": "app::aws"}
    assert _issues(values) == [
        "stacks/Pulumi.test.yaml: frontdoor:okta.appAssignmentGroup: contains '::', Pulumi's URN delimiter: "
        "the resource names built from it are cut short wherever the SDK parses a URN (got 'app::aws'). "
        "Fix: remove '::' from it"
    ]


def test_the_urn_delimiter_in_a_break_glass_alert_email_is_refused() -> None:
    with pytest.raises(ValidationError, match="contains '::', Pulumi's URN delimiter"):
        BreakGlassConfig(user_names=["breakglass-1"], alert_emails=["sec::oncall@example.com"])


def test_okta_group_limits_are_met_whenever_the_rule_name_is() -> None:
    # Okta: a group name of 1-255 characters and a description of at most 1,024 (Okta Workflows
    # reference, "Create Group"). The group rule's 50-character name bounds the group name far below.
    longest = "a" * (OKTA_RULE_NAME_MAX - len(RULE_SUFFIX))
    spec = GroupSpec(longest, f"orgGrants.{longest}", 'user.team == "x"', f"frontdoor:orgGrants.{longest}")
    assert len(longest) <= 255
    assert len(group_description(spec)) <= 1024
