import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import admin_access_restricted as rule
from rules._common import MANAGED_ATTACHMENT, MANAGED_ATTACHMENTS_EXCLUSIVE, PERMISSION_SET

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
