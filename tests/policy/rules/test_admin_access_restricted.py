import json

import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import admin_access_restricted as rule
from rules._common import MANAGED_ATTACHMENT, MANAGED_ATTACHMENTS_EXCLUSIVE, PERMISSION_SET

from frontdoor.domain.documents.break_glass import require_mfa_policy

from ..conftest import UNKNOWN, Res, run_stack

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
PLATFORM = Res(PERMISSION_SET, "platform", {"name": "PlatformAdmin", "arn": "arn:ps/platform"})
DEVELOPER = Res(PERMISSION_SET, "developer", {"name": "DeveloperAccess", "arn": "arn:ps/developer"})


def attachment(arn: str, policy: str = ADMIN, **kwargs: object) -> Res:
    return Res(
        MANAGED_ATTACHMENT, f"att-{arn}", {"permissionSetArn": arn, "managedPolicyArn": policy}, **kwargs
    )  # type: ignore[arg-type]


def test_admin_on_allow_listed_set_is_compliant() -> None:
    assert run_stack(rule.POLICY, [PLATFORM, DEVELOPER, attachment("arn:ps/platform")]) == []


def test_admin_on_other_set() -> None:
    bad = attachment("arn:ps/developer")
    assert run_stack(rule.POLICY, [PLATFORM, DEVELOPER, bad]) == [
        (
            bad.urn,
            'AdministratorAccess is attached to permission set "DeveloperAccess", which is not in '
            "allowedPermissionSets ['PlatformAdmin']; attach a narrower policy or add the set to "
            "allowedPermissionSets in the pack config",
        )
    ]


def test_config_allow_list_changes_the_outcome() -> None:
    config = {"allowedPermissionSets": ["DeveloperAccess"]}
    assert run_stack(rule.POLICY, [DEVELOPER, attachment("arn:ps/developer")], config) == []


def test_exclusive_attachment_is_checked() -> None:
    bad = Res(
        MANAGED_ATTACHMENTS_EXCLUSIVE,
        "x",
        {"permissionSetArn": "arn:ps/developer", "managedPolicyArns": [ADMIN]},
    )
    assert len(run_stack(rule.POLICY, [DEVELOPER, bad])) == 1


def test_unresolvable_set_fails_closed() -> None:
    bad = attachment("arn:ps/elsewhere")
    assert run_stack(rule.POLICY, [PLATFORM, bad]) == [
        (
            bad.urn,
            'AdministratorAccess is attached to permission set arn "arn:ps/elsewhere", which matches no '
            "PermissionSet in this stack, so the pack cannot prove it is allow-listed; manage the permission "
            "set in this stack or remove the attachment",
        )
    ]


def test_unknown_arn_resolves_through_property_dependencies() -> None:
    preview_platform = Res(PERMISSION_SET, "platform", {"name": "PlatformAdmin", "arn": UNKNOWN})
    att = attachment(UNKNOWN, property_dependencies={"permissionSetArn": [preview_platform.urn]})
    assert run_stack(rule.POLICY, [preview_platform, att]) == []


def test_unknown_managed_policy_arn_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [PLATFORM, attachment("arn:ps/platform", policy=UNKNOWN)])


def test_other_managed_policies_are_not_applicable() -> None:
    assert (
        run_stack(
            rule.POLICY, [DEVELOPER, attachment("arn:ps/developer", "arn:aws:iam::aws:policy/ReadOnlyAccess")]
        )
        == []
    )


# --- StackSet-deployed roles (mutant M21) and the break-glass group (mutant M48) -----------------------
def stack_set(*managed: object) -> Res:
    role = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "vault-report", "Path": "/vault/"}}
    if managed:
        role["Properties"]["ManagedPolicyArns"] = list(managed)  # type: ignore[index]
    body = json.dumps({"Resources": {"VaultTargetRole": role}})
    return Res(
        rule.STACK_SET, "vault/report/stack-set", {"name": "frontdoor-vault-report", "templateBody": body}
    )


def test_mutant_m21_admin_on_a_stack_set_role_is_refused() -> None:
    for arn in (ADMIN, {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"}):
        bad = stack_set("arn:aws:iam::aws:policy/ReadOnlyAccess", arn)
        assert run_stack(rule.POLICY, [bad]) == [
            (
                bad.urn,
                "AdministratorAccess is attached to role VaultTargetRole of StackSet "
                '"frontdoor-vault-report", which deploys it to every account it targets: give the consumer '
                "the managedPolicyArns or policyStatements it needs instead",
            )
        ]
    # Benign: a narrower managed policy, or none.
    assert run_stack(rule.POLICY, [stack_set("arn:aws:iam::aws:policy/ReadOnlyAccess"), stack_set()]) == []


def test_an_unknown_template_defers() -> None:
    unknown = Res(rule.STACK_SET, "s", {"name": "s", "templateBody": UNKNOWN})
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [unknown])


MFA = json.dumps(require_mfa_policy())
GROUP = Res(rule.IAM_GROUP, "breakglass/group", {"name": "BreakGlassAdmins"})
GROUP_ADMIN = Res(
    rule.GROUP_POLICY_ATTACHMENT,
    "breakglass/AdministratorAccess",
    {"group": "BreakGlassAdmins", "policyArn": ADMIN},
)
NO_MFA = (
    GROUP_ADMIN.urn,
    'AdministratorAccess is attached to IAM group "BreakGlassAdmins" with no group policy denying every '
    'action without MFA, so a password alone makes an administrator; add a GroupPolicy denying "*" on "*" '
    'under "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"} (break_glass.require_mfa_policy)',
)


def mfa_policy(document: str = MFA, group: str = "BreakGlassAdmins") -> Res:
    return Res(
        rule.GROUP_POLICY,
        "breakglass/require-mfa",
        {"group": group, "name": "RequireMfa", "policy": document},
    )


def test_break_glass_group_with_the_mfa_deny_passes() -> None:
    # Benign: what components/break_glass.py registers.
    assert run_stack(rule.POLICY, [GROUP, GROUP_ADMIN, mfa_policy()]) == []


def test_mutant_m48_break_glass_group_without_the_mfa_deny_is_refused() -> None:
    assert run_stack(rule.POLICY, [GROUP, GROUP_ADMIN]) == [NO_MFA]
    # On another group, or narrowed, the deny does not guard this one.
    assert run_stack(rule.POLICY, [GROUP, GROUP_ADMIN, mfa_policy(group="Others")]) == [NO_MFA]
    narrowed = json.loads(MFA)
    narrowed["Statement"][0]["Action"] = "s3:*"
    assert run_stack(rule.POLICY, [GROUP, GROUP_ADMIN, mfa_policy(json.dumps(narrowed))]) == [NO_MFA]
    present = MFA.replace('"BoolIfExists"', '"Bool"')  # an absent key would then not deny
    assert run_stack(rule.POLICY, [GROUP, GROUP_ADMIN, mfa_policy(present)]) == [NO_MFA]
