"""The APIs' string rules, read from botocore's service models: the same models as botocore's Loader,
without importing it, and Java's ASCII-only `\\w` and `\\d`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from botocore.loaders import Loader

from frontdoor.domain import resource_types
from frontdoor.domain.base.aws_patterns import UnknownShape, service_model, string_rule

REPO = Path(__file__).resolve().parents[4]
# Every service a rule is read from: the catalogue's request members, and the config-time checks'.
SERVICES = sorted({member[0] for member in resource_types.string_arguments().values()} | {"sso-admin"})


def test_the_services_include_one_with_sdk_extras() -> None:
    # s3's model carries a service-2.sdk-extras.json that botocore merges in: the reader must too.
    assert "s3" in SERVICES and len(SERVICES) >= 8


@pytest.mark.parametrize("service", SERVICES)
def test_each_model_is_the_one_botocores_loader_returns(service: str) -> None:
    assert service_model(service) == Loader().load_service_model(service, "service-2")


def test_an_unknown_service_is_an_unknown_shape() -> None:
    with pytest.raises(UnknownShape, match="botocore has no service model 'sso-admn'"):
        service_model("sso-admn")


def test_reading_a_rule_imports_no_botocore_module() -> None:
    code = (
        "import sys; from frontdoor.domain.base.aws_patterns import string_rule; "
        "string_rule('sso-admin', 'PermissionSetDescription'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('botocore', 'urllib3', 'dateutil')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_word_characters_and_digits_are_ascii_as_in_the_apis_patterns() -> None:
    user_name = string_rule("iam", "userNameType")
    assert user_name.problem("breakglass-1") is None
    assert user_name.problem("bréak") == (
        "has the character 'é' (U+00E9) at position 2, outside the allowed characters [\\w+=,.@-]"
    )
    account = string_rule("organizations", "AccountId")
    assert account.problem("100000000026") is None
    assert account.problem("١٠٠٠٠٠٠٠٠٠٢٦") == "does not match the pattern ^\\d{12}$"
