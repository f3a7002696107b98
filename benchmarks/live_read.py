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
# What no AWS read gives (docs/live-read.md, "Write what AWS cannot give"): written by hand, kept by pulls.
OKTA_FACTS = {
    "okta": {
        "appUserSchema": {
            "base": ["userName", "givenName", "familyName", "email", "displayName"],
            "custom": {},
        },
        "userSchema": {"custom": {}},
    },
    "oktaProfileAttributes": [],
}


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
    from moto.server import ThreadedMotoServer

    # The server as the live tests patch it: Identity Center delegable, DescribeOrganizationsAccess answered.
    import tests.frontdoor.live.conftest  # noqa: F401
    from benchmarks.live_calls import minimum_adopt_calls, minimum_doctor_calls
    from frontdoor.commands.adopt import adopt_stack
    from frontdoor.commands.doctor import examine
    from frontdoor.commands.estate import PullOptions, pull
    from frontdoor.commands.live_common import check_management_account
    from frontdoor.domain.config.files import read_stack_file
    from frontdoor.domain.config.parse import parse_stack_config
    from frontdoor.live.access import drift
    from frontdoor.live.adoption import read_scps
    from frontdoor.live.aws import LiveSession
    from frontdoor.live.identity_center import SSO_PRINCIPAL, identity_center_session, read_identity_center
    from frontdoor.live.organization import read_organization
    from frontdoor.offline.estate import load_estate
    from frontdoor.offline.plan import plan_from_preview
    from frontdoor.offline.preview import resolve_inputs, run_preview
    from tests.frontdoor.live.seed import TRUST_ANY_IN_ACCOUNT, credentials_for, seed_organization, seed_plan

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
            say(f"live read {accounts}: seeding the local server, pulling its estate, the plan")
            started = time.perf_counter()
            seeded = seed_organization(
                estate, identity_center_account=config.organization.identity_center_account_id
            )
            # What the stack's providers and exemptions need before any run (docs/first-run.md step 0).
            iam = seeded.management.client("iam")
            management = estate.organization.management_account.id
            iam.create_role(
                RoleName=config.organization.deployer_role_name,
                AssumeRolePolicyDocument=TRUST_ANY_IN_ACCOUNT % management,
            )
            for user in config.guardrails.break_glass_user_names:
                iam.create_user(UserName=user, Path=config.guardrails.break_glass_path)
            os.environ.update(credentials_for(management))
            region = config.organization.region
            # The generated estate holds the organization alone; the plan is made against the estate
            # pulled from the server (every fact a pull reads), with the Okta blocks a user writes.
            estate_path = directory / f"estate.{stack}.pulled.yaml"
            pulled = pull(
                LiveSession(region=region),
                stack=stack,
                region=region,
                role_name="OrganizationAccountAccessRole",
                group_prefix="aws-",
                options=PullOptions(config=config, fresh_stack=True, existing=OKTA_FACTS),
            )
            estate_path.write_text(pulled.text)
            seed_seconds = time.perf_counter() - started
            started = time.perf_counter()
            result = run_preview(
                resolve_inputs(stack, config_file=config_path, estate=estate_path), evaluate_policies=False
            )
            plan = plan_from_preview(result)
            plan_seconds = time.perf_counter() - started
            started = time.perf_counter()
            seed_plan(seeded, result)
            seed_seconds += time.perf_counter() - started

            say(f"live read {accounts}: estate pull")
            live = LiveSession(region=region)
            started = time.perf_counter()
            check_management_account(live, config, config_path, say)
            pulled = pull(
                live,
                stack=stack,
                region=region,
                role_name="OrganizationAccountAccessRole",
                group_prefix="aws-",
                options=PullOptions(config=config, fresh_stack=True),
            )
            pull_seconds = time.perf_counter() - started

            say(f"live read {accounts}: doctor")
            live = LiveSession(region=region)
            started = time.perf_counter()
            check_management_account(live, config, config_path, say)
            examine(
                live,
                config,
                source=str(config_path),
                region=region,
                role_name="OrganizationAccountAccessRole",
            )
            doctor_seconds = time.perf_counter() - started
            doctor_calls = live.call_count
            facts = LiveSession(region=region)
            organization = read_organization(facts, scp_names=frozenset())  # counts every SCP
            admin = organization.delegated_admin_for(SSO_PRINCIPAL)
            center_live = identity_center_session(
                facts, admin, organization.management_account_id, "OrganizationAccountAccessRole"
            )
            center = read_identity_center(center_live, with_access=True, with_boundary=False)
            assert center is not None
            roles = [config.organization.deployer_role_name]
            if config.delivery is not None:
                roles.append(config.delivery.preview_role_name)
            doctor_minimum = minimum_doctor_calls(
                organization,
                center,
                permission_sets=len(center.permission_sets),
                roles=len(set(roles)),
                machines=config.machines is not None,
                center_assumed=center_live is not facts,
            )

            say(f"live read {accounts}: drift")
            live = LiveSession(region=region)
            started = time.perf_counter()
            check_management_account(live, config, config_path, say)
            report = drift(
                live,
                plan,
                region=region,
                role_name="OrganizationAccountAccessRole",
                group_prefix="aws-",
                with_boundary=False,  # moto 5.2.5 lacks GetPermissionsBoundaryForPermissionSet
            )
            drift_seconds = time.perf_counter() - started

            say(f"live read {accounts}: adopt")
            live = LiveSession(region=region)
            started = time.perf_counter()
            check_management_account(live, config, config_path, say)
            with _plan_reused(result):
                adopt_stack(
                    live,
                    stack,
                    config_file=config_path,
                    estate=estate_path,
                    role_name="OrganizationAccountAccessRole",
                    region=region,
                    group_prefix="aws-",
                    teams=sorted(config.teams),
                    with_boundary=False,  # moto 5.2.5 lacks GetPermissionsBoundaryForPermissionSet
                    with_abac=False,  # and DescribeInstanceAccessControlAttributeConfiguration
                    say=lambda _message: None,
                )
            adopt_seconds = time.perf_counter() - started
            adopt_calls = live.call_count
            adopt_by_operation = dict(live.calls)
            scps = read_scps(facts)
            adopt_minimum = minimum_adopt_calls(
                organization,
                center,
                scp_targets=[len(scp.targets) for scp in scps.values()],
                oidc_providers={},  # the bench stack has no delivery section: no OIDC provider planned
                with_boundary=False,
                with_abac=False,
                center_assumed=center_live is not facts,
            )
    finally:
        server.stop()
    return {
        "accounts": accounts,
        "seed_seconds": seed_seconds,
        "pull": {"seconds": pull_seconds, "calls": pulled.calls, "minimum_calls": pulled.minimum_calls},
        "doctor": {"seconds": doctor_seconds, "calls": doctor_calls, "minimum_calls": doctor_minimum},
        "adopt": {
            "seconds": adopt_seconds,
            "calls": adopt_calls,
            "minimum_calls": adopt_minimum,
            "calls_by_operation": adopt_by_operation,
        },
        "drift": {
            "seconds": drift_seconds,
            "plan_seconds": plan_seconds,
            "calls": report.calls,
            "minimum_calls": report.minimum_calls,
            "assignments": sum(1 for f in report.findings if f.kind == "planned-present"),
            "drift_findings": len(report.drift),
        },
    }


@contextlib.contextmanager
def _plan_reused(result: Any) -> Iterator[None]:
    """adopt plans with the run already made for drift (the same inputs give the same run): the bench
    measures its calls, not a second run of the program."""
    from frontdoor.offline import preview as offline_preview

    original = offline_preview.run_preview
    offline_preview.run_preview = lambda *_args, **_kwargs: result  # type: ignore[assignment]
    try:
        yield
    finally:
        offline_preview.run_preview = original


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
