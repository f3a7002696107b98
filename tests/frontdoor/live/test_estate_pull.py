"""`frontdoor estate pull` against the demo organization on the local AWS API server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.offline.estate import Estate, load_estate
from tests.frontdoor.live.demo_server import DemoServer, cwd_with_stacks
from tests.frontdoor.live.refuse import refuse


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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd_with_stacks(tmp_path))
    code = main(["estate", "pull", "--stack", "demo"])
    out, err = capsys.readouterr()
    return code, out, err


def test_pull_reproduces_the_demo_estate_byte_stably_at_the_minimum_calls(
    demo_org: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = pull(tmp_path, monkeypatch, capsys)
    assert code == 0, err
    written = tmp_path / "stacks" / "estate.demo.yaml"
    pulled = canonical(load_estate(written))
    # The Okta schemas are no AWS read: the pull leaves them unknown (the engine then stops naming how to
    # write them, frontdoor/offline/api_rules.py), never empty.
    assert pulled.pop("okta") == {"app_user_schema": None, "user_schema": None}
    assert pulled == {k: v for k, v in canonical(demo_org.estate).items() if k != "okta"}
    calls = re.search(r"(\d+) API calls \(minimum for this estate: (\d+)\)", out)
    assert calls is not None, out
    assert out.startswith(f"wrote {written}: 140 accounts, 20 OUs, 24 synced groups; ")
    # Every list call runs at the largest page size, so the read makes exactly the minimum calls.
    assert int(calls.group(1)) == int(calls.group(2))
    # One progress line per phase on stderr.
    assert [line.split(":")[0] for line in err.splitlines()] == [
        "... organization",
        "... organization",
        "... organization",
        "... organization",
        "... identity center",
        "... identity center",
    ]
    first = written.read_bytes()
    assert pull(tmp_path, monkeypatch, capsys)[0] == 0
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
