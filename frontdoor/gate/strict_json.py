"""A streaming, strict reader of one JSON document: `pulumi preview --json`, step by step.

A real preview of a large estate is hundreds of megabytes; `json.load` would hold the text and every
decoded step at once. This reader decodes the top-level object member by member and the `steps`
array element by element from a bounded buffer, so the caller keeps only what it needs of each step.

It is strict where `json` is lenient: a duplicated key in any object is refused with both positions
(the standard library keeps the last value silently, which in an allow file or a preview changes what
is gated), and a document nested deeper than the interpreter can decode is refused instead of
raising RecursionError. Errors are `JsonProblem` with a 1-based line and column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from frontdoor.domain.base.strict_json import first_duplicate

CHUNK = 1 << 20  # characters read at a time: the buffer holds about one chunk plus one step


@dataclass(frozen=True)
class Position:
    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line} column {self.column}"


class JsonProblem(ValueError):
    """The document is not strict JSON; `excerpt` is the text around the problem."""

    def __init__(self, problem: str, where: Position, excerpt: str) -> None:
        self.problem = problem
        self.where = where
        self.excerpt = excerpt
        super().__init__(f"{problem} at {where}")


class TooDeep(JsonProblem):
    """Valid or not, the value nests deeper than the decoder can follow."""


class DuplicateKey(JsonProblem):
    """One object names a key twice: `first` and `second` are where."""

    def __init__(self, key: str, first: Position, second: Position, excerpt: str) -> None:
        self.key = key
        self.first = first
        super().__init__(f"duplicate key {key!r} (first at {first})", second, excerpt)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


_DECODER = json.JSONDecoder(object_pairs_hook=_refuse_duplicates)
_WHITESPACE = " \t\n\r"


class StreamingObject:
    """The top-level object of a JSON document read from `stream` in chunks."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._buffer = ""
        self._pos = 0
        self._eof = False
        # Where buffer position 0 is in the document, for 1-based line/column in messages.
        self._base_line = 1
        self._base_column = 1

    # --- buffer ------------------------------------------------------------------------------
    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._stream.read(CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._compact()
        self._buffer += chunk
        return True

    def _compact(self) -> None:
        consumed = self._buffer[: self._pos]
        newlines = consumed.count("\n")
        if newlines:
            self._base_line += newlines
            self._base_column = len(consumed) - consumed.rfind("\n")
        else:
            self._base_column += len(consumed)
        self._buffer = self._buffer[self._pos :]
        self._pos = 0

    def position(self, index: int) -> Position:
        before = self._buffer[:index]
        newlines = before.count("\n")
        if newlines:
            return Position(self._base_line + newlines, index - before.rfind("\n"))
        return Position(self._base_line, self._base_column + index)

    def excerpt(self, index: int) -> str:
        return self._buffer[max(0, index - 20) : index + 20]

    def _peek(self) -> str:
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in _WHITESPACE:
                self._pos += 1
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._fill():
                return ""

    def _expect(self, allowed: str, what: str) -> str:
        char = self._peek()
        if not char or char not in allowed:
            raise JsonProblem(f"Expecting {what}", self.position(self._pos), self.excerpt(self._pos))
        self._pos += 1
        return char

    # --- values ------------------------------------------------------------------------------
    def value(self) -> Any:
        """Decode the next complete value, reading more text until it is whole."""
        self._peek()
        while True:
            try:
                decoded, end = _DECODER.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                if self._fill():
                    continue
                raise JsonProblem(error.msg, self.position(error.pos), self.excerpt(error.pos)) from None
            except _Duplicate as duplicate:
                raise self._duplicate(duplicate.key) from None
            except RecursionError:
                raise TooDeep(
                    "nested too deeply to read",
                    self.position(self._pos),
                    self.excerpt(self._pos),
                ) from None
            # A number at the very end of the buffer may continue in the next chunk.
            if end == len(self._buffer) and not self._eof and self._fill():
                continue
            self._pos = end
            return decoded

    def _duplicate(self, key: str) -> DuplicateKey:
        """Both positions of the first duplicated key in the value at the current position."""
        while self._fill():  # the error path: the whole value is wanted, the rest of the file is small
            pass
        found = first_duplicate(self._buffer, self._pos)
        if found is None:  # cannot happen: the decoder saw one
            where = self.position(self._pos)
            return DuplicateKey(key, where, where, self.excerpt(self._pos))
        name, first, second = found
        return DuplicateKey(name, self.position(first), self.position(second), self.excerpt(second))

    # --- the top-level object ------------------------------------------------------------------
    def members(self, streamed: Callable[[str], bool]) -> Iterator[tuple[str, Any]]:
        """(key, value) per member; a key for which `streamed(key)` is true yields `(key, ARRAY)`
        and its elements must be consumed with `elements()` before the next member."""
        if self._peek() != "{":
            raise NotAnObject(self.value())
        self._pos += 1
        seen: dict[str, Position] = {}
        if self._peek() == "}":
            self._pos += 1
            self._trailing()
            return
        while True:
            if self._peek() != '"':
                raise JsonProblem(
                    "Expecting property name enclosed in double quotes",
                    self.position(self._pos),
                    self.excerpt(self._pos),
                )
            key_at, key_excerpt = self.position(self._pos), self.excerpt(self._pos)
            key = self.value()
            if key in seen:
                raise DuplicateKey(key, seen[key], key_at, key_excerpt)
            seen[key] = key_at
            self._expect(":", "':' delimiter")
            if streamed(key) and self._peek() == "[":
                self._pos += 1
                yield key, ARRAY
            else:
                yield key, self.value()
            if self._expect(",}", "',' delimiter") == "}":
                break
        self._trailing()

    def elements(self) -> Iterator[Any]:
        """The elements of the array whose `[` was just consumed, one decoded value at a time."""
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            if self._expect(",]", "',' delimiter") == "]":
                return

    def _trailing(self) -> None:
        if self._peek():
            raise JsonProblem("Extra data", self.position(self._pos), self.excerpt(self._pos))


class NotAnObject(Exception):
    """The document is valid JSON but not an object; `value` is what it is."""

    def __init__(self, value: Any) -> None:
        self.value = value


ARRAY: Any = object()  # marks a streamed array member in `members()`
