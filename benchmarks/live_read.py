"""`estate pull` and `drift` against the local AWS API server at 140 and 2,000 accounts (`make bench`).

For each size the generated estate and stack (benchmarks/generate.py) are seeded into a moto server
on 127.0.0.1 (organization, Identity Center, synced groups, the plan's permission sets, assignments
and SCP attachments; not timed), then the two reads run as the commands run them: wall time, API
calls made, and the minimum number of calls the APIs allow for that estate (every list call at its
largest page size), side by side. The plan `drift` compares against is made once and timed apart.
Times are measured against the same local server, so they show our overhead and concurrency, not
AWS latency; the call counts carry over to AWS as they are.
"""

from __future__ import annotations

import contextlib
import os
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks import generate

SIZES = (140, 2000)


@contextlib.contextmanager
def _environment(url: str) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
    )
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(key, None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def measure(accounts: int, workdir: Path, say: Callable[[str], None]) -> dict[str, Any]:
    # Imported in the measuring process, not by whoever imports this module.
    from moto.organizations.models import FakeDelegatedAdministrator
    from moto.server import ThreadedMotoServer

    from frontdoor.commands.estate import pull
    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.domain.config.parse import parse_stack_config
    from frontdoor.live.access import drift
    from frontdoor.live.aws import LiveSession
    from frontdoor.offline.estate import load_estate
    from frontdoor.offline.plan import plan_from_preview
    from frontdoor.offline.preview import resolve_inputs, run_preview
    from tests.frontdoor.live.seed import credentials_for, seed_organization, seed_plan

    if "sso.amazonaws.com" not in FakeDelegatedAdministrator.SUPPORTED_SERVICES:
        # as tests/frontdoor/live/conftest.py does
        FakeDelegatedAdministrator.SUPPORTED_SERVICES.append("sso.amazonaws.com")
    directory = workdir / f"live-{accounts}"
    directory.mkdir(parents=True, exist_ok=True)
    config_path, estate_path = generate.write(generate.generate(accounts), directory)
    config = parse_stack_config(read_stack_file(config_path), str(config_path))
    stack = config_path.name.removeprefix("Pulumi.").removesuffix(".yaml")
    estate = load_estate(estate_path)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    # moto's state lives in this process, not in the server: without a reset the second size finds
    # the first size's organization (CreateOrganization: AlreadyInOrganizationException).
    reset = urllib.request.Request(f"http://{host}:{port}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset).read()
    try:
        with _environment(f"http://{host}:{port}"):
            say(f"live read {accounts}: the plan (offline engine), then seeding the local server")
            started = time.perf_counter()
            result = run_preview(
                resolve_inputs(stack, config_file=config_path, estate=estate_path), evaluate_policies=False
            )
            plan = plan_from_preview(result)
            plan_seconds = time.perf_counter() - started
            started = time.perf_counter()
            seeded = seed_organization(
                estate, identity_center_account=config.organization.identity_center_account_id
            )
            seed_plan(seeded, result)
            seed_seconds = time.perf_counter() - started
            os.environ.update(credentials_for(estate.organization.management_account.id))
            region = config.organization.region

            say(f"live read {accounts}: estate pull")
            live = LiveSession(region=region)
            started = time.perf_counter()
            pulled = pull(
                live,
                stack=stack,
                region=region,
                role_name="OrganizationAccountAccessRole",
                group_prefix="aws-",
            )
            pull_seconds = time.perf_counter() - started

            say(f"live read {accounts}: drift")
            live = LiveSession(region=region)
            started = time.perf_counter()
            report = drift(
                live,
                plan,
                region=region,
                role_name="OrganizationAccountAccessRole",
                group_prefix="aws-",
                with_boundary=False,  # moto 5.2.5 lacks GetPermissionsBoundaryForPermissionSet
            )
            drift_seconds = time.perf_counter() - started
    finally:
        server.stop()
    return {
        "accounts": accounts,
        "seed_seconds": seed_seconds,
        "pull": {"seconds": pull_seconds, "calls": pulled.calls, "minimum_calls": pulled.minimum_calls},
        "drift": {
            "seconds": drift_seconds,
            "plan_seconds": plan_seconds,
            "calls": report.calls,
            "minimum_calls": report.minimum_calls,
            "assignments": sum(1 for f in report.findings if f.kind == "planned-present"),
            "drift_findings": len(report.drift),
        },
    }


def render(results: list[dict[str, Any]]) -> str:
    lines = [
        "| accounts | pull s | pull calls | pull minimum | drift s | drift calls | drift "
        "minimum | assignments |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['accounts']} | {r['pull']['seconds']:.2f} | {r['pull']['calls']} | "
            f"{r['pull']['minimum_calls']} "
            f"| {r['drift']['seconds']:.2f} | {r['drift']['calls']} | {r['drift']['minimum_calls']} "
            f"| {r['drift']['assignments']} |"
        )
    return "\n".join(lines)


def run(sizes: list[int], workdir: Path, say: Callable[[str], None]) -> list[dict[str, Any]]:
    return [measure(size, workdir, say) for size in sizes if size in SIZES]
