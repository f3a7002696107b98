"""The HR-sourced profile attributes that carry ABAC (team, cost center) and their mapping to the AWS app.

Owns, for each attribute that Okta does not already have: an `okta.UserSchemaProperty` on the
default Okta user profile (string, mastered by the profile master so HR wins over manual edits,
READ_ONLY so nobody can move themselves into another team's ABAC partition) and an
`okta.AppUserSchemaProperty` of the same name on the AWS app user. Then one `okta.profile.Mapping`
from the Okta user profile to the app user pushing every attribute. The mapping is additive
(`delete_when_absent=False`): the app's preconfigured mappings (userName, email, names …) are not
ours, and a mapping that deleted what it does not list would break SCIM provisioning for everyone.

Base attributes (e.g. `costCenter`, `division`) already exist in Okta's *user* schema: the API
rejects a custom property with a base name, so they get no Okta user property. Whether the AWS app's
*app-user* schema has them is another question, which Okta's user schema does not answer: the stack
names the ones the app lacks (`okta.createAppUserProperties`, checked against the estate's
okta.appUserSchema by the engine), and each app-user property created here carries its SCIM
`external_name` and `external_namespace` (without both, Okta never sends a custom attribute: Okta
support, "Custom SCIM attribute is not available to map and is not sent to SCIM").

An adopted (HR-fed) Okta user property keeps HR's definition: it is imported with `ignore_changes` on
everything HR owns (title, description, master, ...), which Pulumi honours on import (CLI >= 2.16,
pulumi/pulumi#5976), so neither the import nor any later run rewrites it. Only `type` (string, for ABAC)
and `permissions` (READ_ONLY: nobody moves themselves into another team's partition) stay declared; the
engine refuses an adoption whose live definition differs in them (the estate's okta.userSchema). Since
CLI 3.174.0 an import whose inputs differ updates the resource instead of failing (pulumi/pulumi#19339).

Identity Center's SCIM
accepts only core and enterprise-extension attributes, so the platform maps each SCIM-carried ABAC
key into one of those (the demo: `division` <- `user.team`, frontdoor/domain/config/abac_chain.py) and
Identity Center reads it from `${path:enterprise.division}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

from frontdoor.domain.contracts import SCIM_ATTRIBUTE_PATHS
from frontdoor.domain.people.okta_profile import OKTA_BASE_ATTRIBUTES, USER_ATTRIBUTE_RE, scim_namespace

TYPE = "frontdoor:okta:ProfileAttributes"

_INDEX_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# The inputs of an adopted user property that HR owns (engine names, as `ignore_changes` takes them):
# every UserSchemaProperty input of pulumi-okta 7.0.1 but index, type and permissions.
HR_OWNED_INPUTS = (
    "title",
    "description",
    "master",
    "masterOverridePriorities",
    "required",
    "unique",
    "scope",
    "pattern",
    "minLength",
    "maxLength",
    "enums",
    "oneOfs",
    "externalName",
    "externalNamespace",
    "arrayType",
    "arrayEnums",
    "arrayOneOfs",
    "userType",
)


def _title(index: str) -> str:
    """`costCenter` -> `Cost Center`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", index).replace("_", " ").title()


