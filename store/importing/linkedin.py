"""The LinkedIn reader: Connections.csv from LinkedIn's "Get a copy of your data"."""

from __future__ import annotations

from pathlib import Path

from store.errors import InputError
from store.importing.columns import column_targets, header_key, table_rows
from store.importing.decode import csv_cells
from store.importing.rows import Row, RowReader

LINKEDIN_HOW = "LinkedIn connection"


def linkedin_rows(text: str, path: Path, reader: RowReader) -> list[Row]:
    """Connections.csv: a `Notes:` preamble, blank lines, then the header and the rows."""
    rows = csv_cells(text, path)
    wanted = {"first name", "last name"}
    at = next(
        (i for i, (_, cells) in enumerate(rows) if wanted <= set(map(header_key, cells))), None
    )
    if at is None:
        raise InputError(
            f"{path}: no LinkedIn header (First Name,Last Name,URL,Email Address,Company,"
            "Position,Connected On) found; is it LinkedIn's Connections.csv?"
        )
    result = table_rows(rows, at, column_targets(rows[at][1], {}), reader)
    for row in result:
        row.fields["how_we_know"] = LINKEDIN_HOW
    return result
