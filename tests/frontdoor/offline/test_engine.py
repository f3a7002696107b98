"""The offline engine: invoke answers from the estate, and what a program run records."""

from __future__ import annotations

import gc
import textwrap
from pathlib import Path

import pulumi
import pytest

from frontdoor.domain import resource_types as catalogue
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.estate_mocks import EstateMocks, UnansweredInvoke

DEMO = Path(__file__).resolve().parents[3] / "stacks" / "estate.demo.yaml"


@pytest.fixture(scope="module")
def estate() -> Estate:
    return load_estate(DEMO)


def _call(mocks: EstateMocks, token: str, **args: object) -> dict[str, object]:
    return mocks.call(pulumi.runtime.MockCallArgs(token=token, args=dict(args), provider=""))


def test_organization_answer(estate: Estate) -> None:
    answer = _call(EstateMocks(estate), "aws:organizations/getOrganization:getOrganization")
    assert answer["masterAccountId"] == "100000000026"
    assert answer["roots"] == [
        {
            "id": "r-a1b2",
            "name": "Root",
            "arn": "arn:aws:organizations::100000000026:root/o-acme7med01/r-a1b2",
            "policyTypes": [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}],
        }
    ]
    accounts = answer["accounts"]
    assert isinstance(accounts, list) and len(accounts) == 140
    assert sum(1 for a in accounts if a["state"] == "SUSPENDED") == 8


def test_ou_children_and_accounts(estate: Estate) -> None:
    mocks = EstateMocks(estate)
    top = _call(mocks, "aws:organizations/getOrganizationalUnits:getOrganizationalUnits", parentId="r-a1b2")
    names = [c["name"] for c in top["children"]]  # type: ignore[attr-defined]
    assert names == ["Security", "Infrastructure", "Workloads", "Sandbox", "Acquired", "Suspended"]
    security = top["children"][0]["id"]  # type: ignore[index]
    accounts = _call(
        mocks,
        "aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts",
        parentId=security,
    )["accounts"]
    assert [a["name"] for a in accounts] == [
        "log-archive",
        "security-tooling",
        "audit",
        "identity-center-admin",
    ]  # type: ignore[attr-defined]
    acquired = top["children"][4]["id"]  # type: ignore[index]
    descendants = _call(
        mocks,
        "aws:organizations/getOrganizationalUnitDescendantAccounts:getOrganizationalUnitDescendantAccounts",
        parentId=acquired,
    )["accounts"]
    assert len(descendants) == 35  # type: ignore[arg-type]
    with pytest.raises(UnansweredInvoke, match="no OU or root 'ou-zz99-99999999'"):
        _call(
            mocks,
            "aws:organizations/getOrganizationalUnits:getOrganizationalUnits",
            parentId="ou-zz99-99999999",
        )


def test_the_engine_answers_every_data_source_of_the_catalogue_and_no_other(estate: Estate) -> None:
    assert set(EstateMocks(estate).answers()) == catalogue.DATA_SOURCE_TOKENS


def test_identity_center_answers(estate: Estate) -> None:
    mocks = EstateMocks(estate)
    instances = _call(mocks, "aws:ssoadmin/getInstances:getInstances")
    assert instances["arns"] == ["arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"]
    assert instances["identityStoreIds"] == ["d-906712ab34"]
    groups = _call(mocks, "aws:identitystore/getGroups:getGroups", identityStoreId="d-906712ab34")["groups"]
    names = [g["displayName"] for g in groups]  # type: ignore[attr-defined]
    assert names == sorted(estate.synced_groups) and len(names) == 24
    one = _call(
        mocks,
        "aws:identitystore/getGroup:getGroup",
        identityStoreId="d-906712ab34",
        alternateIdentifier={
            "unique_attribute": {"attribute_path": "DisplayName", "attribute_value": "aws-mobile-dev"}
        },
    )
    assert one["groupId"] == estate.synced_groups["aws-mobile-dev"]
    with pytest.raises(UnansweredInvoke, match="no Identity Center group named 'aws-patient-portal-dev'"):
        _call(
            mocks,
            "aws:identitystore/getGroup:getGroup",
            alternateIdentifier={
                "uniqueAttribute": {
                    "attributePath": "DisplayName",
                    "attributeValue": "aws-patient-portal-dev",
                }
            },
        )
    caller = _call(mocks, "aws:index/getCallerIdentity:getCallerIdentity")
    assert caller["accountId"] == "100000000026"


def test_unknown_invoke_fails_loudly(estate: Estate) -> None:
    with pytest.raises(UnansweredInvoke, match="no answer for invoke aws:s3/getBucket:getBucket"):
        _call(EstateMocks(estate), "aws:s3/getBucket:getBucket", bucket="x")


