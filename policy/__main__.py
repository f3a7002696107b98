"""Entry point of the frontdoor CrossGuard pack: `pulumi preview --policy-pack policy`.

Constructing `PolicyPack` starts the analyzer gRPC server, prints its port and blocks forever, so
this is the only place it happens; everything else imports `rules` instead. The CLI runs this file
through `python -m pulumi.policy <engine> <pack dir>` (runpy); frontdoor's offline analyzer does
the same. The pack directory goes on sys.path so `rules` imports from any working directory.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

PACK_DIR = str(Path(__file__).resolve().parent)
if PACK_DIR not in sys.path:
    sys.path.insert(0, PACK_DIR)

from pulumi_policy import EnforcementLevel  # noqa: E402
from rules import POLICIES  # noqa: E402
from runtime import serve  # noqa: E402

# AnalyzeStack builds tens of thousands of short-lived objects per stack rule; with the default
# thresholds the cyclic collector ran constantly and made it grow faster than linearly (benchmarks).
gc.freeze()
gc.set_threshold(100_000, 50, 1000)

# The SDK's PolicyPack, serving with a servicer that decodes each resource once per request (runtime.py).
serve(
    name="frontdoor-guardrails",
    description="Identity guardrails for an AWS Organization behind Okta (Identity Center, SCIM, ABAC, SCP).",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)
