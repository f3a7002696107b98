"""A Python team's bad input, at the command line, tells the truth (issue 13 item 11).

The program raised it after registering resources, so "nothing was registered" would be false: the
CLI says how many it had registered, names the program's __main__.py to fix, and still exits 2 (bad
input) without a traceback.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from frontdoor.commands.cli import main

REPO = Path(__file__).resolve().parents[3]
DEMO_ESTATE = REPO / "stacks" / "estate.demo.yaml"

BAD_PYTHON_TEAM = """
import pulumi_okta as okta
from frontdoor.domain.planning.declarations import team_config
okta.group.Group("aws-payments-dev", name="aws-payments-dev")
team_config("payments", members='user.team == "payments"', grants={"DeveloperAccess": "Workloads/Dev"},
            description=None)
"""


def test_the_cli_names_main_py_and_how_far_the_program_got(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "__main__.py").write_text(textwrap.dedent(BAD_PYTHON_TEAM))
    config = tmp_path / "Pulumi.probe.yaml"
    config.write_text("config:\n  aws:region: us-east-1\n")
    args = ["--program", str(tmp_path), "--stack", "probe", "--config", str(config)]
    code = main(["preview", *args, "--estate", str(DEMO_ESTATE), "--quiet", "--no-policy"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert "nothing was registered" not in captured.err
    assert captured.err.splitlines() == [
        f"error: bad input in the program ({tmp_path / '__main__.py'}), raised after it had registered 1 "
        "resources: fix the Python code there (offline, nothing was deployed; `pulumi up` would stop "
        "part-way)",
        "TeamAccess('payments'): frontdoor:teams.payments.grants.DeveloperAccess: a grant is a list of "
        "targets or a mapping with targets: (got 'Workloads/Dev'). Fix: write DeveloperAccess: "
        "[Workloads/Dev] (a YAML list, even for one target)",
    ]
