"""The strict loader's cost on the 2,000-account estate (`make bench`; `python -m benchmarks.estate_load`).

frontdoor reads every stack file and estate with `frontdoor.domain.base.strict_yaml` (duplicate keys,
aliases, merge keys and depth refused). Its price is measured against PyYAML's plain
`yaml.safe_load` of the same text in the same process (the floor the issue names), and beside
libyaml's plain `CSafeLoader`, which the strict loader builds on. Measurements alternate within each
repeat, so a pair shares the machine's drift; a ratio is the median over repeats of the ratio of two
runs taken one after the other, times the best of the repeats. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks import generate
from frontdoor.domain.base import strict_yaml
from frontdoor.offline.estate import load_estate

ACCOUNTS = 2000


def _timed(load: Callable[[], Any]) -> float:
    started = time.perf_counter()
    load()
    return time.perf_counter() - started


def measure(accounts: int, repeat: int, say: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """Seconds per load (best of `repeat`) and ratios (median of paired ratios) for one estate."""
    with tempfile.TemporaryDirectory(prefix="frontdoor-estate-load-") as directory:
        _, estate_path = generate.write(generate.generate(accounts), Path(directory))
        text = estate_path.read_text()
        say(f"estate load: {accounts} accounts, {len(text) / 1e6:.1f} MB, {repeat} runs")
        loaders: dict[str, Callable[[], Any]] = {
            "safe_load": lambda: yaml.safe_load(text),
            "csafe_load": lambda: yaml.load(text, Loader=yaml.CSafeLoader),
            "strict": lambda: strict_yaml.load(text),
            "load_estate": lambda: load_estate(estate_path),
        }
        # The documents must agree: the strict loader refuses, it never reads differently.
        assert strict_yaml.load(text) == yaml.safe_load(text)
        runs: dict[str, list[float]] = {name: [] for name in loaders}
        for _ in range(repeat):
            for name, load in loaders.items():
                runs[name].append(_timed(load))
    ratios = {
        "strict_over_safe_load": [s / f for s, f in zip(runs["strict"], runs["safe_load"], strict=True)],
        "strict_over_csafe_load": [s / f for s, f in zip(runs["strict"], runs["csafe_load"], strict=True)],
        "load_estate_over_safe_load": [
            s / f for s, f in zip(runs["load_estate"], runs["safe_load"], strict=True)
        ],
    }
    return {
        "accounts": accounts,
        "megabytes": round(len(text) / 1e6, 2),
        "repeat": repeat,
        "seconds": {name: min(times) for name, times in runs.items()},
        "ratios": {name: statistics.median(values) for name, values in ratios.items()},
        "runs": runs,
    }


def render_table(result: dict[str, Any]) -> str:
    seconds, ratios = result["seconds"], result["ratios"]
    return "\n".join(
        [
            "| accounts | estate MB | yaml.safe_load s | CSafeLoader s | strict_yaml.load s | load_estate s "
            "| strict / safe_load | strict / CSafeLoader | load_estate / safe_load |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {result['accounts']:,} | {result['megabytes']:.1f} | {seconds['safe_load']:.3f} "
            f"| {seconds['csafe_load']:.3f} | {seconds['strict']:.3f} | {seconds['load_estate']:.3f} "
            f"| {ratios['strict_over_safe_load']:.2f} | {ratios['strict_over_csafe_load']:.2f} "
            f"| {ratios['load_estate_over_safe_load']:.2f} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=ACCOUNTS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(render_table(measure(args.accounts, max(1, args.repeat))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
