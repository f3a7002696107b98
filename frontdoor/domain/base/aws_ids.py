"""The AWS identifiers frontdoor checks, each judged by the botocore shape the API validates it with.

An id check is never narrower than the API: an id AWS hands out (another partition's ARN, the
identity store's UUID form, a leading-zero account id) must load, or `estate pull` fails on the first
organization it did not seed. So no pattern is retyped here: each `AwsId` names its botocore service
and shape, and `frontdoor/domain/base/aws_patterns.py` reads the shape's pattern and lengths from the
model boto3 validates with (Java regex syntax, translated and matched whole there).

Where a check is stricter than the shape AWS returns the id in, the entry says why (a group id is
checked as the sso-admin PrincipalId it is passed as, not as identitystore's ResourceId, which also
admits an ARN form PrincipalId refuses).

Used by the stack config (account ids, grant targets, revoked user ids), the estate (every id it
holds, frontdoor/offline/estate.py) and the documents that embed ids (the trail bucket policy, the
GitHub OIDC role); a refusal names the shape, its pattern and lengths, and in an estate says to pull
again (frontdoor/domain/base/errors.py `EstateIdIssue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from frontdoor.domain.base import aws_patterns
from frontdoor.domain.base.errors import FixHint


@dataclass(frozen=True)
class AwsId:
    """One kind of AWS identifier: what it is, the botocore shape that judges it, and how to write one."""

    what: str  # "an AWS account id": the problem says "not <what>"
    service_title: str  # "Organizations": as a message names the model
    service: str  # botocore service name
    shape: str  # botocore string shape
    fix: str  # how to write one by hand (config, hand-made estate)

    @property
    def rule(self) -> aws_patterns.StringRule:
        return aws_patterns.string_rule(self.service, self.shape)

    def constraints(self) -> str:
        """The shape's rule in words: `pattern P, 1-93 characters`."""
        rule = self.rule
        parts = [f"pattern {rule.pattern}"] if rule.pattern is not None else []
        if rule.min is not None and rule.max is not None:
            parts.append(f"{rule.min}-{rule.max} characters")
        elif rule.max is not None:
            parts.append(f"at most {rule.max} characters")
        elif rule.min is not None:
            parts.append(f"at least {rule.min} characters")
        return ", ".join(parts)

    def model(self) -> str:
        """Where the rule comes from, as messages name it: AWS's Organizations model (AccountId: ...)."""
        return f"AWS's {self.service_title} model ({self.shape}: {self.constraints()})"

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) and self.rule.problem(value) is None

    def check(self, value: str) -> str:
        """`value` if the API accepts it; else `AwsIdRefused` (a FixHint) naming the shape and the fix."""
        if self.accepts(value):
            return value
        raise AwsIdRefused(self)

    def json_pattern(self) -> str:
        """The shape's pattern for a JSON Schema, anchored: the API matches the whole value, a JSON
        Schema `pattern` any substring."""
        pattern = self.rule.pattern or ".*"
        return (
            pattern
            if pattern.startswith("^") and pattern.endswith("$") and "|" not in pattern
            else (f"^(?:{pattern})$")
        )


class AwsIdRefused(FixHint):
    """An id the botocore model refuses. A config names it as it is; an estate says to pull again
    (frontdoor/offline/estate.py `parse_estate`), reading the refusing shape from `aws_id`."""

    def __init__(self, aws_id: AwsId, **where: Any) -> None:
        super().__init__(f"not {aws_id.what}: {aws_id.model()} does not accept it", aws_id.fix, **where)
        self.aws_id = aws_id


