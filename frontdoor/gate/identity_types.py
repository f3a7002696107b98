"""What the gate guards: the identity resource types, and the ops that delete or replace them.

Each type says why its delete or replace hurts (the reason is printed with every blocked change): the
catalogue of resource types holds the reasons (frontdoor/domain/resource_types.py, `gate`); every
token is checked against the pinned SDKs by a test, and documented in docs/gate.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from frontdoor.domain.contracts import OKTA_PUSH_GROUP
from frontdoor.domain.resource_types import GATED_FAMILIES, gated_types

# The types gated as families (every Identity Center and Identity Store type), and each type gated by
# its own reason: the catalogue's `gate` (frontdoor/domain/resource_types.py).
IDENTITY_TYPE_PREFIXES: Mapping[str, str] = GATED_FAMILIES
IDENTITY_TYPES: Mapping[str, str] = gated_types()

# Ops that remove a live object, or are part of a replacement (a new object with a new id).
DELETE_OPS = frozenset({"delete"})
REPLACE_OPS = frozenset(
    {"replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement"}
)
# `update` is gated only when it reports replace-kind diffs, or changes a field in _UPDATE_HAZARDS.
# Ops that never call the provider's Delete: `discard`/`discard-replaced` drop a resource that was
# only read (`.get`) from the state; `remove-pending-replace` drops a state entry whose object an
# earlier delete-before-replace already deleted; `import` adopts an existing object.
HARMLESS_OPS = frozenset(
    {
        "same",
        "create",
        "read",
        "refresh",
        "import",
        "discard",
        "discard-replaced",
        "remove-pending-replace",
    }
)

SEVERITY = {"update": 0, "delete": 1, "replace": 2, "unknown": 3}


def identity_reason(resource_type: str) -> str | None:
    """Why `resource_type` is gated, or None when it is not an identity type."""
    if resource_type in IDENTITY_TYPES:
        return IDENTITY_TYPES[resource_type]
    for prefix, why in IDENTITY_TYPE_PREFIXES.items():
        if resource_type.startswith(prefix):
            return why
    return None


# The only types whose new inputs an update hazard reads (`deleteTargetGroupOnDestroy`); every other
# step's inputs and outputs are dropped when the preview is read.
STATE_INPUTS_READ = frozenset({OKTA_PUSH_GROUP})
