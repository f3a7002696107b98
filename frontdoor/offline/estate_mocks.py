"""The SDK's mocks answered from an estate: every invoke the program makes (Organizations, Identity
Center, identity store, caller identity, and the engine's builtin that reads the stack's own state)
answered from the simulated organization, every `pulumi.StackReference` read from the estate's
`stackOutputs`, and the ids and computed outputs of new resources derived deterministically from their
inputs. The engine (frontdoor/offline/engine.py) runs the program against them and records what it
registers and reads. An invoke whose answer needs a fact the estate does not hold stops the run
(`EstateUnknown`, exit 2): absent is unknown, never fine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime import rpc

from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.planning.prior_state import READ_STATE_TOKEN
from frontdoor.offline import api_rules
from frontdoor.offline.estate import Estate

_SECRET_SIG = rpc._special_secret_sig  # the marker the SDK wraps secret values in
_SIG_KEY = rpc._special_sig_key
STACK_REFERENCE = "pulumi:pulumi:StackReference"


class UnansweredInvoke(RuntimeError):
    """The program called a data source the estate cannot answer: fail loudly, never guess."""


class UnansweredStackReference(RuntimeError):
    """The program read a stack whose outputs the estate does not hold: unknown, never empty."""


def unwrap_secrets(value: Any) -> tuple[Any, bool]:
    """A deserialized input with the SDK's secret wrappers removed, and whether any was found."""
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            inner, _ = unwrap_secrets(value.get("value"))
            return inner, True
        found = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[key], secret = unwrap_secrets(item)
            found = found or secret
        return out, found
    if isinstance(value, list):
        items = [unwrap_secrets(item) for item in value]
        return [item for item, _ in items], any(secret for _, secret in items)
    return value, False


