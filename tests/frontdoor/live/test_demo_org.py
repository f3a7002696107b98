"""The shared demo organization's guard: a plant is seen, removed, and an unremovable call is refused."""

from __future__ import annotations

import pytest

from tests.frontdoor.live import demo_server
from tests.frontdoor.live.demo_server import DemoServer, Plants, differences, fingerprint


def test_plants_are_seen_by_the_fingerprint_and_gone_after_removal(
    demo_org: DemoServer, demo_org_plants: Plants
) -> None:
    seeded = demo_org.seeded
    store = demo_org_plants.client(seeded.identity_center, "identitystore")
    sso = demo_org_plants.client(seeded.identity_center, "sso-admin")
    store.create_group(IdentityStoreId=seeded.identity_store_id, DisplayName="Leftover")
    sso.update_permission_set(
        InstanceArn=seeded.instance_arn,
        PermissionSetArn=seeded.permission_sets["ReadOnlyAuditor"],
        SessionDuration="PT12H",
    )
    seeded_state = demo_server.SHARED.seeded_state
    assert differences(seeded_state, fingerprint(demo_org)) == [
        "permissionSets: changed ['ReadOnlyAuditor']",
        "groups: gone [], new ['Leftover']",
    ]
    demo_org_plants.remove_all()
    assert differences(seeded_state, fingerprint(demo_org)) == []


def test_a_change_with_no_known_removal_is_refused(demo_org: DemoServer, demo_org_plants: Plants) -> None:
    sso = demo_org_plants.client(demo_org.seeded.identity_center, "sso-admin")
    with pytest.raises(AssertionError, match=r"^sso-admin delete_permission_set: no known way to remove it"):
        sso.delete_permission_set(
            InstanceArn=demo_org.seeded.instance_arn,
            PermissionSetArn=demo_org.seeded.permission_sets["BillingViewer"],
        )
