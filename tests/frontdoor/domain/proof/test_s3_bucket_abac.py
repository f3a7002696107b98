"""S3 requests as S3 authorizes them: a general purpose bucket's tags count only once ABAC is enabled.

Source: S3 User Guide, "Enabling ABAC in general purpose buckets" ("By default, ABAC is disabled for
all Amazon S3 general purpose buckets"); botocore s3 CreateBucketConfiguration.Tags ("tag-based
conditions using aws:ResourceTag and s3:BucketTag condition keys are applicable only after ABAC is
enabled on the bucket"); S3 User Guide, "Using tags with S3 general purpose buckets" (access points and
directory buckets have ABAC on by default).
"""

from __future__ import annotations

import pytest

from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.model.catalogue import reference_permission_sets
from frontdoor.domain.proof.canary import generate_cases
from frontdoor.domain.proof.iam_evaluator import NamedPolicy, Request, evaluate
from frontdoor.domain.proof.s3_bucket_abac import as_s3_authorizes

BUCKET_TAGS = {"aws:ResourceTag/team": ("payments",), "s3:BucketTag/team": ("payments",)}
SESSION = {"aws:PrincipalTag/team": ("payments",)}


def request(action: str, resource: str) -> Request:
    return Request(action, resource, {**SESSION, **BUCKET_TAGS})


@pytest.mark.parametrize("abac", [False, None])
@pytest.mark.parametrize(
    "resource", ["arn:aws:s3:::payments-artifacts", "arn:aws:s3:::payments-artifacts/build.zip"]
)
def test_a_bucket_without_abac_known_enabled_shows_no_tags(resource: str, abac: bool | None) -> None:
    seen = as_s3_authorizes(request("s3:PutObject", resource), abac)
    assert dict(seen.context) == SESSION
    assert (seen.action, seen.resource) == ("s3:PutObject", resource)


def test_a_bucket_with_abac_enabled_shows_its_tags() -> None:
    original = request("s3:PutObject", "arn:aws:s3:::payments-artifacts/build.zip")
    assert as_s3_authorizes(original, True) is original


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("s3:GetObject", "arn:aws:s3:us-east-1:100000000584:accesspoint/payments/object/build.zip"),
        (
            "s3express:CreateSession",
            "arn:aws:s3express:us-east-1:100000000584:bucket/payments--use1-az4--x-s3",
        ),
        ("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:100000000584:table/payments-orders"),
    ],
)
def test_access_points_directory_buckets_and_other_services_keep_their_tags(
    action: str, resource: str
) -> None:
    original = request(action, resource)
    assert as_s3_authorizes(original, False) is original


def test_the_developer_set_reaches_a_team_bucket_only_with_abac_enabled() -> None:
    document = inline_policy_document(reference_permission_sets()["DeveloperAccess"])
    assert document is not None
    policy = NamedPolicy("DeveloperAccess", document)
    put = request("s3:PutObject", "arn:aws:s3:::payments-artifacts/build.zip")
    enabled = evaluate(as_s3_authorizes(put, True), [policy])
    disabled = evaluate(as_s3_authorizes(put, False), [policy])
    assert (enabled.decision, enabled.statement) == ("allow", "TeamScopedByAbac")
    assert (disabled.decision, disabled.policy) == ("implicit-deny", "identity policies")


def test_the_canary_claims_own_s3_access_only_on_a_bucket_with_abac() -> None:
    developer = reference_permission_sets()["DeveloperAccess"]
    cases = generate_cases(
        "DeveloperAccess", developer, {"payments": "payments"}, "100000000584", "us-east-1"
    )
    s3_own = sorted(
        (c.probe, c.expect_allowed, "aws:ResourceTag/team" in c.request.context)
        for c in cases
        if c.team == "payments" and c.probe.startswith("own") and c.request.action.startswith("s3:")
    )
    # Two S3 resource types (a bucket, an object): each written with and without the bucket's ABAC.
    assert s3_own == [("own", True, True)] * 2 + [("own-abac-off", False, False)] * 2
    offs = [c for c in cases if c.probe == "own-abac-off"]
    assert len(offs) == 2
    for off in offs:
        assert not evaluate(
            off.request, [NamedPolicy("DeveloperAccess", inline_policy_document(developer) or {})]
        ).allowed
