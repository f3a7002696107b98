"""The reference catalogue: four tiers, valid, and identical to what the demo stack declares."""

from __future__ import annotations

import json
from pathlib import Path

from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.contracts import INLINE_POLICY_NON_WHITESPACE_MAX
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.documents.render import non_whitespace_length, render_policy
from frontdoor.domain.model.catalogue import (
    DEVELOPER_NAVIGATION_ACTIONS,
    DEVELOPER_SERVICES,
    REFERENCE_ABAC_CHAINS,
    REFERENCE_ACCESS_CONTROL_ATTRIBUTES,
    reference_permission_set_values,
    reference_permission_sets,
)
from frontdoor.domain.model.organization import IdentityCenterConfig
from frontdoor.domain.model.permission_sets import PermissionSetConfig

DEMO_STACK = Path(__file__).resolve().parents[4] / "stacks" / "Pulumi.demo.yaml"


def test_four_tiers() -> None:
    catalogue = reference_permission_sets()
    assert {name: (ps.tier, ps.session_duration) for name, ps in catalogue.items()} == {
        "DeveloperAccess": ("dev", "PT1H"),
        "ReadOnlyAuditor": ("readonly", "PT4H"),
        "PlatformAdmin": ("admin", "PT1H"),
        "BillingViewer": ("billing", "PT2H"),
    }
    assert {name: ps.aws_managed_policies for name, ps in catalogue.items()} == {
        "DeveloperAccess": [],
        "ReadOnlyAuditor": [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/SecurityAudit",
        ],
        "PlatformAdmin": ["arn:aws:iam::aws:policy/AdministratorAccess"],
        "BillingViewer": ["arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess"],
    }


def test_only_developer_access_has_an_inline_policy() -> None:
    documents = {name: inline_policy_document(ps) for name, ps in reference_permission_sets().items()}
    assert {name for name, doc in documents.items() if doc is not None} == {"DeveloperAccess"}
    rendered = render_policy(documents["DeveloperAccess"] or {})
    statements = json.loads(rendered)["Statement"]
    assert [statement["Sid"] for statement in statements] == [
        "DenyWithoutTeamTag",
        "TeamScopedByAbac",
        "CreateWithOwnTeamTag",
        "TagOnCreateEc2",
        "TagOnCreateEcs",
        "CreateSecurityGroupInVpc",
        "LaunchWithSupportingResources",
        "DenyLaunchWithAnotherTeamsSecurityGroup",
        "DenyTaggingForAnotherTeam",
        "DenyTeamTagChangeOnOthers",
        "DenyTeamTagRemoval",
        "DenyResourcePolicyChanges",
        "DescribeForNavigation",
        "RegistryLogin",
        "PassOwnTeamRoles",
    ]
    assert non_whitespace_length(rendered) < INLINE_POLICY_NON_WHITESPACE_MAX
    # The ABAC tag is only ever compared with the caller's own tag: never a literal team name.
    assert statements[1]["Action"] == [f"{s}:*" for s in sorted(DEVELOPER_SERVICES)]
    assert statements[1]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}
    }
    assert "aws:PrincipalTag/team" in json.dumps(statements[2]["Condition"])
    assert statements[12]["Action"] == sorted(DEVELOPER_NAVIGATION_ACTIONS)


def test_the_abac_tag_is_mapped_by_the_reference_attributes() -> None:
    IdentityCenterConfig(access_control_attributes=REFERENCE_ACCESS_CONTROL_ATTRIBUTES)  # valid
    abac = reference_permission_sets()["DeveloperAccess"].abac
    assert abac is not None and abac.tag_key in REFERENCE_ACCESS_CONTROL_ATTRIBUTES


def test_demo_stack_declares_exactly_the_catalogue() -> None:
    values = read_stack_file(DEMO_STACK)
    declared = {name: PermissionSetConfig.model_validate(ps) for name, ps in values["permissionSets"].items()}
    assert declared == reference_permission_sets()
    assert values["identityCenter"]["accessControlAttributes"] == REFERENCE_ACCESS_CONTROL_ATTRIBUTES
    assert values["abacChains"] == REFERENCE_ABAC_CHAINS


def test_values_round_trip() -> None:
    for name, values in reference_permission_set_values().items():
        model = reference_permission_sets()[name]
        assert PermissionSetConfig.model_validate(model.model_dump(by_alias=True)) == model
        assert values["tier"] == model.tier
