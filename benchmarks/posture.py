"""`frontdoor posture` against the local AWS API server at 140 and 2,000 accounts (`make bench`).

For each size a moto server on 127.0.0.1 (in this process) is seeded with the organization and the
planted IAM users of benchmarks/seed_org.py (not timed). Then two measurements, each in a fresh
Python process so that its peak RSS is its own (the server's memory stays in this process):

- posture: `frontdoor.live.posture.scan` (the command's read: audit role per account, credential
  report generated and read, parsed and classified, 8 accounts at a time) and the migration list
  rendered as markdown. API calls are the LiveSession's own count.
- floor: the same API calls the scan has to make, with plain boto3 and the same 8 worker threads:
  DescribeOrganization, ListAccounts, AssumeRole per member account, GenerateCredentialReport until
  COMPLETE, GetCredentialReport; the reports are fetched and dropped, nothing is parsed, counted or
  translated. posture / floor is what our layer costs over the calls themselves.

Every account's credential report is forgotten by the server before each measurement, so both
generate every report (GenerateCredentialReport answers STARTED, then COMPLETE). Both poll without
sleeping (the command waits 0.5 s before its second GenerateCredentialReport, then backs off: against
AWS the wait is the report's generation, not ours, and it would be most of a local run). Times are
the best of `repeat` runs, RSS the worst, posture / floor the median of the ratios of a posture run
and the floor run taken right after it. The server is local, so times show our overhead and
concurrency, not AWS latency; the call counts carry over to AWS, except ListAccounts pages (moto
answers up to 100 accounts a page, AWS up to 20).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

SIZES = (140, 2000)
LARGE = 1000  # from this size on, `make bench` runs each measurement once
WORKERS = 8  # the command's default --concurrency (and frontdoor.live.aws.MAX_CONCURRENCY)
REPO_ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


def _peak_rss_kb() -> int:
    """VmHWM (peak resident set) of this process in kB; ru_maxrss where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


# ---- inside a measurement process ----------------------------------------------------------------
def child_posture() -> dict[str, Any]:
    # Imported in the measuring process, not by whoever imports this module.
    import datetime as dt

    from benchmarks.seed_org import BREAK_GLASS_NAMES, BREAK_GLASS_PATH
    from frontdoor.live.aws import LiveSession
    from frontdoor.live.posture import render, scan

    live = LiveSession(region=REGION)
    # Service models loaded before the clock, as in the floor.
    live.client("sts")
    live.client("organizations")
    started, cpu = time.perf_counter(), time.process_time()
    result = scan(
        live,
        break_glass_names=BREAK_GLASS_NAMES,
        break_glass_path=BREAK_GLASS_PATH,
        concurrency=WORKERS,
        poll_seconds=0.0,
    )
    text = render(result, "md", dt.datetime.now(dt.UTC))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "calls": result.api_calls,
        "calls_by_operation": dict(sorted(live.calls.items())),
        "accounts": len(result.accounts),
        "failures": len(result.failures),
        "findings": len(result.findings),
        "violations": len(result.violations),
        "output_bytes": len(text.encode()),
        "peak_rss_kb": _peak_rss_kb(),
    }


def child_floor() -> dict[str, Any]:
    from concurrent.futures import ThreadPoolExecutor

    import boto3
    import botocore.config

    session = boto3.Session(region_name=REGION)
    config = botocore.config.Config(max_pool_connections=WORKERS * 2)
    sts = session.client("sts", config=config)
    organizations = session.client("organizations", config=config)
    started, cpu = time.perf_counter(), time.process_time()
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]
    pages = list(organizations.get_paginator("list_accounts").paginate())
    accounts = [a["Id"] for page in pages for a in page["Accounts"] if a.get("Status") == "ACTIVE"]

    def report(account_id: str) -> int:
        calls = 0
        if account_id == management:
            iam = session.client("iam", config=config)
        else:
            credentials = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
                RoleSessionName="floor",
            )["Credentials"]
            calls += 1
            iam = session.client(
                "iam",
                config=config,
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
        while True:
            calls += 1
            if iam.generate_credential_report()["State"] == "COMPLETE":
                break
        iam.get_credential_report()["Content"]
        return calls + 1

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        calls = 1 + len(pages) + sum(pool.map(report, accounts))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "calls": calls,
        "accounts": len(accounts),
        "peak_rss_kb": _peak_rss_kb(),
    }


CHILDREN: Mapping[str, Callable[[], dict[str, Any]]] = {"posture": child_posture, "floor": child_floor}


