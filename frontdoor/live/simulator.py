"""The online canary: IAM's policy simulator asked the offline canary's questions, disagreements reported.

`iam:SimulateCustomPolicy` evaluates every policy the offline canary evaluated for a set: its inline
policy and AWS managed policy documents (`PolicyInputList`) and its permissions boundary
(`PermissionsBoundaryPolicyInputList`), for `ActionNames` x `ResourceArns` with the canary's session and
resource tags as `ContextEntries`: the simulator reads no tags itself. It is given no service control
policies (the canary's SCPs are its own reading of the plan), so each request's answer is compared with
the offline answer for the identity policies and boundary alone (the offline canary adds the SCPs on
top). A set with no document (only customer managed policies, or none) is not sent: there is nothing to
simulate. Requests are grouped by permission set and context, one call per group; each request is
validated against botocore's service model (botocore's own `ParamValidator`) before it is sent, so a
malformed request fails here, not as a 400 in CI. A document longer than the model's
`policyDocumentType` maximum is sent as several (its statements split; IAM evaluates a list of
documents as their union, so the answer is the same).

The moto server the tests use does not implement SimulateCustomPolicy: its tests pin the request
shapes and the comparison on answers in the API's documented response shape.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import botocore.exceptions
import botocore.parsers
import botocore.session
import botocore.validate

from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.proof.canary import CanaryResult, SetPolicies
from frontdoor.domain.proof.iam_evaluator import Request, evaluate
from frontdoor.live.aws import LiveError, paginate

OPERATION = "SimulateCustomPolicy"
# Context keys the identity policies read; the SCP-only keys (PrincipalARN, RequestedRegion,
# TokenIssueTime) are not sent because the simulator applies no SCP.
_SENT_PREFIXES = ("aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys", "iam:")
_LIST_KEYS = frozenset({"aws:tagkeys"})


@dataclass(frozen=True)
class SimulationGroup:
    """One SimulateCustomPolicy call: a policy, a context, and the (action, resource) pairs asked."""

    permission_set: str
    policies: tuple[str, ...]  # the rendered identity documents (PolicyInputList)
    boundaries: tuple[str, ...]  # the rendered boundary (PermissionsBoundaryPolicyInputList), if any
    context: tuple[tuple[str, tuple[str, ...]], ...]
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Disagreement:
    permission_set: str
    action: str
    resource: str
    context: tuple[tuple[str, tuple[str, ...]], ...]
    offline: str  # allow | explicit-deny | implicit-deny
    live: str  # the simulator's EvalDecision, or "missing"

    def describe(self) -> str:
        shown = ", ".join(f"{k}={'|'.join(v)}" for k, v in self.context)
        return (
            f"{self.permission_set}: {self.action} on {self.resource} ({shown}): offline {self.offline}, "
            f"IAM policy simulator {self.live}"
        )


def context_entries(context: Iterable[tuple[str, tuple[str, ...]]]) -> list[dict[str, Any]]:
    return [
        {
            "ContextKeyName": key,
            "ContextKeyValues": list(values),
            "ContextKeyType": "stringList" if key.lower() in _LIST_KEYS else "string",
        }
        for key, values in context
    ]


def policy_inputs(document: Mapping[str, Any]) -> list[str]:
    """The document rendered, split by statements into documents within the model's length limit."""
    rendered = render_policy(document)
    limit = _document_limit()
    raw = document.get("Statement", [])
    statements = [raw] if isinstance(raw, Mapping) else list(raw)
    if len(rendered) <= limit or len(statements) < 2:
        return [rendered]
    half = len(statements) // 2
    return [
        *policy_inputs({**document, "Statement": statements[:half]}),
        *policy_inputs({**document, "Statement": statements[half:]}),
    ]


