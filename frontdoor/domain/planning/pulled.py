"""Pulled facts: what `frontdoor estate pull` writes into the stack's estate file, and what an absent one
means (unknown, never fine).

Most facts the program decides with it reads through data sources at preview time (trusted access,
delegations, synced groups, its own state); offline the engine answers those from the estate. One
fact has no data source at all, the AWS Config recorders of every account (`configRecording`): the
program reads it from the stack's estate file, `stacks/estate.<stack>.yaml`, in `pulumi up` as in the
offline preview (where the engine hands over the estate it runs with:
frontdoor/domain/planning/handoff.py). An absent fact stops the run where a decision needs it
(`EstateUnknown`, exit 2), naming the field and the `frontdoor estate pull` flag that writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.config.files import read_yaml_file
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.planning.config_recording import BLOCK, ConfigRecording

PULL = "frontdoor estate pull --stack <stack>"
# How each fact is filled, for the message when it is absent.
HOW_TO_FILL: Mapping[str, str] = {
    "organization.featureSet": f"`{PULL}` (DescribeOrganization)",
    "organization.awsServiceAccessPrincipals": f"`{PULL}` (ListAWSServiceAccessForOrganization)",
    "organization.delegatedAdministrators": f"`{PULL}` (ListDelegatedAdministrators)",
    "organization.enabledPolicyTypes": f"`{PULL}` (ListRoots)",
    "organization.stackSetsAccess": f"`{PULL}` (CloudFormation DescribeOrganizationsAccess)",
    "syncedGroups": f"`{PULL}` (the identity store's groups)",
    "oktaProfileAttributes": "write the custom attributes of Okta's user profile (Directory > Profile "
    "Editor > User (default)), [] for none: `frontdoor estate pull` does not read Okta",
    "deployed": f"`{PULL} --stack-state FILE` (FILE: the output of `pulumi stack export --stack <stack>`), "
    "or `--fresh-stack` for a stack never applied",
    BLOCK: f"`{PULL} --config-recorders` (DescribeConfigurationRecorders in every account through the audit "
    "role, --audit-role)",
    "managementAccount.iamRoles": (
        f"`{PULL}` (iam:GetRole of the stack's deploy and preview roles and the Datadog integration role)"
    ),
    "managementAccount.oidcProviders": f"`{PULL}` (iam:ListOpenIDConnectProviders)",
    "managementAccount.breakGlassUsers": f"`{PULL}` (iam:GetUser of guardrails.breakGlassUserNames)",
}


def _fix(how: str) -> str:
    """A command to run, or what to write by hand (a fact no pull reads)."""
    return f"run {how}" if how.startswith("`") else how


class EstateUnknown(ConfigError):
    """Facts the run decides with are absent from the estate: unknown, never fine (exit 2)."""

    @classmethod
    def of(cls, source: str, field: str, decision: str) -> EstateUnknown:
        return cls(
            [
                ConfigIssue(
                    source,
                    field,
                    "(absent)",
                    f"absent, so unknown, and this run cannot decide without it: {decision}",
                    _fix(HOW_TO_FILL.get(field, f"`{PULL}`")),
                )
            ]
        )

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(issue.field for issue in self.issues)

    def header(self) -> str:
        return (
            "error: the estate does not hold a fact this run needs; the run stopped before registering "
            "anything but its providers"
        )


@dataclass(frozen=True)
class PulledFacts:
    """The facts the program takes from the stack's estate file (no data source reads them)."""

    source: str  # the estate file, named when a fact is absent
    config_recording: ConfigRecording | None = None


def estate_path(stack: str, root: Path | None = None) -> Path:
    return (root or Path.cwd()) / "stacks" / f"estate.{stack}.yaml"


def read_pulled_facts(path: Path) -> PulledFacts:
    """The pulled facts of the estate file at `path` (none when the file does not exist)."""
    if not path.is_file():
        return PulledFacts(f"{path} (no such file)")
    document = read_yaml_file(path, "estate")
    block = document.get(BLOCK) if isinstance(document, dict) else None
    if block is None:
        return PulledFacts(str(path))
    try:
        return PulledFacts(str(path), ConfigRecording.model_validate(block))
    except ValidationError as error:
        raise ConfigError(
            [issue_from_pydantic(str(path), e, namespace=BLOCK) for e in error.errors()]
        ) from None
