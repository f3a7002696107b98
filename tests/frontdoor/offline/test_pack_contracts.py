"""The pack's contract module is the program's, generated: the committed copy is byte-identical."""

from __future__ import annotations

from frontdoor.offline.pack_contracts import HEADER, SOURCE, TARGET, pack_contracts


def test_the_committed_copy_is_the_generated_one_byte_for_byte() -> None:
    # Stale after an edit of frontdoor/domain/contracts.py: run `make pack-contracts`.
    assert TARGET.read_bytes() == pack_contracts(SOURCE.read_bytes())


def test_the_copy_says_it_is_generated_and_carries_the_whole_module() -> None:
    copy = pack_contracts(SOURCE.read_bytes())
    assert copy.startswith(b"# GENERATED from frontdoor/domain/contracts.py by `make pack-contracts`")
    assert copy.removeprefix(HEADER) == SOURCE.read_bytes()
    # One more line in the program's module is a different copy: a stale file cannot pass.
    assert pack_contracts(SOURCE.read_bytes() + b"LIMIT = 1\n") != TARGET.read_bytes()