def groups(results: Sequence[CanaryResult], sets: Mapping[str, SetPolicies]) -> list[SimulationGroup]:
    """The offline cases grouped into simulator calls (same set and same context: one call); the sets
    without a document are left out (nothing to send)."""
    grouped: dict[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], dict[tuple[str, str], None]] = {}
    for result in results:
        policies = sets.get(result.case.permission_set)
        if policies is None or not policies.identity:
            continue
        request = result.case.request
        context = tuple(sorted((k, v) for k, v in request.context.items() if k.startswith(_SENT_PREFIXES)))
        grouped.setdefault((result.case.permission_set, context), {})[(request.action, request.resource)] = (
            None
        )
    rendered = {
        name: (
            tuple(text for policy in policies.identity for text in policy_inputs(policy.document)),
            # One boundary, never split: the model takes "only one permissions boundary", and two halves
            # would not be the boundary (each would bound alone). Over the length limit, botocore's
            # validator refuses the request before it is sent (request_params).
            (render_policy(policies.boundary.document),) if policies.boundary is not None else (),
        )
        for name, policies in sets.items()
    }
    return [
        SimulationGroup(name, *rendered[name], context, tuple(pairs))
        for (name, context), pairs in sorted(grouped.items())
    ]


def request_params(group: SimulationGroup) -> dict[str, Any]:
    """The SimulateCustomPolicy parameters of one group, validated against botocore's model."""
    params: dict[str, Any] = {
        "PolicyInputList": list(group.policies),
        "ActionNames": sorted({action for action, _ in group.pairs}),
        "ResourceArns": sorted({resource for _, resource in group.pairs}),
        "ContextEntries": context_entries(group.context),
    }
    if group.boundaries:
        params["PermissionsBoundaryPolicyInputList"] = list(group.boundaries)
    validate(params)
    return params


def validate(params: Mapping[str, Any]) -> None:
    """botocore's own parameter validation for iam:SimulateCustomPolicy (ParamValidationError on error)."""
    botocore.validate.validate_parameters(dict(params), _input_shape())


def _document_limit() -> int:
    """The longest policy document SimulateCustomPolicy takes (botocore: policyDocumentType `max`)."""
    return int(_input_shape().members["PolicyInputList"].member.metadata["max"])


@functools.cache
def _input_shape() -> Any:
    """SimulateCustomPolicy's input shape from botocore's IAM model (loaded once per process)."""
    return botocore.session.get_session().get_service_model("iam").operation_model(OPERATION).input_shape


def live_decisions(responses: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """(action, resource) -> EvalDecision, from SimulateCustomPolicy responses (every page)."""
    decisions: dict[tuple[str, str], str] = {}
    for response in responses:
        for result in response.get("EvaluationResults", []):
            action = result["EvalActionName"]
            by_resource = result.get("ResourceSpecificResults") or []
            if by_resource:
                for specific in by_resource:
                    decisions[(action, specific["EvalResourceName"])] = specific["EvalResourceDecision"]
            else:
                decisions[(action, result.get("EvalResourceName", "*"))] = result["EvalDecision"]
    return decisions


_LIVE_NAMES = {"allow": "allowed", "explicit-deny": "explicitDeny", "implicit-deny": "implicitDeny"}


def compare(
    group: SimulationGroup, policies: SetPolicies, decisions: Mapping[tuple[str, str], str]
) -> list[Disagreement]:
    """Offline (the set's identity policies and boundary, no SCP) vs the simulator, per request."""
    context = dict(group.context)
    out = []
    for action, resource in group.pairs:
        offline = evaluate(
            Request(action, resource, context), policies.identity, (), policies.boundary
        ).decision
        live = decisions.get((action, resource), "missing")
        # Both deny kinds deny: only allowed-vs-not is a disagreement a user acts on.
        if (live == "allowed") != (offline == "allow"):
            out.append(Disagreement(group.permission_set, action, resource, group.context, offline, live))
    return out


def simulate(client: Any, group: SimulationGroup) -> list[Mapping[str, Any]]:
    """Every page of one SimulateCustomPolicy call (the API paginates with Marker/IsTruncated)."""
    params = request_params(group)
    try:
        results = list(
            paginate(
                client,
                "simulate_custom_policy",
                "EvaluationResults",
                fix="the read-only role needs iam:SimulateCustomPolicy",
                **params,
            )
        )
    except (
        botocore.exceptions.BotoCoreError,
        botocore.parsers.ResponseParserError,
    ) as error:  # no valid answer
        raise LiveError(
            f"no valid answer ({type(error).__name__}); fix: use an endpoint that implements "
            "iam:SimulateCustomPolicy (AWS itself; the local moto server does not)",
            operation="simulate_custom_policy",
        ) from error
    return [{"EvaluationResults": results}]
