"""`frontdoor estate pull` against the demo organization on the local AWS API server."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.planning.prior_state import PriorState
from frontdoor.offline.estate import Estate, load_estate
from tests.frontdoor.live.demo_server import (
    DEMO_ESTATE,
    DemoServer,
    cwd_with_stacks,
    seeded_with_facts,
    stack_files,
)
from tests.frontdoor.live.refuse import refuse


@pytest.fixture
def demo_with_facts(aws_server: str, monkeypatch: pytest.MonkeyPatch) -> DemoServer:
    """The demo organization with every fact pull reads (seeded afresh: the shared one holds fewer)."""
    return seeded_with_facts(aws_server, monkeypatch)


def canonical(estate: Estate) -> dict[str, Any]:
    """The estate with its lists in a fixed order: the demo file is hand-ordered, pulls are sorted."""

    def ous(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(
            (
                {
                    **ou,
                    "accounts": sorted(ou["accounts"], key=lambda a: a["id"]),
                    "children": ous(ou["children"]),
                }
                for ou in nodes
            ),
            key=lambda ou: ou["name"],
        )

    document = estate.model_dump()
    document["accounts"] = sorted(document["accounts"], key=lambda a: a["id"])
    document["ous"] = ous(document["ous"])
    return document


def pull(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *flags: str,
) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd_with_stacks(tmp_path))
    code = main(["estate", "pull", "--stack", "demo", *stack_files(tmp_path), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def test_pull_reproduces_the_demo_estate_byte_stably_at_the_minimum_calls(
    demo_with_facts: DemoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The file being replaced is the demo estate: what a pull does not read (the stack's state, Okta's
    # attributes) is carried over from it, every other fact is read, the Config recorders included.
    written = cwd_with_stacks(tmp_path) / "stacks" / "estate.demo.yaml"
    written.write_text(DEMO_ESTATE.read_text())
    code, out, err = pull(tmp_path, monkeypatch, capsys, "--config-recorders")
    assert code == 0, err
    assert canonical(load_estate(written)) == canonical(demo_with_facts.estate)
    calls = re.search(r"(\d+) API calls \(minimum for this estate: (\d+)\)", out)
    assert calls is not None, out
    assert out.startswith(f"wrote {written}: 140 accounts, 20 OUs, 24 synced groups; ")
    # Every list call runs at the largest page size and every fact is read once, so the read makes
    # exactly the minimum calls: here 462, of which 395 for the recorders of the 132 ACTIVE accounts (an
    # AssumeRole and two Config reads each, the management account read with the caller's session), and
    # three GetRole (the deploy and preview roles, the trail's Datadog integration role).
    assert int(calls.group(1)) == int(calls.group(2)) == 462
    # One progress line per phase on stderr, then what was carried over; the management-account check
    # (its GetCallerIdentity is the organization read's, counted once) first.
    assert [line.split(":")[0] for line in err.splitlines()] == [
        "... estate pull",
        "... sts",
        "... organization",
        "... organization",
        "... organization",
        "... organization",
        "... identity center",
        "... identity center",
        "... management account",
        "... config recorders",
        "kept oktaProfileAttributes from the previous estate.demo.yaml (not read this time)",
        "kept okta from the previous estate.demo.yaml (not read this time)",
        "kept deployed from the previous estate.demo.yaml (not read this time)",
    ]
    first = written.read_bytes()
    assert pull(tmp_path, monkeypatch, capsys, "--config-recorders")[0] == 0
    assert written.read_bytes() == first  # an unchanged organization pulls to the same bytes
    # No temporary file is left behind.
    assert sorted(p.name for p in written.parent.iterdir()) == [
        "Pulumi.demo.yaml",
        "estate.demo.yaml",
        "people.demo.csv",
    ]


def test_a_refused_call_names_account_call_and_fix_and_writes_nothing(
    demo_org: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = tmp_path / "stacks" / "estate.demo.yaml"
    previous.parent.mkdir(parents=True)
    previous.write_text("# the last good pull\n")
    refuse(
        monkeypatch,
        "identitystore",
        "ListGroups",
        "AccessDeniedException",
        "User is not authorized to perform: identitystore:ListGroups",
    )
    code, out, err = pull(tmp_path, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1] == (
        "error: account 100000000299, call list_groups: AccessDeniedException: User is not authorized to "
        "perform: identitystore:ListGroups; fix: grant the read-only role this action (docs/live-read.md "
        "lists the read policy)"
    )
    assert "Traceback" not in err
    assert previous.read_text() == "# the last good pull\n"
    assert sorted(p.name for p in previous.parent.iterdir()) == [
        "Pulumi.demo.yaml",
        "estate.demo.yaml",
        "people.demo.csv",
    ]


def test_the_stack_state_comes_from_a_stack_export_or_is_fresh(
    demo_org: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = "urn:pulumi:demo::frontdoor::"
    export = {
        "version": 3,
        "deployment": {
            "resources": [
                {"urn": f"{prefix}pulumi:pulumi:Stack::frontdoor-demo", "type": "pulumi:pulumi:Stack"},
                {"urn": f"{prefix}pulumi:providers:aws::aws-management", "type": "pulumi:providers:aws"},
                {
                    "urn": f"{prefix}frontdoor:index:AccessPlatform::frontdoor",
                    "type": "frontdoor:index:AccessPlatform",
                },
                {
                    "urn": f"{prefix}frontdoor:index:TeamAccess$frontdoor:aws:AccountAssignments$"
                    "aws:ssoadmin/accountAssignment:AccountAssignment::aws-payments-dev/DeveloperAccess/100000000375",
                    "type": "aws:ssoadmin/accountAssignment:AccountAssignment",
                },
                {
                    "urn": f"{prefix}frontdoor:aws:GitHubDeployRole$aws:iam/role:Role::frontdoor-deploy",
                    "type": "aws:iam/role:Role",
                    "outputs": {"name": "frontdoor-deploy"},
                },
                # A pending delete is not in the state the next run starts from.
                {
                    "urn": f"{prefix}okta:index/pushGroup:PushGroup::aws-gone-push",
                    "type": "okta:index/pushGroup:PushGroup",
                    "delete": True,
                },
            ]
        },
    }
    state = tmp_path / "demo-state.json"
    state.write_text(json.dumps(export))
    code, _, err = pull(tmp_path, monkeypatch, capsys, "--stack-state", str(state))
    assert code == 0, err
    written = load_estate(tmp_path / "stacks" / "estate.demo.yaml")
    assert written.deployed is not None
    assert written.deployed.model_dump(by_alias=True) == {
        "resources": 3,
        "beyondStageA": True,
        "assignedGroups": ["aws-payments-dev"],
        "pushedGroups": [],
        "roles": ["frontdoor-deploy"],
        "oidcProviders": [],
    }
    assert written.prior_state() == PriorState.from_export(export)
    assert err.splitlines()[-3:] == [
        "oktaProfileAttributes: not read, so unknown: write the Okta user profile's custom attributes by "
        "hand ([] for none)",
        "okta: not read, so unknown: write okta.appUserSchema and okta.userSchema from Okta's Schemas API by "
        "hand (stacks/estate.demo.yaml shows the shape)",
        "configRecording: not read, so unknown: pass --config-recorders (and --audit-role)",
    ]

    code, _, err = pull(tmp_path, monkeypatch, capsys, "--fresh-stack")
    assert code == 0, err
    fresh = load_estate(tmp_path / "stacks" / "estate.demo.yaml")
    assert fresh.prior_state() == PriorState(0, False)
    assert "kept oktaProfileAttributes" not in err  # the previous pull did not hold it either


def test_a_file_that_is_not_a_stack_export_is_refused_and_nothing_is_written(
    demo_org: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"version": 3, "deployment": {"resources": {}}}')
    code, out, err = pull(tmp_path, monkeypatch, capsys, "--stack-state", str(state))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"... estate pull: stack demo, config {tmp_path / 'stacks' / 'Pulumi.demo.yaml'}",
        "... sts: checking these credentials are the management account 100000000026's",
        "error: bad input, nothing was registered",
        f"{state}: deployment.resources: a `pulumi stack export` document has deployment.resources, a list "
        "(got 'dict'). Fix: write it with `pulumi stack export --stack <stack> --file FILE`",
    ]
    assert not (tmp_path / "stacks" / "estate.demo.yaml").exists()
