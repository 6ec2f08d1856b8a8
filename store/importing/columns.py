"""Column mapping: which header names which contact field, and a table's cells as Rows.

A header cell is matched case-insensitively, with `_` and `-` read as spaces, to a field's
own name or one of its aliases; `--map "Header=field,..."` adds or overrides a match.
Columns nothing matches are left out.
"""

from __future__ import annotations

from store.errors import InputError
from store.exporting import STAGE_DATE_COLUMNS, unneutralise
from store.importing.rows import FILLED_FIELDS, Row, RowReader

# Everything a column may hold; the last ones count only for new contacts.
TARGETS = (
    *FILLED_FIELDS,
    "first",
    "last",
    "stage",
    "referred_by",
    *STAGE_DATE_COLUMNS.values(),
    "created_at",
    "archived",
    "ignore",
)
# Header names (normalised: casefolded, `_` and `-` as spaces) besides the target's own.
ALIASES = {
    "name": ("full name", "contact", "contact name"),
    "first": ("first name", "firstname", "given name"),
    "last": ("last name", "lastname", "surname", "family name"),
    "role": ("title", "position", "job title"),
    "company": ("organization", "organisation", "org", "employer"),
    "email": ("e mail", "email address", "e mail address", "mail"),
    "phone": ("phone number", "mobile", "telephone", "tel"),
    "linkedin": ("url", "linkedin url", "profile url"),
    "notes": ("note", "comments"),
    "tags": ("tag",),
    "connected_on": ("connected on",),
    "ignore": ("id", "updated at"),
}


def header_key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


HEADER_TARGETS: dict[str, str] = {header_key(t): t for t in TARGETS if t != "ignore"} | {
    alias: target for target, aliases in ALIASES.items() for alias in aliases
}


def parse_map(text: str) -> dict[str, str]:
    """`--map "Header=field,..."` as {normalised header: field}."""
    mapping = {}
    for item in filter(str.strip, text.split(",")):
        header, sep, target = item.partition("=")
        target = header_key(target).replace(" ", "_")
        if not sep or not header.strip():
            raise InputError(f"--map: {item.strip()!r} is not Header=field")
        if target not in TARGETS:
            raise InputError(f"--map: unknown field {target!r}; use one of {', '.join(TARGETS)}")
        mapping[header_key(header)] = target
    return mapping


def column_targets(header: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """{cell index: target} for the header cells that name one."""
    known = HEADER_TARGETS | mapping
    return {
        i: known[header_key(cell)] for i, cell in enumerate(header) if header_key(cell) in known
    }


def has_name(columns: dict[int, str]) -> bool:
    return bool({"name", "first", "last"} & set(columns.values()))


def table_rows(
    rows: list[tuple[int, list[str]]], header_at: int, columns: dict[int, str], reader: RowReader
) -> list[Row]:
    """The Rows under the header at `rows[header_at]`, read through `columns`."""
    width = len(rows[header_at][1])
    result = []
    for line, cells in rows[header_at + 1 :]:
        if len(cells) > width:
            reader.report.notices.append(
                (line, f"{len(cells) - width} more cells than the header; those were left out")
            )
        values = {}
        for index, target in columns.items():
            text = unneutralise(cells[index].strip()) if index < len(cells) else ""
            if text and target != "ignore":
                values.setdefault(target, text)
        row = reader.row(line, values)
        if row:
            result.append(row)
    return result
