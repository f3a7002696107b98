"""The IAM action catalogue for the canary, from the Service Authorization Reference data parliament ships.

parliament (pinned in pyproject's `canary` and `dev` extras) carries the reference's tables: every
action, its access level, the resource types it applies to and each type's ARN form. The canary
expands the actions a set names and builds create ARNs through it, so they move only with the pin.
Without it the actions are reported "not checked", never guessed.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from frontdoor.domain.proof.action_catalogue import ActionCatalogue, parse_catalogue


@functools.cache
def iam_action_catalogue() -> ActionCatalogue:
    """The catalogue, its source named with parliament's version; empty (source "") without it."""
    try:
        from importlib.metadata import version

        text = resources.files("parliament").joinpath("iam_definition.json").read_text()
    except (ImportError, FileNotFoundError):
        return ActionCatalogue("")
    return parse_catalogue(f"parliament {version('parliament')}", json.loads(text))
