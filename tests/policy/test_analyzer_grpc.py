"""The real pack process, driven over gRPC by frontdoor.offline.analyzer exactly as the CLI would.

The process starts once per module; every test shares it (Configure is re-sent per analysis).
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdoor.offline.analyzer import AnalyzerError, PackProcess, analyze
from frontdoor.offline.record import RecordedResource

from .test_manifest import EXPECTED

pytestmark = pytest.mark.slow

PS = "aws:ssoadmin/permissionSet:PermissionSet"
AA = "aws:ssoadmin/accountAssignment:AccountAssignment"
PUSH = "okta:index/pushGroup:PushGroup"
SCIM = "frontdoor:okta:ScimProvisioning"
# Quiet the stack-wide rules that need a whole estate, so each test sees only what it provokes.
QUIET = {"scp-deny-iam-users-at-root": "disabled", "no-management-account-assignment": "disabled"}


def resource(resource_type: str, name: str, inputs: dict[str, object], **kwargs: object) -> RecordedResource:
    return RecordedResource(
        type=resource_type,
        name=name,
        urn=f"urn:pulumi:demo::frontdoor::{resource_type}::{name}",
        custom=True,
        parent_urn="",
        inputs=inputs,
        **kwargs,  # type: ignore[arg-type]
    )


DEVELOPER = resource(
    PS, "developer", {"name": "DeveloperAccess", "sessionDuration": "PT8H", "arn": "arn:ps/dev"}
)
ASSIGNMENT = resource(
    AA, "assign", {"principalType": "GROUP", "permissionSetArn": "arn:ps/dev", "targetId": "2" * 12}
)


@pytest.fixture(scope="module")
def pack() -> Iterator[PackProcess]:
    with PackProcess(Path(__file__).resolve().parents[2] / "policy") as process:
        yield process


def test_analyzer_info_lists_exactly_the_rules(pack: PackProcess) -> None:
    info = pack.analyzer_info()
    assert info.name == "frontdoor-guardrails"
    assert [p.name for p in info.policies] == list(pack_order())
    assert {p.name for p in info.policies} == set(EXPECTED)


def pack_order() -> list[str]:
    from rules import POLICIES

    return [p.name for p in POLICIES]


def test_clean_resources_have_no_violations(pack: PackProcess) -> None:
    result = pack.analyze([DEVELOPER, ASSIGNMENT], QUIET)
    assert result.violations == ()
    assert {p.name: p.enforcement for p in result.policies}["session-duration-limit"] == "mandatory"


def test_analyze_reports_a_violating_resource(pack: PackProcess) -> None:
    user = resource(AA, "user", {**ASSIGNMENT.inputs, "principalType": "USER"})
    result = pack.analyze([DEVELOPER, ASSIGNMENT, user], QUIET)
    assert [(v.policy, v.enforcement, v.urn) for v in result.violations] == [
        ("assignments-to-groups-only", "mandatory", user.urn)
    ]
    assert result.violations[0].message.startswith('account assignment has principalType "USER";')


def test_configure_threshold_and_disable(pack: PackProcess) -> None:
    config = {**QUIET, "session-duration-limit": {"maxHours": 4}}
    assert [v.policy for v in pack.analyze([DEVELOPER, ASSIGNMENT], config).violations] == [
        "session-duration-limit"
    ]
    disabled = {**config, "session-duration-limit": {"enforcementLevel": "disabled", "maxHours": 4}}
    assert pack.analyze([DEVELOPER, ASSIGNMENT], disabled).violations == ()
    advisory = {**config, "session-duration-limit": {"enforcementLevel": "advisory", "maxHours": 4}}
    assert [v.enforcement for v in pack.analyze([DEVELOPER, ASSIGNMENT], advisory).violations] == ["advisory"]


def test_analyze_stack_catches_a_stack_rule(pack: PackProcess) -> None:
    result = pack.analyze([DEVELOPER], QUIET)
    assert [(v.policy, v.enforcement, v.urn) for v in result.violations] == [
        ("unused-permission-set", "advisory", DEVELOPER.urn)
    ]


def test_resource_options_reach_the_pack(pack: PackProcess) -> None:
    push = {"sourceGroupId": "00g1", "deleteTargetGroupOnDestroy": False}
    group = resource("okta:group/group:Group", "g", {"name": "aws-payments-dev", "id": "00g1"})
    unprotected = resource(PUSH, "push", push)
    protected = resource(PUSH, "push", push, protect=True)
    assert [v.policy for v in pack.analyze([group, unprotected], QUIET).violations] == [
        "critical-resources-protected"
    ]
    assert pack.analyze([group, protected], QUIET).violations == ()


def test_secrets_arrive_as_plain_values(pack: PackProcess) -> None:
    scim = resource(
        SCIM, "scim", {"tokenExpiresOn": "2030-01-01", "token": "s3cret"}, secret_inputs=frozenset({"token"})
    )
    assert pack.analyze([scim], {**QUIET, "scim-token-expiry": {"today": "2029-12-25"}}).violations[
        0
    ].policy == ("scim-token-expiry")


def test_expired_scim_token_is_configured_mandatory(pack: PackProcess) -> None:
    scim = resource(SCIM, "scim", {"tokenExpiresOn": "2030-01-01"})
    warn = pack.analyze([scim], {**QUIET, "scim-token-expiry": {"today": "2029-12-25"}})
    assert [v.enforcement for v in warn.violations] == ["advisory"]
    expired = pack.analyze([scim], {**QUIET, "scim-token-expiry": {"today": "2030-01-02"}})
    assert [v.enforcement for v in expired.violations] == ["mandatory"]
    assert expired.diagnostics == (
        "scim-token-expiry: configured mandatory because the SCIM token has expired",
    )


def test_unknown_policy_in_config_is_rejected(pack: PackProcess) -> None:
    with pytest.raises(ValueError, match="unknown policy 'no-such-rule'"):
        pack.analyze([], {"no-such-rule": "mandatory"})


def test_analyze_function_starts_and_stops_its_own_process() -> None:
    result = analyze([DEVELOPER, ASSIGNMENT], config=QUIET)
    assert result.pack_name == "frontdoor-guardrails"
    assert len(result.policies) == 32


def test_a_pack_that_never_starts_reports_its_stderr(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("raise SystemExit('boom: no pack here')\n")
    with pytest.raises(AnalyzerError, match="boom: no pack here"), PackProcess(tmp_path):
        pass
