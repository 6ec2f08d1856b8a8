"""Importing contacts from the files people already have: LinkedIn, CSV, vCard, a JSON backup.

An import reads and checks the whole file first, then applies it in ONE transaction: a
file that cannot be read, or an error halfway, changes nothing; a dry run does the same
work and rolls it back. Each row is matched to a contact already there by LinkedIn URL,
then email, then normalised name + company; a match only fills its empty fields, so
running the same import again adds nothing. `import json` instead restores a backup made
by `export json` (or a database file) exactly.

The modules, in the order an import uses them: `decode` (bytes to text, text to CSV
cells), a reader (`linkedin`, `spreadsheet`, `vcard`) that turns a file into `rows`
(through `columns` for the CSV ones), then `matching` and `merge` to apply them and
`report` to say what changed; `restore` is the whole of `import json`.
"""

from __future__ import annotations

from pathlib import Path

from store.dates import dayfirst_setting
from store.db import Store
from store.errors import InputError
from store.importing.columns import parse_map
from store.importing.decode import read_text
from store.importing.linkedin import LINKEDIN_HOW, linkedin_rows
from store.importing.matching import KEYS, Matcher, linkedin_key
from store.importing.merge import merge
from store.importing.report import ImportReport
from store.importing.restore import restore_json
from store.importing.rows import Row, RowReader
from store.importing.spreadsheet import csv_rows
from store.importing.vcard import vcard_rows

__all__ = [
    "FORMATS",
    "KEYS",
    "LINKEDIN_HOW",
    "ImportReport",
    "Matcher",
    "Row",
    "RowReader",
    "csv_rows",
    "import_file",
    "linkedin_key",
    "linkedin_rows",
    "merge",
    "parse_map",
    "read_text",
    "restore_json",
    "vcard_rows",
]

FORMATS = ("linkedin", "csv", "vcard", "json")


def import_file(
    store: Store,
    kind: str,
    path: str | Path,
    *,
    mapping: str = "",
    dry_run: bool = False,
    replace: bool = False,
) -> ImportReport:
    """Import `path` as `kind` (one of FORMATS) in one write; the report says what changed."""
    if kind not in FORMATS:
        raise InputError(f"unknown import format {kind!r}: use one of {', '.join(FORMATS)}")
    if mapping and kind != "csv":
        raise InputError("--map applies to csv imports only")
    path = Path(path).expanduser()
    columns = parse_map(mapping)
    text = read_text(path)
    report = ImportReport(path.name, dry_run=dry_run)
    if kind == "json":
        restore_json(store, text, path, report, replace=replace)
        return report
    reader = RowReader(report, store.clock(), dayfirst_setting(store.settings()))
    if kind == "linkedin":
        rows = linkedin_rows(text, path, reader)
    elif kind == "csv":
        rows = csv_rows(text, path, reader, columns)
    else:
        rows = vcard_rows(text, path, reader)
    merge(store, rows, report, _add_employers if kind == "linkedin" else None)
    return report


def _add_employers(store: Store, rows: list[Row], report: ImportReport) -> None:
    """A LinkedIn import fills the LAMP list: each company not on it yet becomes an
    employer (scores are never touched)."""
    from store.employers import add_companies  # the employers build on the importers

    report.employers = len(add_companies(store, (r.fields.get("company", "") for r in rows)))
