"""Every AWS id check is botocore's shape, never narrower: each string drawn from a shape's pattern loads
in the field that holds it, each near miss is refused with a message naming the field, the value and
the model; and the Java patterns' translation keeps Java's meaning."""

from __future__ import annotations

import copy
import re
import typing
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from frontdoor.domain.base import aws_ids, aws_patterns
from frontdoor.domain.base.aws_ids import (
    ACCOUNT_ID,
    EVERY_ID,
    EXTERNAL_ID,
    GROUP_ID,
    IDENTITY_STORE_ID,
    INSTANCE_ARN,
    ORGANIZATION_ID,
    OU_ID,
    ROLE_NAME,
    ROOT_ID,
    USER_ID,
    AwsId,
    AwsIdRefused,
    RoleNameText,
)
from frontdoor.domain.base.errors import ConfigError, EstateIdIssue
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.model.fields import AccountId
from frontdoor.domain.model.organization import TrailDatadogConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.offline.estate import PULL_AGAIN, parse_estate

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOURCE = "stacks/estate.pulled.yaml"
UUID = "0123abcd-0123-4567-89ab-0123456789ab"
MINIMAL_ESTATE: dict[str, Any] = {
    "organization": {
        "id": "o-abcdefghij",
        "rootId": "r-ab12",
        "managementAccount": {"id": "100000000026", "name": "management"},
    },
    "identityCenter": {
        "instanceArn": "arn:aws:sso:::instance/ssoins-0123456789abcdef",
        "identityStoreId": "d-0123456789",
    },
    "ous": [{"id": "ou-ab12-cdefgh12", "name": "Workloads"}],
    "syncedGroups": {"aws-dev": UUID},
}
# Where the estate holds each id: the path through the document, and the field a message names.
ESTATE_FIELDS: dict[AwsId, tuple[tuple[str | int, ...], str]] = {
    ACCOUNT_ID: (("organization", "managementAccount", "id"), "organization.managementAccount.id"),
    ORGANIZATION_ID: (("organization", "id"), "organization.id"),
    ROOT_ID: (("organization", "rootId"), "organization.rootId"),
    OU_ID: (("ous", 0, "id"), "ous[0].id"),
    INSTANCE_ARN: (("identityCenter", "instanceArn"), "identityCenter.instanceArn"),
    IDENTITY_STORE_ID: (("identityCenter", "identityStoreId"), "identityCenter.identityStoreId"),
    GROUP_ID: (("syncedGroups", "aws-dev"), "syncedGroups.aws-dev"),
}
# Near misses one character short or long, by construction outside the shape (written from the patterns
# in botocore's models; a test below checks each against the model too).
_HEX_UUID_SHORT = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{11}"
_HEX_UUID_LONG = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{13}"
OFF_BY_ONE: dict[AwsId, tuple[str, ...]] = {
    ACCOUNT_ID: (r"[0-9]{11}", r"[0-9]{13}"),
    ORGANIZATION_ID: (r"o-[a-z0-9]{9}", r"o-[a-z0-9]{33}"),
    ROOT_ID: (r"r-[0-9a-z]{3}", r"r-[0-9a-z]{33}"),
    OU_ID: (
        r"ou-[0-9a-z]{3}-[a-z0-9]{8,32}",
        r"ou-[0-9a-z]{33}-[a-z0-9]{8,32}",
        r"ou-[0-9a-z]{4,32}-[a-z0-9]{7}",
        r"ou-[0-9a-z]{4,32}-[a-z0-9]{33}",
    ),
    INSTANCE_ARN: (
        r"arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9.-]{15}",
        r"arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9.-]{17}",
    ),
    IDENTITY_STORE_ID: (r"d-[0-9a-f]{9}", r"d-[0-9a-f]{11}", _HEX_UUID_SHORT, _HEX_UUID_LONG),
    GROUP_ID: (_HEX_UUID_SHORT, _HEX_UUID_LONG, r"[0-9a-f]{9}-" + UUID),
    USER_ID: (_HEX_UUID_SHORT, _HEX_UUID_LONG, r"[0-9a-f]{11}-" + UUID),
    ROLE_NAME: (r"", r"[A-Za-z0-9_+=,.@-]{65}"),
}
# A prefix AWS never writes in place of the one it does (a sibling id's, a misspelt one): where (a
# regex) and what instead.
WRONG_PREFIXES: dict[AwsId, tuple[tuple[str, str], ...]] = {
    ORGANIZATION_ID: ((r"^o-", "r-"), (r"^o-", "O-")),
    ROOT_ID: ((r"^r-", "o-"), (r"^r-", "root-")),
    OU_ID: ((r"^ou-", "r-"), (r"^ou-", "OU-")),
    INSTANCE_ARN: ((r"^arn:aws", "arn:amazon"), (r":sso:::", ":sso::"), (r"/(sso)?ins-", "/ssoinst-")),
    IDENTITY_STORE_ID: ((r"^d-|(?<=identitystore/)d-", "e-"), (r":identitystore::", ":identitystore:::")),
}
# Characters none of the id patterns admits anywhere (whitespace, non-ASCII, Arabic-Indic digits, '#'),
# and those IAM's role names do not (\w is ASCII there: 'é' is no word character).
OFF_ALPHABET = (" ", "\n", "\t", "é", "١", "#", "%", "_")
ROLE_NAME_OFF_ALPHABET = (" ", "\n", "é", "١", "#", "%", "/", ":")


