"""One plan per preview, handed down; the same JSON from every run; a bad Python team registers nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pulumi
import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.fanout import Resolver
from frontdoor.offline.engine import RecordingMonitor, run_program
from frontdoor.offline.estate import Estate
from frontdoor.offline.preview import PreviewResult, resolve_inputs, run_preview
from tests.frontdoor.offline.test_team_access_python import _config_without

REPO = Path(__file__).resolve().parents[3]


def _preview_json(result: PreviewResult) -> str:
    return json.dumps(result.as_json(), indent=2) + "\n"  # exactly what `preview --json` prints


def test_one_preview_parses_and_fans_out_once_and_prints_the_same_json_every_time(
    demo: PreviewResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"parse": 0, "resolve": 0}
    validate = StackConfig.model_validate.__func__  # type: ignore[attr-defined]
    resolve = Resolver.resolve

    def counted_validate(cls: type[StackConfig], *args: Any, **kwargs: Any) -> StackConfig:
        calls["parse"] += 1
        return validate(cls, *args, **kwargs)  # type: ignore[no-any-return]

    def counted_resolve(self: Resolver, *args: Any, **kwargs: Any) -> Any:
        calls["resolve"] += 1
        return resolve(self, *args, **kwargs)

    monkeypatch.setattr(StackConfig, "model_validate", classmethod(counted_validate))
    monkeypatch.setattr(Resolver, "resolve", counted_resolve)
    again = run_preview(resolve_inputs("demo"))
    values = read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml")
    grants = sum(len(team["grants"]) for team in values["teams"].values()) + len(values["orgGrants"])
    grants += len(values.get("machines", {}).get("consumers", {}))  # machine consumers fan out the same way
    # The early check parses and fans out; the program takes that plan instead of making its own.
    assert calls == {"parse": 1, "resolve": grants}
    # A second run in this process prints the same bytes as the first...
    assert _preview_json(again) == _preview_json(demo)
    # ...and so does another process.
    printed = subprocess.run(
        [sys.executable, "-m", "frontdoor", "preview", "--stack", "demo", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert printed.returncode == demo.exit_code, printed.stderr
    assert printed.stdout == _preview_json(demo)


def test_plan_warnings_reach_the_preview(tmp_path: Path, demo_estate: Estate) -> None:
    settings = _config_without("none")
    settings["frontdoor:orgGrants"]["aws-nobody"] = {
        "members": 'user.team == "nobody"',
        "permissionSet": "ReadOnlyAuditor",
        "exclude": ["*"],
    }
    (tmp_path / "__main__.py").write_text("from frontdoor.program import main\n\nmain()\n")
    run = run_program(tmp_path, stack="demo", config=settings, estate=demo_estate)
    assert [w for w in run.warnings if "aws-nobody" in w] == [
        "frontdoor:orgGrants.aws-nobody.exclude: '*' excludes every account, so the grant of ReadOnlyAuditor "
        "to aws-nobody reaches nothing; remove the grant, or exclude only the accounts or OUs meant"
    ]
    assert run.warnings == sorted(run.warnings)


def test_a_bad_python_team_stops_the_run_before_the_first_resource(
    tmp_path: Path, demo_estate: Estate
) -> None:
    (tmp_path / "__main__.py").write_text(
        textwrap.dedent(
            """
            from components.team_access import TeamAccess
            from frontdoor.program import stack

            with stack():
                TeamAccess("payments", members='user.team == "payments"',
                           grants={"DeveloperAccess": ["Workloads/Dev"]})
                TeamAccess("billing", members='user.team == "billing"',
                           grants={"DeveloperAccess": ["Workload"]})
            """
        )
    )
    with pytest.raises(ConfigError, match=r"^TeamAccess\('billing'\): frontdoor:teams\.billing\.grants"):
        run_program(tmp_path, stack="demo", config=_config_without("payments"), estate=demo_estate)
    monitor = pulumi.runtime.settings.get_monitor()
    assert isinstance(monitor, RecordingMonitor)
    # Only the providers the organization and identity-store reads need: no component, no group.
    assert sorted(r.type for r in monitor.records) == [
        "pulumi:providers:aws",
        "pulumi:providers:aws",
        "pulumi:providers:okta",
    ]


def test_the_components_carry_the_input_keys_the_contract_names(demo: PreviewResult) -> None:
    from frontdoor.domain import contracts

    grants = demo.run.by_type(contracts.ACCOUNT_ASSIGNMENTS)
    # (A None input, such as `expires` of a permanent grant, is not sent.)
    assert set().union(*(r.inputs for r in grants)) == set(contracts.GRANT_INPUT_KEYS)
    (scim,) = demo.run.by_type(contracts.SCIM_PROVISIONING)
    assert contracts.SCIM_TOKEN_EXPIRY_KEY in scim.inputs


def test_a_team_handed_to_build_stack_as_data_is_planned_by_the_same_function(
    tmp_path: Path, demo: PreviewResult, demo_estate: Estate
) -> None:
    from frontdoor.offline.preview import identity_lines

    (tmp_path / "__main__.py").write_text(
        textwrap.dedent(
            """
            from frontdoor.domain.planning.declarations import declared_team
            from frontdoor.program import build_stack

            build_stack(teams=[
                declared_team("payments", members='user.team == "payments"',
                              grants={"DeveloperAccess": ["Workloads/Dev", "Workloads/Staging"],
                                      "ReadOnlyAuditor": ["Workloads/Prod"]}),
            ])
            """
        )
    )
    run = run_program(tmp_path, stack="demo", config=_config_without("payments"), estate=demo_estate)
    # The same resources as the stack file's payments team.
    assert identity_lines(run.resources) == identity_lines(demo.run.resources)
