"""A permission set's inline policy: the ABAC template's statements first, then the set's own."""

from __future__ import annotations

from typing import Any

from frontdoor.domain.documents.abac_policy import abac_statements
from frontdoor.domain.model.permission_sets import PermissionSetConfig


def inline_policy_document(permission_set: PermissionSetConfig) -> dict[str, Any] | None:
    """The permission set's inline policy (the ABAC template first, then the extra statements)."""
    statements: list[dict[str, Any]] = []
    if permission_set.abac:
        abac = permission_set.abac
        statements += abac_statements(
            abac.tag_key, abac.services, abac.create_actions, abac.read_only_actions
        )
    statements.extend(permission_set.inline_statements)
    return {"Version": "2012-10-17", "Statement": statements} if statements else None
