"""Every SCP exemption names a principal the break-glass stack creates and protects, and nothing else."""

from __future__ import annotations

import json

from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult


def test_scps_exempt_exactly_the_break_glass_stacks_users(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    # A user's ARN includes its path (IAM User Guide, "IAM identifiers"): built from what is created.
    users = {
        f"arn:aws:iam::100000000026:user{r.inputs['path']}{r.inputs['name']}": r.protect
        for r in breakglass_run.resources
        if r.type == "aws:iam/user:User"
    }
    assert users == {
        "arn:aws:iam::100000000026:user/breakglass/breakglass-1": True,
        "arn:aws:iam::100000000026:user/breakglass/breakglass-2": True,
    }
    exempted: set[str] = set()
    for scp in (r for r in demo.run.resources if r.type == "aws:organizations/policy:Policy"):
        for statement in json.loads(scp.inputs["content"])["Statement"]:
            exempted |= set(statement.get("Condition", {}).get("ArnNotLike", {}).get("aws:PrincipalARN", []))
    service_role = "arn:aws:iam::*:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"
    # A role name, a wildcard account or any principal no stack creates would be an open door.
    assert exempted - {service_role} == set(users)
    # The break-glass stack exports the same ARNs (one function spells them for both stacks).
    assert breakglass_run.outputs["breakGlassUserArns"].value == sorted(users)
