"""AccessControlAttributes: keyed by attribute name, sorted, one source each, protected."""

from __future__ import annotations

import pytest

from components.access_control_attributes import (
    AccessControlAttributes,
    AccessControlAttributesArgs,
    attribute_list,
)
from tests.components.conftest import INSTANCE_ARN, Recorder, make_providers, provider_ref

COMPONENT = "frontdoor:aws:AccessControlAttributes"
ATTRIBUTES = "aws:ssoadmin/instanceAccessControlAttributes:InstanceAccessControlAttributes"
MAPPING = {"team": "${path:enterprise.department}", "costCenter": "${path:enterprise.costCenter}"}


def test_attribute_list_is_sorted_by_name_with_one_source_each() -> None:
    assert attribute_list(MAPPING) == [
        {"key": "costCenter", "values": [{"sources": ["${path:enterprise.costCenter}"]}]},
        {"key": "team", "values": [{"sources": ["${path:enterprise.department}"]}]},
    ]


def test_attribute_list_ignores_insertion_order() -> None:
    # aws-ia#65: positions must never become identities. Reordering or adding keys leaves the others alone.
    assert attribute_list(dict(reversed(MAPPING.items()))) == attribute_list(MAPPING)
    grown = attribute_list({**MAPPING, "division": "${path:enterprise.division}"})
    assert [entry for entry in grown if entry["key"] != "division"] == attribute_list(MAPPING)


def _build(protect: bool = True) -> AccessControlAttributes:
    providers = make_providers()
    return AccessControlAttributes(
        "abac",
        AccessControlAttributesArgs(
            instance_arn=INSTANCE_ARN, attributes=MAPPING, provider=providers.identity_center, protect=protect
        ),
    )


def test_component_registers_one_protected_resource(recorder: Recorder) -> None:
    recorder.run(_build)
    component = recorder.one(COMPONENT)
    assert recorder.children_of(component) == {(ATTRIBUTES, "abac")}
    resource = recorder.one(ATTRIBUTES)
    assert resource.inputs == {
        "instanceArn": INSTANCE_ARN,
        "attributes": [
            {"key": "costCenter", "values": [{"sources": ["${path:enterprise.costCenter}"]}]},
            {"key": "team", "values": [{"sources": ["${path:enterprise.department}"]}]},
        ],
    }
    assert resource.protect is True
    assert resource.provider == provider_ref(recorder, "aws-identity-center")


def test_empty_mapping_is_refused(recorder: Recorder) -> None:
    with pytest.raises(ValueError, match="at least one attribute"):
        AccessControlAttributes(
            "abac",
            AccessControlAttributesArgs(instance_arn=INSTANCE_ARN, attributes={}, provider=None),  # type: ignore[arg-type]
        )
