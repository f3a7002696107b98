"""The ABAC chain: how each session tag's value travels from Okta to `aws:PrincipalTag/<key>`.

Checks the `frontdoor:abacChains` section (one declared path per ABAC key, modelled in
frontdoor/domain/model/abac_chain.py) hop by hop against the two ends the stack also configures: the
Okta source expression (`okta.abacAttributes.<key>`) and Identity Center's access-control attribute
(`identityCenter.accessControlAttributes.<key>`). A key travels one of two ways:

- `scimAttribute: <attr>`: Okta's profile mapping writes the Okta expression into the AWS app user's
  `<attr>`, SCIM pushes it, and Identity Center reads it from `SCIM_ATTRIBUTE_PATHS[<attr>]`. Identity
  Center's SCIM stores only core and enterprise-extension attributes (a custom app-user property such
  as `team` never reaches the identity store), so `<attr>` must be one of those.
- `samlOnly: true`: the SAML app sends `AccessControl:<key>` and Identity Center must NOT configure the
  key: "If a SAML assertion passes any of these attributes, IAM Identity Center replaces the attribute
  value with the value from the identity store" (CreateInstanceAccessControlAttributeConfiguration).

The components are wired from the chain (`saml_attribute_statements`, `scim_profile_mappings`), so a
key can never be sent both ways. The same chain is checked on the registered resources by the pack's
`abac-attributes-consistent` rule.
"""

from __future__ import annotations

import re

from frontdoor.domain.base.errors import ConfigIssue
from frontdoor.domain.contracts import SCIM_ATTRIBUTE_PATHS
from frontdoor.domain.model.abac_chain import HR_ATTRIBUTES, SECTION
from frontdoor.domain.model.fields import DEFAULT_ABAC_TAG_KEY
from frontdoor.domain.model.stack import StackConfig

_USER_ATTRIBUTE = re.compile(r"\buser\.([A-Za-z][A-Za-z0-9_]*)")


def hr_attributes_in_use(config: StackConfig) -> frozenset[str]:
    """HR_ATTRIBUTES plus every profile attribute the stack's membership rules read."""
    expressions = [team.members for team in config.teams.values()]
    expressions += [grant.members for grant in config.org_grants.values()]
    read = {name for expression in expressions for name in _USER_ATTRIBUTE.findall(expression)}
    return HR_ATTRIBUTES | read


def declared_keys(config: StackConfig) -> list[str]:
    """Every ABAC key the stack mentions anywhere (ends, chains, permission sets)."""
    keys = set(config.identity_center.access_control_attributes) | set(config.okta.abac_attributes)
    keys |= set(config.abac_chains)
    keys |= {ps.abac.tag_key for ps in config.permission_sets.values() if ps.abac}
    return sorted(keys)


def team_tag_keys(config: StackConfig) -> list[str]:
    """The tag keys the stack's ABAC permission sets partition by (`abac.tagKey`), sorted."""
    return sorted({ps.abac.tag_key for ps in config.permission_sets.values() if ps.abac})


def abac_tag_key(config: StackConfig) -> str:
    """THE session tag key that partitions by team: the one `tagKey` of the stack's ABAC permission sets,
    else the model's default. The plan derives it once for everything that tags a session or a resource
    by its owner team (the Vault machine roles' session tags, their target roles' trust and tags, their
    StackSets' tags); `team_tag_issues` refuses a stack that needs it while its sets disagree."""
    keys = team_tag_keys(config)
    return keys[0] if keys else DEFAULT_ABAC_TAG_KEY


def tag_key_case_issues(config: StackConfig, source: str) -> list[ConfigIssue]:
    """ABAC keys that differ only in case, refused: AWS compares tag keys without regard to case ("Tag
    key-value pairs are not case sensitive ... you cannot have separate Department and department tag
    keys", STS AssumeRole `Tags`), and so do the `aws:PrincipalTag/<key>` condition keys. Two such keys
    are one session tag carrying one of two values: an ABAC partition by one reads the other."""
    by_folded: dict[str, list[str]] = {}
    for key in declared_keys(config):
        by_folded.setdefault(key.lower(), []).append(key)
    return [
        ConfigIssue(
            source,
            SECTION,
            same,
            "these ABAC keys differ only in case, and AWS session tag keys are not case sensitive: a "
            "session carries one tag for both, so a policy on either reads whichever value won",
            "rename one of them in every section that names it (okta.abacAttributes, abacChains, "
            "identityCenter.accessControlAttributes, the permission sets' abac.tagKey)",
        )
        for same in by_folded.values()
        if len(same) > 1
    ]


def team_tag_issues(config: StackConfig, source: str) -> list[ConfigIssue]:
    """Machine sessions carry ONE owner-team tag: refused when the ABAC sets partition by several keys."""
    keys = team_tag_keys(config)
    if config.machines is None or len(keys) <= 1:
        return []
    return [
        ConfigIssue(
            source,
            "frontdoor:machines",
            keys,
            "the ABAC permission sets partition by several tag keys, so which one machine sessions carry "
            "as their owner team's tag is ambiguous",
            "use one abac.tagKey in every ABAC permission set under frontdoor:permissionSets",
        )
    ]


