"""The pack's contract module, generated: `policy/rules/_contracts.py` is `frontdoor/domain/contracts.py`
under a header that says so.

The pack runs as its own process and imports nothing of frontdoor, so it cannot import the program's
contracts module: it carries a copy, and the copy is generated, never edited. `make pack-contracts`
(`python -m frontdoor.offline.pack_contracts`) writes it; tests/frontdoor/offline/test_pack_contracts.py
generates it again in memory and fails when the committed file differs by one byte. The whole module
text travels, so whatever the contracts module gains reaches the pack with the next generation; what
makes that possible is that the contracts module imports nothing but the standard library (checked
by tests/frontdoor/domain/test_contracts.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from frontdoor.domain import contracts
from frontdoor.offline.project import PACK_DIR

SOURCE = Path(contracts.__file__)
TARGET = PACK_DIR / "rules" / "_contracts.py"
HEADER = (
    b"# GENERATED from frontdoor/domain/contracts.py by `make pack-contracts`: do not edit this copy.\n"
    b"# The pack imports nothing of frontdoor, so it carries the program's contract module, byte for\n"
    b"# byte below these lines; tests/frontdoor/offline/test_pack_contracts.py fails when it is stale.\n"
)


def pack_contracts(source: bytes) -> bytes:
    """The pack's copy of the contracts module whose text is `source`."""
    return HEADER + source


def main() -> int:
    TARGET.write_bytes(pack_contracts(SOURCE.read_bytes()))
    print(f"wrote {TARGET} from {SOURCE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
