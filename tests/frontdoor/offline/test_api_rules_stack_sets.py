"""Engine rules 3a and 3b: the StackSet shape the APIs can keep.

3a stackset-auto-deploy-no-account-filter: auto-deployment ignores account filters (CloudFormation User
Guide), so an instance that names accounts must sit on a StackSet that does not auto-deploy. 3b
stackset-instance-delete-before-replace: an instance's id names no account (terraform-provider-aws
stack_set_instance.go), so it is replaced delete-first.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain.resource_types import STACK_SET, STACK_SET_INSTANCE
from frontdoor.offline.api_rules import Context, check
from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.record import RecordedResource

DEMO = Path(__file__).resolve().parents[3] / "stacks" / "estate.demo.yaml"
ACCOUNT_TARGETS = {
    "organizationalUnitIds": ["r-a1b2"],
    "accounts": ["100000000375"],
    "accountFilterType": "INTERSECTION",
}
OU_TARGETS = {"organizationalUnitIds": ["ou-a1b2-dev00001"], "accountFilterType": "NONE"}


@pytest.fixture(scope="module")
def estate() -> Estate:
    return load_estate(DEMO)


def _record(type_: str, name: str, inputs: dict[str, Any], *, delete_first: bool = False) -> RecordedResource:
    return RecordedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:demo::frontdoor::{type_}::{name}",
        custom=True,
        parent_urn="",
        inputs=inputs,
        delete_before_replace=delete_first,
    )


def _context(estate: Estate, *, auto: bool) -> Context:
    context = Context(estate, {})
    auto_deployment: dict[str, Any] = (
        {"enabled": True, "retainStacksOnAccountRemoval": False} if auto else {"enabled": False}
    )
    stack_set = {
        "name": "frontdoor-vault-ci",
        "permissionModel": "SERVICE_MANAGED",
        "autoDeployment": auto_deployment,
    }
    assert check(_record(STACK_SET, "machines/ci/stack-set", stack_set), context) == []
    return context


def _instance(targets: dict[str, Any], *, delete_first: bool = True) -> RecordedResource:
    inputs = {"stackSetName": "frontdoor-vault-ci", "callAs": "SELF", "deploymentTargets": targets}
    return _record(STACK_SET_INSTANCE, "machines/ci/x", inputs, delete_first=delete_first)


def test_an_account_filter_on_an_auto_deploying_stack_set_is_refused(estate: Estate) -> None:
    violations = check(_instance(ACCOUNT_TARGETS), _context(estate, auto=True))
    assert [v.render() for v in violations] == [
        "aws:cloudformation/stackSetInstance:StackSetInstance 'machines/ci/x': deploymentTargets: filters "
        "accounts (INTERSECTION: ['100000000375']) on StackSet 'frontdoor-vault-ci', which auto-deploys: "
        "auto-deployment ignores the filter and deploys to every account that joins the OUs; put account "
        "targets on a StackSet without auto-deployment [rule stackset-auto-deploy-no-account-filter; "
        "source: CloudFormation User Guide, automatic deployments: they do not consider account level "
        "filters]"
    ]
    # A filter type alone, or accounts alone, is a filter all the same.
    difference = {"organizationalUnitIds": ["ou-a1b2-dev00001"], "accountFilterType": "DIFFERENCE"}
    accounts_only = {"organizationalUnitIds": ["r-a1b2"], "accounts": ["100000000375"]}
    for targets in (difference, accounts_only):
        found = check(_instance(targets), _context(estate, auto=True))
        assert [v.rule for v in found] == ["stackset-auto-deploy-no-account-filter"]


def test_account_targets_without_auto_deployment_and_ous_with_it_pass(estate: Estate) -> None:
    assert check(_instance(ACCOUNT_TARGETS), _context(estate, auto=False)) == []
    assert check(_instance(OU_TARGETS), _context(estate, auto=True)) == []
    # An instance of another StackSet is not judged by this one's auto-deployment.
    other = _instance(ACCOUNT_TARGETS)
    other = replace(other, inputs={**other.inputs, "stackSetName": "frontdoor-vault-other"})
    assert check(other, _context(estate, auto=True)) == []


def test_an_instance_replaced_create_first_is_refused(estate: Estate) -> None:
    violations = check(_instance(OU_TARGETS, delete_first=False), _context(estate, auto=True))
    assert [v.render() for v in violations] == [
        "aws:cloudformation/stackSetInstance:StackSetInstance 'machines/ci/x': deploymentTargets: is "
        "replaced create-before-delete (no delete_before_replace), and the old instance's delete would "
        "remove the stacks the new one claims (the id names no account); set delete_before_replace=True "
        "[rule stackset-instance-delete-before-replace; source: terraform-provider-aws "
        "stack_set_instance.go: deployment_targets ForceNew, id without accounts]"
    ]
