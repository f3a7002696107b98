"""Reading a people file as text: its size, its encoding and its bytes, each refused by name."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.base.input_files import SAVE_AS_UTF8, line_and_column, read_text

MB = 1024 * 1024


def refusal(path: Path, max_bytes: int = MB) -> str:
    with pytest.raises(ConfigError) as caught:
        read_text(path, "HR export", max_bytes, "export only the fields the rules read")
    (issue,) = caught.value.issues
    return issue.render().replace(str(path), "{file}")


def test_utf8_with_or_without_a_bom_is_read_as_written(tmp_path: Path) -> None:
    text = "login,title\nzoë@x.example,Ingénieur Plateforme \n"
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    plain.write_bytes(text.encode())
    marked.write_bytes(codecs.BOM_UTF8 + text.encode())
    assert read_text(plain, "HR export", MB, "") == read_text(marked, "HR export", MB, "") == text


@pytest.mark.parametrize(
    ("bom", "name"),
    [
        (codecs.BOM_UTF32_LE, "UTF-32 LE"),  # starts with the UTF-16 LE mark: checked first
        (codecs.BOM_UTF32_BE, "UTF-32 BE"),
        (codecs.BOM_UTF16_LE, "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "UTF-16 BE"),
    ],
)
def test_a_byte_order_mark_names_the_encoding(tmp_path: Path, bom: bytes, name: str) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(bom + b"l\x00o\x00")
    assert refusal(path) == (
        f"{{file}}: (file): the file is {name}, not UTF-8 (got 'byte-order mark {bom.hex(' ').upper()}'). "
        f"Fix: {SAVE_AS_UTF8}"
    )


def test_utf16_without_a_mark_is_refused_by_its_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes("login,email\n".encode("utf-16-le"))
    assert refusal(path) == (
        "{file}: line 1, byte 2: the file holds NUL bytes: UTF-16 or UTF-32 without a byte-order mark, or "
        f"not a text file (got 'NUL byte'). Fix: {SAVE_AS_UTF8}"
    )


def test_latin1_names_the_line_the_byte_and_what_it_is_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes("login,title\na@x.example,Ing\u00e9nieur\n".encode("latin-1"))
    assert refusal(path) == (
        "{file}: line 2, byte 16: not UTF-8 (in Windows-1252 this byte is 'é': the file looks like "
        f"Windows-1252 or Latin-1) (got '0xE9'). Fix: {SAVE_AS_UTF8}"
    )


def test_size_is_refused_before_reading_and_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 11)
    assert refusal(path, max_bytes=10) == (
        "{file}: (file): HR export is larger than 10 bytes (got '11 bytes'). "
        "Fix: export only the fields the rules read"
    )
    assert (
        refusal(tmp_path / "nope.csv")
        == "{file}: (file): HR export file not found (got '{file}'). Fix: check the path"
    )


def test_line_and_column_are_one_based_in_bytes_or_characters() -> None:
    assert line_and_column(b"ab\ncd", 4) == (2, 2)
    assert line_and_column("ab\ncd", 0) == (1, 1)
