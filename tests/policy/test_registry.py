import pytest
from pulumi_policy import ResourceValidationPolicy
from rules import POLICIES, DuplicatePolicyError, build_registry


def _noop(args: object, report: object) -> None:
    return None


def test_registry_keeps_order() -> None:
    assert build_registry(POLICIES) == POLICIES


def test_duplicate_ids_are_rejected() -> None:
    twin = ResourceValidationPolicy(name=POLICIES[0].name, description="copy", validate=_noop)
    with pytest.raises(DuplicatePolicyError, match=f"policy id '{POLICIES[0].name}' is registered twice"):
        build_registry([*POLICIES, twin])
