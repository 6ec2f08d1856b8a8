"""The database file's tables as a user reads them: each record with every field of its
kind (the file leaves out those at their default: store.records.lean_doc)."""

from __future__ import annotations

import json
from pathlib import Path

from store.records import whole_doc


def tables_on_disk(db_path: Path) -> dict:
    """{table: {id: doc}} of the file at `db_path`, every record whole."""
    return {name: {key: whole_doc(name, doc) for key, doc in table.items()}
            for name, table in json.loads(db_path.read_bytes()).items()}
