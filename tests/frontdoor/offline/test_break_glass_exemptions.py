"""Every SCP exemption names a principal the break-glass stack creates and protects, and nothing else."""

from __future__ import annotations

import json

from frontdoor.domain.documents.break_glass import exempted_user_arns, unmatched_user_arns
from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult

# The six SCPs and the trail bucket's policy: each exempts the break-glass users.
EXEMPTING = [
    "deny-iam-users",
    "deny-leave-organization",
    "deny-root-user",
    "organization-trail/policy",
    "protect-identity-center-roles",
    "region-restriction",
    "session-revocation",
]


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


def test_every_exempted_user_is_a_break_glass_user_at_its_path(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    # The check engine rule exempt-principal-arn-has-path makes against the estate's users: here against
    # the users the break-glass stack registers (name -> path).
    users = {
        r.inputs["name"]: r.inputs.get("path", "/")
        for r in breakglass_run.resources
        if r.type == "aws:iam/user:User"
    }
    documents = {
        r.name: json.loads(r.inputs["content"] if "content" in r.inputs else r.inputs["policy"])
        for r in demo.run.resources
        if r.type in ("aws:organizations/policy:Policy", "aws:s3/bucketPolicy:BucketPolicy")
    }
    exempting = {name: exempted_user_arns(document) for name, document in documents.items()}
    assert sorted(name for name, arns in exempting.items() if arns) == sorted(exempting) == EXEMPTING
    for arns in exempting.values():
        assert unmatched_user_arns(arns, "100000000026", users) == ()
    assert set().union(*exempting.values()) == set(breakglass_run.outputs["breakGlassUserArns"].value)
