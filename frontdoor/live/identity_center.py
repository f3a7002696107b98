"""Identity Center as its APIs answer it, read-only: instance, groups, users, permission sets, assignments.

Owns the sso-admin and identitystore reads of `estate pull`, `doctor` and `drift`. They run in the
Identity Center administrator account (the delegated administrator of `sso.amazonaws.com`, reached
by assuming a role there; the management account itself when nothing is delegated). Assignments are
read per principal (`ListAccountAssignmentsForPrincipal`, one listing per group and per user) and
permission sets per set (describe, inline policy, managed and customer-managed attachments,
boundary): O(principals + permission sets) calls, never one call per account or per assignment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from frontdoor.live.aws import LiveError, LiveSession, call, paginate
from frontdoor.live.organization import concurrently, pages

PAGE = 100  # the largest MaxResults of every sso-admin and identitystore list call
SSO_PRINCIPAL = "sso.amazonaws.com"
NO_BOUNDARY = "ResourceNotFoundException"  # what GetPermissionsBoundaryForPermissionSet answers without one


@dataclass(frozen=True)
class LivePermissionSet:
    arn: str
    name: str
    session_duration: str
    inline_policy: str | None  # canonical JSON (sorted keys) or None
    managed_policies: frozenset[str]
    customer_managed_policies: frozenset[str]  # "<path><name>"
    boundary: (
        str | None
    )  # a managed policy ARN or "<path><name>" of a customer-managed one (None: none or unread)
    description: str = ""


@dataclass(frozen=True)
class LiveAssignment:
    principal_type: str  # GROUP | USER
    principal_id: str
    principal_name: str
    permission_set_arn: str
    account_id: str


@dataclass
class LiveIdentityCenter:
    account_id: str  # where it was read
    instance_arn: str
    identity_store_id: str
    groups: dict[str, str]  # display name -> group id
    users: dict[str, str] = field(default_factory=dict)  # user id -> user name
    permission_sets: dict[str, LivePermissionSet] = field(default_factory=dict)  # by ARN
    assignments: list[LiveAssignment] = field(default_factory=list)
    assignment_pages: int = 0  # ListAccountAssignmentsForPrincipal pages the read needed at minimum


def identity_center_session(
    live: LiveSession, admin_account: str | None, management_account: str, role_name: str
) -> LiveSession:
    """The session that reads Identity Center: the delegated administrator's, or the caller's own."""
    if admin_account is None or admin_account == management_account:
        return live
    return live.assume(admin_account, role_name)


def read_instance(live: LiveSession) -> tuple[str, str] | None:
    """(instance ARN, identity store id) of the instance this account administers, or None."""
    instances = list(
        paginate(
            live.client("sso-admin"),
            "list_instances",
            "Instances",
            account=live.account,
            PaginationConfig={"PageSize": PAGE},
        )
    )
    if not instances:
        return None
    return str(instances[0]["InstanceArn"]), str(instances[0]["IdentityStoreId"])


def read_groups(live: LiveSession, identity_store_id: str) -> dict[str, str]:
    groups: dict[str, str] = {}
    for group in paginate(
        live.client("identitystore"),
        "list_groups",
        "Groups",
        account=live.account,
        IdentityStoreId=identity_store_id,
        PaginationConfig={"PageSize": PAGE},
    ):
        groups[str(group["DisplayName"])] = str(group["GroupId"])
    return groups


def read_users(live: LiveSession, identity_store_id: str) -> dict[str, str]:
    return {
        str(user["UserId"]): str(user["UserName"])
        for user in paginate(
            live.client("identitystore"),
            "list_users",
            "Users",
            account=live.account,
            IdentityStoreId=identity_store_id,
            PaginationConfig={"PageSize": PAGE},
        )
    }


def canonical_policy(document: str) -> str | None:
    """A policy document as sorted-key JSON, so whitespace and key order are not drift."""
    if not document.strip():
        return None
    try:
        return json.dumps(json.loads(document), sort_keys=True, separators=(",", ":"))
    except json.JSONDecodeError:
        return document


def read_permission_set(
    live: LiveSession, instance_arn: str, arn: str, *, with_boundary: bool = True
) -> LivePermissionSet:
    sso = live.client("sso-admin")
    where = {"InstanceArn": instance_arn, "PermissionSetArn": arn}
    described = call(sso.describe_permission_set, account=live.account, **where)["PermissionSet"]
    inline = call(sso.get_inline_policy_for_permission_set, account=live.account, **where)
    managed = paginate(
        sso,
        "list_managed_policies_in_permission_set",
        "AttachedManagedPolicies",
        account=live.account,
        PaginationConfig={"PageSize": PAGE},
        **where,
    )
    customer = paginate(
        sso,
        "list_customer_managed_policy_references_in_permission_set",
        "CustomerManagedPolicyReferences",
        account=live.account,
        PaginationConfig={"PageSize": PAGE},
        **where,
    )
    return LivePermissionSet(
        arn=arn,
        name=str(described["Name"]),
        session_duration=str(described.get("SessionDuration") or "PT1H"),
        inline_policy=canonical_policy(str(inline.get("InlinePolicy") or "")),
        managed_policies=frozenset(str(p["Arn"]) for p in managed),
        customer_managed_policies=frozenset(f"{p.get('Path') or '/'}{p['Name']}" for p in customer),
        boundary=read_boundary(live, where) if with_boundary else None,
        description=str(described.get("Description") or ""),
    )


def read_boundary(live: LiveSession, where: dict[str, str]) -> str | None:
    try:
        answer = call(
            live.client("sso-admin").get_permissions_boundary_for_permission_set,
            account=live.account,
            **where,
        )
    except LiveError as error:
        if str(error).startswith(f"{NO_BOUNDARY}:"):
            return None
        raise
    boundary = answer.get("PermissionsBoundary") or {}
    if boundary.get("ManagedPolicyArn"):
        return str(boundary["ManagedPolicyArn"])
    reference = boundary.get("CustomerManagedPolicyReference") or {}
    return f"{reference.get('Path') or '/'}{reference['Name']}" if reference else None


def read_identity_center(
    live: LiveSession,
    *,
    with_access: bool = False,
    with_boundary: bool = True,
    progress: Callable[[str], None] = lambda _message: None,
) -> LiveIdentityCenter | None:
    """The instance and its groups; with_access adds users, permission sets and every assignment.

    with_boundary=False skips GetPermissionsBoundaryForPermissionSet (`drift --no-boundary`) for an
    endpoint that does not implement it or a read role not allowed it; boundaries are then unverified.
    """
    progress(f"identity center: instance (account {live.account})")
    instance = read_instance(live)
    if instance is None:
        return None
    instance_arn, store = instance
    progress("identity center: groups")
    center = LiveIdentityCenter(str(live.account or ""), instance_arn, store, read_groups(live, store))
    if not with_access:
        return center
    progress("identity center: users")
    center.users = read_users(live, store)
    progress("identity center: permission sets")
    arns = [
        str(arn)
        for arn in paginate(
            live.client("sso-admin"),
            "list_permission_sets",
            "PermissionSets",
            account=live.account,
            InstanceArn=instance_arn,
            PaginationConfig={"PageSize": PAGE},
        )
    ]
    center.permission_sets = {
        ps.arn: ps
        for ps in concurrently(
            lambda arn: read_permission_set(live, instance_arn, arn, with_boundary=with_boundary), arns
        )
    }
    group_names = {group_id: name for name, group_id in center.groups.items()}
    principals = [("GROUP", gid, name) for gid, name in sorted(group_names.items())]
    principals += [("USER", uid, name) for uid, name in sorted(center.users.items())]
    progress(f"identity center: assignments of {len(principals)} principals")

    def assignments_of(principal: tuple[str, str, str]) -> list[LiveAssignment]:
        kind, principal_id, name = principal
        return [
            LiveAssignment(kind, principal_id, name, str(a["PermissionSetArn"]), str(a["AccountId"]))
            for a in paginate(
                live.client("sso-admin"),
                "list_account_assignments_for_principal",
                "AccountAssignments",
                account=live.account,
                InstanceArn=instance_arn,
                PrincipalId=principal_id,
                PrincipalType=kind,
                PaginationConfig={"PageSize": PAGE},
            )
        ]

    per_principal = concurrently(assignments_of, principals)
    center.assignments = sorted(
        (a for found in per_principal for a in found),
        key=lambda a: (a.principal_type, a.principal_name, a.permission_set_arn, a.account_id),
    )
    center.assignment_pages = sum(pages(len(found), PAGE) for found in per_principal)
    return center


def minimum_identity_center_calls(
    center: LiveIdentityCenter, *, with_access: bool = False, with_boundary: bool = True
) -> int:
    """The fewest sso-admin/identitystore calls the APIs allow for what `read_identity_center` returns."""
    total = 1 + pages(len(center.groups), PAGE)  # ListInstances, ListGroups
    if with_access:
        total += pages(len(center.users), PAGE)
        total += pages(len(center.permission_sets), PAGE)
        for ps in center.permission_sets.values():
            # Describe, GetInline, ListManaged, ListCustomerManaged, GetBoundary
            total += (
                (3 if with_boundary else 2)
                + pages(len(ps.managed_policies), PAGE)
                + pages(len(ps.customer_managed_policies), PAGE)
            )
        total += center.assignment_pages
    return total