def _strings(aws_id: AwsId) -> st.SearchStrategy[str]:
    """Strings the shape admits: its pattern (as compiled for matching) within its lengths."""
    rule = aws_id.rule
    assert rule.pattern is not None
    compiled = aws_patterns._compiled(rule.pattern)
    return st.from_regex(compiled, fullmatch=True).filter(
        lambda text: (rule.min or 0) <= len(text) <= (rule.max or len(text))
    )


def _insert(text: str, where: int, char: str) -> str:
    index = where % (len(text) + 1)
    return text[:index] + char + text[index:]


def _near_misses(aws_id: AwsId) -> st.SearchStrategy[str]:
    """One character off the alphabet, one too short or long, or a wrong prefix."""
    off_alphabet = ROLE_NAME_OFF_ALPHABET if aws_id is ROLE_NAME else OFF_ALPHABET
    inserted = st.builds(_insert, _strings(aws_id), st.integers(0, 10**6), st.sampled_from(off_alphabet))
    # Every id starts with a fixed prefix or a digit; a role name may start with any of its characters.
    wrong_first = (
        _strings(aws_id).map(lambda text: "Z" + text[1:]) if aws_id is not ROLE_NAME else st.nothing()
    )
    off_by_one = st.one_of(*(st.from_regex(p, fullmatch=True) for p in OFF_BY_ONE[aws_id]))
    prefixes = WRONG_PREFIXES.get(aws_id, ())
    wrong_prefix = [
        _strings(aws_id)
        .filter(lambda text, where=where: re.search(where, text) is not None)
        .map(lambda text, where=where, new=new: re.sub(where, new, text, count=1))
        for where, new in prefixes
    ]
    return st.one_of(inserted, wrong_first, off_by_one, *wrong_prefix)


def _estate_with(aws_id: AwsId, value: str) -> dict[str, Any]:
    document = copy.deepcopy(MINIMAL_ESTATE)
    path, _ = ESTATE_FIELDS[aws_id]
    holder: Any = document
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return document


def test_every_id_the_estate_holds_has_a_field_here() -> None:
    assert set(ESTATE_FIELDS) == set(EVERY_ID) - {USER_ID, ROLE_NAME}
    assert set(OFF_BY_ONE) == set(EVERY_ID)
    assert parse_estate(copy.deepcopy(MINIMAL_ESTATE), SOURCE).organization.id == "o-abcdefghij"


