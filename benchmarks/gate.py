"""The replacement gate at scale: time per step stays flat (linear growth), memory stays bounded.

`python -m benchmarks.gate [--sizes 5000,10000,15500,20000] [--memory 200000]` (also run by
`make bench` through benchmarks/run.py). For each size a synthetic `pulumi preview --json` document
is written (a frontdoor stack's mix: mostly account assignments, with creates, deletes — a quarter of
the steps — replacements and updates, each step with old and new state as Pulumi writes them;
~15,500 steps is the real preview of the 2,000-account estate). Each measurement runs in a fresh
process, so its peak RSS is its own:

- gate: `load_preview` + `evaluate` + the JSON rendering, as `frontdoor gate --json` does;
- floor: `json.load` of the same file (the least any reader of the document must do).

Reported: seconds and peak RSS of both, gate / floor, and the gate's time per step relative to the
smallest size (1.0 = linear). Nothing is asserted: the numbers are the evidence.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SIZES = (5_000, 10_000, 15_500, 20_000)
MEMORY_SIZE = 200_000
STACK = "urn:pulumi:prod::frontdoor::"
ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
PARENT = "frontdoor:index:TeamAccess$frontdoor:aws:AccountAssignments$"
OTHER_TYPES = (
    "okta:group/group:Group",
    "okta:group/rule:Rule",
    "okta:index/pushGroup:PushGroup",
    "aws:ssoadmin/permissionSet:PermissionSet",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
)


def _state(urn: str, type_token: str, index: int) -> dict[str, Any]:
    inputs = {
        "instanceArn": "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
        "permissionSetArn": f"arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-{index % 97:016x}",
        "principalId": f"9067{index % 5000:08d}-1111-2222-3333-444455556666",
        "principalType": "GROUP",
        "targetId": f"{100000000000 + index % 2000}",
        "targetType": "AWS_ACCOUNT",
    }
    return {
        "urn": urn,
        "custom": True,
        "type": type_token,
        "inputs": inputs,
        "outputs": {**inputs, "id": f"{inputs['principalId']},GROUP,{inputs['targetId']},AWS_ACCOUNT"},
        "parent": STACK + "frontdoor:index:TeamAccess::team",
        "provider": STACK + "pulumi:providers:aws::identity-center::04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    }


def write_preview(path: Path, steps: int, seed: int = 7) -> None:
    """A synthetic preview of `steps` steps, written as a stream (a quarter are deletes)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n  "config": {"aws:region": "us-east-1"},\n  "steps": [\n')
        for index in range(steps):
            type_token = ASSIGNMENT if rng.random() < 0.8 else OTHER_TYPES[index % len(OTHER_TYPES)]
            urn = f"{STACK}{PARENT}{type_token}::aws-team{index % 400}-dev/DeveloperAccess/{index}"
            roll = rng.random()
            op = "same" if roll < 0.45 else "create" if roll < 0.65 else "delete" if roll < 0.9 else "replace"
            step: dict[str, Any] = {"op": op, "urn": urn, "provider": ""}
            if op != "create":
                step["oldState"] = _state(urn, type_token, index)
            if op != "delete":
                step["newState"] = _state(urn, type_token, index)
            if op == "replace":
                step["replaceReasons"] = ["permissionSetArn"]
                step["detailedDiff"] = {"permissionSetArn": {"kind": "update-replace", "inputDiff": True}}
            out.write(("    " if index == 0 else ",\n    ") + json.dumps(step))
        out.write('\n  ],\n  "diagnostics": [],\n  "changeSummary": {"same": 1},\n  "duration": 1\n}\n')


def _peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(kind: str, path: Path) -> dict[str, float]:
    """One measurement in this fresh process: imports first, then only the timed work."""
    # Imported in the measuring process, not by whoever imports this module.
    from frontdoor.gate.allow import load_allow
    from frontdoor.gate.evaluate import evaluate
    from frontdoor.gate.preview_document import load_preview
    from frontdoor.gate.render import as_json

    allow = load_allow(None)
    started = time.perf_counter()
    if kind == "gate":
        result = evaluate(load_preview(path), allow)
        json.dumps(as_json(result))
    else:
        with path.open(encoding="utf-8") as handle:
            json.load(handle)
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": _peak_rss_mb()}


def _measure(kind: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.gate", "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    measured: dict[str, float] = json.loads(done.stdout)
    return measured


def measure(sizes: Sequence[int], memory_size: int | None, repeat: int, say: Any) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="frontdoor-gate-bench-") as temp:
        for size in [*sizes, *([memory_size] if memory_size else [])]:
            path = Path(temp) / f"preview-{size}.json"
            write_preview(path, size)
            say(f"gate: {size} steps ({path.stat().st_size / 2**20:.0f} MB)")
            runs = [(_measure("gate", path), _measure("floor", path)) for _ in range(repeat)]
            gate = min((g for g, _ in runs), key=lambda m: m["seconds"])
            floor = min((f for _, f in runs), key=lambda m: m["seconds"])
            rows.append(
                {
                    "steps": size,
                    "file_mb": path.stat().st_size / 2**20,
                    "gate": gate,
                    "floor": floor,
                    "gate_over_floor": sorted(g["seconds"] / f["seconds"] for g, f in runs)[len(runs) // 2],
                }
            )
            path.unlink()
    base = rows[0]
    for row in rows:
        row["per_step_vs_smallest"] = (row["gate"]["seconds"] / row["steps"]) / (
            base["gate"]["seconds"] / base["steps"]
        )
    return {"sizes": rows}


def render_table(document: dict[str, Any]) -> str:
    rows = document["sizes"]
    lines = [
        f"| steps | file MB | gate s | json.load s | gate / json.load | gate per step vs {rows[0]['steps']} "
        "| peak RSS MB: gate · json.load |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        gate, floor = row["gate"], row["floor"]
        lines.append(
            f"| {row['steps']:,} | {row['file_mb']:.0f} | {gate['seconds']:.2f} | {floor['seconds']:.2f} "
            f"| {row['gate_over_floor']:.2f} | {row['per_step_vs_smallest']:.2f} "
            f"| {gate['peak_rss_mb']:.0f} · {floor['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the replacement gate at scale")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument(
        "--memory", type=int, default=MEMORY_SIZE, help="one large size for peak memory (0: none)"
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", choices=("gate", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.path)))
        return 0
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    document = measure([int(s) for s in args.sizes.split(",")], args.memory or None, max(1, args.repeat), say)
    print(json.dumps(document, indent=2))
    print(render_table(document))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
