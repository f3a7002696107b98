"""ProfileAttributes: HR-mastered, read-only custom attributes and one additive mapping to the app user."""

from __future__ import annotations

import pytest

from components.profile_attributes import TYPE, ProfileAttributes, ProfileAttributesArgs
from tests.components.okta_mocks import APP_ID, DEFAULT_USER_TYPE_ID, run

USER_PROPERTY = "okta:index/userSchemaProperty:UserSchemaProperty"
APP_USER_PROPERTY = "okta:index/appUserSchemaProperty:AppUserSchemaProperty"
MAPPING = "okta:profile/mapping:Mapping"
SOURCE_INVOKE = "okta:user/getUserProfileMappingSource:getUserProfileMappingSource"


# What the tests build by default: the team tag read from HR's team, and the base costCenter.
ATTRIBUTES = {"team": "user.team", "costCenter": "user.costCenter"}


def _build(**overrides: object) -> ProfileAttributes:
    args: dict[str, object] = {"app_id": APP_ID, "attributes": ATTRIBUTES} | overrides
    return ProfileAttributes("abac-profile", ProfileAttributesArgs(**args))  # type: ignore[arg-type]


def test_exact_children_for_the_defaults() -> None:
    result = run(_build)
    parent = (TYPE, "abac-profile")
    # costCenter is a base Okta attribute: it gets a mapping entry, not a custom property.
    assert result.tree() == {
        (TYPE, "abac-profile", None),
        (USER_PROPERTY, "okta-user.team", parent),
        (APP_USER_PROPERTY, "app-user.team", parent),
        (MAPPING, "abac-profile-okta-user-to-app-user", parent),
    }


def test_custom_attribute_is_hr_mastered_and_read_only() -> None:
    result = run(_build)
    assert result.inputs(USER_PROPERTY)["okta-user.team"] == {
        "index": "team",
        "title": "Team",
        "type": "string",
        "master": "PROFILE_MASTER",
        "permissions": "READ_ONLY",
    }
    assert result.inputs(APP_USER_PROPERTY)["app-user.team"] == {
        "appId": APP_ID,
        "index": "team",
        "title": "Team",
        "type": "string",
        "permissions": "READ_ONLY",
        # Without both, Okta never sends a custom attribute over SCIM (team is no SCIM attribute Identity
        # Center reads, so it goes in the core schema).
        "externalName": "team",
        "externalNamespace": "urn:ietf:params:scim:schemas:core:2.0:User",
    }


def test_an_attribute_the_app_lacks_is_created_with_its_scim_name_and_namespace() -> None:
    # division is in Okta's user base schema, so no Okta user property; the app's app-user schema lacks it.
    attributes = {"division": "user.team", "costCenter": "user.costCenter"}
    result = run(lambda: _build(attributes=attributes, create_app_user=("division",)))
    assert result.inputs(USER_PROPERTY) == {"okta-user.team": result.inputs(USER_PROPERTY)["okta-user.team"]}
    assert result.inputs(APP_USER_PROPERTY) == {
        "app-user.division": {
            "appId": APP_ID,
            "index": "division",
            "title": "Division",
            "type": "string",
            "permissions": "READ_ONLY",
            "externalName": "division",
            "externalNamespace": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        }
    }
    mapping = result.registered(MAPPING)["abac-profile-okta-user-to-app-user"]
    assert {urn.rsplit("::", 1)[-1] for urn in mapping.dependencies} >= {"app-user.division"}


def test_without_the_list_a_base_attribute_gets_no_app_user_property() -> None:
    result = run(lambda: _build(attributes={"division": "user.team"}))
    assert result.inputs(APP_USER_PROPERTY) == {}


def test_creating_an_attribute_nothing_pushes_is_refused() -> None:
    with pytest.raises(ValueError, match=r"create_app_user lists \['division'\], which no attribute pushes"):
        ProfileAttributesArgs(app_id=APP_ID, attributes={"team": "user.team"}, create_app_user=("division",))


def test_mapping_from_default_user_type_to_app_user_is_additive() -> None:
    result = run(_build)
    mapping = result.inputs(MAPPING)["abac-profile-okta-user-to-app-user"]
    assert mapping["sourceId"] == DEFAULT_USER_TYPE_ID
    assert mapping["targetId"] == APP_ID
    assert mapping["deleteWhenAbsent"] is False
    assert mapping["mappings"] == [
        {"id": "costCenter", "expression": "user.costCenter", "pushStatus": "PUSH"},
        {"id": "team", "expression": "user.team", "pushStatus": "PUSH"},
    ]
    assert [c.token for c in result.mocks.calls] == [SOURCE_INVOKE]


def test_mapping_waits_for_the_properties_it_references() -> None:
    result = run(_build)
    mapping = result.registered(MAPPING)["abac-profile-okta-user-to-app-user"]
    assert {urn.rsplit("::", 1)[-1] for urn in mapping.dependencies} >= {"okta-user.team", "app-user.team"}


def test_attribute_set_follows_config() -> None:
    attributes = {"team": "user.team", "project": "user.project", "department": "user.department"}
    result = run(lambda: _build(attributes=attributes))
    assert set(result.inputs(USER_PROPERTY)) == {"okta-user.project", "okta-user.team"}
    assert set(result.inputs(APP_USER_PROPERTY)) == {"app-user.project", "app-user.team"}
    mapping = result.inputs(MAPPING)["abac-profile-okta-user-to-app-user"]
    assert [m["id"] for m in mapping["mappings"]] == ["department", "project", "team"]
    assert result.result.okta_user_properties == ["project", "team"]


def test_computed_expression_creates_no_okta_property() -> None:
    args = ProfileAttributesArgs(app_id=APP_ID, attributes={"team": "String.toLowerCase(user.team)"})
    assert args.okta_user_properties() == []
    assert args.app_user_properties() == ["team"]


@pytest.mark.parametrize("attributes", [{}, {"bad-name": "user.x"}, {"team": "  "}])
def test_rejects_bad_attribute_sets(attributes: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        ProfileAttributesArgs(app_id=APP_ID, attributes=attributes)
