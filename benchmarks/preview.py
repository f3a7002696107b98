"""The whole `frontdoor preview` of the repo's stacks from process start, beside its floor, and the
import cost of every provider SDK (`python -m benchmarks.preview [--repeat N]`; `make bench` runs it).

Why: a preview is what people run most, and its fixed costs (interpreter start, imports) are what
`benchmarks.run`'s program / floor, timed after the imports, cannot see. One SDK import (pulumi_datadog,
seconds and ~190 MB) doubled the demo preview before the monitors got their own stack.

Each measurement is a fresh process started with `subprocess.Popen` and reaped with `os.wait4`, which
returns that process tree's own rusage: wall (start to reap, interpreter start and every import
included), CPU (user + system of the process and its reaped children, the policy packs included) and
peak RSS (`ru_maxrss`: the largest process of the tree, as `/usr/bin/time -v` reports it).

- preview: `python -m frontdoor preview --stack <stack> --quiet --json`, for demo (the identity stack),
  monitoring and breakglass.
- floor: a fresh interpreter that imports `pulumi` and the provider SDKs whose types the stack
  registers (nothing else of ours but the engine), starts the policy packs as the preview does, replays
  the preview's recorded registrations with the generic SDK classes through the same engine
  (benchmarks/floor.py) and has the packs evaluate them with the same pack config: what any program
  registering these resources under this engine and pack must pay. No config parsing, plan,
  components or typed classes.
- SDKs: each provider SDK imported in a fresh interpreter (after `pulumi`, so the shared base is not
  charged to each; `pulumi` and `grpc` from a bare interpreter): seconds and RSS added, median of the
  runs, and whether the demo, monitoring and breakglass previews import it (their `sys.modules` after an
  in-process preview).

Ratios are medians of the ratios of a preview and the floor run right after it (the machine is shared:
a pair shares its load), in wall time and in CPU time, which the load inflates far less. The load
average is recorded with every run.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
START_MARK = "<!-- preview-bench:start -->"
END_MARK = "<!-- preview-bench:end -->"
STACKS = ("demo", "monitoring", "breakglass")
IDENTITY_STACK = "demo"
TARGETS = {"demo_wall_seconds": 8.0, "demo_peak_rss_mb": 250.0}
SDKS = ("pulumi", "grpc", "pulumi_aws", "pulumi_okta", "pulumi_vault", "pulumi_datadog", "pulumi_policy")
# The SDK a registered type token's package comes from ("aws:ssoadmin/...", "pulumi:providers:aws").
PROVIDER_SDKS = {
    "aws": "pulumi_aws",
    "okta": "pulumi_okta",
    "vault": "pulumi_vault",
    "datadog": "pulumi_datadog",
}

# Records the stack's preview in this process (as `frontdoor preview` runs it, packs included), then
# writes its registrations, its pack config and the SDKs it imported.
RECORD_CHILD = """
import pickle, sys
from frontdoor.domain.config.files import provider_settings, read_stack_file
from frontdoor.offline.preview import policy_config_for, resolve_inputs, run_preview
inputs = resolve_inputs(sys.argv[1])
result = run_preview(inputs)
sdks = sorted(name for name in {sdks!r} if name in sys.modules)
config = policy_config_for(inputs, read_stack_file(inputs.config_file))
settings = provider_settings(inputs.config_file)
with open(sys.argv[2], "wb") as stream:
    recorded = {{"records": result.run.resources, "config": config, "settings": settings, "sdks": sdks}}
    pickle.dump(recorded, stream)
"""

# The floor (module docstring): imports, packs started, replay, evaluation.
FLOOR_CHILD = """
import contextlib, importlib, pickle, sys
from pathlib import Path
import pulumi
for name in sys.argv[2].split(","):
    if name:
        importlib.import_module(name)
from benchmarks import floor
from frontdoor.offline import analyzer
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import load_estate
with open(sys.argv[1], "rb") as stream:
    recorded = pickle.load(stream)
floor.RECORDS[:] = recorded["records"]
with contextlib.ExitStack() as stack:
    packs = analyzer.start_packs(stack, analyzer.preview_shards())
    estate = load_estate(Path(sys.argv[4]))
    # The stack's config, for the engine's API rules (the floor program reads none of it).
    run = run_program(floor.PROGRAM_DIR, stack=sys.argv[3], config=recorded["settings"], estate=estate)
    if {{r.urn for r in run.resources}} != {{r.urn for r in recorded["records"]}}:
        raise SystemExit("the floor's replay registered other URNs than the preview")
    analyzer.analyze(recorded["records"], config=recorded["config"], packs=packs)
