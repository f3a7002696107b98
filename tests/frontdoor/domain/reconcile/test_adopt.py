"""The pure half of `adopt`: import ids, entry names and parents, the URN check, replacements."""

from __future__ import annotations

from typing import Any

from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.reconcile import adopt as a
from frontdoor.domain.reconcile import drift as kinds
from frontdoor.domain.reconcile import import_ids

SP = "urn:pulumi:s::frontdoor"
STACK = f"{SP}::pulumi:pulumi:Stack::frontdoor-s"
PROVIDER = f"{SP}::pulumi:providers:aws::aws-identity-center"
MANAGEMENT_PROVIDER = f"{SP}::pulumi:providers:aws::aws-management"
INSTANCE = "arn:aws:sso:::instance/ssoins-1"
PS_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-live"
PLANNED_PS_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-planned"
PLATFORM = f"{SP}::frontdoor:index:AccessPlatform::frontdoor"
COMPONENT = f"{SP}::frontdoor:index:AccessPlatform$frontdoor:aws:PermissionSet::Admin"
MANAGED_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


def resource(
    urn: str,
    type_: str,
    name: str,
    parent: str,
    inputs: dict[str, Any],
    outputs: dict[str, Any] | None = None,
) -> import_ids.PlannedResource:
    custom = not type_.startswith("frontdoor:")
    provider = (MANAGEMENT_PROVIDER if type_.startswith("aws:organizations") else PROVIDER) if custom else ""
    return import_ids.PlannedResource(urn, type_, name, parent, custom, provider, inputs, outputs or {})


def planned(*, description: str = "admins") -> list[import_ids.PlannedResource]:
    # Recorded URNs as the engine writes them (and the offline engine records them): a child of a nested
    # component carries the whole chain, AccessPlatform$PermissionSet$<type>.
    return [
        resource(PLATFORM, "frontdoor:index:AccessPlatform", "frontdoor", STACK, {}),
        resource(COMPONENT, "frontdoor:aws:PermissionSet", "Admin", PLATFORM, {}),
        resource(
            f"{SP}::frontdoor:index:AccessPlatform$frontdoor:aws:PermissionSet${contracts.PERMISSION_SET}::Admin",
            contracts.PERMISSION_SET,
            "Admin",
            COMPONENT,
            {"name": "Admin", "instanceArn": INSTANCE, "description": description},
            {"arn": PLANNED_PS_ARN},
        ),
        resource(
            f"{SP}::frontdoor:index:AccessPlatform$frontdoor:aws:PermissionSet${contracts.MANAGED_ATTACHMENT}"
            "::Admin/AdministratorAccess",
            contracts.MANAGED_ATTACHMENT,
            "Admin/AdministratorAccess",
            COMPONENT,
            {"managedPolicyArn": MANAGED_POLICY, "permissionSetArn": PLANNED_PS_ARN, "instanceArn": INSTANCE},
        ),
        resource(
            f"{SP}::frontdoor:index:AccessPlatform${catalogue.DELEGATED_ADMINISTRATOR}::identity-center",
            catalogue.DELEGATED_ADMINISTRATOR,
            "identity-center",
            PLATFORM,
            {"accountId": "222222222222", "servicePrincipal": "sso.amazonaws.com"},
        ),
        resource(
            f"{SP}::frontdoor:index:AccessPlatform${contracts.ORG_POLICY}::deny-root",
            contracts.ORG_POLICY,
            "deny-root",
            PLATFORM,
            {"name": "deny-root", "content": '{"Version": "2012-10-17"}'},
            {"id": "deny-root-id"},
        ),
    ]


def shape(name: str, managed: frozenset[str] = frozenset({MANAGED_POLICY})) -> kinds.PermissionSetShape:
    return kinds.PermissionSetShape(name=name, managed_policies=managed)


def live(**overrides: Any) -> import_ids.LiveEstate:
    values: dict[str, Any] = {
        "instance_arn": INSTANCE,
        "permission_sets": {"Admin": import_ids.LiveSet(PS_ARN, "Admin", "admins", shape("Admin"))},
        "group_names": {},
        "user_names": {},
        "assignments": frozenset(),
        "scps": {
            "deny-root": import_ids.LiveScpPolicy(
                "p-11111111", "deny-root", '{"Version":"2012-10-17"}', frozenset()
            )
        },
        "delegated_admins": {"222222222222": frozenset({"sso.amazonaws.com"})},
        "oidc_providers": {},
        "abac_configured": None,
    }
    values.update(overrides)
    return import_ids.LiveEstate(**values)


