"""The generic CSV reader: any spreadsheet saved as CSV, its columns named by its header."""

from __future__ import annotations

from pathlib import Path

from store.errors import InputError
from store.importing.columns import column_targets, has_name, header_key, table_rows
from store.importing.decode import csv_cells, sniff_delimiter
from store.importing.rows import Row, RowReader


def csv_rows(text: str, path: Path, reader: RowReader, mapping: dict[str, str]) -> list[Row]:
    """A spreadsheet: the first non-blank line is the header, matched case-insensitively."""
    rows = csv_cells(text, path, sniff_delimiter(text))
    if not rows:
        raise InputError(f"{path}: is empty; a header line comes first")
    for header in mapping:
        if header not in {header_key(cell) for cell in rows[0][1]}:
            raise InputError(f"--map: {path} has no column {header!r} in its header")
    columns = column_targets(rows[0][1], mapping)
    if not has_name(columns):
        raise InputError(
            f"{path}: line {rows[0][0]}: no name column in the header (name, or first and last "
            'name); name one with --map "Header=name"'
        )
    return table_rows(rows, 0, columns, reader)
