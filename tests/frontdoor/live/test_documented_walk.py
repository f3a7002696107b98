"""docs/live-read.md "Walking a real organization from zero", run as written.

The commands are parsed out of the section's fenced `sh` blocks and run in order against an organization
generated on the local server without any demo id; each `frontdoor` command through the CLI's entry point,
each other step by what it stands for here (`STEPS`, a step not listed fails the test). The section's
`yaml` block is the hand-written part of the estate; its table must name every value of
stacks/Pulumi.demo.yaml a user replaces.
"""

from __future__ import annotations

import contextlib
import fnmatch
import io
import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.live_calls import minimum_adopt_calls, minimum_doctor_calls
from frontdoor.commands.cli import main
from frontdoor.domain.config.files import provider_settings, read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.live.adoption import read_scps
from frontdoor.live.aws import LiveSession
from frontdoor.live.identity_center import SSO_PRINCIPAL, identity_center_session, read_identity_center
from frontdoor.live.organization import read_organization
from frontdoor.offline.preview import PreviewResult, resolve_inputs, run_preview
from tests.frontdoor.live import generated_org as generated
from tests.frontdoor.live.refuse import refuse
from tests.frontdoor.live.seed import Seeded, credentials_for, seed_plan

REPO = Path(__file__).resolve().parents[3]
DOC = REPO / "docs" / "live-read.md"
SECTION = "## Walking a real organization from zero"
DEMO_CONFIG = REPO / "stacks" / "Pulumi.demo.yaml"
DEMO_ESTATE = REPO / "stacks" / "estate.demo.yaml"

# An organization no test seeded before: two levels of OUs under non-ASCII names, a leading-zero
# management account, a suspended and a pending-closure account, Identity Center delegated by hand,
# every precondition of its stack met, every pushed group synced.
WALK_ORG = generated.OrgSpec(
    management_id="004417220931",
    ous=(
        generated.OuSpec("Plattform", -1),
        generated.OuSpec("Entwicklung", -1),
        generated.OuSpec("Prüfung", 1),
        generated.OuSpec("Stillgelegt", -1),
    ),
    accounts=(
        generated.AccountSpec("061938271150", "identität", 0, "ACTIVE"),
        generated.AccountSpec("733190044802", "zahlungen-dev", 1, "ACTIVE"),
        generated.AccountSpec("000381927364", "zahlungen-prüfung", 2, "ACTIVE"),
        generated.AccountSpec("093017722254", "alt-lager", 3, "SUSPENDED"),
        generated.AccountSpec("512288190476", "alt-büro", 3, "PENDING_CLOSURE"),
    ),
    identity_center=0,
    delegated=True,
    trusted=frozenset({generated.CLOUDTRAIL, generated.ANALYZER}),
    scps_enabled=True,
    with_trail=True,
    with_posture=True,
    grants=(
        ("payments", "DeveloperAccess", 1),
        ("payments", "ReadOnlyAuditor", 2),
        ("lab", "ReadOnlyAuditor", 1),
    ),
    unsynced=frozenset(),
    built_from_plan=False,
    console=(),
)
ROOT_SCPS = ("deny-iam-users", "deny-leave-organization", "protect-identity-center-roles")


def walk_section() -> str:
    text = DOC.read_text()
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return text[start:end]


