"""The catalogue of resource types: every token real, every identity as the provider documents it."""

from __future__ import annotations

import functools
import importlib.util
import keyword
import re
from pathlib import Path

import pytest

from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.resource_types import CATALOGUE, DATA_SOURCES, RESOURCE_TYPES, Identity


@functools.cache
def sdk_files(token: str) -> dict[str, str]:
    """The pinned SDK's module files for `token`'s module (path -> text)."""
    package, rest = token.split(":", 1)
    module = rest.split("/")[0]
    spec = importlib.util.find_spec(f"pulumi_{package}")
    assert spec is not None and spec.submodule_search_locations
    root = Path(spec.submodule_search_locations[0])
    # A module named like a Python keyword gets a trailing underscore (pulumi_aws.lambda_).
    directory = root if module == "index" else root / (f"{module}_" if keyword.iskeyword(module) else module)
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.py"))}


def test_every_token_is_one_entry() -> None:
    tokens = [entry.token for entry in RESOURCE_TYPES]
    sources = [source.token for source in DATA_SOURCES]
    assert len(tokens) == len(set(tokens)) == len(CATALOGUE)
    assert len(sources) == len(set(sources)) == len(catalogue.DATA_SOURCE_TOKENS)
    assert set(tokens).isdisjoint(sources)


@pytest.mark.parametrize("token", sorted([*CATALOGUE, *catalogue.DATA_SOURCE_TOKENS]))
def test_every_token_exists_in_the_pinned_sdks(token: str) -> None:
    assert any(f"'{token}'" in text for text in sdk_files(token).values())


IMPORT_SENTENCE = re.compile(r"Using `pulumi import`, import .*? using the (.*?)(?: separated by|\. For)")


@pytest.mark.parametrize("token", sorted(catalogue.adoptable()))
def test_every_identity_is_the_providers_import_format(token: str) -> None:
    identity = CATALOGUE[token].identity
    assert identity is not None
    example = f"$ pulumi import {token} "
    (text,) = {text for text in sdk_files(token).values() if example in text}
    documented_id = text.split(example, 1)[1].split()[1]
    # The documented example splits into the identity's fields (an ARN keeps its own colons).
    if identity.separator == ":":
        parts = documented_id.rsplit(":", len(identity.fields) - 1)
    else:
        parts = documented_id.split(identity.separator)
    assert len(parts) == len(identity.fields)
    # Where the provider names the fields, they are the identity's, in order.
    sentence = IMPORT_SENTENCE.search(text)
    assert sentence is not None
    named = re.findall(r"`([a-z_]+)`", sentence.group(1))
    assert named in ([], list(identity.fields))


def test_the_identities_the_provider_describes_in_words() -> None:
    # pulumi-aws "## Import": organizations.Policy "using the policy ID", PolicyAttachment "using the
    # target ID and policy ID" (123456789012:p-12345678), DelegatedAdministrator "using the account ID
    # and its service principal" (123456789012/config.amazonaws.com).
    assert catalogue.import_id(contracts.ORG_POLICY, id="p-12345678") == "p-12345678"
    assert (
        catalogue.import_id(contracts.ORG_POLICY_ATTACHMENT, target_id="123456789012", policy_id="p-12345678")
        == "123456789012:p-12345678"
    )
    assert (
        catalogue.import_id(
            catalogue.DELEGATED_ADMINISTRATOR,
            account_id="123456789012",
            service_principal="config.amazonaws.com",
        )
        == "123456789012/config.amazonaws.com"
    )


def test_an_import_id_takes_exactly_its_fields() -> None:
    identity = Identity(("permission_set_arn", "instance_arn"))
    assert identity.import_id(instance_arn="i", permission_set_arn="p") == "p,i"
    with pytest.raises(
        KeyError, match=r"takes exactly \['permission_set_arn', 'instance_arn'\], got \['instance_arn'\]"
    ):
        identity.import_id(instance_arn="i")
    with pytest.raises(KeyError, match="has no identity"):
        catalogue.import_id(contracts.IAM_ROLE, arn="arn:aws:iam::123456789012:role/x")


def test_engine_rules_and_gates_by_type() -> None:
    assert catalogue.engine_rules(contracts.OKTA_RULE) == (
        catalogue.GROUP_RULE_ATTRIBUTE_EXISTS,
        catalogue.GROUP_RULE_NO_CASCADE,
    )
    assert catalogue.engine_rules("frontdoor:index:TeamAccess") == ()
    gated = catalogue.gated_types()
    assert contracts.ACCOUNT_ASSIGNMENT in gated and contracts.INLINE_POLICY not in gated
