"""An import file's bytes as text, and that text as CSV cells.

The text is UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is an
InputError naming the line. CSV is read strictly, blank rows dropped, each row with the
line it starts on; a spreadsheet's delimiter is sniffed from its first line.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from store.errors import InputError


def read_text(path: Path) -> str:
    """The file's text (UTF-8, with or without a BOM; UTF-16 with a BOM); InputError if not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise InputError(f"{path}: cannot be read: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        return raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}: line {line} is not {'UTF-16' if utf16 else 'UTF-8'} text (byte "
            f"{raw[exc.start]:#04x}); save the file as UTF-8 and try again — nothing was imported"
        ) from None


def csv_cells(text: str, path: Path, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """The non-blank rows with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, start = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"{path}: line {start} is not valid CSV ({exc}); nothing was imported"
        ) from None
    return rows


def sniff_delimiter(text: str) -> str:
    """`,`, `;` or tab: whichever the first non-blank line has most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=first.count)
