import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import managed_policies_per_permission_set as rule
from rules._common import (
    CUSTOMER_MANAGED_ATTACHMENT,
    MANAGED_ATTACHMENT,
    MANAGED_ATTACHMENTS_EXCLUSIVE,
    PERMISSION_SET,
)

from ..conftest import UNKNOWN, Res, run_stack

DEVELOPER = Res(PERMISSION_SET, "developer", {"name": "DeveloperAccess", "arn": "arn:ps/developer"})


def managed(count: int, arn: str = "arn:ps/developer") -> list[Res]:
    return [
        Res(MANAGED_ATTACHMENT, f"m-{i}", {"permissionSetArn": arn, "managedPolicyArn": f"arn:p/{i}"})
        for i in range(count)
    ]


def test_ten_is_compliant() -> None:
    assert (
        run_stack(
            rule.POLICY,
            [
                DEVELOPER,
                *managed(9),
                Res(CUSTOMER_MANAGED_ATTACHMENT, "c", {"permissionSetArn": "arn:ps/developer"}),
            ],
        )
        == []
    )


def test_eleventh_policy_exceeds_the_limit() -> None:
    extra = Res(CUSTOMER_MANAGED_ATTACHMENT, "c", {"permissionSetArn": "arn:ps/developer"})
    assert run_stack(rule.POLICY, [DEVELOPER, *managed(10), extra]) == [
        (
            extra.urn,
            'permission set "DeveloperAccess" has 11 managed policies attached (AWS-managed + '
            "customer-managed), above the limit of 10 (IAM's managed-policies-per-role quota); consolidate "
            "policies, or raise maxPerPermissionSet in the pack config after raising that IAM quota in every "
            "target account",
        )
    ]


def test_config_raises_the_limit() -> None:
    assert run_stack(rule.POLICY, [DEVELOPER, *managed(11)], {"maxPerPermissionSet": 20}) == []


def test_exclusive_attachment_counts_every_arn() -> None:
    exclusive = Res(
        MANAGED_ATTACHMENTS_EXCLUSIVE,
        "x",
        {"permissionSetArn": "arn:ps/developer", "managedPolicyArns": [f"arn:p/{i}" for i in range(11)]},
    )
    assert len(run_stack(rule.POLICY, [DEVELOPER, exclusive])) == 1


def test_unknown_arn_without_dependency_defers() -> None:
    with pytest.raises(UnknownValueError):
        run_stack(rule.POLICY, [DEVELOPER, *managed(1, arn=UNKNOWN)])


def test_no_attachments_is_not_applicable() -> None:
    assert run_stack(rule.POLICY, [DEVELOPER]) == []