class EstateMocks(pulumi.runtime.Mocks):
    """Answers the program's invokes from an estate; derives ids and outputs of new resources."""

    def __init__(
        self, estate: Estate, config: Mapping[str, Any] | None = None, *, unknown_ids: bool = False
    ) -> None:
        self.estate = estate
        self.config = config or {}
        # `pulumi preview` of a resource it will create: its id and every output the provider computes
        # are unknown; only the inputs the program wrote are known. Off: the ids and outputs derived below.
        self.unknown_ids = unknown_ids
        self.invokes: list[str] = []
        self._accounts = estate.all_accounts()
        self._children = estate.ou_children()

    # --- invokes -----------------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        self.invokes.append(args.token)
        if args.token == READ_STATE_TOKEN:
            # The engine's builtin provider, not a data source of the catalogue.
            return self._stack_state(dict(args.args))
        answer = self.answers().get(args.token)
        if answer is None:
            raise UnansweredInvoke(
                f"the offline engine has no answer for invoke {args.token}; add the data source to "
                "frontdoor/domain/resource_types.py and its answer to frontdoor/offline/estate_mocks.py "
                "EstateMocks, or avoid the data source"
            )
        result: dict[str, Any] = answer(dict(args.args))
        return result

    def answers(self) -> dict[str, Any]:
        """Data source token -> the function answering it from the estate."""
        # One answer per data source of the catalogue (a test keeps the two lists equal).
        return {
            catalogue.GET_ORGANIZATION: self._organization,
            catalogue.GET_ORGANIZATIONAL_UNITS: self._ous,
            catalogue.GET_OU_CHILD_ACCOUNTS: self._child_accounts,
            catalogue.GET_OU_DESCENDANT_ACCOUNTS: self._descendant_accounts,
            catalogue.GET_DELEGATED_ADMINISTRATORS: self._delegated,
            catalogue.GET_SSO_INSTANCES: self._instances,
            catalogue.GET_IDENTITY_STORE_GROUPS: self._groups,
            catalogue.GET_IDENTITY_STORE_GROUP: self._group,
            catalogue.GET_CALLER_IDENTITY: self._caller,
            catalogue.GET_OKTA_PROFILE_MAPPING_SOURCE: self._okta_user_type,
        }

    def _stack_state(self, args: dict[str, Any]) -> dict[str, Any]:
        """`pulumi:pulumi:readStackResourceOutputs` from the estate's `deployed:` block."""
        prior = self.estate.prior_state()
        return prior.as_resource_outputs(str(args.get("stackName")), pulumi.get_stack(), pulumi.get_project())

    def _okta_user_type(self, _: dict[str, Any]) -> dict[str, Any]:
        # The Okta org's default user type: the source of the Okta user -> app user profile mapping.
        return {"id": "oty1defaultuser00000", "name": "user", "type": "user"}

    def _account(self, account: Any) -> dict[str, Any]:
        org = self.estate.organization
        return {
            "id": account.id,
            "name": account.name,
            "arn": f"arn:aws:organizations::{org.management_account.id}:account/{org.id}/{account.id}",
            "email": account.email or f"{account.name}@example.invalid",
            "state": account.state,
            "status": "SUSPENDED" if account.state != "ACTIVE" else "ACTIVE",
            "joinedMethod": "CREATED",
            "joinedTimestamp": "2024-01-01T00:00:00Z",
        }

    def _organization(self, _: dict[str, Any]) -> dict[str, Any]:
        org = self.estate.organization
        management = org.management_account
        principals = self.estate.known(
            "organization.awsServiceAccessPrincipals",
            "first-run stage a checks which services have trusted access (getOrganization)",
        )
        policy_types = self.estate.known(
            "organization.enabledPolicyTypes",
            "first-run stage a checks the policy types enabled on the root (getOrganization)",
        )
        feature_set = self.estate.known(
            "organization.featureSet",
            "first-run stage a checks the organization has all features (getOrganization)",
        )
        accounts = [self._account(account) for account, _ in self._accounts]
        return {
            "id": org.id,
            "arn": f"arn:aws:organizations::{management.id}:organization/{org.id}",
            "featureSet": feature_set,
            "masterAccountId": management.id,
            "masterAccountArn": f"arn:aws:organizations::{management.id}:account/{org.id}/{management.id}",
            "masterAccountEmail": management.email or "",
            "masterAccountName": management.name,
            "accounts": accounts,
            "nonMasterAccounts": [a for a in accounts if a["id"] != management.id],
            "awsServiceAccessPrincipals": sorted(principals),
            "enabledPolicyTypes": sorted(policy_types),
            "roots": [
                {
                    "id": org.root_id,
                    "name": "Root",
                    "arn": f"arn:aws:organizations::{management.id}:root/{org.id}/{org.root_id}",
                    "policyTypes": [{"status": "ENABLED", "type": kind} for kind in sorted(policy_types)],
                }
            ],
        }

    def _ous(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = str(args.get("parentId"))
        if parent not in self._children:
            raise UnansweredInvoke(f"getOrganizationalUnits: no OU or root {parent!r} in the estate")
        org = self.estate.organization
        return {
            "id": parent,
            "parentId": parent,
            "children": [
                {
                    "id": ou.id,
                    "name": ou.name,
                    "arn": f"arn:aws:organizations::{org.management_account.id}:ou/{org.id}/{ou.id}",
                }
                for ou in self._children[parent]
            ],
        }

    def _child_accounts(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = str(args.get("parentId"))
        return {
            "id": parent,
            "parentId": parent,
            "accounts": [self._account(a) for a, parent_id in self._accounts if parent_id == parent],
        }

    def _descendant_accounts(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = str(args.get("parentId"))
        wanted = {parent}
        frontier = [parent]
        while frontier:
            for ou in self._children.get(frontier.pop(), []):
                wanted.add(ou.id)
                frontier.append(ou.id)
        return {
            "id": parent,
            "parentId": parent,
            "accounts": [self._account(a) for a, parent_id in self._accounts if parent_id in wanted],
        }

    def _delegated(self, args: dict[str, Any]) -> dict[str, Any]:
        principal = str(args.get("servicePrincipal") or "")
        accounts = api_rules.delegated_administrators(self.estate).get(principal, [])
        known = {account.id: account for account, _ in self._accounts}
        return {
            "id": principal,
            "servicePrincipal": principal,
            "delegatedAdministrators": [
                {
                    **self._account(known[account_id]),
                    "delegationEnabledDate": "2024-01-01T00:00:00Z",
                }
                for account_id in accounts
                if account_id in known
            ],
        }

    def _instances(self, _: dict[str, Any]) -> dict[str, Any]:
        center = self.estate.identity_center
        if not api_rules.identity_center_readable(self.estate, self.config):
            # sso-admin ListInstances from an account that is not the delegated administrator: empty.
            return {"id": center.region, "region": center.region, "arns": [], "identityStoreIds": []}
        return {
            "id": center.region,
            "region": center.region,
            "arns": [center.instance_arn],
            "identityStoreIds": [center.identity_store_id],
        }

    def _group_record(self, name: str, group_id: str) -> dict[str, Any]:
        return {
            "groupId": group_id,
            "displayName": name,
            "description": "synced by SCIM from Okta",
            "externalIds": [{"id": f"okta-{group_id[-12:]}", "issuer": "okta"}],
            "identityStoreId": self.estate.identity_center.identity_store_id,
        }

    def _groups(self, _: dict[str, Any]) -> dict[str, Any]:
        store = self.estate.identity_center.identity_store_id
        synced: dict[str, str] = self.estate.known(
            "syncedGroups", "which groups SCIM has synced decides which grants are deferred (getGroups)"
        )
        groups = [self._group_record(n, g) for n, g in sorted(synced.items())]
        return {"id": store, "identityStoreId": store, "groups": groups}

    def _group(self, args: dict[str, Any]) -> dict[str, Any]:
        identifier = args.get("alternateIdentifier") or {}
        unique = identifier.get("uniqueAttribute") or identifier.get("unique_attribute") or {}
        name = unique.get("attributeValue") or unique.get("attribute_value")
        synced: dict[str, str] = self.estate.known(
            "syncedGroups", "getGroup looks a group up by display name"
        )
        group_id = synced.get(str(name))
        if group_id is None:
            raise UnansweredInvoke(
                f"getGroup: no Identity Center group named {name!r} has been synced by SCIM"
            )
        record = self._group_record(str(name), group_id)
        record["id"] = group_id
        return record

    def _caller(self, _: dict[str, Any]) -> dict[str, Any]:
        account = self.estate.organization.management_account.id
        return {
            "id": account,
            "accountId": account,
            "arn": f"arn:aws:sts::{account}:assumed-role/frontdoor-deploy/offline",
            "userId": "AROAOFFLINE:offline",
        }

    # --- resources ---------------------------------------------------------------------------
    def _stack_reference(self, stack_name: str) -> tuple[str, dict[str, Any]]:
        # What the engine's builtin provider answers a StackReference read with (pulumi/pulumi
        # pkg/resource/deploy/builtins.go, readStackReference): the name, the outputs and which are secret.
        outputs = self.estate.stack_outputs.get(stack_name)
        if outputs is None:
            raise UnansweredStackReference(
                f"a StackReference reads stack {stack_name!r}, whose outputs the estate does not hold: "
                f"add them under stackOutputs.{stack_name} (`pulumi stack output --json --stack "
                f"{stack_name}` prints them)"
            )
        return stack_name, {"name": stack_name, "outputs": dict(outputs), "secretOutputNames": []}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ == STACK_REFERENCE:
            return self._stack_reference(str(args.resource_id))
        inputs, _ = unwrap_secrets(dict(args.inputs))
        state = dict(args.inputs)
        if self.unknown_ids and not args.resource_id:
            # An empty id at preview is the SDK's unknown id; outputs not in the state are unknown.
            return "", state
        resource_id = f"{args.name}-id"
        if args.typ == contracts.PERMISSION_SET:
            instance = str(inputs.get("instanceArn", "")).rsplit("/", 1)[-1]
            state["arn"] = f"arn:aws:sso:::permissionSet/{instance}/ps-{_digest(args.name)[:16]}"
        elif args.typ == contracts.ORG_POLICY:
            resource_id = f"p-{_digest(args.name)[:8]}"
            state["arn"] = f"arn:aws:organizations::policy/{resource_id}"
        elif args.typ.startswith("okta:"):
            resource_id = f"0oa{_digest(args.typ + args.name)[:17]}"
            if args.typ == contracts.OKTA_SAML_APP:
                state["metadataUrl"] = (
                    f"https://{self.estate.organization.id}.okta.invalid/app/{resource_id}/sso/saml/metadata"
                )
                state["entityUrl"] = f"http://www.okta.com/{resource_id}"
                state["certificate"] = "MIIC-offline-certificate"
        state["id"] = resource_id
        return resource_id, state


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
