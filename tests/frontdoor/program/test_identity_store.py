"""identity_store reads: one instance lookup, one group listing, both through the given provider.

(Kept beside the component tests: it needs the recording mocks in this folder's conftest.)
"""

from __future__ import annotations

import pytest

from frontdoor.program.identity_store import (
    AmbiguousGroupName,
    IdentityCenterNotFound,
    read_instance,
    read_synced_groups,
)
from tests.components.conftest import IDENTITY_STORE_ID, INSTANCE_ARN, Recorder, make_providers, provider_ref


def _group(name: str, group_id: str) -> dict[str, object]:
    return {
        "groupId": group_id,
        "displayName": name,
        "description": "",
        "externalIds": [],
        "identityStoreId": IDENTITY_STORE_ID,
    }


def test_read_instance(recorder: Recorder) -> None:
    instance = recorder.run(lambda: read_instance(make_providers().identity_center))
    assert instance == (INSTANCE_ARN, IDENTITY_STORE_ID)
    assert instance.arn == INSTANCE_ARN
    (call,) = recorder.mocks.calls
    assert call.token == "aws:ssoadmin/getInstances:getInstances"
    assert call.provider == provider_ref(recorder, "aws-identity-center")


def test_read_instance_without_an_instance(recorder: Recorder) -> None:
    recorder.mocks.instances = {"arns": [], "identityStoreIds": []}
    with pytest.raises(IdentityCenterNotFound, match="home region"):
        recorder.run(lambda: read_instance(make_providers().identity_center))


def test_read_synced_groups_is_one_listing(recorder: Recorder) -> None:
    recorder.mocks.groups = [_group("aws-payments-dev", "g-1"), _group("aws-platform-admin", "g-2")]
    groups = recorder.run(lambda: read_synced_groups(IDENTITY_STORE_ID, make_providers().identity_center))
    assert groups == {"aws-payments-dev": "g-1", "aws-platform-admin": "g-2"}
    (call,) = recorder.mocks.calls
    assert call.token == "aws:identitystore/getGroups:getGroups"
    assert call.args == {"identityStoreId": IDENTITY_STORE_ID}
    assert call.provider == provider_ref(recorder, "aws-identity-center")


def test_duplicate_display_names_fail_closed(recorder: Recorder) -> None:
    recorder.mocks.groups = [_group("aws-payments-dev", "g-1"), _group("aws-payments-dev", "g-9")]
    with pytest.raises(AmbiguousGroupName, match="aws-payments-dev"):
        recorder.run(lambda: read_synced_groups(IDENTITY_STORE_ID, make_providers().identity_center))
