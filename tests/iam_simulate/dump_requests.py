"""Write the demo canary's DeveloperAccess requests and inline policy for compare.mjs (README.md here).

Test-only tooling: @cloud-copilot/iam-simulate is AGPL, run from a scratch npm directory, never a
dependency of the package. The create probes are left out: their resource ARNs (`.../new/<team>`) are
placeholders the offline evaluator accepts and iam-simulate rightly refuses as no resource type.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.proof.canary import run_canary

REPO = Path(__file__).resolve().parents[2]
SET = "DeveloperAccess"


def main(out: str) -> None:
    demo = parse_stack_config(read_stack_file(REPO / "stacks" / "Pulumi.demo.yaml"), "demo")
    requests = []
    for result in run_canary(demo, {}).results:
        case = result.case
        if case.permission_set != SET or ":new/" in case.request.resource:
            continue
        context = case.request.context
        requests.append(
            {
                "probe": case.probe,
                "action": case.request.action,
                "resource": case.request.resource,
                "context": {k: list(v) if k.lower() == "aws:tagkeys" else v[0] for k, v in context.items()},
                # iam-simulate takes the role's ARN without the SSO path.
                "principal": context["aws:PrincipalARN"][0].replace(
                    "/aws-reserved/sso.amazonaws.com/us-east-1", ""
                ),
                "offline": result.evaluation.decision,
                "by": result.evaluation.statement,
            }
        )
    document = inline_policy_document(demo.permission_sets[SET])
    Path(out).write_text(json.dumps({"policy": document, "requests": requests}))
    print(f"{len(requests)} requests -> {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "requests.json")