ACCOUNT_ID = AwsId(
    "an AWS account id",
    "Organizations",
    "organizations",
    "AccountId",
    'write the 12-digit account id, quoted so YAML keeps it a string ("123456789012")',
)
ORGANIZATION_ID = AwsId(
    "an organization id",
    "Organizations",
    "organizations",
    "OrganizationId",
    "copy it from Organizations (aws organizations describe-organization): o- and 10-32 lowercase letters "
    "or digits",
)
ROOT_ID = AwsId(
    "an organization root id",
    "Organizations",
    "organizations",
    "RootId",
    "copy the root id from Organizations (aws organizations list-roots): r- and 4-32 lowercase letters or "
    "digits",
)
OU_ID = AwsId(
    "an OU id",
    "Organizations",
    "organizations",
    "OrganizationalUnitId",
    "copy the id from Organizations: ou-<4-32 chars>-<8-32 chars>, lowercase",
)
INSTANCE_ARN = AwsId(
    "an Identity Center instance ARN",
    "SSO Admin",
    "sso-admin",
    "InstanceArn",
    "copy it from Identity Center > Settings (aws sso-admin list-instances), e.g. "
    "arn:aws:sso:::instance/ssoins-0123456789abcdef",
)
IDENTITY_STORE_ID = AwsId(
    "an identity store id",
    "Identity Store",
    "identitystore",
    "IdentityStoreId",
    "copy it from Identity Center > Settings (aws sso-admin list-instances), e.g. d-0123456789",
)
# Group ids are passed to CreateAccountAssignment as PrincipalId, and revoked user ids are matched
# against the session's identitystore:UserId: both the bare id sso-admin's PrincipalId admits, which is
# identitystore's ResourceId without its optional ARN prefix (a prefixed id would match no principal).
GROUP_ID = AwsId(
    "an identity-store group id",
    "SSO Admin",
    "sso-admin",
    "PrincipalId",
    "copy the GroupId from Identity Center > Groups (a GUID, optionally prefixed with the store's 10 hex "
    "characters and '-')",
)
USER_ID = AwsId(
    "an Identity Center user id",
    "SSO Admin",
    "sso-admin",
    "PrincipalId",
    "copy the User ID from Identity Center > Users > <user> (a GUID such as "
    "90677c2d-d0a1-7058-7d7e-0123456789ab)",
)

# The stack's IAM role names (the deployers, the CI preview role, Datadog's integration role): IAM's
# roleNameType, whose \w is ASCII (pydantic's own `pattern` would read \w as Unicode and admit 'é').
ROLE_NAME = AwsId(
    "an IAM role name",
    "IAM",
    "iam",
    "roleNameType",
    "use 1-64 ASCII letters, digits and _+=,.@-",
)

# The external ID Datadog's integration role trusts (trail.datadog.integrationExternalId): STS's
# externalIdType, whose \w is ASCII as in roleNameType. Not an id AWS allocates, so not in EVERY_ID.
EXTERNAL_ID = AwsId(
    "an STS external ID",
    "STS",
    "sts",
    "externalIdType",
    "copy it from `pulumi stack output datadogExternalId` of the monitoring stack: 2-1224 ASCII letters, "
    "digits and _+=,.@:/-",
)

EVERY_ID = (
    ACCOUNT_ID,
    ORGANIZATION_ID,
    ROOT_ID,
    OU_ID,
    INSTANCE_ARN,
    IDENTITY_STORE_ID,
    GROUP_ID,
    USER_ID,
    ROLE_NAME,
)


@dataclass(frozen=True)
class _IdJsonSchema:
    """Adds the shape's pattern and lengths to a field's JSON Schema (`frontdoor schema`), read when the
    schema is built, so importing a model reads no botocore model."""

    aws_id: AwsId

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        rule = self.aws_id.rule
        schema["pattern"] = self.aws_id.json_pattern()
        if rule.min is not None:
            schema["minLength"] = rule.min
        if rule.max is not None:
            schema["maxLength"] = rule.max
        return schema


AccountIdText = Annotated[str, AfterValidator(ACCOUNT_ID.check), _IdJsonSchema(ACCOUNT_ID)]
OrganizationIdText = Annotated[str, AfterValidator(ORGANIZATION_ID.check), _IdJsonSchema(ORGANIZATION_ID)]
RootIdText = Annotated[str, AfterValidator(ROOT_ID.check), _IdJsonSchema(ROOT_ID)]
OuIdText = Annotated[str, AfterValidator(OU_ID.check), _IdJsonSchema(OU_ID)]
InstanceArnText = Annotated[str, AfterValidator(INSTANCE_ARN.check), _IdJsonSchema(INSTANCE_ARN)]
RoleNameText = Annotated[str, AfterValidator(ROLE_NAME.check), _IdJsonSchema(ROLE_NAME)]
ExternalIdText = Annotated[str, AfterValidator(EXTERNAL_ID.check), _IdJsonSchema(EXTERNAL_ID)]
IdentityStoreIdText = Annotated[
    str, AfterValidator(IDENTITY_STORE_ID.check), _IdJsonSchema(IDENTITY_STORE_ID)
]
