"""The Okta SAML app that federates AWS IAM Identity Center (OIN integration `amazon_aws_sso`).

Owns one `okta.app.Saml`: the Identity Center ACS URL and issuer as app settings, and one SAML
attribute statement per SAML-only ABAC session tag
(`https://aws.amazon.com/SAML/Attributes/AccessControl:<key>`, URI name format, value an Okta
expression such as `user.team`), sorted by key so the list never reorders. Keys Identity Center
configures are not sent: it replaces their asserted value with the identity store's
(frontdoor/domain/config/abac_chain.py). The app is protected: deleting or replacing it breaks every AWS
console and CLI login, and
a new app means a new SAML certificate to upload to Identity Center. Attribute statements on OIN
apps have a history of being ignored by the API (technical-facts §2); verify them once in a sandbox,
the fallback being Identity Center's own access-control attributes fed by SCIM.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

from frontdoor.domain import contracts
from frontdoor.domain.contracts import SamlCertificateExpiry
from frontdoor.domain.model.organization import ABAC_KEY_RE

TYPE = contracts.SAML_APP_COMPONENT
PRECONFIGURED_APP = "amazon_aws_sso"
ACCESS_CONTROL_PREFIX = "https://aws.amazon.com/SAML/Attributes/AccessControl:"
URI_NAME_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
_EXPRESSION_RE = re.compile(r"\buser\.\w+|\bappuser\.\w+")


@dataclass(frozen=True, kw_only=True)
class IdentityCenterSamlAppArgs:
    label: str = "AWS IAM Identity Center"
    # Both from Identity Center > Settings > Identity source > Change identity source > External IdP.
    acs_url: str
    entity_id: str
    # ABAC session tag key -> Okta expression for its value: the SAML-only keys of the stack's ABAC
    # chain (config/abac_chain.py `saml_attribute_statements`); the platform passes them, no default.
    abac_attributes: Mapping[str, str]
    # The app sign-on policy (SignOnPolicy.policy_id). None: Okta's default policy applies.
    authentication_policy: pulumi.Input[str] | None = None
    protect: bool = True
    # The signing certificate's expiry (YYYY-MM-DD), a component input read by saml-certificate-expiry.
    certificate_expires_on: str | None = None

    def __post_init__(self) -> None:
        for url_field, value in (("acs_url", self.acs_url), ("entity_id", self.entity_id)):
            if not value.startswith("https://"):
                raise ValueError(f"{url_field} {value!r} must be an https:// URL from Identity Center")
        for key, expression in self.abac_attributes.items():
            if not ABAC_KEY_RE.match(key):
                raise ValueError(f"ABAC attribute key {key!r} is not a valid AWS session tag key")
            if not _EXPRESSION_RE.search(expression):
                raise ValueError(
                    f"ABAC attribute {key!r} value {expression!r} reads no Okta user attribute "
                    '(write e.g. "user.team")'
                )


def attribute_statements(abac_attributes: Mapping[str, str]) -> list[okta.app.SamlAttributeStatementArgs]:
    """One URI-format EXPRESSION statement per session tag, in key order."""
    return [
        okta.app.SamlAttributeStatementArgs(
            name=f"{ACCESS_CONTROL_PREFIX}{key}",
            namespace=URI_NAME_FORMAT,
            type="EXPRESSION",
            values=[abac_attributes[key]],
        )
        for key in sorted(abac_attributes)
    ]


def app_settings_json(acs_url: str, entity_id: str) -> str:
    return json.dumps({"acsURL": acs_url, "entityID": entity_id}, sort_keys=True)


class IdentityCenterSamlApp(pulumi.ComponentResource):
    app_id: pulumi.Output[str]
    metadata_url: pulumi.Output[str]
    metadata: pulumi.Output[str]
    certificate: pulumi.Output[str]
    acs_url: str
    entity_id: str

    def __init__(
        self, name: str, args: IdentityCenterSamlAppArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = (
            SamlCertificateExpiry(args.certificate_expires_on).to_inputs()
            if args.certificate_expires_on
            else None
        )
        super().__init__(TYPE, name, props, opts)

        app = okta.app.Saml(
            name,
            label=args.label,
            preconfigured_app=PRECONFIGURED_APP,
            app_settings_json=app_settings_json(args.acs_url, args.entity_id),
            attribute_statements=attribute_statements(args.abac_attributes),
            authentication_policy=args.authentication_policy,
            # Deleting or replacing the app breaks every AWS login and rotates the SAML certificate
            # Identity Center trusts; removing it must be a deliberate `pulumi state unprotect`.
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )

        self.app_id = app.id
        self.metadata_url = app.metadata_url
        self.metadata = app.metadata
        self.certificate = app.certificate
        self.acs_url = args.acs_url
        self.entity_id = args.entity_id
        self.register_outputs(
            {
                "appId": self.app_id,
                "metadataUrl": self.metadata_url,
                "certificate": self.certificate,
                "acsUrl": self.acs_url,
                "entityId": self.entity_id,
            }
        )