"""

# One SDK's import in a fresh interpreter: seconds and VmRSS added, after the modules of argv[1].
SDK_CHILD = """
import importlib, json, sys, time
def kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
for name in filter(None, sys.argv[1].split(",")):
    importlib.import_module(name)
before = kb("VmRSS")
started, cpu = time.perf_counter(), time.process_time()
importlib.import_module(sys.argv[2])
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
rss_kb, peak_kb = kb("VmRSS") - before, kb("VmHWM")
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "rss_kb": rss_kb, "peak_kb": peak_kb}))
"""


def measure_process(command: Sequence[str]) -> dict[str, float]:
    """Wall, CPU and peak RSS of one process tree, from its start to its reaping."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr is not None else ""
    if process.stderr is not None:
        process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{stderr[-4000:]}")
    return {
        "wall_seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_kb": float(usage.ru_maxrss),
        "load1": load,
    }


def stack_sdks(types: Sequence[str]) -> list[str]:
    """The provider SDKs whose types a stack registers (components and the Stack excepted)."""
    packages = set()
    for token in types:
        package = token.removeprefix("pulumi:providers:").split(":", 1)[0]
        if package in PROVIDER_SDKS:
            packages.add(PROVIDER_SDKS[package])
    return sorted(packages)


def record(stack: str, workdir: Path) -> tuple[Path, list[str], list[str]]:
    """The stack's recorded preview (a pickle), the types it registered, the SDKs it imported."""
    path = workdir / f"preview.{stack}.pickle"
    subprocess.run(
        [sys.executable, "-c", RECORD_CHILD.format(sdks=SDKS), stack, str(path)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    with path.open("rb") as stream:
        recorded: dict[str, Any] = pickle.load(stream)
    return path, [r.type for r in recorded["records"]], recorded["sdks"]


def _preview_command(stack: str) -> list[str]:
    return [sys.executable, "-m", "frontdoor", "preview", "--stack", stack, "--quiet", "--json"]


def _floor_command(stack: str, records: Path, sdks: Sequence[str]) -> list[str]:
    estate = REPO_ROOT / "stacks" / f"estate.{stack}.yaml"
    return [sys.executable, "-c", FLOOR_CHILD.format(), str(records), ",".join(sdks), stack, str(estate)]


def _summary(runs: Sequence[Mapping[str, float]]) -> dict[str, float]:
    return {
        "wall_seconds": statistics.median(r["wall_seconds"] for r in runs),
        "wall_seconds_min": min(r["wall_seconds"] for r in runs),
        "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
        "peak_rss_kb": max(r["peak_rss_kb"] for r in runs),
        "load1": statistics.median(r["load1"] for r in runs),
    }


def measure_stack(stack: str, repeat: int, workdir: Path, say: Any) -> dict[str, Any]:
    records, types, imported = record(stack, workdir)
    # The floor imports the SDKs of the registered types, never what the preview happened to import.
    needed = stack_sdks(types)
    previews: list[dict[str, float]] = []
    floors: list[dict[str, float]] = []
    for index in range(repeat):
        say(f"preview --stack {stack} and its floor ({index + 1}/{repeat})")
        previews.append(measure_process(_preview_command(stack)))
        floors.append(measure_process(_floor_command(stack, records, needed)))
    pairs = list(zip(previews, floors, strict=True))
    return {
        "stack": stack,
        "floor_imports": needed,
        "imported_sdks": imported,
        "preview": _summary(previews),
        "floor": _summary(floors),
        "wall_ratio": statistics.median(p["wall_seconds"] / f["wall_seconds"] for p, f in pairs),
        "cpu_ratio": statistics.median(p["cpu_seconds"] / f["cpu_seconds"] for p, f in pairs),
        "runs": {"preview": previews, "floor": floors},
    }


def measure_sdk(name: str, repeat: int) -> dict[str, Any]:
    after = "" if name in ("pulumi", "grpc") else "pulumi"
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", SDK_CHILD, after, name],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout))
    return {
        "sdk": name,
        "after": after or "(bare interpreter)",
        "seconds": statistics.median(r["seconds"] for r in runs),
        "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
        "rss_kb": statistics.median(r["rss_kb"] for r in runs),
        "peak_kb": max(r["peak_kb"] for r in runs),
        "runs": runs,
    }


def run(repeat: int, say: Any, stacks: Sequence[str] = STACKS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="frontdoor-preview-bench-") as temp:
        results = [measure_stack(stack, repeat, Path(temp), say) for stack in stacks]
    say("provider SDK imports, each in a fresh interpreter")
    sdks = [measure_sdk(name, repeat) for name in SDKS]
    return {"stacks": results, "sdks": sdks, "repeat": repeat, "targets": TARGETS}


def _mb(kb: float) -> str:
    return f"{kb / 1024:.0f}"


def render(document: Mapping[str, Any], finished: str) -> str:
    stacks: list[dict[str, Any]] = document["stacks"]
    wall_target, rss_target = TARGETS["demo_wall_seconds"], TARGETS["demo_peak_rss_mb"]
    lines = [
        f"Measured {finished}, {document['repeat']} runs each (times and load: the median; RSS: the "
        "largest; ratios: the median of the ratios of a preview and the floor run right after it). "
        f"Targets for demo: ≤ {wall_target:.0f} s wall, ≤ {rss_target:.0f} MB peak RSS; ✗ marks a miss.",
        "",
        "| stack | preview wall s (best) | preview CPU s | preview peak RSS MB | floor wall s | floor CPU s "
        "| floor peak RSS MB | preview / floor: wall · CPU | floor imports | load1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for s in stacks:
        p, f = s["preview"], s["floor"]
        wall = f"{p['wall_seconds']:.2f} ({p['wall_seconds_min']:.2f})"
        rss = _mb(p["peak_rss_kb"])
        if s["stack"] == IDENTITY_STACK:
            wall += "" if p["wall_seconds"] <= wall_target else " ✗"
            rss += "" if p["peak_rss_kb"] / 1024 <= rss_target else " ✗"
        lines.append(
            f"| {s['stack']} | {wall} | {p['cpu_seconds']:.2f} | {rss} | {f['wall_seconds']:.2f} "
            f"| {f['cpu_seconds']:.2f} | {_mb(f['peak_rss_kb'])} "
            f"| {s['wall_ratio']:.2f} · {s['cpu_ratio']:.2f} "
            f"| {', '.join(s['floor_imports'])} | {p['load1']:.1f} |"
        )
    imported = {s["stack"]: set(s["imported_sdks"]) for s in stacks}
    lines += [
        "",
        "Provider SDK imports, each in a fresh interpreter after the modules named (median; RSS added and "
        "the process's peak). ✗: the identity preview imports the Datadog SDK, which it never needs.",
        "",
        "| SDK | imported after | wall s | CPU s | RSS + MB | process peak MB | "
        + " | ".join(f"imported by the {stack} preview" for stack in imported)
        + " |",
        "|---|---|---:|---:|---:|---:|" + "---|" * len(imported),
    ]
    for row in document["sdks"]:
        marks = []
        for stack, names in imported.items():
            mark = "yes" if row["sdk"] in names else "no"
            if stack == IDENTITY_STACK and row["sdk"] == "pulumi_datadog" and mark == "yes":
                mark += " ✗"
            marks.append(mark)
        lines.append(
            f"| {row['sdk']} | {row['after']} | {row['seconds']:.2f} | {row['cpu_seconds']:.2f} "
            f"| {_mb(row['rss_kb'])} "
            f"| {_mb(row['peak_kb'])} | " + " | ".join(marks) + " |"
        )
    return "\n".join(lines)


def update_readme(table: str, readme: Path = README) -> None:
    """Replace the text between the preview-bench markers (append them if missing)."""
    text = readme.read_text() if readme.exists() else ""
    block = f"{START_MARK}\n{table}\n{END_MARK}"
    if START_MARK in text and END_MARK in text:
        head, rest = text.split(START_MARK, 1)
        text = head + block + rest.split(END_MARK, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    readme.write_text(text)


def main(argv: list[str] | None = None) -> int:
    import datetime

    parser = argparse.ArgumentParser(description="the whole preview from process start, and SDK imports")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stacks", default=",".join(STACKS))
    parser.add_argument("--out", type=Path, help="JSON result file")
    parser.add_argument("--readme", action="store_true", help="rewrite the table in benchmarks/README.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    document = run(max(1, args.repeat), say, [s for s in args.stacks.split(",") if s])
    finished = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = render(document, finished)
    if args.out:
        args.out.write_text(json.dumps({"finished": finished, **document}, indent=2) + "\n")
    if args.readme:
        update_readme(table)
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
