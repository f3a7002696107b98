"""Monitor queries name only fields of the documented Okta System Log and CloudTrail schemas."""

from __future__ import annotations

import pytest

from frontdoor.domain.documents.log_schemas import check_log_query, query_fields
from frontdoor.domain.documents.observability import log_metrics, log_monitors, new_value_query
from frontdoor.domain.model.observability import ObservabilityConfig

CONFIG = ObservabilityConfig(notify=["@slack-identity"], okta_logs_integration=True)


def test_fields_are_read_from_facets_not_from_quoted_values() -> None:
    query = (
        'source:okta @eventType:user.authentication.sso @target.displayName:"a @b:c" -@outcome.result:SUCCESS'
    )
    assert query_fields(query) == ["eventType", "target.displayName", "outcome.result"]


def test_a_query_naming_an_unknown_field_fails() -> None:
    with pytest.raises(ValueError) as error:
        check_log_query("source:cloudtrail @eventSource:sts.amazonaws.com @userIdentity.sessionName:x")
    assert str(error.value) == (
        "log query 'source:cloudtrail @eventSource:sts.amazonaws.com @userIdentity.sessionName:x' names "
        "@userIdentity.sessionName, which is not a field of the documented cloudtrail log schema "
        "(frontdoor/domain/documents/log_schemas.py); a monitor on it would never fire"
    )
    # An Okta field is not a CloudTrail field, and the reverse.
    with pytest.raises(
        ValueError, match=r"names @outcome\.result, which is not a field of the documented cloudtrail"
    ):
        check_log_query("source:cloudtrail @outcome.result:FAILURE")
    with pytest.raises(ValueError, match="names @eventName, which is not a field of the documented okta"):
        check_log_query("source:okta @eventName:ConsoleLogin")


def test_group_by_paths_are_checked_too() -> None:
    with pytest.raises(ValueError, match="names @recipientAccount,"):
        check_log_query("source:cloudtrail @eventName:AssumeRoleWithSAML", ["@recipientAccount"])


def test_service_specific_objects_are_open_and_sources_must_be_known() -> None:
    assert check_log_query("source:cloudtrail @requestParameters.userName:alice") == "cloudtrail"
    assert check_log_query("source:okta @debugContext.debugData.requestUri:/x") == "okta"
    with pytest.raises(ValueError, match="known sources: \\['cloudtrail', 'okta'\\]"):
        check_log_query("source:gsuite @event:login")
    with pytest.raises(ValueError, match="must name exactly one source"):
        check_log_query("@eventName:CreateUser")
    with pytest.raises(ValueError, match="names 'eventName' without '@'"):
        check_log_query("source:cloudtrail eventName:CreateUser")


def test_every_query_frontdoor_builds_is_documented() -> None:
    monitors = log_monitors(CONFIG, "AWS IAM Identity Center", ["breakglass-1"])
    assert {m.key: check_log_query(m.search, m.group_by) for m in monitors} == {
        "failed-okta-sign-ins": "okta",
        "scim-errors-aws": "cloudtrail",
        "scim-errors-okta": "okta",
        "identity-source-changed": "cloudtrail",
        "iam-user-created": "cloudtrail",
    }
    assert [m.name for m in log_metrics("AWS IAM Identity Center")] == [
        "frontdoor.identity.okta.aws_sso",
        "frontdoor.identity.identity_center.sign_ins",
        "frontdoor.identity.aws.assume_role_with_saml",
    ]
    assert new_value_query() == (
        "source:cloudtrail @eventSource:sts.amazonaws.com @eventName:AssumeRoleWithSAML",
        "@recipientAccountId",
        "@userIdentity.userName",
    )
