"""What the offline engine refuses as the real engine does, and how it reports a program's bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.base.errors import ConfigError
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import Estate, load_estate

REPO = Path(__file__).resolve().parents[3]
DEMO_ESTATE = REPO / "stacks" / "estate.demo.yaml"

TWICE = """
import pulumi_okta as okta
okta.group.Group("aws-payments-dev", name="aws-payments-dev")
okta.group.Group("aws-payments-dev", name="aws-payments-dev")
"""

BAD_PYTHON_TEAM = """
import pulumi_okta as okta
from frontdoor.domain.planning.declarations import team_config
okta.group.Group("aws-payments-dev", name="aws-payments-dev")
team_config("payments", members='user.team == "payments"', grants={"DeveloperAccess": "Workloads/Dev"},
            description=None)
"""


@pytest.fixture(scope="module")
def estate() -> Estate:
    return load_estate(DEMO_ESTATE)


def _program(tmp_path: Path, source: str) -> Path:
    (tmp_path / "__main__.py").write_text(textwrap.dedent(source))
    (tmp_path / "Pulumi.probe.yaml").write_text("config:\n  aws:region: us-east-1\n")
    return tmp_path


def test_a_urn_registered_twice_fails_the_run(estate: Estate, tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"Duplicate resource URN") as raised:
        run_program(_program(tmp_path, TWICE), stack="probe", config={}, estate=estate)
    assert (
        "Duplicate resource URN 'urn:pulumi:probe::frontdoor::okta:group/group:Group::aws-payments-dev'; "
        "try giving it a unique name"
    ) in str(raised.value)


def test_the_cli_reports_a_duplicate_urn_as_a_program_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = _program(tmp_path, TWICE)
    code = main(
        [
            "preview",
            "--program",
            str(program),
            "--stack",
            "probe",
            "--config",
            str(program / "Pulumi.probe.yaml"),
            "--estate",
            str(DEMO_ESTATE),
            "--no-policy",
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "Traceback" not in err
    assert err.startswith("error: the program failed: ")
    assert (
        "Duplicate resource URN 'urn:pulumi:probe::frontdoor::okta:group/group:Group::aws-payments-dev'"
        in err
    )


def test_bad_input_raised_by_the_program_says_how_far_it_got(estate: Estate, tmp_path: Path) -> None:
    program = _program(tmp_path, BAD_PYTHON_TEAM)
    with pytest.raises(ConfigError) as raised:
        run_program(program, stack="probe", config={}, estate=estate)
    error = raised.value
    assert error.registered == 1
    assert error.header() == (
        f"error: bad input in the program ({program / '__main__.py'}), raised after it had registered "
        "1 resources: fix the Python code there (offline, nothing was deployed; `pulumi up` would stop "
        "part-way)"
    )
    assert [issue.file for issue in error.issues] == ["TeamAccess('payments')"]