PROGRAM = """
import pulumi, pulumi_aws as aws, pulumi_okta as okta

config = pulumi.Config("probe")
okta_provider = okta.Provider("okta", org_name="acme")
group = okta.group.Group(
    "aws-payments-dev",
    name="aws-payments-dev",
    description=config.require_secret("token"),
    opts=pulumi.ResourceOptions(provider=okta_provider, protect=True),
)
okta.PushGroup(
    "push-new", app_id="0oa1", source_group_id=group.id, target_group_name="aws-patient-portal-dev",
    delete_target_group_on_destroy=False,
    opts=pulumi.ResourceOptions(provider=okta_provider, depends_on=[group]),
)
okta.PushGroup(
    "push-synced", app_id="0oa1", source_group_id=group.id, target_group_name="aws-payments-dev",
    delete_target_group_on_destroy=False, opts=pulumi.ResourceOptions(provider=okta_provider),
)
organization = aws.organizations.get_organization()
pulumi.log.warn("a warning the engine keeps")
pulumi.export("accounts", len(organization.accounts))
pulumi.export("token", config.require_secret("token"))
"""


# The pushes need the app's provisioning known to be on (engine rule push-group-needs-provisioning).
PROBE_CONFIG = {"probe:token": "s3cr3t", "frontdoor:okta": {"provisioningEnabled": True}}


def test_program_run_records_everything(estate: Estate, tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(textwrap.dedent(PROGRAM))
    run = run_program(
        tmp_path, stack="probe", config=PROBE_CONFIG, estate=estate, secret_keys=("probe:token",)
    )
    # push-new waits on the group (depends_on), so registrations may finish in either order
    assert sorted((r.type, r.name) for r in run.resources) == [
        ("okta:group/group:Group", "aws-payments-dev"),
        ("okta:index/pushGroup:PushGroup", "push-new"),
        ("okta:index/pushGroup:PushGroup", "push-synced"),
        ("pulumi:providers:okta", "okta"),
    ]
    by_name = {r.name: r for r in run.resources}
    provider, group, push_new = by_name["okta"], by_name["aws-payments-dev"], by_name["push-new"]
    assert provider.secret_inputs == frozenset() and group.secret_inputs == frozenset({"description"})
    assert group.inputs["description"] == "s3cr3t"
    assert group.protect and not push_new.protect
    assert group.provider.startswith("urn:pulumi:probe::frontdoor::pulumi:providers:okta::okta::")
    assert push_new.dependencies == (group.urn,)
    assert push_new.parent_urn == "urn:pulumi:probe::frontdoor::pulumi:pulumi:Stack::frontdoor-probe"
    assert run.deferred == ["aws-patient-portal-dev"]
    assert run.warnings == ["a warning the engine keeps"]
    assert run.outputs["accounts"].value == 140 and not run.outputs["accounts"].secret
    assert run.outputs["token"].secret
    assert run.invokes == ["aws:organizations/getOrganization:getOrganization"]
    # a second run in the same process starts from a clean slate
    again = run_program(tmp_path, stack="probe", config={**PROBE_CONFIG, "probe:token": "x"}, estate=estate)
    assert len(again.resources) == 4 and set(again.outputs) == {"accounts", "token"}


NESTED_PROGRAM = """
import pulumi
import pulumi_okta as okta

class Outer(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("probe:index:Outer", name)
        Inner(f"{name}/inner", pulumi.ResourceOptions(parent=self))

class Inner(pulumi.ComponentResource):
    def __init__(self, name, opts):
        super().__init__("probe:index:Inner", name, None, opts)
        okta.group.Group(f"{name}/group", name="aws-x", opts=pulumi.ResourceOptions(parent=self))

Outer("outer")
"""


def test_urns_carry_the_parents_whole_type_chain_as_the_engine_writes_them(
    estate: Estate, tmp_path: Path
) -> None:
    (tmp_path / "__main__.py").write_text(textwrap.dedent(NESTED_PROGRAM))
    run = run_program(tmp_path, stack="probe", config={}, estate=estate)
    urns = sorted(r.urn for r in run.resources if not r.type.startswith("pulumi:providers:"))
    # pulumi/pulumi deployment.go generateURN: a grandchild is Outer$Inner$Group; the SDK's mock monitor
    # would have written Inner$Group, which no real preview, gate or import file contains.
    assert urns == [
        "urn:pulumi:probe::frontdoor::probe:index:Outer$probe:index:Inner$okta:group/group:Group::outer/inner/group",
        "urn:pulumi:probe::frontdoor::probe:index:Outer$probe:index:Inner::outer/inner",
        "urn:pulumi:probe::frontdoor::probe:index:Outer::outer",
    ]


GC_PROGRAM = """
import gc
import pulumi
from frontdoor.program import tune_garbage_collection
tune_garbage_collection()
pulumi.export("frozen", gc.get_freeze_count())
pulumi.export("thresholds", list(gc.get_threshold()))
"""


def test_the_collector_is_tuned_for_the_program_and_put_back_after(estate: Estate, tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(GC_PROGRAM)
    # The interpreter's default thresholds, not the program's (which the suite itself runs with:
    # tests/conftest.py), so putting them back is seen.
    suite = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        run = run_program(tmp_path, stack="probe", config={}, estate=estate)
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*suite)
    # Inside the program: what lived before it is frozen, full collections are rare.
    assert run.outputs["frozen"].value > 10_000
    assert run.outputs["thresholds"].value == [700, 50, 1000]
    # After it, the engine's process collects everything again, with its own thresholds.
    assert gc.get_freeze_count() == 0
    assert after == (700, 10, 10)
