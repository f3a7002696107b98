"""The read side's boto3 base against the local AWS API server: counted calls, pagination, errors."""

from __future__ import annotations

import pytest

from frontdoor.live.aws import LiveError, LiveSession, call, paginate


def test_calls_are_counted_by_operation_and_pages_are_followed(aws: str) -> None:
    live = LiveSession()
    organizations = live.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    for n in range(5):
        organizations.create_organizational_unit(ParentId=root, Name=f"ou-{n}")
    live.calls.clear()
    names = [
        ou["Name"]
        for ou in paginate(
            organizations,
            "list_organizational_units_for_parent",
            "OrganizationalUnits",
            ParentId=root,
            PaginationConfig={"PageSize": 2},
        )
    ]
    assert sorted(names) == ["ou-0", "ou-1", "ou-2", "ou-3", "ou-4"]
    assert live.calls == {"organizations:ListOrganizationalUnitsForParent": 3}
    assert live.call_count == 3


def test_a_client_error_names_the_call_and_the_fix(aws: str) -> None:
    organizations = LiveSession().client("organizations")
    with pytest.raises(LiveError) as caught:
        call(organizations.describe_organization, account="111111111111")
    assert caught.value.render() == (
        "account 111111111111, call describe_organization: AWSOrganizationsNotInUseException: "
        "Your account is not a member of an organization.; fix: run against the management account "
        "of an AWS Organization"
    )


def test_missing_credentials_say_how_to_sign_in(aws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    organizations = LiveSession().client("organizations")
    with pytest.raises(LiveError, match="no AWS credentials found: sign in"):
        list(paginate(organizations, "list_roots", "Roots"))
