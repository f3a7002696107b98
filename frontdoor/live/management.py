"""The management account's facts the program and the engine decide with, read-only: the roles the
providers assume, the IAM OIDC providers, the break-glass users, StackSets' organizations access, and
the AWS Config recorders of every account (through the audit role).

Owns the reads `estate pull` and `doctor` make beyond Organizations and Identity Center: `iam:GetRole`
of each role name the stack needs (never ListRoles: two calls instead of a listing of every role),
`iam:ListOpenIDConnectProviders` (the host is the ARN's last part, so no Get per provider),
`iam:GetUser` per break-glass name, `cloudformation:DescribeOrganizationsAccess`, and per ACTIVE account
`config:DescribeConfigurationRecorders` + `DescribeConfigurationRecorderStatus` in the rules' region
(the management account with the caller's session, the others through `--audit-role`, eight at a time).
A missing role or user is a fact (NoSuchEntity), not an error; an account whose audit role cannot be
assumed or read is recorded as unreadable with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from frontdoor.domain.planning.config_recording import ConfigRecording, records_iam_users
from frontdoor.live.aws import LiveError, LiveSession, call
from frontdoor.live.organization import concurrently

NO_SUCH_ENTITY = "NoSuchEntity"


def _missing(error: LiveError) -> bool:
    return str(error).startswith(f"{NO_SUCH_ENTITY}:")


def read_roles(live: LiveSession, names: Iterable[str]) -> dict[str, bool]:
    """Role name -> whether it exists in the session's account (one iam:GetRole each)."""
    iam = live.client("iam")
    found: dict[str, bool] = {}
    for name in sorted(set(names)):
        try:
            call(iam.get_role, account=live.account, RoleName=name)
            found[name] = True
        except LiveError as error:
            if not _missing(error):
                raise
            found[name] = False
    return found


def read_oidc_hosts(live: LiveSession) -> list[str]:
    """The hosts of the account's IAM OIDC providers (the ARN ends with the provider's URL host)."""
    listed = call(live.client("iam").list_open_id_connect_providers, account=live.account)
    return sorted(str(p["Arn"]).split(":oidc-provider/", 1)[-1] for p in listed["OpenIDConnectProviderList"])


def read_users(live: LiveSession, names: Iterable[str]) -> dict[str, str | None]:
    """User name -> its IAM path, or None when there is no such user (one iam:GetUser each)."""
    iam = live.client("iam")
    found: dict[str, str | None] = {}
    for name in sorted(set(names)):
        try:
            found[name] = str(call(iam.get_user, account=live.account, UserName=name)["User"]["Path"])
        except LiveError as error:
            if not _missing(error):
                raise
            found[name] = None
    return found


def read_stack_sets_access(live: LiveSession) -> str:
    """ENABLED | DISABLED | DISABLED_PERMANENTLY: StackSets' trusted access as CloudFormation reports it."""
    answer = call(
        live.client("cloudformation").describe_organizations_access,
        account=live.account,
        fix="grant cloudformation:DescribeOrganizationsAccess (docs/live-read.md)",
    )
    return str(answer["Status"])


@dataclass(frozen=True)
class RecorderReading:
    account: str
    problem: str | None  # None: records AWS::IAM::User
    unreadable: str | None = None


def read_account_recording(live: LiveSession, account: str, region: str) -> RecorderReading:
    """Whether one account records AWS::IAM::User in `region` (its customer-managed recorder)."""
    config = live.client("config", region=region)
    recorders = call(config.describe_configuration_recorders, account=account)["ConfigurationRecorders"]
    statuses = call(config.describe_configuration_recorder_status, account=account)[
        "ConfigurationRecordersStatus"
    ]
    status_by_name = {str(s.get("name")): s for s in statuses}
    problems = []
    for recorder in recorders:
        problem = records_iam_users(recorder, status_by_name.get(str(recorder.get("name"))))
        if problem is None:
            return RecorderReading(account, None)
        problems.append(problem)
    return RecorderReading(account, problems[0] if problems else records_iam_users(None, None))


def read_config_recording(
    live: LiveSession,
    *,
    accounts: Sequence[str],
    management_account: str,
    region: str,
    audit_role: str,
) -> ConfigRecording:
    """The `configRecording` block: every account of `accounts`, recording IAM users in `region` or not."""

    def read(account: str) -> RecorderReading:
        try:
            session = live if account == management_account else live.assume(account, audit_role)
            return read_account_recording(session, account, region)
        except LiveError as error:
            return RecorderReading(account, None, unreadable=error.render())

    readings = concurrently(read, sorted(accounts))
    return ConfigRecording(
        region=region,
        recording_iam_users=[r.account for r in readings if r.problem is None and r.unreadable is None],
        not_recording={r.account: r.problem for r in readings if r.problem is not None},
        unreadable={r.account: r.unreadable for r in readings if r.unreadable is not None},
    )


def minimum_config_recording_calls(accounts: Sequence[str], management_account: str) -> int:
    """Two Config reads per account, plus the AssumeRole into each member account."""
    return sum(2 if account == management_account else 3 for account in accounts)
