"""An S3 request's context as S3 builds it: a general purpose bucket's tags count only with ABAC on.

S3 puts a general purpose bucket's tags into the request context (`aws:ResourceTag/<key>`,
`s3:BucketTag/<key>`) only once ABAC is enabled on that bucket, and it is disabled by default (S3 User
Guide, "Enabling ABAC in general purpose buckets"; botocore s3 `CreateBucketConfiguration.Tags`:
tag-based conditions "are applicable only after ABAC is enabled on the bucket"). A request built with
the bucket's tags in its context would let the evaluator allow what S3 denies, so every S3 request on a
general purpose bucket (or an object in one) passes through `as_s3_authorizes` with what is known of
the bucket's ABAC status: the tags stay only when it is known enabled. Access points, directory
buckets (`s3express`) and other services are untouched: ABAC is on by default for them. Pure.
"""

from __future__ import annotations

import re

from frontdoor.domain.documents.abac_policy import S3_BUCKET_TAG_KEY_PREFIXES
from frontdoor.domain.proof.iam_evaluator import Request

# arn:<partition>:s3:::<bucket>[/<key>]: a general purpose bucket or an object in one (no region or
# account, unlike an access point's ARN).
_GENERAL_PURPOSE_BUCKET_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::[^/]+(/.*)?$", re.DOTALL)


def on_general_purpose_bucket(request: Request) -> bool:
    """Whether the request is an s3 action on a general purpose bucket or one of its objects."""
    return request.action.lower().startswith("s3:") and bool(
        _GENERAL_PURPOSE_BUCKET_ARN.match(request.resource)
    )


def as_s3_authorizes(request: Request, bucket_abac_enabled: bool | None) -> Request:
    """The request with the bucket's tag keys removed from its context unless the bucket's ABAC is
    known enabled (`None`, unknown, counts as disabled: the default, and never a reason to allow)."""
    if bucket_abac_enabled is True or not on_general_purpose_bucket(request):
        return request
    context = {
        key: values
        for key, values in request.context.items()
        if not key.lower().startswith(S3_BUCKET_TAG_KEY_PREFIXES)
    }
    return (
        request
        if len(context) == len(request.context)
        else Request(request.action, request.resource, context)
    )