def plan_of(resources: list[import_ids.PlannedResource]) -> kinds.Plan:
    return kinds.Plan(frozenset(), frozenset(), {"Admin": shape("Admin")}, frozenset())


def run(resources: list[import_ids.PlannedResource], estate: import_ids.LiveEstate) -> a.Adoption:
    return a.adopt(
        resources,
        plan_of(resources),
        [],
        estate,
        account_of_provider={},
        provider_names={PROVIDER: "aws-identity-center", MANAGEMENT_PROVIDER: "aws-management"},
        group_prefix="aws-",
        teams=["payments"],
    )


def test_entries_carry_the_provider_formats_parents_and_unique_names() -> None:
    adoption = run(planned(), live())
    assert adoption.replacements == [] and adoption.refused == []
    assert adoption.import_file() == {
        "nameTable": {"aws-identity-center": PROVIDER, "aws-management": MANAGEMENT_PROVIDER},
        "resources": [
            {"type": "frontdoor:index:AccessPlatform", "name": "frontdoor", "component": True},
            {
                "type": "frontdoor:aws:PermissionSet",
                "name": "frontdoor:aws:PermissionSet::Admin",
                "logicalName": "Admin",
                "parent": "frontdoor",
                "component": True,
            },
            {
                "type": contracts.PERMISSION_SET,
                "name": f"{contracts.PERMISSION_SET}::Admin",
                "logicalName": "Admin",
                "parent": "frontdoor:aws:PermissionSet::Admin",
                "id": f"{PS_ARN},{INSTANCE}",
                "provider": "aws-identity-center",
            },
            {
                "type": contracts.MANAGED_ATTACHMENT,
                "name": "Admin/AdministratorAccess",
                "parent": "frontdoor:aws:PermissionSet::Admin",
                "id": f"{MANAGED_POLICY},{PS_ARN},{INSTANCE}",
                "provider": "aws-identity-center",
            },
            {
                "type": catalogue.DELEGATED_ADMINISTRATOR,
                "name": "identity-center",
                "parent": "frontdoor",
                "id": "222222222222/sso.amazonaws.com",
                "provider": "aws-management",
            },
            {
                "type": contracts.ORG_POLICY,
                "name": "deny-root",
                "parent": "frontdoor",
                "id": "p-11111111",
                "provider": "aws-management",
            },
        ],
    }
    assert adoption.imported == 4


def test_every_entry_of_nested_components_lands_on_a_real_form_urn() -> None:
    adoption = run(planned(), live())
    assert adoption.refused == []
    # Resolved as `pulumi import` resolves them, the depth-3 entries are the program's real-form URNs.
    assert a.check_entries(adoption, {r.urn for r in planned()}) == []


def test_an_entry_that_lands_on_no_resource_of_the_program_is_refused() -> None:
    adoption = run(planned(), live())
    adoption.entries[3]["name"] = "Admin/ReadOnlyAccess"  # a name the program never registers
    refused = a.check_entries(adoption, {r.urn for r in planned()})
    assert refused == [
        f"Admin/ReadOnlyAccess ({contracts.MANAGED_ATTACHMENT}): {SP}::frontdoor:index:AccessPlatform$"
        f"frontdoor:aws:PermissionSet${contracts.MANAGED_ATTACHMENT}::Admin/ReadOnlyAccess "
        "is not a resource of the program"
    ]


def test_a_live_set_under_another_name_with_the_same_description_is_a_replacement() -> None:
    estate = live(
        permission_sets={
            "Administrators": import_ids.LiveSet(PS_ARN, "Administrators", "admins", shape("x", frozenset()))
        }
    )
    adoption = run(planned(), estate)
    assert adoption.replacements == [
        import_ids.Replacement(
            "permission set Admin",
            f"the live permission set Administrators ({PS_ARN}) has the same description as the catalogue's "
            "Admin, under another name: the name cannot change in place, so adopting it would replace it "
            "(new AWSReservedSSO_Admin_* roles in every account); rename permissionSets.Admin to "
            "Administrators in the stack config (and the grants that name it)",
        )
    ]
    missing = [(i.kind, i.subject) for i in adoption.items]
    assert (a.RESOURCE_MISSING, "Admin/AdministratorAccess") in missing


def test_the_same_policies_under_another_name_is_a_replacement_too() -> None:
    estate = live(permission_sets={"Root": import_ids.LiveSet(PS_ARN, "Root", "other", shape("Root"))})
    assert [r.message.split(" has ")[1][:17] for r in run(planned(), estate).replacements] == [
        "the same policies"
    ]


