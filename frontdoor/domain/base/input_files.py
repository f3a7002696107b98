"""Reading an input file a person hands to frontdoor (an HR export, a posture result) as text, or
refusing it by name: the size, the encoding, the byte.

Files are UTF-8, with or without a byte-order mark. The encoding is decided from the bytes, never
guessed and never repaired (`errors="replace"` would turn a Latin-1 `é` into U+FFFD and a name into
another name):

- a UTF-32 byte-order mark (checked first: `FF FE 00 00` starts with the UTF-16 LE mark) or a UTF-16
  one is refused naming the encoding;
- a UTF-8 byte-order mark is dropped;
- a NUL byte is refused (UTF-16 or UTF-32 without a mark, or not a text file: UTF-8 text never needs
  U+0000, and the csv module would keep it inside a cell);
- anything else must decode as strict UTF-8; the first byte that does not is refused with its line,
  its byte column, its hex value and what it is in Windows-1252 (the usual source: a spreadsheet
  saved as "CSV" rather than "CSV UTF-8").
"""

from __future__ import annotations

import codecs
from pathlib import Path

from frontdoor.domain.base.errors import ConfigError, ConfigIssue

SAVE_AS_UTF8 = 'save it as UTF-8 (Excel: "CSV UTF-8 (Comma delimited)")'
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "UTF-16 BE"),
)


def line_and_column(data: bytes | str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` (bytes or characters, as `data` is)."""
    before = data[:offset]
    if isinstance(before, bytes):
        return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def read_text(path: Path, what: str, max_bytes: int, too_large_fix: str) -> str:
    """The file's text; ConfigError naming the file, where, the value and the fix otherwise.

    `what` names the file in messages ("HR export", "posture file"); a file over `max_bytes` is
    refused before it is read.
    """
    source = str(path)

    def refused(where: str, value: object, problem: str, fix: str) -> ConfigError:
        return ConfigError([ConfigIssue(source, where, value, problem, fix)])

    if not path.is_file():
        raise refused("(file)", source, f"{what} file not found", "check the path")
    size = path.stat().st_size
    if size > max_bytes:
        raise refused("(file)", f"{size} bytes", f"{what} is larger than {max_bytes} bytes", too_large_fix)
    data = path.read_bytes()
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise refused(
                "(file)",
                f"byte-order mark {bom.hex(' ').upper()}",
                f"the file is {name}, not UTF-8",
                SAVE_AS_UTF8,
            )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = line_and_column(data, nul)
        raise refused(
            f"line {line}, byte {column}",
            "NUL byte",
            "the file holds NUL bytes: UTF-16 or UTF-32 without a byte-order mark, or not a text file",
            SAVE_AS_UTF8,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column(data, error.start)
        bad = data[error.start : error.end]
        as_1252 = bad.decode("cp1252", errors="replace")
        raise refused(
            f"line {line}, byte {column}",
            f"0x{bad.hex().upper()}",
            f"not UTF-8 (in Windows-1252 this byte is {as_1252!r}: the file looks like Windows-1252 or "
            "Latin-1)",
            SAVE_AS_UTF8,
        ) from None
