"""Every type the demo, break-glass and monitoring stacks register, and every data source they read, is in the
catalogue (frontdoor/domain/resource_types.py); what the catalogue holds beyond them is named here; and
every AWS string argument they set is mapped to the botocore member the engine judges it by."""

from __future__ import annotations

from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.planning.prior_state import READ_STATE_TOKEN
from frontdoor.offline.engine import ProgramRun
from frontdoor.offline.preview import PreviewResult

# Types the catalogue knows that neither stack registers with its checked-in config: set shapes and a
# CI role's managed policies the demo does not use, the break-glass login profile, Okta objects the
# gate guards in any state. And the data sources only programs of other shapes read (one group looked
# up at a time, the caller's account, a whole OU's accounts at once): the engine answers them too.
NOT_REGISTERED_BY_THE_STACKS = {
    contracts.CUSTOMER_MANAGED_ATTACHMENT,
    catalogue.PERMISSIONS_BOUNDARY_ATTACHMENT,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    contracts.IAM_LOGIN_PROFILE,
    "okta:app/features:Features",
    contracts.OKTA_APP_GROUP_ASSIGNMENTS,
    "okta:index/userBaseSchemaProperty:UserBaseSchemaProperty",
}
NOT_READ_BY_THE_STACKS = {
    catalogue.GET_IDENTITY_STORE_GROUP,
    catalogue.GET_CALLER_IDENTITY,
    catalogue.GET_OU_DESCENDANT_ACCOUNTS,
}


def _registered(*runs: ProgramRun) -> set[str]:
    return {
        r.type
        for run in runs
        for r in run.resources
        if r.custom and not r.type.startswith("pulumi:providers:")
    }


def test_every_registered_type_and_data_source_has_its_entry(
    demo: PreviewResult, breakglass_run: ProgramRun, monitoring: PreviewResult
) -> None:
    registered = _registered(demo.run, breakglass_run, monitoring.run)
    read = {token for run in (demo.run, breakglass_run, monitoring.run) for token in run.invokes}
    assert {"vault:aws/secretBackendRole:SecretBackendRole", "datadog:index/monitor:Monitor"} <= registered
    assert sorted(registered - set(catalogue.CATALOGUE)) == []
    # Beyond the catalogue's data sources only the engine's builtin read of the stack's own state, which
    # the demo needs for its deferred groups (no AWS permission: the Pulumi backend answers it).
    assert sorted(read - catalogue.DATA_SOURCE_TOKENS) == [READ_STATE_TOKEN]
    assert set(catalogue.CATALOGUE) - registered == NOT_REGISTERED_BY_THE_STACKS
    assert catalogue.DATA_SOURCE_TOKENS - read == NOT_READ_BY_THE_STACKS


def test_every_aws_string_argument_has_its_botocore_rule(
    demo: PreviewResult, breakglass_run: ProgramRun
) -> None:
    unsent = catalogue.unsent_arguments()
    set_by_program = {
        (r.type, key)
        for r in (*demo.run.resources, *breakglass_run.resources)
        if r.custom and r.type.startswith("aws:")
        for key, value in r.inputs.items()
        if isinstance(value, str) and key not in catalogue.UNSENT_INPUTS and (r.type, key) not in unsent
    }
    assert len(set_by_program) > 50
    # A new argument (or resource type) must be mapped to the request member its provider sends.
    assert sorted(set_by_program - set(catalogue.string_arguments())) == []
