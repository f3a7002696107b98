"""`python -m benchmarks.run [--sizes 140,500,1000,2000] [--repeat N] [--out FILE]` (`make bench`).

For each size a synthetic stack and estate are generated (benchmarks/generate.py) into a temporary
directory, then four measurements run, each in a fresh Python process so that its peak RSS is its own
(benchmarks/phases.py):

- program: what the offline preview does before the policy pack: load the stack config and the
  estate, `prevalidate`, then `run_program` (the real `__main__.py` under the SDK's mocks: fan-out,
  components, registration). The first run also saves the recorded resources for the others.
- floor: the same registrations (types, names, inputs, parents, providers, options, dependencies)
  replayed with the generic Pulumi SDK classes through the same engine (benchmarks/floor.py).
- floor_frozen: the floor with the garbage-collector tuning our program applies at its start
  (frontdoor.program.tune_garbage_collection), for a like-for-like ratio.
- policy: `frontdoor.offline.analyzer` over the recorded resources through the Analyzer gRPC protocol with
  the packs `frontdoor preview` starts before the program: the evaluation it then waits for, and the
  pack start (overlapped with the program there) beside it.

Then the whole `frontdoor preview` of the repo's stacks from process start beside its floor, and every
provider SDK's import (benchmarks/preview.py), the gate, live reads, posture, the estate load and
people, unless `--skip` names them.

Times are the minimum over `--repeat` runs (the machine is noisy; the minimum is the least
disturbed), peak RSS the maximum; a ratio is the median over the repeats of the ratio of two
measurements taken one after the other (they share the machine's drift). Results: one JSON document
(`benchmarks/results/<UTC time>.json` unless --out) and the table between the bench markers of
benchmarks/README.md. Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks import estate_load, gate, generate, live_read, posture
from benchmarks import people as people_bench
from benchmarks import preview as preview_bench
from benchmarks.phases import CHILDREN

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"
START_MARK = "<!-- bench:start -->"
END_MARK = "<!-- bench:end -->"
PHASES = ("program", "floor", "policy")  # the phases whose per-resource growth is reported
TARGETS = {"program_over_floor": 1.1, "policy_over_floor": 0.25, "per_resource_growth": 1.5}
# What `--skip` can leave out (the sizes' program / floor / policy always run).
SECTIONS = ("preview", "live_read", "posture", "estate_load", "people")


# ---- the driver --------------------------------------------------------------------------------------
def _measure(kind: str, stack: str, files: Mapping[str, Path], records: Path) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        command = [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--child",
            kind,
            "--stack",
            stack,
            "--config",
            str(files["config"]),
            "--estate",
            str(files["estate"]),
            "--records",
            str(records),
            "--child-out",
            out.name,
        ]
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"{kind} measurement of {stack} failed:\n{completed.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(Path(out.name).read_text())
        result["process_seconds"] = time.perf_counter() - started
        return result


def _best(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per key: the minimum of times, the maximum of RSS, the value itself for everything else."""
    best: dict[str, Any] = {}
    for key in runs[0]:
        values = [run[key] for run in runs]
        if key.endswith("seconds"):
            best[key] = min(values)
        elif key.endswith("_kb"):
            best[key] = max(values)
        else:
            best[key] = values[0]
    return best


def measure_size(size: int, seed: int, repeat: int, workdir: Path, say: Any) -> dict[str, Any]:
    generated = generate.generate(size, seed)
    config_file, estate_file = generate.write(generated, workdir)
    files = {"config": config_file, "estate": estate_file}
    records = workdir / f"records.{generated.stack}.pickle"
    records.unlink(missing_ok=True)  # the first program run records afresh
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in CHILDREN}
    for index in range(repeat):
        for kind in runs:
            say(f"{size} accounts: {kind} ({index + 1}/{repeat})")
            runs[kind].append(_measure(kind, generated.stack, files, records))
    best = {kind: _best(results) for kind, results in runs.items()}

    def paired(numerator: str, denominator: str, key: str = "seconds") -> float:
        # Ratios of measurements taken one after the other, then their median: the machine's speed
        # drifts over minutes, and a pair taken together shares the drift.
        pairs = zip(runs[numerator], runs[denominator], strict=True)
        ratios: list[float] = [n[key] / d[key] for n, d in pairs]
        return statistics.median(ratios)

    program, floor, policy = best["program"], best["floor"], best["policy"]
    return {
        "accounts": size,
        "teams": len(generated.config["config"]["frontdoor:teams"]),
        "resources": program["resources"],
        "planned_assignments": program["planned_assignments"],
        "assignment_resources": program["assignment_resources"],
        "resources_per_assignment": program["resources"] / max(1, program["planned_assignments"]),
        "program": program,
        "floor": floor,
        "policy": policy,
        "floor_frozen": best["floor_frozen"],
        "program_over_floor": paired("program", "floor"),
        # CPU time (all threads) of the same pairs: what another process on the cores inflates far less.
        "program_over_floor_cpu": paired("program", "floor", "cpu_seconds"),
        "program_over_frozen_floor": paired("program", "floor_frozen"),
        "policy_over_floor": paired("policy", "floor"),
        "runs": runs,
    }


