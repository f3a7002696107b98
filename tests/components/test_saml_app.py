"""IdentityCenterSamlApp: the OIN app, its Identity Center settings, ABAC statements, protection, outputs."""

from __future__ import annotations

import json

import pytest

from components.saml_app import TYPE, IdentityCenterSamlApp, IdentityCenterSamlAppArgs
from tests.components.okta_mocks import CERTIFICATE, METADATA_URL, run

SAML = "okta:app/saml:Saml"
ACS = "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/0123-abcd"
ENTITY = "https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890"
PREFIX = "https://aws.amazon.com/SAML/Attributes/AccessControl:"


def _args(**overrides: object) -> IdentityCenterSamlAppArgs:
    base: dict[str, object] = {"acs_url": ACS, "entity_id": ENTITY, "abac_attributes": {"team": "user.team"}}
    return IdentityCenterSamlAppArgs(**(base | overrides))  # type: ignore[arg-type]


def _build(**overrides: object) -> IdentityCenterSamlApp:
    return IdentityCenterSamlApp("aws-identity-center", _args(**overrides))


def test_exact_children_and_protection() -> None:
    result = run(_build)
    assert result.tree() == {
        (TYPE, "aws-identity-center", None),
        (SAML, "aws-identity-center", (TYPE, "aws-identity-center")),
    }
    app = result.registered(SAML)["aws-identity-center"]
    assert app.protect is True
    assert app.retain_on_delete is None


def test_preconfigured_app_and_identity_center_settings() -> None:
    app = run(_build).inputs(SAML)["aws-identity-center"]
    assert app["preconfiguredApp"] == "amazon_aws_sso"
    assert app["label"] == "AWS IAM Identity Center"
    assert app["appSettingsJson"] == json.dumps({"acsURL": ACS, "entityID": ENTITY}, sort_keys=True)


def test_one_uri_expression_statement_per_abac_key_in_key_order() -> None:
    abac = {"team": "user.team", "costCenter": "user.costCenter", "division": "user.division"}
    app = run(lambda: _build(abac_attributes=abac)).inputs(SAML)["aws-identity-center"]
    assert app["attributeStatements"] == [
        {
            "name": f"{PREFIX}{key}",
            "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
            "type": "EXPRESSION",
            "values": [abac[key]],
        }
        for key in ("costCenter", "division", "team")
    ]


def test_sign_on_policy_is_attached() -> None:
    app = run(lambda: _build(authentication_policy="rst-policy")).inputs(SAML)["aws-identity-center"]
    assert app["authenticationPolicy"] == "rst-policy"


def test_protection_can_be_lifted_only_explicitly() -> None:
    result = run(lambda: _build(protect=False))
    assert result.registered(SAML)["aws-identity-center"].protect is False


def test_outputs_for_the_stack() -> None:
    result = run(
        _build,
        outputs=lambda app: {"id": app.app_id, "metadataUrl": app.metadata_url, "cert": app.certificate},
    )
    assert result.values == {"id": "aws-identity-center-id", "metadataUrl": METADATA_URL, "cert": CERTIFICATE}
    assert (result.result.acs_url, result.result.entity_id) == (ACS, ENTITY)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"acs_url": "http://insecure"}, "https://"),
        ({"abac_attributes": {"team": "team"}}, "reads no Okta user attribute"),
        ({"abac_attributes": {"bad key!": "user.team"}}, "session tag key"),
    ],
)
def test_rejects_bad_settings(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _args(**overrides)
