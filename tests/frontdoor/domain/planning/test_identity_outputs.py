"""The identity stack's outputs the monitoring stack reads: each check planted and caught, exactly."""

from __future__ import annotations

from typing import Any

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.planning.identity_outputs import (
    IdentityOutputs,
    OutputsSource,
    identity_output_issues,
    parse_identity_outputs,
)

SOURCE = OutputsSource("estate.yaml", "stackOutputs.org/frontdoor/prod", "pull them")
GOOD: dict[str, Any] = {
    "oktaAppLabel": "AWS IAM Identity Center",
    "trailAccountId": "100000000026",
    "breakGlassUserNames": ["breakglass-1", "breakglass-2"],
}
WRONG = (
    "the identity stack exports it from its config: fix the identity stack's config and run its "
    "`pulumi up`, then read the outputs again"
)


def _problems(**changes: Any) -> list[tuple[str, Any, str]]:
    outputs = {key: value for key, value in {**GOOD, **changes}.items() if value is not ...}
    return [(issue.field, issue.value, issue.problem) for issue in identity_output_issues(outputs, SOURCE)]


def test_the_three_outputs_are_read_as_data() -> None:
    assert parse_identity_outputs(GOOD, SOURCE) == IdentityOutputs(
        okta_app_label="AWS IAM Identity Center",
        trail_account_id="100000000026",
        break_glass_user_names=("breakglass-1", "breakglass-2"),
    )
    assert parse_identity_outputs({**GOOD, "breakGlassUserNames": []}, SOURCE).break_glass_user_names == ()


def test_no_outputs_at_all_is_one_issue() -> None:
    (issue,) = identity_output_issues(None, SOURCE)
    assert issue.render() == (
        "estate.yaml: stackOutputs.org/frontdoor/prod: the identity stack's outputs are missing (got None). "
        "Fix: pull them"
    )


def test_every_missing_output_is_named_never_defaulted() -> None:
    assert _problems(oktaAppLabel=..., breakGlassUserNames=...) == [
        ("stackOutputs.org/frontdoor/prod.oktaAppLabel", None, "the identity stack's output is missing"),
        (
            "stackOutputs.org/frontdoor/prod.breakGlassUserNames",
            None,
            "the identity stack's output is missing",
        ),
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"oktaAppLabel": ""}, ("oktaAppLabel", "", "the Okta app label must be a non-empty string")),
        ({"oktaAppLabel": 7}, ("oktaAppLabel", 7, "the Okta app label must be a non-empty string")),
        (
            {"trailAccountId": "10000000002"},
            (
                "trailAccountId",
                "10000000002",
                "the trail's account id does not match the pattern ^\\d{12}$ (botocore organizations "
                "model, shape AccountId)",
            ),
        ),
        (
            {"trailAccountId": 100000000026},
            ("trailAccountId", 100000000026, "the trail's account id must be a string, not int"),
        ),
        (
            {"breakGlassUserNames": "breakglass-1"},
            ("breakGlassUserNames", "breakglass-1", "must be a list of IAM user names"),
        ),
        (
            {"breakGlassUserNames": ["breakglass-1", "break glass"]},
            (
                "breakGlassUserNames[1]",
                "break glass",
                "an IAM user name has the character ' ' (U+0020) at position 5, outside the allowed "
                "characters [\\w+=,.@-] (botocore iam model, shape userNameType)",
            ),
        ),
        (
            {"breakGlassUserNames": ["b" * 65]},
            (
                "breakGlassUserNames[0]",
                "b" * 65,
                "an IAM user name is 65 characters, longer than the maximum 64 (botocore iam model, shape "
                "userNameType)",
            ),
        ),
    ],
)
def test_a_malformed_output_is_refused_with_the_apis_rule(
    changes: dict[str, Any], expected: tuple[str, Any, str]
) -> None:
    field, value, problem = expected
    assert _problems(**changes) == [(f"stackOutputs.org/frontdoor/prod.{field}", value, problem)]
    with pytest.raises(ConfigError) as error:
        parse_identity_outputs({**GOOD, **changes}, SOURCE)
    assert [issue.fix for issue in error.value.issues] == [WRONG]
