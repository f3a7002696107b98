"""Which stack runs is decided before any provider SDK is imported: each stack's run imports only its own.

Run in fresh interpreters: this test process imports every SDK (the monitoring tests import
pulumi_datadog), so `sys.modules` here proves nothing. pulumi_datadog alone costs seconds and ~190 MB
(benchmarks/README.md), which no identity or break-glass preview should pay.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SDKS = ("pulumi_aws", "pulumi_datadog", "pulumi_okta", "pulumi_vault")

# Each stack's program run through the offline engine (no pack), then the SDKs it imported.
CHILD = f"""
import json, sys
from frontdoor.offline.preview import resolve_inputs, run_preview
result = run_preview(resolve_inputs(sys.argv[1]), evaluate_policies=False)
imported = sorted(name for name in {SDKS!r} if name in sys.modules)
print(json.dumps({{"resources": len(result.run.resources), "imported": imported}}))
"""


def _imported_by(stack: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, stack],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    document: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return document


def test_the_identity_stack_never_imports_the_datadog_sdk() -> None:
    imported = ["pulumi_aws", "pulumi_okta", "pulumi_vault"]
    assert _imported_by("demo") == {"resources": 1103, "imported": imported}


def test_the_break_glass_stack_imports_the_aws_sdk_alone() -> None:
    assert _imported_by("breakglass")["imported"] == ["pulumi_aws"]


def test_the_monitoring_stack_imports_the_datadog_sdk_alone() -> None:
    # entry.py's claim: the monitoring run never imports pulumi_okta or pulumi_vault (nor pulumi_aws).
    assert _imported_by("monitoring")["imported"] == ["pulumi_datadog"]


def test_importing_the_program_package_imports_no_sdk() -> None:
    # `from frontdoor.program import stack` stays the users' entry; the package itself imports nothing.
    code = (
        "import sys, frontdoor.program, frontdoor.program.entry; "
        f"print([n for n in {SDKS!r} if n in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
