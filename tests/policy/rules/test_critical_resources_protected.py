from rules import critical_resources_protected as rule
from rules._common import ACCESS_CONTROL_ATTRIBUTES, OKTA_PUSH_GROUP, OKTA_SAML_APP, ORG_POLICY_ATTACHMENT

from ..conftest import UNKNOWN, run_resource

FIX = "pass opts=pulumi.ResourceOptions(protect=True)"


def test_protected_resources_are_compliant() -> None:
    for resource_type in (OKTA_SAML_APP, ACCESS_CONTROL_ATTRIBUTES, OKTA_PUSH_GROUP):
        assert run_resource(rule.POLICY, resource_type, {}, protect=True) == []
    assert run_resource(rule.POLICY, ORG_POLICY_ATTACHMENT, {"targetId": "r-ab12"}, protect=True) == []


def test_unprotected_saml_app() -> None:
    assert run_resource(rule.POLICY, OKTA_SAML_APP, {"label": "AWS"}) == [
        f"the Okta SAML app is not protected and deleting it ends every AWS sign-in; {FIX}"
    ]


def test_unprotected_access_control_attributes() -> None:
    assert run_resource(rule.POLICY, ACCESS_CONTROL_ATTRIBUTES, {}) == [
        "the Identity Center access-control attributes resource is not protected and deleting them "
        f"breaks every ABAC policy; {FIX}"
    ]


def test_unprotected_push_group() -> None:
    assert len(run_resource(rule.POLICY, OKTA_PUSH_GROUP, {})) == 1


def test_unprotected_root_attachment() -> None:
    assert run_resource(rule.POLICY, ORG_POLICY_ATTACHMENT, {"targetId": "r-ab12"}) == [
        "the SCP attachment to the organization root is not protected and deleting it drops a "
        f"guardrail; {FIX}"
    ]


def test_ou_attachment_need_not_be_protected() -> None:
    assert run_resource(rule.POLICY, ORG_POLICY_ATTACHMENT, {"targetId": "ou-ab12-abcdefgh"}) == []


def test_unknown_target_is_treated_as_root() -> None:
    assert len(run_resource(rule.POLICY, ORG_POLICY_ATTACHMENT, {"targetId": UNKNOWN})) == 1


def test_not_applicable_type() -> None:
    assert run_resource(rule.POLICY, "okta:group/group:Group", {}) == []