def per_resource_growth(sizes: list[dict[str, Any]]) -> None:
    """Each phase's seconds per resource relative to the smallest size (140 accounts by default)."""
    base = min(sizes, key=lambda s: s["accounts"])
    for entry in sizes:
        per_resource = {phase: entry[phase]["seconds"] / entry["resources"] for phase in PHASES}
        entry["per_resource_vs_smallest"] = {
            phase: per / (base[phase]["seconds"] / base["resources"]) for phase, per in per_resource.items()
        }
        entry["per_resource_ms"] = {phase: 1000 * per for phase, per in per_resource.items()}


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f}"


def _mark(value: float, target: float) -> str:
    return f"{value:.2f}" + ("" if value <= target else " ✗")


def render_table(document: Mapping[str, Any]) -> str:
    sizes: list[dict[str, Any]] = document["sizes"]
    base = min(s["accounts"] for s in sizes)
    lines = [
        f"Measured {document['finished']} on {document['machine']['cpus']} CPUs "
        f"({document['machine']['platform']}, Python {document['machine']['python']}), "
        f"seed {document['seed']}, {document['repeat']} runs each (times: the best; ratios: the median of "
        "ratios of runs taken together). ✗ marks a missed target.",
        "",
        "| accounts | teams | resources | assignments (planned) | resources / assignment "
        "| program s | floor s | policy s (+ pack start, overlapped) | program / floor (≤ 1.1): wall · CPU "
        "| program / frozen floor (like for like) "
        "| policy / floor (≤ 0.25) | per-resource vs " + str(base) + ": program · floor · policy (≤ 1.5) "
        "| peak RSS MB: program · floor · policy client · pack |",
        "|" + "---:|" * 13,
    ]
    for s in sizes:
        growth = s["per_resource_vs_smallest"]
        p, f, q = s["program"], s["floor"], s["policy"]
        lines.append(
            f"| {s['accounts']:,} | {s['teams']} | {s['resources']:,} | {s['planned_assignments']:,} "
            f"| {s['resources_per_assignment']:.3f} | {p['seconds']:.2f} | {f['seconds']:.2f} "
            f"| {q['seconds']:.2f} (+ {q['startup_seconds']:.2f}) "
            f"| {_mark(s['program_over_floor'], TARGETS['program_over_floor'])} "
            f"· {_mark(s['program_over_floor_cpu'], TARGETS['program_over_floor'])} "
            f"| {s['program_over_frozen_floor']:.2f} "
            f"| {_mark(s['policy_over_floor'], TARGETS['policy_over_floor'])} "
            f"| {_mark(growth['program'], 1.5)} · {_mark(growth['floor'], 1.5)} "
            f"· {_mark(growth['policy'], 1.5)} "
            f"| {_mb(p['peak_rss_kb'])} · {_mb(f['peak_rss_kb'])} · {_mb(q['client_peak_rss_kb'])} "
            f"· {_mb(q['server_peak_rss_kb'])} |"
        )
    lines += [
        "",
        "Program phase breakdown (s): load config + estate · prevalidate · run_program; "
        "policy: pack start (overlapped with the program in preview) · the whole evaluation "
        "(GetAnalyzerInfo, Configure, Analyze per resource, AnalyzeStack on the first pack alongside) "
        "· AnalyzeStack timed alone.",
        "",
        "| accounts | load | prevalidate | run_program | program CPU s · floor CPU s | RSS after imports MB "
        "| modules imported while timed | pack start | evaluation | AnalyzeStack alone |",
        "|" + "---:|" * 10,
    ]
    for s in sizes:
        p, f, q = s["program"], s["floor"], s["policy"]
        lines.append(
            f"| {s['accounts']:,} | {p['load_seconds']:.2f} | {p['validate_seconds']:.2f} "
            f"| {p['run_program_seconds']:.2f} | {p['cpu_seconds']:.2f} · {f['cpu_seconds']:.2f} "
            f"| {_mb(p['baseline_rss_kb'])} | {len(p['imported_while_timed'])} | {q['startup_seconds']:.2f} "
            f"| {q['seconds']:.2f} | {q['analyze_stack_seconds']:.2f} |"
        )
    return "\n".join(lines)