@pytest.mark.parametrize("aws_id", EVERY_ID, ids=lambda i: i.shape + ":" + i.what)
def test_each_shape_is_botocores_and_compiles_without_a_warning(aws_id: AwsId) -> None:
    rule = aws_id.rule
    assert rule.source == f"botocore {aws_id.service} model, shape {aws_id.shape}"
    assert rule.pattern is not None
    # Java-only syntax Python's re would read otherwise (possessive quantifiers, \Q..\E, class
    # intersection, \h, \z): none is in an id pattern, so the translation is the \p{X} stand-ins alone.
    assert not re.search(r"[*+?}]\+|\\Q|\\E|&&|\\h|\\z|\\Z", rule.pattern)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a FutureWarning would mean Python reads a class differently
        re.compile(rule.pattern)


def test_the_translation_keeps_javas_meaning() -> None:
    # [a-zA-Z0-9-.] is letters, digits, '-' and '.' in Java (a '-' after a range is literal), and in re.
    arn = "arn:aws:sso:::instance/ssoins-"
    assert INSTANCE_ARN.accepts(arn + "ab-.EF0123456789")
    assert not INSTANCE_ARN.accepts(arn + "ab/.EF0123456789")
    # \d is ASCII in Java: Arabic-Indic digits are not an account id.
    assert ACCOUNT_ID.accepts("012345678901")
    assert not ACCOUNT_ID.accepts("١٠٠٠٠٠٠٠٠٠٢٦")
    # Java matches the whole value: no trailing newline slips past `$`, no prefix or suffix.
    assert not ACCOUNT_ID.accepts("012345678901\n")
    assert not IDENTITY_STORE_ID.accepts("xd-0123456789")
    assert not IDENTITY_STORE_ID.accepts("d-0123456789x")
    # The length bounds are the shape's too: a store id the pattern admits but 94 characters long is not.
    assert not IDENTITY_STORE_ID.accepts(
        "arn:aws" + "-" * 40 + ":identitystore::012345678901:identitystore/" + UUID
    )


@pytest.mark.parametrize("aws_id", list(ESTATE_FIELDS), ids=lambda i: i.shape + ":" + i.what)
def test_every_string_the_shape_admits_loads_in_the_estate(aws_id: AwsId) -> None:
    @PROPERTY
    @given(_strings(aws_id))
    def loads(value: str) -> None:
        assert aws_id.accepts(value)
        parse_estate(_estate_with(aws_id, value), SOURCE)

    loads()


@PROPERTY
@given(_strings(USER_ID))
def test_every_user_id_the_shape_admits_is_accepted(value: str) -> None:
    assert USER_ID.check(value) == value


@pytest.mark.parametrize("aws_id", list(ESTATE_FIELDS), ids=lambda i: i.shape + ":" + i.what)
def test_every_near_miss_is_refused_naming_the_field_value_and_model(aws_id: AwsId) -> None:
    _, field = ESTATE_FIELDS[aws_id]

    @PROPERTY
    @given(_near_misses(aws_id))
    def refused(value: str) -> None:
        with pytest.raises(ConfigError) as raised:
            parse_estate(_estate_with(aws_id, value), SOURCE)
        assert raised.value.issues == (
            EstateIdIssue(
                SOURCE,
                field,
                value,
                f"not {aws_id.what}: {aws_id.model()} does not accept it",
                PULL_AGAIN,
                model=aws_id.model(),
            ),
        )
        assert raised.value.render() == (
            f"the estate file {SOURCE} field {field} holds {value!r}, which {aws_id.model()} does not "
            "accept: pull again (`frontdoor estate pull`)"
        )
        assert (
            raised.value.header()
            == "error: the estate holds ids AWS's API model refuses, nothing was registered"
        )

    refused()


@PROPERTY
@given(_near_misses(USER_ID))
def test_every_user_id_near_miss_is_refused_naming_the_model(value: str) -> None:
    with pytest.raises(AwsIdRefused) as raised:
        USER_ID.check(value)
    assert raised.value.problem == f"not an Identity Center user id: {USER_ID.model()} does not accept it"


class _Organization(BaseModel):
    managementAccountId: AccountId
    deployerRoleName: RoleNameText = "frontdoor-deploy"


