"""The identity monitors' queries: exact searches, thresholds from config, break-glass exempt by name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from frontdoor.domain.documents.observability import burn_rate_query, log_monitors, slo_queries
from frontdoor.domain.model.observability import ObservabilityConfig, Thresholds

APP = "AWS IAM Identity Center"


def monitors(config: ObservabilityConfig, users: list[str] | None = None) -> dict[str, str]:
    return {m.key: m.query() for m in log_monitors(config, APP, users or [])}


def test_queries_and_default_thresholds() -> None:
    queries = monitors(ObservabilityConfig(notify=["@slack-identity"]), ["breakglass-1", "breakglass-2"])
    assert queries == {
        "failed-okta-sign-ins": 'logs("source:okta @eventType:user.authentication.sso '
        '@target.displayName:\\"AWS IAM Identity Center\\" @outcome.result:FAILURE").index("*")'
        '.rollup("count").last("15m") > 25',
        "scim-errors-aws": 'logs("source:cloudtrail @eventSource:identitystore-scim.amazonaws.com '
        '@errorCode:*").index("*").rollup("count").by("@errorCode").last("15m") > 0',
        "scim-errors-okta": 'logs("source:okta @eventType:application.provision.* @outcome.result:FAILURE")'
        '.index("*").rollup("count").by("@eventType").last("15m") > 0',
        "identity-source-changed": 'logs("source:cloudtrail @eventName:(AssociateDirectory OR '
        "DisassociateDirectory OR EnableExternalIdPConfigurationForDirectory OR "
        'DisableExternalIdPConfigurationForDirectory)").index("*").rollup("count").last("5m") > 0',
        "iam-user-created": 'logs("source:cloudtrail @eventSource:iam.amazonaws.com '
        "(@eventName:CreateAccessKey OR (@eventName:(CreateUser OR CreateLoginProfile) "
        '-@requestParameters.userName:(breakglass-1 OR breakglass-2)))").index("*").rollup("count")'
        '.by("@recipientAccountId").last("5m") > 0',
    }


def test_without_break_glass_users_every_user_and_key_alerts() -> None:
    queries = monitors(ObservabilityConfig(notify=["@slack-identity"]))
    assert queries["iam-user-created"].startswith(
        'logs("source:cloudtrail @eventSource:iam.amazonaws.com @eventName:(CreateUser OR CreateAccessKey OR '
        'CreateLoginProfile)")'
    )


def test_thresholds_and_handles_come_from_config() -> None:
    config = ObservabilityConfig(
        notify=["@pagerduty-identity"],
        thresholds=Thresholds(failed_sign_ins=5, failed_sign_ins_window="5m"),
    )
    (failed,) = [m for m in log_monitors(config, APP, []) if m.key == "failed-okta-sign-ins"]
    assert failed.query().endswith('.last("5m") > 5')
    assert failed.message.endswith("@pagerduty-identity")
    assert burn_rate_query("abc123", config.thresholds) == (
        'burn_rate("abc123").over("30d").long_window("1h").short_window("5m") > 14.4'
    )
    assert slo_queries(APP) == (
        "sum:frontdoor.identity.okta.aws_sso{outcome:success}.as_count()",
        "sum:frontdoor.identity.okta.aws_sso{*}.as_count()",
    )


def test_bad_handles_and_tags_are_refused() -> None:
    with pytest.raises(ValidationError, match="not a Datadog notification handle"):
        ObservabilityConfig(notify=["slack-identity"])
    with pytest.raises(ValidationError, match="not a Datadog tag"):
        ObservabilityConfig(notify=["@slack-identity"], tags=["Team Platform"])
