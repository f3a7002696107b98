"""Pulumi URNs as the engine writes them: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`.

The qualified type of a child is its parent's whole qualified type, then `$`, then its own type
(pulumi/pulumi pkg/resource/deploy/deployment.go `generateURN` and sdk/go/common/resource/urn/urn.go
`New`): a child of `P`, itself under `G`, is `G$P$C`. The root Stack qualifies nothing: a top-level
resource's qualified type is its own. The offline engine records URNs with this function and `frontdoor
adopt` resolves its import entries with it, so both match what a real `pulumi preview --json`, the gate,
drift-triage and `pulumi import` see.
"""

from __future__ import annotations

STACK_TYPE = "pulumi:pulumi:Stack"
DELIMITER = "::"


def qualified_type(urn: str) -> str:
    """The `G$P$C` type chain of a URN (its third `::` part)."""
    return urn.split(DELIMITER)[2]


def stack_project_prefix(urn: str) -> str:
    """`urn:pulumi:<stack>::<project>` of a URN."""
    return DELIMITER.join(urn.split(DELIMITER)[:2])


def child_urn(stack_project: str, parent_urn: str | None, type_: str, name: str) -> str:
    """The URN the engine gives a resource of `type_` and `name` under `parent_urn` (None or empty: none)."""
    chain = type_
    if parent_urn and qualified_type(parent_urn) != STACK_TYPE:
        chain = f"{qualified_type(parent_urn)}${type_}"
    return f"{stack_project}{DELIMITER}{chain}{DELIMITER}{name}"