# ---- the driver ----------------------------------------------------------------------------------
def _run_child(kind: str, endpoint: str) -> dict[str, Any]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    environment.update(LOCAL_CREDENTIALS, AWS_ENDPOINT_URL=endpoint)
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        command = [sys.executable, "-m", "benchmarks.posture", "--child", kind, "--child-out", out.name]
        done = subprocess.run(
            command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"posture bench child {kind} failed:\n{done.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(Path(out.name).read_text())
    return result


def _forget_reports(account_ids: Iterator[str] | list[str]) -> None:
    """Drop every account's credential report in the (in-process) server: the next read generates it."""
    from moto.iam.models import iam_backends

    for account_id in account_ids:
        for backend in iam_backends[account_id].values():
            backend.credential_report = None


def measure(accounts: int, repeat: int, say: Callable[[str], None]) -> dict[str, Any]:
    # Imported in the measuring process, not by whoever imports this module.
    import logging

    from moto.server import ThreadedMotoServer

    from benchmarks.live_read import _environment
    from benchmarks.seed_org import PLANTED, plant_users, seed_organization

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request on stderr
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto's state lives in this process, not in the server: clear what an earlier size (or
    # live_read, or a test) left, as tests/frontdoor/live/conftest.py does before each test.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).read()
    runs: list[dict[str, dict[str, Any]]] = []
    try:
        with _environment(endpoint):
            say(f"posture {accounts}: seeding the local server")
            started = time.perf_counter()
            org = seed_organization(accounts)
            plant_users(org, tuple(p for p in PLANTED if p[0].account in org.accounts))
            seed_seconds = time.perf_counter() - started
        for attempt in range(repeat):
            pair: dict[str, dict[str, Any]] = {}
            for kind in ("posture", "floor"):
                say(f"posture {accounts}: {kind} (run {attempt + 1} of {repeat})")
                _forget_reports(list(org.accounts.values()))
                pair[kind] = _run_child(kind, endpoint)
            runs.append(pair)
    finally:
        server.stop()
    posture = min((r["posture"] for r in runs), key=lambda r: r["seconds"])
    floor = min((r["floor"] for r in runs), key=lambda r: r["seconds"])
    posture["cpu_seconds"] = min(r["posture"]["cpu_seconds"] for r in runs)
    floor["cpu_seconds"] = min(r["floor"]["cpu_seconds"] for r in runs)
    return {
        "accounts": accounts,
        "seed_seconds": seed_seconds,
        "posture": {**posture, "peak_rss_kb": max(r["posture"]["peak_rss_kb"] for r in runs)},
        "floor": {**floor, "peak_rss_kb": max(r["floor"]["peak_rss_kb"] for r in runs)},
        "repeat": repeat,
        "time_over_floor": statistics.median(r["posture"]["seconds"] / r["floor"]["seconds"] for r in runs),
        "cpu_over_floor": statistics.median(
            r["posture"]["cpu_seconds"] / r["floor"]["cpu_seconds"] for r in runs
        ),
        "calls_over_floor": posture["calls"] / floor["calls"],
        "rss_over_floor": max(r["posture"]["peak_rss_kb"] for r in runs)
        / max(r["floor"]["peak_rss_kb"] for r in runs),
        "runs": runs,
    }


def render(results: list[dict[str, Any]]) -> str:
    lines = [
        "| accounts | runs | posture s | floor s | posture / floor | client CPU s: posture · floor "
        "| CPU / floor | API calls: posture · floor | calls / floor | peak RSS MB: posture · floor "
        "| RSS / floor | findings (violations) |",
        "|" + "---:|" * 12,
    ]
    for r in results:
        p, f = r["posture"], r["floor"]
        lines.append(
            f"| {r['accounts']:,} | {r['repeat']} | {p['seconds']:.2f} | {f['seconds']:.2f} "
            f"| {r['time_over_floor']:.2f} | {p['cpu_seconds']:.2f} · {f['cpu_seconds']:.2f} "
            f"| {r['cpu_over_floor']:.2f} "
            f"| {p['calls']:,} · {f['calls']:,} | {r['calls_over_floor']:.2f} "
            f"| {p['peak_rss_kb'] / 1024:.0f} · {f['peak_rss_kb'] / 1024:.0f} | {r['rss_over_floor']:.2f} "
            f"| {p['findings']} ({p['violations']}) |"
        )
    return "\n".join(lines)


START_MARK = "<!-- posture-bench:start -->"
END_MARK = "<!-- posture-bench:end -->"


def update_readme(results: list[dict[str, Any]], finished: str, readme: Path) -> None:
    """Replace the table between the posture-bench markers of benchmarks/README.md (if it has them)."""
    text = readme.read_text()
    if not results or START_MARK not in text or END_MARK not in text:
        return
    head, rest = text.split(START_MARK, 1)
    tail = rest.split(END_MARK, 1)[1]
    block = f"{START_MARK}\nMeasured {finished} on {os.cpu_count()} CPUs.\n\n{render(results)}\n{END_MARK}"
    readme.write_text(head + block + tail)


def run(sizes: list[int], repeat: int, say: Callable[[str], None]) -> list[dict[str, Any]]:
    """`make bench`: the sizes of SIZES among `sizes`; one run at 2,000 accounts (a scan there takes
    minutes against the single-process local server, which is what it mostly measures)."""
    return [measure(size, repeat if size < LARGE else 1, say) for size in sizes if size in SIZES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="frontdoor posture against the local AWS API server")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="account counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--readme", action="store_true", help="rewrite the table in benchmarks/README.md")
    parser.add_argument("--out", type=Path, help="write the results (JSON) to this file")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.child_out.write_text(json.dumps(CHILDREN[args.child]()))
        return 0
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    sizes = [int(size) for size in args.sizes.split(",")]
    results = [measure(size, max(1, args.repeat) if size < LARGE else 1, say) for size in sizes]
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    if args.readme:
        finished = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        update_readme(results, finished, REPO_ROOT / "benchmarks" / "README.md")
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
