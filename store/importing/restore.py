"""`import json`: make the database exactly what a backup from `export json` holds.

A backup from an older coffeechat is migrated first, by the same runner that migrates an
old database file on open; one from a newer coffeechat is refused. Records the database
has and the backup has not are dropped only with `replace`.
"""

from __future__ import annotations

import json
from pathlib import Path

from store.db import META_TABLE, SCHEMA_VERSION, Store, migrate
from store.errors import InputError, StoreError
from store.importing.report import ImportReport
from store.records import Contact, whole_doc
from store.schema import invalid_records


def restore_json(
    store: Store, text: str, path: Path, report: ImportReport, *, replace: bool
) -> None:
    """Make the database what the backup holds; refuse to drop records without `replace`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: line {exc.lineno} is not valid JSON ({exc.msg}); nothing was imported"
        ) from None
    _check_backup(data, path)
    try:
        version = Store.schema_version(data)
    except StoreError as exc:
        raise InputError(f"{path}: {exc}; nothing was imported") from None
    if invalid := list(invalid_records(data)):
        raise InputError(f"{path}: {len(invalid)} record{'s' if len(invalid) > 1 else ''} "
                         f"do not fit their kind: {'; '.join(map(str, invalid))}; nothing "
                         "was imported")
    if version > SCHEMA_VERSION:
        raise InputError(f"{path}: made by a newer coffeechat (schema {version}); upgrade first")
    migrate(data, version)
    data.pop(META_TABLE, None)
    # Compared as data() gives the database: each record with all its fields, whether the
    # backup left out those at their default or not.
    data = {name: {key: whole_doc(name, doc) for key, doc in table.items()}
            for name, table in data.items()}
    with store.transaction():
        current = store.data()
        current.pop(META_TABLE, None)
        theirs, ours = data.get(Contact.TABLE, {}), current.get(Contact.TABLE, {})
        report.new = len(theirs.keys() - ours.keys())
        report.updated = sum(1 for key in theirs.keys() & ours.keys() if theirs[key] != ours[key])
        report.unchanged = sum(1 for key in theirs.keys() & ours.keys() if theirs[key] == ours[key])
        report.removed = sum(
            len(table.keys() - data.get(name, {}).keys()) for name, table in current.items()
        )
        if report.removed and not replace and not report.dry_run:
            raise InputError(
                f"{path}: restoring it would remove {report.removed} records the database has "
                "and the backup has not; nothing was changed — add --replace to restore it anyway"
            )
        if data != current and not report.dry_run:
            store.replace_all(data)


def _check_backup(data: object, path: Path) -> None:
    ok = isinstance(data, dict) and all(
        isinstance(table, dict)
        and all(isinstance(doc, dict) and str(key).isdigit() for key, doc in table.items())
        for table in data.values()
    )
    if not ok or not isinstance(data.get(Contact.TABLE, {}), dict):
        raise InputError(f"{path}: is JSON but not a coffeechat backup (from export json)")
