"""The trail bucket exempts only principals a stack of ours creates: the break-glass stack's protected
users, plus the deployer for the protection settings (issue 20: no exemption for a principal the
program does not itself create and protect)."""

from __future__ import annotations

import json

from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult

DEPLOYER = "arn:aws:iam::100000000026:role/frontdoor-deploy"


def test_the_trail_bucket_exempts_exactly_what_our_stacks_create(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    users = {
        f"arn:aws:iam::100000000026:user{r.inputs['path']}{r.inputs['name']}"
        for r in breakglass_run.resources
        if r.type == "aws:iam/user:User" and r.protect
    }
    (role,) = [
        r
        for r in demo.run.resources
        if r.type == "aws:iam/role:Role" and r.inputs["name"] == "frontdoor-deploy"
    ]
    assert role.protect
    (bucket_policy,) = [r for r in demo.run.resources if r.type == "aws:s3/bucketPolicy:BucketPolicy"]
    statements = {s["Sid"]: s for s in json.loads(bucket_policy.inputs["policy"])["Statement"]}
    exempt = {
        sid: set(s["Condition"]["ArnNotLike"]["aws:PrincipalArn"])
        for sid, s in statements.items()
        if "ArnNotLike" in s.get("Condition", {})
    }
    # An ARN here that no stack creates (a user made by hand, a role name anyone could create) is a
    # way to erase the audit trail.
    assert exempt == {"DenyLogDeletion": users, "DenyLogProtectionChanges": users | {DEPLOYER}}
    assert users == {
        "arn:aws:iam::100000000026:user/breakglass/breakglass-1",
        "arn:aws:iam::100000000026:user/breakglass/breakglass-2",
    }