def update_readme(table: str, readme: Path = README) -> None:
    """Replace the text between the bench markers (append the markers if they are missing)."""
    text = readme.read_text() if readme.exists() else ""
    block = f"{START_MARK}\n{table}\n{END_MARK}"
    if START_MARK in text and END_MARK in text:
        head, rest = text.split(START_MARK, 1)
        tail = rest.split(END_MARK, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    readme.write_text(text)


def _machine() -> dict[str, Any]:
    import pulumi

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "pulumi": getattr(pulumi, "__version__", "?"),
    }


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="frontdoor scale benchmarks (see benchmarks/README.md)")
    parser.add_argument("--sizes", default=",".join(map(str, generate.SIZES)), help="account counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (times: the best)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="JSON result file (default benchmarks/results/<time>.json)")
    parser.add_argument("--workdir", type=Path, help="where generated stacks go (default: a temp dir)")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite benchmarks/README.md")
    parser.add_argument(
        "--skip", default="", help=f"sections to leave out, comma-separated: {', '.join(SECTIONS)}"
    )
    parser.add_argument(
        "--gate-sizes",
        default=",".join(map(str, gate.SIZES)),
        help="preview steps for the gate (empty: skip)",
    )
    # Internal: one measurement in this (fresh) process.
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stack", help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--estate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--records", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = CHILDREN[args.child](args)
        args.child_out.write_text(json.dumps(result))
        return 0

    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    skip = {name for name in args.skip.split(",") if name}
    unknown = skip - set(SECTIONS)
    if unknown:
        parser.error(f"--skip: unknown sections {sorted(unknown)}; known: {', '.join(SECTIONS)}")
    repeat = max(1, args.repeat)
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    with tempfile.TemporaryDirectory(prefix="frontdoor-bench-") as temp:
        workdir = args.workdir or Path(temp)
        results = [measure_size(size, args.seed, repeat, workdir, say) for size in sizes]
        live_results = None if "live_read" in skip else live_read.run(sizes, workdir, say)
        posture_results = None if "posture" in skip else posture.run(sizes, repeat, say)
    per_resource_growth(results)
    preview_results = None if "preview" in skip else preview_bench.run(repeat, say)
    gate_sizes = [int(size) for size in args.gate_sizes.split(",") if size]
    gate_results = gate.measure(gate_sizes, gate.MEMORY_SIZE, repeat, say) if gate_sizes else None
    # The strict YAML loader's price at the largest size, against PyYAML's safe_load (estate_load.py).
    estate_results = None if "estate_load" in skip else estate_load.measure(max(sizes), max(3, repeat), say)
    people_result = None
    if "people" not in skip:
        say("people: 10,000 HR records against the demo's group rules")
        people_result = people_bench.measure(repeat)
    finished = datetime.datetime.now(datetime.UTC)
    document = {
        "finished": finished.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git_commit(),
        "machine": _machine(),
        "seed": args.seed,
        "repeat": repeat,
        "load_average": os.getloadavg(),
        "targets": TARGETS,
        "total_seconds": time.perf_counter() - started,
        "sizes": results,
        "preview": preview_results,
        "gate": gate_results,
        "live_read": live_results,
        "posture": posture_results,
        "estate_load": estate_results,
        "people": people_result,
    }
    out = args.out or RESULTS_DIR / f"{finished.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2) + "\n")
    table = render_table(document)
    preview_table = (
        None if preview_results is None else preview_bench.render(preview_results, document["finished"])
    )
    if not args.no_readme:
        update_readme(table)
        if preview_table is not None:
            preview_bench.update_readme(preview_table, README)
        if posture_results is not None:
            posture.update_readme(posture_results, document["finished"], README)
    print(table)
    if preview_table is not None:
        print("\nThe whole preview from process start (benchmarks/preview.py):\n" + preview_table)
    if gate_results is not None:
        print("\nThe replacement gate (benchmarks/gate.py):\n" + gate.render_table(gate_results))
    if live_results is not None:
        print(live_read.render(live_results))
    if posture_results is not None:
        print(posture.render(posture_results))
    if estate_results is not None:
        print(
            "\nThe strict estate load (benchmarks/estate_load.py):\n"
            + estate_load.render_table(estate_results)
        )
    if people_result is not None:
        print(people_bench.render(people_result))
    say(f"results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
