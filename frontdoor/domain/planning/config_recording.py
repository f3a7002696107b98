"""AWS Config recorders per account: which accounts the organization's Config rules can reach.

An AWS Config organization rule runs PutConfigRule in every member account it is not told to exclude
(management account included); an account without a customer-managed recorder answers
NoAvailableConfigurationRecorderException and the organization rule ends CREATE_FAILED (botocore
config: `NoAvailableConfigurationRecorderException`, `OrganizationRuleStatus`; pulumi-aws
`cfg/organization_managed_rule.py`: "Every Organization account except those configured in the
excluded_accounts argument must have a Configuration Recorder"). So `pulumi up` of the posture rules
fails unless every reached account records `AWS::IAM::User` in the rules' region.

No data source reads recorders across accounts, so this fact is pulled (`frontdoor estate pull
--config-recorders`, through the audit role, per account) into the estate's `configRecording:` block,
which the program reads from the stack's estate file (the only input it takes from that file). Accounts
that do not record IAM users there (or could not be read) are excluded from the rules and reported;
an absent block, or one pulled in another region, stops the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from frontdoor.domain.base.aws_ids import ACCOUNT_ID, AwsIdRefused
from frontdoor.domain.contracts import CONFIG_IAM_USER_TYPE
from frontdoor.domain.model.fields import REGION_RE

# The estate block's key, and the field of the program's `pulled` facts.
BLOCK = "configRecording"
ALL_SUPPORTED = "ALL_SUPPORTED_RESOURCE_TYPES"
INCLUSION = "INCLUSION_BY_RESOURCE_TYPES"
EXCLUSION = "EXCLUSION_BY_RESOURCE_TYPES"


class ConfigRecording(BaseModel):
    """The estate's `configRecording:` block: per account, whether it records AWS::IAM::User."""

    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True)

    region: str = Field(pattern=REGION_RE.pattern)
    recording_iam_users: list[str] = Field(default_factory=list)
    # account id -> why not (no recorder, not recording, IAM users not in the recording group)
    not_recording: dict[str, str] = Field(default_factory=dict)
    # account id -> why it could not be read (the audit role missing, access denied)
    unreadable: dict[str, str] = Field(default_factory=dict)

    @field_validator("recording_iam_users", "not_recording", "unreadable")
    @classmethod
    def _account_ids(cls, value: Any) -> Any:
        for account in value:
            if not ACCOUNT_ID.accepts(account):
                raise AwsIdRefused(ACCOUNT_ID, value=account)
        return value


def records_iam_users(recorder: Mapping[str, Any] | None, status: Mapping[str, Any] | None) -> str | None:
    """None when the account's recorder records AWS::IAM::User, else why not.

    `recorder` is a ConfigurationRecorder of DescribeConfigurationRecorders, `status` its
    DescribeConfigurationRecorderStatus entry. Only a customer-managed recorder counts (the exception
    says "no customer managed configuration recorders available"); it must be recording. Its recording
    group covers IAM users when it lists the type (INCLUSION), does not exclude it (EXCLUSION), or records
    all supported types including the global ones (botocore config `RecordingGroup`: by default the
    global IAM types are excluded; includeGlobalResourceTypes adds them).
    """
    if recorder is None:
        return "no customer-managed configuration recorder"
    if recorder.get("servicePrincipal"):
        return f"only a service-linked recorder ({recorder['servicePrincipal']})"
    if not (status or {}).get("recording"):
        return f"recorder {recorder.get('name', '')!r} is not recording (StartConfigurationRecorder)"
    group = recorder.get("recordingGroup") or {}
    strategy = (group.get("recordingStrategy") or {}).get("useOnly")
    if group.get("allSupported", True) and strategy in (None, ALL_SUPPORTED):
        if group.get("includeGlobalResourceTypes"):
            return None
        return (
            f"recorder {recorder.get('name', '')!r} records all supported types but not the global IAM types"
        )
    if strategy == INCLUSION or (strategy is None and group.get("resourceTypes")):
        if CONFIG_IAM_USER_TYPE in (group.get("resourceTypes") or []):
            return None
        return f"recorder {recorder.get('name', '')!r} does not list {CONFIG_IAM_USER_TYPE}"
    if strategy == EXCLUSION:
        excluded = (group.get("exclusionByResourceTypes") or {}).get("resourceTypes") or []
        if CONFIG_IAM_USER_TYPE not in excluded:
            return None
        return f"recorder {recorder.get('name', '')!r} excludes {CONFIG_IAM_USER_TYPE}"
    return f"recorder {recorder.get('name', '')!r} does not record {CONFIG_IAM_USER_TYPE}"


@dataclass(frozen=True)
class RuleExclusions:
    """The accounts the organization's Config rules skip, and why, for the report."""

    excluded: tuple[str, ...]
    reasons: Mapping[str, str]

    def warning(self, region: str) -> str | None:
        if not self.excluded:
            return None
        listed = "; ".join(f"{account}: {self.reasons[account]}" for account in self.excluded)
        return (
            f"AWS Config organization rules exclude {len(self.excluded)} account(s) that do not record "
            f"{CONFIG_IAM_USER_TYPE} in {region} (their IAM users go unchecked until they do; "
            f"docs/adoption.md#detection): {listed}"
        )


def config_rule_exclusions(active_accounts: Iterable[str], recording: ConfigRecording) -> RuleExclusions:
    """Every ACTIVE account of the organization (management included) that does not record IAM users.

    An account the pull could not read counts as not recording; an ACTIVE account the block does not
    mention at all (joined after the pull) too: pull again to include it.
    """
    recording_accounts = set(recording.recording_iam_users)
    reasons: dict[str, str] = {}
    for account in sorted(set(active_accounts) - recording_accounts):
        reasons[account] = (
            recording.not_recording.get(account)
            or (f"not read: {recording.unreadable[account]}" if account in recording.unreadable else "")
            or "not in the pulled configRecording (joined since): pull again"
        )
    return RuleExclusions(tuple(reasons), reasons)


def region_mismatch(recording: ConfigRecording, region: str) -> str | None:
    if recording.region == region:
        return None
    return (
        f"configRecording was pulled in {recording.region}, but the Config rules are created in {region}: "
        "recorders are regional"
    )