def test_another_delegated_administrator_and_another_instance_are_replacements() -> None:
    estate = live(
        delegated_admins={"333333333333": frozenset({"sso.amazonaws.com"})},
        instance_arn="arn:aws:sso:::instance/ssoins-2",
    )
    subjects = {r.subject: r.message for r in run(planned(), estate).replacements}
    assert subjects["delegated administrator of sso.amazonaws.com"] == (
        "account 333333333333 is the live delegated administrator, the config plans 222222222222: the "
        "registration would be replaced and every permission set moved; set "
        "organization.identityCenterAccountId to 333333333333 in the stack config"
    )
    assert subjects["permission set Admin"].startswith(
        f"the plan's Identity Center instance {INSTANCE} is not the live one "
        "(arn:aws:sso:::instance/ssoins-2)"
    )


def test_an_assignment_to_a_group_id_not_live_is_a_replacement_and_a_live_one_is_imported() -> None:
    assignment = resource(
        f"{SP}::frontdoor:index:AccessPlatform${contracts.ACCOUNT_ASSIGNMENT}::aws-payments-dev/Admin/111111111111",
        contracts.ACCOUNT_ASSIGNMENT,
        "aws-payments-dev/Admin/111111111111",
        PLATFORM,
        {
            "principalId": "g-1",
            "principalType": "GROUP",
            "targetId": "111111111111",
            "targetType": "AWS_ACCOUNT",
            "permissionSetArn": PLANNED_PS_ARN,
            "instanceArn": INSTANCE,
        },
    )
    stale = run([*planned(), assignment], live())
    assert [r.subject for r in stale.replacements] == ["aws-payments-dev/Admin/111111111111"]
    present = run(
        [*planned(), assignment],
        live(
            group_names={"g-1": "aws-payments-dev"},
            assignments=frozenset({("GROUP", "g-1", PS_ARN, "111111111111")}),
        ),
    )
    ids = [e["id"] for e in present.entries if e["type"] == contracts.ACCOUNT_ASSIGNMENT]
    assert ids == [f"g-1,GROUP,111111111111,AWS_ACCOUNT,{PS_ARN},{INSTANCE}"]


def test_out_of_config_objects_carry_the_config_that_would_own_them() -> None:
    unmanaged = kinds.Finding(kinds.UNMANAGED, "aws-payments-dev / Admin / 111111111111")
    user = kinds.Finding(kinds.USER, "jane.doe / Admin / 111111111111")
    assert a.proposal(unmanaged, group_prefix="aws-", teams=["payments"]) == (
        "teams.payments.grants.Admin: add 111111111111 to its targets"
    )
    assert a.proposal(user, group_prefix="aws-", teams=["payments"]) == (
        "teams.<team>.grants.Admin: [111111111111] for the team whose members 'jane.doe' is (grants go to a "
        "team's group, never to a single principal), then remove the live assignment"
    )


def test_a_changed_scp_is_updated_and_a_foreign_one_reported() -> None:
    scps = {
        "deny-root": import_ids.LiveScpPolicy("p-1", "deny-root", '{"Version":"2008-10-17"}', frozenset()),
        "legacy": import_ids.LiveScpPolicy("p-2", "legacy", "{}", frozenset({"ou-1"})),
    }
    items = [(i.kind, i.subject, i.detail) for i in run(planned(), live(scps=scps)).items]
    assert items == [
        (import_ids.SCP_CHANGED, "deny-root", "content differs live: updated in place on the next run"),
        (a.SCP_UNMANAGED, "legacy (p-2)", "attached to ou-1"),
    ]


def test_the_report_lists_pending_grants_once_per_group_and_set() -> None:
    findings = [
        kinds.Finding(kinds.PENDING, f"aws-portal-dev / Admin / {account}", "group pushed, not synced yet")
        for account in ("111111111111", "222222222222")
    ]
    adoption = a.adopt(
        planned(),
        plan_of(planned()),
        findings,
        live(),
        account_of_provider={},
        provider_names={},
        group_prefix="aws-",
    )
    markdown = a.render_markdown(adoption, "s").splitlines()
    assert markdown[2] == (
        "4 live object(s) to import; 0 live object(s) with no place in the config; 2 planned object(s) "
        "missing live; 0 difference(s) updated in place; 0 replacement(s)."
    )
    assert markdown[-1] == (
        "| pending-sync | aws-portal-dev / Admin / 2 account(s) | group pushed, not synced yet: assigned on "
        "the next run | |"
    )
