"""What the stack model's sections share: the model settings, the AWS account id type (judged by
botocore's model, frontdoor/domain/base/aws_ids.py), the region pattern several sections check, and
the IAM user-name check of the guardrails and break-glass sections.

Field names are the camelCase keys written in `stacks/Pulumi.<stack>.yaml` (under the `frontdoor:`
namespace); Python code reads them as snake_case. Every model is frozen and rejects unknown keys, so a
typo is an error, never a silently ignored setting. Limits come from shared/research/technical-facts.md
(AWS sso-admin and Organizations API models, Okta's group-rule restrictions).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from frontdoor.domain.base import aws_patterns
from frontdoor.domain.base.aws_ids import AccountIdText
from frontdoor.domain.base.errors import FixHint

REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")
IAM_USER_NAME_RE = re.compile(r"^[A-Za-z0-9_+=,.@-]{1,64}$")
# An account id as botocore's organizations AccountId admits it (frontdoor/domain/base/aws_ids.py).
AccountId = AccountIdText
# The ABAC session tag key that partitions by team when a stack names none: the default of
# `abac.tagKey` and of `okta.abacAttributes`, and the key of the reference catalogue. A stack that
# writes another key gets it everywhere from the plan (config/abac_chain.py `abac_tag_key`).
DEFAULT_ABAC_TAG_KEY = "team"
# The path the break-glass users are created with (iam CreateUser `Path`): their ARN includes it.
IAM_USER_PATH = ("iam", "CreateUserRequest", "Path")
# A session tag key is 1-128 characters (botocore sts/iam `tagKeyType`, STS Tag.Key), and AWS compares tag
# keys without regard to case (STS AssumeRole `Tags`: "you cannot have separate Department and department
# tag keys"): config/abac_chain.py `tag_key_case_issues`.
SESSION_TAG_KEY_MAX = 128


class Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True, validate_default=True
    )


def check_iam_user_names(names: list[str]) -> list[str]:
    for index, name in enumerate(names):
        if not IAM_USER_NAME_RE.fullmatch(name):
            raise FixHint(
                "not an IAM user name",
                "use 1-64 ASCII letters, digits and _+=,.@-",
                at=(index,),
                value=name,
            )
    if len(set(names)) != len(names):
        raise FixHint("a user name is listed twice", "list each user once")
    return names


def check_break_glass_path(value: str) -> str:
    """The break-glass users' IAM path: what IAM accepts for CreateUser's Path (botocore iam pathType),
    and not the root path `/`, which every other IAM user shares, so that the posture Guard rule and
    the engine's exemption rule can tell break-glass users from anyone else."""
    rule = aws_patterns.member_rule(*IAM_USER_PATH)
    problem = rule.problem(value)
    if problem is not None:
        raise FixHint(
            f"{problem}, which IAM rejects for a user's Path ({rule.source})",
            "write a path that starts and ends with '/', e.g. /breakglass/",
        )
    if value == "/":
        raise FixHint(
            "the root path '/' is every IAM user's default, so it would not single out the break-glass users",
            "give the break-glass users their own path, e.g. /breakglass/, the same in both stacks",
        )
    return value
