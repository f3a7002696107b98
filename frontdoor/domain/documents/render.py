"""How a policy document is written and measured: minified JSON with sorted keys, the form AWS counts
against its size limits, and stable from run to run."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any


def non_whitespace_length(document: str) -> int:
    return len(re.sub(r"\s", "", document))


def render_policy(document: Mapping[str, Any]) -> str:
    """Minified JSON with sorted keys: stable across runs, and what AWS counts against its limits."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True)
