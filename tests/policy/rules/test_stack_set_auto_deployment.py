import pytest
from pulumi_policy.proxy import UnknownValueError
from rules import stack_set_auto_deployment as rule
from rules._common import STACK_SET

from ..conftest import UNKNOWN, run_resource

NAME = "frontdoor-vault-report"
AUTO = {"enabled": True, "retainStacksOnAccountRemoval": False}


def run(props: dict[str, object]) -> list[str]:
    return run_resource(rule.POLICY, STACK_SET, {"name": NAME, **props})


def test_service_managed_auto_deploying_is_compliant() -> None:
    assert run({"permissionModel": "SERVICE_MANAGED", "autoDeployment": AUTO}) == []


def test_service_managed_not_auto_deploying_is_compliant() -> None:
    assert run({"permissionModel": "SERVICE_MANAGED", "autoDeployment": {"enabled": False}}) == []


def test_self_managed_without_auto_deployment_is_compliant() -> None:
    assert run({"permissionModel": "SELF_MANAGED"}) == []
    assert run({"permissionModel": "SELF_MANAGED", "autoDeployment": {"enabled": False}}) == []


@pytest.mark.parametrize(("model", "shown"), [("SELF_MANAGED", "SELF_MANAGED"), (None, "SELF_MANAGED")])
def test_self_managed_auto_deploying_is_refused(model: str | None, shown: str) -> None:
    props = {"autoDeployment": AUTO} | ({"permissionModel": model} if model else {})
    assert run(props) == [
        f'StackSet "{NAME}" is {shown} with auto_deployment enabled, which CloudFormation uses only with '
        "service-managed permissions (CreateStackSet AutoDeployment: not used with self-managed "
        "permissions), so accounts joining the target OUs would never get the stack; set "
        'permission_model="SERVICE_MANAGED" or remove auto_deployment'
    ]


def test_service_managed_without_auto_deployment_is_refused() -> None:
    assert run({"permissionModel": "SERVICE_MANAGED"}) == [
        f'StackSet "{NAME}" is SERVICE_MANAGED without auto_deployment, which CreateStackSet requires for '
        "service-managed permissions; set auto_deployment enabled=true for OU targets or enabled=false"
    ]


def test_malformed_auto_deployment_is_refused() -> None:
    assert run({"permissionModel": "SERVICE_MANAGED", "autoDeployment": "yes"}) == [
        f'StackSet "{NAME}" has autoDeployment "yes"; it must be an object'
    ]


@pytest.mark.parametrize(
    "props",
    [
        {"permissionModel": UNKNOWN, "autoDeployment": AUTO},
        {"permissionModel": "SELF_MANAGED", "autoDeployment": UNKNOWN},
        {"permissionModel": "SELF_MANAGED", "autoDeployment": {"enabled": UNKNOWN}},
    ],
)
def test_unknown_values_defer(props: dict[str, object]) -> None:
    with pytest.raises(UnknownValueError):
        run(props)


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "aws:iam/role:Role", {"autoDeployment": AUTO}) == []