@dataclass(frozen=True, kw_only=True)
class ProfileAttributesArgs:
    app_id: pulumi.Input[str]
    # App user attribute -> Okta expression that fills it: the SCIM-carried keys of the stack's ABAC
    # chain (config/abac_chain.py `scim_profile_mappings`); the platform passes them, no default.
    attributes: Mapping[str, str]
    # Custom Okta user attributes that exist already (fed by HR): imported by index, never "created"
    # (Okta's schema API upserts, so a create would silently take over what HR feeds).
    adopt: tuple[str, ...] = ()
    # SCIM attributes the app's app-user schema lacks (okta.createAppUserProperties): created here.
    create_app_user: tuple[str, ...] = ()
    # Protect the custom Okta user properties: deleting one deletes every user's value of it.
    protect: bool = True

    def __post_init__(self) -> None:
        if not self.attributes:
            raise ValueError("ProfileAttributes needs at least one attribute")
        for key, expression in self.attributes.items():
            if not _INDEX_RE.fullmatch(key):
                raise ValueError(f"attribute {key!r} is not a valid Okta profile property name")
            if not expression.strip():
                raise ValueError(f"attribute {key!r} has an empty Okta expression")
        unpushed = sorted(set(self.create_app_user) - set(self.attributes))
        if unpushed:
            raise ValueError(f"create_app_user lists {unpushed}, which no attribute pushes")
        stray = sorted(set(self.adopt) - set(self.okta_user_properties()))
        if stray:
            raise ValueError(
                f"adopt lists {stray}, which no attribute reads as a custom Okta user property: "
                f"adopt only attributes among {self.okta_user_properties()}"
            )

    def okta_user_properties(self) -> list[str]:
        """Custom Okta user properties to create: plain `user.<x>` sources that are not base."""
        found = {
            m.group(1) for e in self.attributes.values() if (m := USER_ATTRIBUTE_RE.fullmatch(e.strip()))
        }
        return sorted(found - OKTA_BASE_ATTRIBUTES)

    def app_user_properties(self) -> list[str]:
        """App-user properties to create: those the app lacks, and any attribute Okta has no base for."""
        return sorted((set(self.attributes) - OKTA_BASE_ATTRIBUTES) | set(self.create_app_user))


def _profile_mapping(
    resource_name: str, args: okta.profile.MappingArgs, opts: pulumi.ResourceOptions
) -> pulumi.CustomResource:
    # pulumi_okta/profile/mapping.py imports typing.Mapping before defining its resource class of the
    # same name, so type checkers see typing.Mapping there. Fetch the class by name; the typed
    # MappingArgs keeps every argument checked.
    resource_class: Callable[..., pulumi.CustomResource] = vars(okta.profile.mapping)["Mapping"]
    return resource_class(resource_name, args, opts)


class ProfileAttributes(pulumi.ComponentResource):
    mapping_id: pulumi.Output[str]
    schema: list[pulumi.Resource]
    okta_user_properties: list[str]
    app_user_properties: list[str]

    def __init__(
        self, name: str, args: ProfileAttributesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        schema: list[pulumi.Resource] = []
        for index in args.okta_user_properties():
            schema.append(
                okta.UserSchemaProperty(
                    f"okta-user.{index}",
                    index=index,
                    title=_title(index),
                    type="string",
                    master="PROFILE_MASTER",
                    permissions="READ_ONLY",
                    opts=pulumi.ResourceOptions(
                        parent=self,
                        protect=args.protect,
                        # The Okta provider imports a user schema property by its index.
                        import_=index if index in args.adopt else None,
                        ignore_changes=list(HR_OWNED_INPUTS) if index in args.adopt else None,
                    ),
                )
            )
        # What a group rule over these attributes must wait for (BirthrightGroupArgs.rule_depends_on).
        self.schema = list(schema)
        for index in args.app_user_properties():
            schema.append(
                okta.AppUserSchemaProperty(
                    f"app-user.{index}",
                    app_id=args.app_id,
                    index=index,
                    title=_title(index),
                    type="string",
                    permissions="READ_ONLY",
                    # What SCIM sends it as, where Identity Center reads it (`${path:...}`).
                    external_name=index,
                    external_namespace=scim_namespace(SCIM_ATTRIBUTE_PATHS.get(index, "")),
                    opts=child,
                )
            )

        # The default ("user") user type's profile is the mapping source; the invoke goes through the
        # parent's provider.
        source = okta.user.get_user_profile_mapping_source_output(
            opts=pulumi.InvokeOutputOptions(parent=self)
        )
        mapping = _profile_mapping(
            f"{name}-okta-user-to-app-user",
            okta.profile.MappingArgs(
                source_id=source.id,
                target_id=args.app_id,
                mappings=[
                    okta.profile.MappingMappingArgs(
                        id=key, expression=args.attributes[key], push_status="PUSH"
                    )
                    for key in sorted(args.attributes)
                ],
                # Additive: never delete the app's own mappings (userName, email, …) that we do not list.
                delete_when_absent=False,
            ),
            # A mapping may only reference properties that exist, on both sides.
            pulumi.ResourceOptions(parent=self, depends_on=schema),
        )

        self.mapping_id = mapping.id
        self.okta_user_properties = args.okta_user_properties()
        self.app_user_properties = args.app_user_properties()
        self.register_outputs({"mappingId": self.mapping_id})