# The config's fields of each kind, as a stack file writes them, and the refusal's problem and fix.
CONFIG_FIELDS = {
    ACCOUNT_ID: (
        "managementAccountId",
        "not an AWS account id: AWS's Organizations model (AccountId: pattern ^\\d{12}$, at most 12 "
        "characters) does not accept it",
        'write the 12-digit account id, quoted so YAML keeps it a string ("123456789012")',
    ),
    ROLE_NAME: (
        "deployerRoleName",
        "not an IAM role name: AWS's IAM model (roleNameType: pattern [\\w+=,.@-]+, 1-64 characters) does "
        "not accept it",
        "use 1-64 ASCII letters, digits and _+=,.@-",
    ),
}


@pytest.mark.parametrize("aws_id", list(CONFIG_FIELDS), ids=lambda i: i.shape)
def test_a_config_value_the_shape_admits_is_accepted(aws_id: AwsId) -> None:
    key = CONFIG_FIELDS[aws_id][0]

    @PROPERTY
    @given(_strings(aws_id))
    def accepted(value: str) -> None:
        values = {"managementAccountId": "012345678901", key: value}
        assert getattr(_Organization.model_validate(values), key) == value

    accepted()


@pytest.mark.parametrize("aws_id", list(CONFIG_FIELDS), ids=lambda i: i.shape)
def test_a_config_near_miss_names_file_field_value_and_fix(aws_id: AwsId) -> None:
    key, problem, fix = CONFIG_FIELDS[aws_id]

    @PROPERTY
    @given(_near_misses(aws_id))
    def refused(value: str) -> None:
        with pytest.raises(ValidationError) as raised:
            _Organization.model_validate({"managementAccountId": "012345678901", key: value})
        (error,) = raised.value.errors()
        issue = issue_from_pydantic("stacks/Pulumi.prod.yaml", error, "frontdoor:organization")
        assert (issue.file, issue.field, issue.value, issue.problem, issue.fix) == (
            "stacks/Pulumi.prod.yaml",
            f"frontdoor:organization.{key}",
            value,
            problem,
            fix,
        )

    refused()


def test_a_role_name_is_asciis_word_characters_as_in_iams_model() -> None:
    # pydantic's `pattern` reads \w as Unicode: [\w+=,.@-] there admitted 'déploy', which IAM refuses.
    assert ROLE_NAME.accepts("frontdoor-deploy") and ROLE_NAME.accepts("a" * 64)
    assert not ROLE_NAME.accepts("frontdoor-déploy")
    assert not ROLE_NAME.accepts("a" * 65)


@pytest.mark.parametrize(
    "instance_arn",
    [
        "arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef",
        "arn:aws-cn:sso:::instance/ssoins-0123456789abcdef",
        "arn:aws-iso-b:sso:::instance/ins-0123456789ABCDEF",
    ],
)
def test_an_instance_arn_of_another_partition_loads(instance_arn: str) -> None:
    document = _estate_with(INSTANCE_ARN, instance_arn)
    assert parse_estate(document, SOURCE).reads().instance.arn == instance_arn


@pytest.mark.parametrize(
    "store_id",
    [UUID, "arn:aws:identitystore::012345678901:identitystore/d-0123456789", "d-0123456789"],
)
def test_the_uuid_and_arn_identity_store_forms_load(store_id: str) -> None:
    document = _estate_with(IDENTITY_STORE_ID, store_id)
    assert parse_estate(document, SOURCE).reads().instance.identity_store_id == store_id


def test_an_id_refused_while_pulling_says_nothing_was_written() -> None:
    document = _estate_with(IDENTITY_STORE_ID, "d-moto0store")
    with pytest.raises(ConfigError) as raised:
        parse_estate(document, "estate read from AWS (stack prod)", read_from_aws=True)
    assert raised.value.render() == (
        "estate read from AWS (stack prod): field identityCenter.identityStoreId holds 'd-moto0store', which "
        f"{IDENTITY_STORE_ID.model()} refuses: nothing was written; check that the endpoint is AWS (a local "
        "server may allocate ids AWS never would), and report the value if it is"
    )
    assert (
        raised.value.header()
        == "error: the API answered ids AWS's own API model refuses, nothing was written"
    )


