"""AWS managed policy documents for the canary, from the managed-policy data moto ships.

moto (pinned in pyproject's dev extra) carries a snapshot of every AWS managed policy's default
version; the canary evaluates a permission set's managed policies through it, so the documents are as
current as the pinned moto and move only with it. moto is a test tool, not a dependency of the
package: without it every managed policy is reported "not checked", never guessed.
"""

from __future__ import annotations

import functools
import json
from typing import Any


@functools.cache
def aws_managed_policy_documents() -> tuple[str, dict[str, dict[str, Any]]]:
    """(the source, named with moto's version; policy ARN -> document); ("", {}) without moto."""
    try:
        import moto
        from moto.iam.aws_managed_policies import aws_managed_policies_data
    except ImportError:
        return "", {}
    data = json.loads(aws_managed_policies_data)
    documents = {
        f"arn:aws:iam::aws:policy{entry.get('Path') or '/'}{name}": entry["Document"]
        for name, entry in data.items()
    }
    return f"moto {moto.__version__}", documents
