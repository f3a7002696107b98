"""The Okta app's SAML signing certificate is rotated before it expires.

When the certificate Identity Center trusts expires, every sign-in to AWS fails: nobody reaches any
account until a new certificate is imported (docs/saml-certificate-rotation.md, two-phase). The
expiry date comes from `expiresOn` in the pack config (frontdoor writes it from
`frontdoor:okta.samlCertificateExpiresOn`), else from the `certificateExpiresOn` input of frontdoor's
`frontdoor:okta:IdentityCenterSamlApp` component, else from the signing keys of the `okta:app/saml:Saml`
resources (`keys[].expiresAt`, known once the app exists). Within `warnDays` (default 60: the
rotation needs a change window on both sides) the rule warns; once the date has passed it must block.

Advisory vs mandatory works as in `scim-token-expiry`: the SDK fixes one level per policy, so the
policy advertises ADVISORY and whoever configures the pack derives the level with
`configured_level()`, which is `_contracts.SAML_CERTIFICATE_RULE.level` (frontdoor's analyzer and
`frontdoor policy-config` derive it with the same function; an explicit `enforcementLevel` wins).
"Today" is `today` in the pack config or `clock()`. A date that cannot be parsed is reported (fail
closed). Unknown at preview: the keys of an app not yet created are unknown and simply not read; with
no date known anywhere the rule has nothing to judge.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from ._common import (
    OKTA_SAML_APP,
    SAML_APP_COMPONENT,
    StackResource,
    is_unknown,
    of_type,
    plain,
    stack_view,
    today,
)
from ._contracts import SAML_CERTIFICATE_RULE, SamlCertificateExpiry

NAME = SAML_CERTIFICATE_RULE.name
DESCRIPTION = (
    "The Okta SAML signing certificate is rotated before it expires (advisory within warnDays, "
    "mandatory once expired)."
)
ENFORCEMENT = EnforcementLevel.ADVISORY
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "warnDays": {"type": "integer", "minimum": 0, "default": SAML_CERTIFICATE_RULE.default_warn_days},
        "expiresOn": {"type": "string", "format": "date", "description": "Overrides the app's key expiry."},
        "today": {"type": "string", "format": "date", "description": "Evaluation date (tests, reports)."},
    }
)
_ROTATE = (
    "rotate it in two phases (docs/saml-certificate-rotation.md): generate the new key in Okta without "
    "activating it, import it in Identity Center, then switch the app to it, and update "
    "samlCertificateExpiresOn"
)

clock: Callable[[], datetime.date] = today


def key_expiries(resources: Sequence[StackResource]) -> list[str]:
    """Known expiry dates: frontdoor's SAML app components, then every Okta SAML app's signing keys."""
    found: list[str] = []
    for component in of_type(resources, SAML_APP_COMPONENT):
        value = SamlCertificateExpiry.from_inputs(plain(component.props)).expires_on
        if isinstance(value, str) and not is_unknown(value):
            found.append(value)
    for app in of_type(resources, OKTA_SAML_APP):
        keys = app.props.get("keys")
        if not isinstance(keys, list):
            continue
        for key in keys:
            value = key.get("expiresAt") if isinstance(key, Mapping) else None
            if isinstance(value, str) and not is_unknown(value):
                found.append(value)
    return found


def configured_level(expiries: Sequence[str], config: Mapping[str, Any]) -> EnforcementLevel:
    """MANDATORY once any certificate has expired (or a date cannot be read), else ADVISORY."""
    return EnforcementLevel(SAML_CERTIFICATE_RULE.level(expiries, config, clock))


def findings(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    apps = of_type(resources, SAML_APP_COMPONENT) + of_type(resources, OKTA_SAML_APP)
    urn = apps[0].urn if apps else None
    try:
        today, warn_days, dates = SAML_CERTIFICATE_RULE.settings(key_expiries(resources), config, clock)
    except ValueError as error:
        return [(urn, f"cannot check the SAML certificate expiry: {error}")]
    result: list[tuple[str | None, str]] = []
    for expires_on in sorted(set(dates)):
        days = (expires_on - today).days
        if days < 0:
            result.append(
                (
                    urn,
                    f"SAML signing certificate expired on {expires_on} ({-days} days ago), so every sign-in "
                    f"to AWS through Okta fails; {_ROTATE}",
                )
            )
        elif days <= warn_days:
            when = "today" if days == 0 else f"in {days} days"
            result.append((urn, f"SAML signing certificate expires on {expires_on}, {when}; {_ROTATE}"))
    return result


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    for urn, message in findings(stack_view(args.resources), args.get_config()):
        report(message, urn)


POLICY = StackValidationPolicy(
    name=NAME,
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=ENFORCEMENT,
    config_schema=CONFIG_SCHEMA,
)