def test_an_estate_with_an_id_and_another_problem_is_bad_input() -> None:
    document = _estate_with(ROOT_ID, "r-A")
    document["organization"]["managementAccount"]["state"] = "GONE"
    with pytest.raises(ConfigError) as raised:
        parse_estate(document, SOURCE)
    assert [type(issue).__name__ for issue in raised.value.issues] == ["EstateIdIssue", "ConfigIssue"]
    assert raised.value.header() == "error: bad input, nothing was registered"


def test_the_stack_schema_carries_the_account_id_shape() -> None:
    schema = _Organization.model_json_schema()["properties"]["managementAccountId"]
    assert schema == {
        "maxLength": 12,
        "pattern": "^\\d{12}$",
        "title": "Managementaccountid",
        "type": "string",
    }
    assert aws_ids.INSTANCE_ARN.json_pattern() == f"^(?:{INSTANCE_ARN.rule.pattern})$"


def test_every_role_name_the_stack_config_takes_is_iams_ascii_word() -> None:
    """The trail's Datadog integration role is created by name like the deployers: a non-ASCII name
    would pass pydantic's Unicode `\\w` and fail CreateRole (IAM roleNameType) at apply."""
    from frontdoor.domain.model.organization import TrailDatadogConfig

    forwarder = "arn:aws:lambda:us-east-1:111111111111:function:datadog-forwarder"
    assert TrailDatadogConfig(forwarder_arn=forwarder).integration_role_name == "DatadogIntegrationRole"
    with pytest.raises(ValidationError):
        TrailDatadogConfig(forwarder_arn=forwarder, integration_role_name="DatadogRôle")


def _models_under(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """`model` and every model its fields hold (through Optional, list and dict), once each."""
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        for field in current.model_fields.values():
            stack: list[Any] = [field.annotation]
            while stack:
                kind = stack.pop()
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    todo.append(kind)
                stack.extend(typing.get_args(kind))


def test_every_role_name_and_external_id_of_the_stack_config_is_judged_by_its_botocore_shape() -> None:
    # A field kept as `str` with pydantic's `pattern=r"^[\w+=,.@-]{1,64}$"` reads \w as Unicode and admits
    # 'Datadögrole', which IAM refuses at `pulumi up` (trail.datadog.integrationRoleName did).
    judged = {}
    for model in _models_under(StackConfig):
        for name, field in model.model_fields.items():
            if name.endswith(("role_name", "external_id")):
                # `X | None` keeps X's Annotated metadata on the union's member, not on the field.
                metadata = [*field.metadata]
                for member in typing.get_args(field.annotation):
                    metadata.extend(getattr(member, "__metadata__", ()))
                checks = [m.func for m in metadata if hasattr(m, "func")]
                judged[f"{model.__name__}.{name}"] = checks
    assert "TrailDatadogConfig.integration_role_name" in judged
    assert "TrailDatadogConfig.integration_external_id" in judged
    for where, checks in judged.items():
        wanted = EXTERNAL_ID.check if where.endswith("external_id") else ROLE_NAME.check
        assert checks == [wanted], where


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("integrationRoleName", "Datadögrole"),
        ("integrationRoleName", "Role\u0663"),
        ("integrationRoleName", "a" * 65),
        ("integrationExternalId", "abcé"),
        ("integrationExternalId", "a"),
    ],
)
def test_the_trail_datadog_role_name_and_external_id_refuse_what_aws_refuses(key: str, value: str) -> None:
    arn = "arn:aws:lambda:us-east-1:012345678901:function:datadog-forwarder"
    assert TrailDatadogConfig.model_validate(
        {"forwarderArn": arn, "integrationRoleName": "Datadog_Role+1", "integrationExternalId": "ab:c/d-e"}
    )
    with pytest.raises(ValidationError):
        TrailDatadogConfig.model_validate({"forwarderArn": arn, key: value})