def chain_issues(config: StackConfig, source: str) -> list[ConfigIssue]:
    """Each hop of each key's declared path, checked against both ends; one issue per broken hop."""
    issues: list[ConfigIssue] = []
    identity_center = config.identity_center.access_control_attributes
    okta = config.okta.abac_attributes
    hr_used = hr_attributes_in_use(config)
    carriers: dict[str, str] = {}  # SCIM attribute -> key already carried in it
    for key in declared_keys(config):
        chain = config.abac_chains.get(key)
        ic_source = identity_center.get(key)
        okta_source = okta.get(key)
        if chain is None:
            issues.append(
                ConfigIssue(
                    source,
                    f"{SECTION}.{key}",
                    None,
                    f"ABAC key {key!r} has no declared path from Okta ({okta_source or 'no source'}) to "
                    f"Identity Center ({ic_source or 'not configured'}), so nothing proves the session "
                    f"tag carries {okta_source or 'the intended attribute'}",
                    f"add {key}: {{scimAttribute: division}} under {SECTION} (Okta maps it into the app "
                    "user's division, SCIM pushes it, Identity Center reads ${path:enterprise.division}), "
                    f"or {key}: {{samlOnly: true}} if Identity Center does not configure it",
                )
            )
            continue
        if okta_source is None:
            issues.append(
                ConfigIssue(
                    source,
                    f"frontdoor:okta.abacAttributes.{key}",
                    None,
                    f"ABAC key {key!r} has a declared path but no Okta source",
                    f"add {key}: user.<attribute> under frontdoor:okta.abacAttributes",
                )
            )
            continue
        if chain.saml_only:
            if ic_source is not None:
                issues.append(
                    ConfigIssue(
                        source,
                        f"frontdoor:identityCenter.accessControlAttributes.{key}",
                        ic_source,
                        f"ABAC key {key!r} is declared SAML-only (AccessControl:{key} = {okta_source}), but "
                        f"Identity Center also sources it from {ic_source}, and a configured key replaces "
                        "the assertion's value: the session tag would carry that attribute instead",
                        f"remove {key} from frontdoor:identityCenter.accessControlAttributes, or carry it "
                        f"by SCIM: {SECTION}.{key}: {{scimAttribute: division}} with {key}: "
                        "${path:enterprise.division}",
                    )
                )
            continue
        attribute = chain.scim_attribute or ""
        expected = SCIM_ATTRIBUTE_PATHS[attribute]
        if ic_source != expected:
            issues.append(
                ConfigIssue(
                    source,
                    f"frontdoor:identityCenter.accessControlAttributes.{key}",
                    ic_source,
                    f"Okta pushes {key} ({okta_source}) into the app user's {attribute}, which Identity "
                    f"Center stores at {expected}, but Identity Center reads {key!r} from "
                    f"{ic_source or 'nowhere'}: the session tag would "
                    + ("be missing" if ic_source is None else "carry another attribute"),
                    f"set {key}: {expected} under frontdoor:identityCenter.accessControlAttributes, or "
                    f"change {SECTION}.{key}.scimAttribute",
                )
            )
        if attribute in carriers:
            issues.append(
                ConfigIssue(
                    source,
                    f"{SECTION}.{key}.scimAttribute",
                    attribute,
                    f"{attribute} already carries ABAC key {carriers[attribute]!r}; one SCIM attribute "
                    "holds one value",
                    f"carry {key} in another attribute ({', '.join(_free(carriers, hr_used))})",
                )
            )
        carriers.setdefault(attribute, key)
        own_value = okta_source.strip() == f"user.{attribute}"
        if attribute in hr_used and not own_value and not chain.overwrites_hr_attribute:
            issues.append(
                ConfigIssue(
                    source,
                    f"{SECTION}.{key}.scimAttribute",
                    attribute,
                    f"mapping {okta_source} onto {attribute} overwrites the HR attribute {attribute} in "
                    "Identity Center for every user",
                    f"carry {key} in a free attribute ({', '.join(_free(carriers, hr_used))}), or set "
                    f"overwritesHrAttribute: true under {SECTION}.{key} if that is intended",
                )
            )
    # Only on sound chains: a broken hop already names the attribute, and would be reported twice.
    return issues or created_property_issues(config, source)


def created_property_issues(config: StackConfig, source: str) -> list[ConfigIssue]:
    """`okta.createAppUserProperties` may name only the SCIM attributes the chains push."""
    pushed = sorted(scim_profile_mappings(config))
    return [
        ConfigIssue(
            source,
            "frontdoor:okta.createAppUserProperties",
            name,
            "no ABAC chain pushes this SCIM attribute, so the app-user property would carry nothing",
            f"list only attributes the chains push ({', '.join(pushed) or 'none'}), or remove it",
        )
        for name in config.okta.create_app_user_properties
        if name not in pushed
    ]


def _free(carriers: dict[str, str], hr_used: frozenset[str]) -> list[str]:
    taken = set(carriers) | hr_used
    return [name for name in ("division", "organization", "nickName", "userType") if name not in taken]


def saml_attribute_statements(config: StackConfig) -> dict[str, str]:
    """Session tag key -> Okta expression, for the keys that travel in the SAML assertion only."""
    return {
        key: config.okta.abac_attributes[key]
        for key, chain in sorted(config.abac_chains.items())
        if chain.saml_only and key in config.okta.abac_attributes
    }


def scim_profile_mappings(config: StackConfig) -> dict[str, str]:
    """App-user attribute -> Okta expression, for the keys that travel by SCIM."""
    return {
        chain.scim_attribute: config.okta.abac_attributes[key]
        for key, chain in sorted(config.abac_chains.items())
        if chain.scim_attribute is not None and key in config.okta.abac_attributes
    }