def fenced(section: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", section, flags=re.DOTALL | re.MULTILINE)


def documented_commands() -> list[str]:
    return [
        line.strip()
        for block in fenced(walk_section(), "sh")
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def table_keys() -> list[str]:
    """The first column of the section's table of demo values, as fnmatch patterns."""
    keys: list[str] = []
    for row in re.findall(r"^\| (`.*?) \|", walk_section(), flags=re.MULTILINE):
        for key in re.findall(r"`([^`]+)`", row):
            keys.append(re.sub(r"<[a-z]+>", "*", key))
    return keys


def leaves(prefix: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        return [
            leaf
            for key, inner in value.items()
            for leaf in leaves(f"{prefix}.{key}" if prefix else key, inner)
        ]
    return [prefix]


def minimum_calls(command: str, config_file: Path) -> int:
    """The fewest calls `command` can make for the organization as it is now (read apart)."""
    config = parse_stack_config(read_stack_file(config_file), str(config_file))
    facts = LiveSession(profile="mgmt", region=config.organization.region)
    organization = read_organization(facts, scp_names=frozenset())
    admin = organization.delegated_admin_for(SSO_PRINCIPAL)
    center_live = identity_center_session(
        facts, admin, organization.management_account_id, "OrganizationAccountAccessRole"
    )
    center = read_identity_center(center_live, with_access=True)
    assert center is not None
    if command == "doctor":
        return minimum_doctor_calls(
            organization,
            center,
            permission_sets=len(center.permission_sets),
            roles=1,  # the deployer (no delivery section: no preview role)
            machines=False,
            center_assumed=center_live is not facts,
        )
    return minimum_adopt_calls(
        organization,
        center,
        scp_targets=[len(scp.targets) for scp in read_scps(facts).values()],
        oidc_providers={},  # no delivery section: the plan creates no OIDC provider
        with_boundary=True,
        with_abac=True,
        center_assumed=center_live is not facts,
    )


def test_the_table_names_every_value_of_the_demo_stack_a_user_replaces() -> None:
    # Every leaf of the demo stack but the permission-set catalogue (not an organization fact).
    demo = provider_settings(DEMO_CONFIG)
    keys = table_keys()
    wanted = [leaf for leaf in leaves("", demo) if not leaf.startswith("frontdoor:permissionSets.")]
    assert [leaf for leaf in wanted if not any(fnmatch.fnmatchcase(leaf, key) for key in keys)] == []
    # And no row names a key the demo stack does not have.
    assert [key for key in keys if not any(fnmatch.fnmatchcase(leaf, key) for leaf in wanted)] == []


def test_the_documented_walk_runs_end_to_end_on_an_organization_without_demo_ids(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = generated.seed(WALK_ORG)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stacks").mkdir()
    config_file = tmp_path / "stacks" / "Pulumi.prod.yaml"
    estate_file = tmp_path / "stacks" / "estate.prod.yaml"
    demo_ids = set(re.findall(r"\b\d{12}\b", DEMO_CONFIG.read_text() + DEMO_ESTATE.read_text()))
    demo_ids |= {"d-906712ab34", "ssoins-7223a1b2c3d4e5f6", "o-acme7med01", "r-a1b2"}

    # moto 5.2.5 lacks two reads AWS answers: a permission set without a boundary, an instance without
    # ABAC. Both answer here what AWS answers then (ResourceNotFoundException), through botocore.
    refuse(
        monkeypatch,
        "sso-admin",
        "GetPermissionsBoundaryForPermissionSet",
        "ResourceNotFoundException",
        "none",
    )
    refuse(
        monkeypatch,
        "sso-admin",
        "DescribeInstanceAccessControlAttributeConfiguration",
        "ResourceNotFoundException",
        "not configured",
    )

    def sign_in() -> None:
        credentials = credentials_for(WALK_ORG.management_id)
        shared = tmp_path / "credentials"
        shared.write_text(
            "[mgmt]\n"
            f"aws_access_key_id = {credentials['AWS_ACCESS_KEY_ID']}\n"
            f"aws_secret_access_key = {credentials['AWS_SECRET_ACCESS_KEY']}\n"
            f"aws_session_token = {credentials['AWS_SESSION_TOKEN']}\n"
        )
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(shared))
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            monkeypatch.delenv(key, raising=False)

    def plan() -> PreviewResult:
        return run_preview(
            resolve_inputs("prod", config_file=config_file, estate=estate_file), evaluate_policies=False
        )

    def apply() -> None:
        seed_plan(
            Seeded(
                management=seeded.management,
                identity_center=seeded.identity_center,
                instance_arn=seeded.instance_arn,
                identity_store_id=seeded.identity_store_id,
            ),
            plan(),
        )

    def export_state() -> None:
        resources = [
            {
                "urn": r.urn,
                "type": r.type,
                "outputs": {"name": r.inputs["name"]} if "name" in r.inputs else {},
            }
            for r in plan().run.resources
        ]
        (tmp_path / "prod-state.json").write_text(
            json.dumps({"version": 3, "deployment": {"resources": resources}})
        )

    steps: dict[str, Callable[[], None]] = {
        "pulumi import --stack prod --file adopt/prod/import.json": lambda: None,  # the objects exist already
        "pulumi up --stack prod": apply,
        "pulumi stack export --stack prod --file prod-state.json": export_state,
    }
    # Steps 1-3: signed in, the stack config as the table says, the hand-written estate block.
    sign_in()
    config_file.write_text(
        yaml.safe_dump(
            generated.stack_config(
                seeded, provider_settings(DEMO_CONFIG), root_scps=ROOT_SCPS, adopt_delegation=True
            ),
            allow_unicode=True,
        )
    )
    (hand_written,) = fenced(walk_section(), "yaml")
    estate_file.write_text(hand_written)

    # Every command's own session (the first it makes: the sessions it assumes share its call counter).
    roots: list[LiveSession] = []
    made = LiveSession.__init__

    def counted(self: LiveSession, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        if "calls" not in kwargs:
            roots.append(self)

    monkeypatch.setattr(LiveSession, "__init__", counted)
    calls: dict[str, tuple[int, int]] = {}  # command -> (calls, minimum)

    commands = documented_commands()
    assert [c.split(" ")[0] for c in commands] == ["frontdoor"] * 4 + ["pulumi"] * 3 + ["frontdoor"] * 2
    for command in commands:
        if not command.startswith("frontdoor "):
            steps[command]()
            continue
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(shlex.split(command)[1:])
        assert code == 0, f"{command}\n{out.getvalue()}\n{err.getvalue()}"
        verb = command.split(" ")[1]
        if verb in ("doctor", "adopt"):
            calls[verb] = (roots[-1].call_count, minimum_calls(verb, config_file))
        if command.startswith("frontdoor estate pull"):
            found = re.search(r"(\d+) API calls \(minimum for this estate: (\d+)\)", out.getvalue())
            assert found is not None, out.getvalue()
            calls[f"pull {len(calls)}"] = (int(found.group(1)), int(found.group(2)))
            pulled = estate_file.read_text()
            assert [i for i in demo_ids if i in pulled] == []
            assert seeded.identity_store_id in pulled and seeded.organization_id in pulled
        if command.startswith("frontdoor drift"):
            # Built from the plan: the five planned assignments (Entwicklung holds two accounts, one in
            # its child Prüfung) are present, nothing else, at the minimum number of calls.
            assert out.getvalue() == (
                "# Drift for stack prod\n\n"
                "0 drift finding(s); planned-present: 5. API calls: 41 (minimum for this estate: 41).\n"
            )
        if command.startswith("frontdoor doctor"):
            assert out.getvalue().splitlines()[-1] == "all clear"
    # Each command makes exactly the fewest calls the APIs allow for what it reads (benchmarks/live_calls.py),
    # but adopt, which lists the SCPs twice: once in drift's organization read (the plan's SCPs, none
    # created yet here) and again with every SCP's content and targets: one ListPolicies page too many.
    assert calls == {
        "pull 0": (calls["pull 0"][1],) * 2,
        "doctor": (calls["doctor"][1],) * 2,
        "adopt": (calls["adopt"][1] + 1, calls["adopt"][1]),
        "pull 3": (calls["pull 3"][1],) * 2,
    }
    assert [i for i in demo_ids if i in config_file.read_text()] == []
    assert json.loads((tmp_path / "adopt" / "prod" / "import.json").read_text())["resources"]
