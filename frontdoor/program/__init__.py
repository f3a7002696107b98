"""The Pulumi programs of the three stacks: `entry` (which stack this is), `build` (the identity
stack), `break_glass` and `monitoring`, and what the identity program reads and registers with.

`from frontdoor.program import stack` is the public entry of users' `__main__.py`. The names below are
imported from their module on first use, not here: importing a program imports its provider SDKs, and
`__main__.py` (through `entry`) must import only those of the stack it runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontdoor.program.break_glass import build_break_glass
    from frontdoor.program.build import build_stack, export, stack, tune_garbage_collection
    from frontdoor.program.entry import main

_HOMES = {
    "build_break_glass": "frontdoor.program.break_glass",
    "build_stack": "frontdoor.program.build",
    "export": "frontdoor.program.build",
    "main": "frontdoor.program.entry",
    "stack": "frontdoor.program.build",
    "tune_garbage_collection": "frontdoor.program.build",
}

__all__ = [
    "build_break_glass",
    "build_stack",
    "export",
    "main",
    "stack",
    "tune_garbage_collection",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
