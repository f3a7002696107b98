"""The Pulumi program: reads the organization and the identity store, then wires `components/`.

`from frontdoor.program import stack` is the public entry of users' `__main__.py`.
"""

from frontdoor.program.build import (
    build_break_glass,
    build_stack,
    export,
    main,
    stack,
    tune_garbage_collection,
)

__all__ = [
    "build_break_glass",
    "build_stack",
    "export",
    "main",
    "stack",
    "tune_garbage_collection",
]
