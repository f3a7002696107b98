"""The migration list of the seeded 140-account org, exactly as the README shows it.

`python -m benchmarks.posture_demo` starts a local AWS API server (moto, 127.0.0.1), seeds it with
benchmarks/seed_org.py's organization and planted IAM users, runs `frontdoor posture` against it with
the demo's access and break-glass stack configs written for the seeded organization's management
account (posture refuses another organization's) and prints the markdown; `--write` replaces the
block between the posture markers of README.md. tests/frontdoor/live/test_posture.py regenerates it
(on the org its 140-account test seeds) and compares, so the README cannot drift from what the
command prints. moto's random ids are seeded first, so the account ids are the same on every run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.seed_org import SeededOrg

REPO_ROOT = Path(__file__).resolve().parent.parent
README = REPO_ROOT / "README.md"
START_MARK = "<!-- posture:start -->"
END_MARK = "<!-- posture:end -->"
RANDOM_SEED = 16  # moto's ids (organization, OUs, accounts) follow from it
ACCOUNTS = 140
COMMAND = (
    "posture",
    "--config",
    "access.yaml",
    "--break-glass-config",
    "breakglass.yaml",
    "--people",
    "people.csv",
)
# The demo's stack files, for the seeded organization: the management account ids it names.
STACK_FILES = {"access.yaml": "Pulumi.demo.yaml", "breakglass.yaml": "Pulumi.breakglass.yaml"}
DEMO_MANAGEMENT = "100000000026"


def seed(endpoint: str) -> SeededOrg:
    """The seeded org (organization, OUs, accounts, planted users) with the same ids on every run.

    boto3 must already point at `endpoint`, a freshly reset server (AWS_ENDPOINT_URL and dummy
    credentials, as the test fixture and `main` below set them).
    """
    # Imported in the measuring process, not by whoever imports this module.
    from benchmarks.seed_org import plant_users, seed_organization

    urllib.request.urlopen(
        urllib.request.Request(f"{endpoint}/moto-api/seed?a={RANDOM_SEED}", method="POST")
    ).read()
    org = seed_organization(ACCOUNTS)
    plant_users(org)
    return org


def migration_list(management_id: str) -> tuple[int, str]:
    """(exit code, stdout) of COMMAND against the seeded org, whose management account is `management_id`."""
    # Imported in the measuring process, not by whoever imports this module.
    from benchmarks.seed_org import PEOPLE_CSV
    from frontdoor.commands.cli import main

    with tempfile.TemporaryDirectory(prefix="frontdoor-posture-") as temp:
        files = {"people.csv": Path(temp) / "people.csv"}
        files["people.csv"].write_text(PEOPLE_CSV)
        for name, demo in STACK_FILES.items():
            files[name] = Path(temp) / name
            text = (REPO_ROOT / "stacks" / demo).read_text()
            for line in (
                f'managementAccountId: "{DEMO_MANAGEMENT}"',
                f"managementRoleArn: arn:aws:iam::{DEMO_MANAGEMENT}:",
                f"forwarderArn: arn:aws:lambda:us-east-1:{DEMO_MANAGEMENT}:",  # beside the trail
            ):
                text = text.replace(line, line.replace(DEMO_MANAGEMENT, management_id))
            files[name].write_text(text)
        argv = [str(files[arg]) if arg in files else arg for arg in COMMAND]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.chdir(REPO_ROOT):
            code = main([*argv, "--quiet"])
    return code, out.getvalue()


def readme_block(code: int, output: str) -> str:
    """The README's block between the posture markers: the command, then its markdown as markdown."""
    return "\n".join(
        [
            START_MARK,
            "```sh",
            "frontdoor posture " + " ".join(COMMAND[1:]) + f"    # exit {code}",
            "```",
            "",
            output.rstrip("\n"),
            END_MARK,
        ]
    )


def readme_section(text: str) -> str:
    """The README's current block between the posture markers (markers included)."""
    start = text.index(START_MARK)
    return text[start : text.index(END_MARK, start) + len(END_MARK)]


def main(argv: list[str] | None = None) -> int:
    # Imported in the measuring process, not by whoever imports this module.
    from moto.server import ThreadedMotoServer

    from benchmarks.live_read import _environment

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write", action="store_true", help="replace the README's posture block")
    args = parser.parse_args(argv)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        with _environment(f"http://{host}:{port}"):
            org = seed(os.environ["AWS_ENDPOINT_URL"])
            code, output = migration_list(org.management_id)
    finally:
        server.stop()
    block = readme_block(code, output)
    if args.write:
        text = README.read_text()
        README.write_text(text.replace(readme_section(text), block))
    print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
