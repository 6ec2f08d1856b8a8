"""Importing contacts from the files people already have: LinkedIn, CSV, vCard, a JSON backup.

An import reads and checks the whole file first, then applies it in ONE transaction: a
file that cannot be read, or an error halfway, changes nothing; a dry run does the same
work and rolls it back. Each row is matched to a contact already there by LinkedIn URL,
then email, then normalised name + company; a match only fills its empty fields, so
running the same import again adds nothing. `import json` instead restores a backup made
by `export json` (or a database file) exactly.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from store.dates import dayfirst_setting, parse_when
from store.db import META_TABLE, MIGRATIONS, SCHEMA_VERSION, Store
from store.errors import InputError
from store.exporting import STAGE_DATE_COLUMNS, unneutralise
from store.records import Contact, check_stage

FORMATS = ("linkedin", "csv", "vcard", "json")
LINKEDIN_HOW = "LinkedIn connection"
LINKEDIN_DATES = ("%d %b %Y", "%d-%b-%y")  # 15 Mar 2024, 7-Feb-22

# Contact fields a row may fill on a contact that is already there.
TEXT_FIELDS = (
    "name role company industry email phone linkedin location how_we_know notes research "
    "culture keep_in_touch connected_on"
).split()
FILLED_FIELDS = (*TEXT_FIELDS, "tags")
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
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x"})
_SPACES = re.compile(r"\s+")
_TAG_SPLIT = re.compile(r"[;,]")
# A vCard's lines end in CRLF (or LF, or CR); str.splitlines() would also break a value
# at the form feeds, U+2028 and the like that it may hold.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def header_key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


HEADER_TARGETS: dict[str, str] = {header_key(t): t for t in TARGETS if t != "ignore"} | {
    alias: target for target, aliases in ALIASES.items() for alias in aliases
}


# -- the report ------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or would do, in a dry run), row by row where it matters."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # records a JSON restore dropped
    skipped: list[tuple[int, str]] = field(default_factory=list)
    notices: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        parts = [f"{self.new} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        parts.append(f"{len(self.skipped)} skipped")
        verb = "would import" if self.dry_run else "imported"
        return f"{verb} {self.source}: {', '.join(parts)}"

    def lines(self) -> list[str]:
        """The summary, then every skipped row and every notice by line number."""
        details = [(line, f"skipped: {why}") for line, why in self.skipped] + self.notices
        lines = [self.summary()]
        lines += [f"  line {line}: {text}" for line, text in sorted(details, key=_first)]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


def _first(pair: tuple) -> object:
    return pair[0]


# -- reading files ---------------------------------------------------------------------


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


def _csv_rows(text: str, path: Path, delimiter: str = ",") -> list[tuple[int, list[str]]]:
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


def _delimiter(text: str) -> str:
    """`,`, `;` or tab: whichever the first non-blank line has most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=first.count)


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


@dataclass
class Row:
    """One contact as a file gives it: the fields read, and what only a new contact takes."""

    line: int
    fields: dict
    stage: str = ""
    history: list[dict] = field(default_factory=list)
    referrer: str = ""
    created_at: str = ""
    archived: bool = False


class RowReader:
    """Turns cells into Rows; notes what it could not read in the report."""

    def __init__(self, report: ImportReport, now: datetime, dayfirst: bool) -> None:
        self.report = report
        self.now = now
        self.dayfirst = dayfirst
        self._dates: dict[str, datetime | None] = {}

    def row(self, line: int, values: dict[str, str]) -> Row | None:
        """A Row from {target: text}; None (and a skip in the report) without a name."""
        first, last = values.pop("first", ""), values.pop("last", "")
        name = " ".join((values.pop("name", "") or f"{first} {last}").split())
        if not name:
            self.report.skipped.append((line, "no name"))
            return None
        row = Row(line, {"name": name})
        for target, text in values.items():
            self._put(row, target, text)
        return row

    def _put(self, row: Row, target: str, text: str) -> None:
        if target == "tags":
            row.fields["tags"] = list(
                dict.fromkeys(filter(None, map(str.strip, _TAG_SPLIT.split(text))))
            )
        elif target == "connected_on":
            when = self._date(row.line, text, target)
            if when:
                row.fields[target] = when.date().isoformat()
        elif target in TEXT_FIELDS:
            row.fields[target] = text
        elif target == "stage":
            try:
                row.stage = check_stage(text)
            except InputError:
                self.report.notices.append((row.line, f"unknown stage {text!r}; put in target"))
        elif target == "referred_by":
            row.referrer = " ".join(text.split())
        elif target in STAGE_DATE_COLUMNS.values():
            when = self._date(row.line, text, target)
            if when:
                stage = next(s for s, column in STAGE_DATE_COLUMNS.items() if column == target)
                row.history.append({"stage": stage, "at": when.isoformat(timespec="seconds")})
        elif target == "created_at":
            when = self._date(row.line, text, target)
            row.created_at = when.isoformat(timespec="seconds") if when else ""
        elif target == "archived":
            row.archived = text.casefold() in TRUE_WORDS

    def _date(self, line: int, text: str, column: str) -> datetime | None:
        if text not in self._dates:
            self._dates[text] = _read_date(text, self.now, self.dayfirst)
        when = self._dates[text]
        if when is None:
            self.report.notices.append((line, f"unreadable date {text!r} in {column}; left empty"))
        return when


def _read_date(text: str, now: datetime, dayfirst: bool) -> datetime | None:
    """ISO keeps its own offset (a naive one takes now's zone); other forms via parse_when."""
    try:
        when = datetime.fromisoformat(text)
        return when if when.tzinfo else when.replace(tzinfo=now.tzinfo)
    except ValueError:
        pass
    for form in LINKEDIN_DATES:  # the common case, without dateutil's cost
        try:
            return datetime.strptime(text, form).replace(tzinfo=now.tzinfo)
        except ValueError:
            pass
    try:
        return parse_when(text, now, dayfirst=dayfirst)
    except InputError:
        return None


def _table_rows(
    rows: list[tuple[int, list[str]]], header_at: int, columns: dict[int, str], reader: RowReader
) -> list[Row]:
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


def _columns(header: list[str], mapping: dict[str, str]) -> dict[int, str]:
    known = HEADER_TARGETS | mapping
    return {
        i: known[header_key(cell)] for i, cell in enumerate(header) if header_key(cell) in known
    }


def _has_name(columns: dict[int, str]) -> bool:
    return bool({"name", "first", "last"} & set(columns.values()))


def linkedin_rows(text: str, path: Path, reader: RowReader) -> list[Row]:
    """Connections.csv: a `Notes:` preamble, blank lines, then the header and the rows."""
    rows = _csv_rows(text, path)
    wanted = {"first name", "last name"}
    at = next(
        (i for i, (_, cells) in enumerate(rows) if wanted <= set(map(header_key, cells))), None
    )
    if at is None:
        raise InputError(
            f"{path}: no LinkedIn header (First Name,Last Name,URL,Email Address,Company,"
            "Position,Connected On) found; is it LinkedIn's Connections.csv?"
        )
    result = _table_rows(rows, at, _columns(rows[at][1], {}), reader)
    for row in result:
        row.fields["how_we_know"] = LINKEDIN_HOW
    return result


def csv_rows(text: str, path: Path, reader: RowReader, mapping: dict[str, str]) -> list[Row]:
    """A spreadsheet: the first non-blank line is the header, matched case-insensitively."""
    rows = _csv_rows(text, path, _delimiter(text))
    if not rows:
        raise InputError(f"{path}: is empty; a header line comes first")
    for header in mapping:
        if header not in {header_key(cell) for cell in rows[0][1]}:
            raise InputError(f"--map: {path} has no column {header!r} in its header")
    columns = _columns(rows[0][1], mapping)
    if not _has_name(columns):
        raise InputError(
            f"{path}: line {rows[0][0]}: no name column in the header (name, or first and last "
            'name); name one with --map "Header=name"'
        )
    return _table_rows(rows, 0, columns, reader)


def vcard_rows(text: str, path: Path, reader: RowReader) -> list[Row]:
    """Every BEGIN:VCARD … END:VCARD block, read with vobject."""
    import vobject  # imported here: the commands that never read vCards start faster

    result = []
    for line, block in _vcard_blocks(text, path):
        try:
            card = vobject.readOne(block)
        except Exception as exc:  # vobject raises several kinds for one broken card
            reason = re.sub(r"^At line \d+: ", "", str(exc))  # vobject's count is off
            raise InputError(
                f"{path}: line {line}: the vCard starting here cannot be read ({reason}); "
                "nothing was imported"
            ) from None
        row = reader.row(line, _card_values(card))
        if row:
            result.append(row)
    return result


def _vcard_blocks(text: str, path: Path) -> list[tuple[int, str]]:
    blocks, start, lines = [], None, []
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        word = line.strip().upper()
        if start is None:
            if word == "BEGIN:VCARD":
                start, lines = number, [line]
            elif word:
                raise InputError(f"{path}: line {number} is outside any vCard (BEGIN:VCARD)")
            continue
        lines.append(line)
        if word == "END:VCARD":
            blocks.append((start, "\r\n".join(lines) + "\r\n"))
            start = None
    if start is not None:
        raise InputError(f"{path}: line {start}: a vCard that never ends (no END:VCARD)")
    return blocks


def _card_values(card) -> dict[str, str]:
    def all_of(name: str) -> list[str]:
        return [str(item.value).strip() for item in card.contents.get(name, []) if item.value]

    values: dict[str, str] = {}
    if names := all_of("fn"):
        values["name"] = names[0]
    elif "n" in card.contents:
        n = card.n.value
        values["name"] = f"{n.given} {n.additional} {n.family}".strip()
    if "org" in card.contents:
        values["company"] = ", ".join(filter(None, card.org.value))
    if titles := all_of("title"):
        values["role"] = titles[0]
    emails, phones, urls = all_of("email"), all_of("tel"), all_of("url")
    linkedin = [url for url in urls if "linkedin.com/" in url.casefold()]
    also = [f"email {e}" for e in emails[1:]] + [f"phone {p}" for p in phones[1:]]
    also += [f"url {u}" for u in urls if u not in linkedin[:1]]
    notes = all_of("note")[:1] + ([f"also: {', '.join(also)}"] if also else [])
    categories = [c for item in card.contents.get("categories", []) for c in item.value]
    for target, value in (
        ("email", emails[:1]),
        ("phone", phones[:1]),
        ("linkedin", linkedin[:1]),
        ("notes", ["\n".join(notes)] if notes else []),
        ("tags", [";".join(categories)] if categories else []),
    ):
        if value:
            values[target] = value[0]
    return values


# -- matching and merging --------------------------------------------------------------


@lru_cache(maxsize=65536)  # names and companies repeat across rows and lookups
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.casefold()).strip()


def linkedin_key(url: str) -> str:
    """A profile URL without scheme, `www.`, query or trailing slash, casefolded."""
    url = url.strip().casefold().split("?")[0].split("#")[0].rstrip("/")
    url = re.sub(r"^[a-z]+://", "", url)
    return url.removeprefix("www.")


KEYS: tuple[Callable[[dict], object], ...] = (
    lambda f: linkedin_key(f.get("linkedin", "")),
    lambda f: f.get("email", "").strip().casefold(),
    lambda f: (_fold(f.get("name", "")), _fold(f.get("company", ""))),
)


class Matcher:
    """Finds the contact a row names among those already there and those just imported."""

    def __init__(self, contacts: list[Contact]) -> None:
        self.index: list[dict] = [{} for _ in KEYS]
        self.by_name: dict[str, dict[int, Contact]] = {}  # by object id: a contact once
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        doc = vars(contact)
        for key, index in zip(KEYS, self.index, strict=True):
            value = key(doc)
            if value and value != ("", ""):
                index.setdefault(value, contact)
        self.by_name.setdefault(_fold(contact.name), {})[id(contact)] = contact

    def find(self, fields: dict) -> Contact | None:
        wanted = linkedin_key(fields.get("linkedin", ""))
        for key, index in zip(KEYS, self.index, strict=True):
            value = key(fields)
            contact = index.get(value) if value else None
            # Two different LinkedIn profiles are two people, whatever else they share.
            if contact and not (
                wanted and contact.linkedin and linkedin_key(contact.linkedin) != wanted
            ):
                return contact
        return None

    def named(self, name: str) -> list[Contact]:
        return list(self.by_name.get(_fold(name), {}).values())


def _fill(contact: Contact, fields: dict) -> bool:
    """Set the contact's empty fields from the row; True if any was empty and is now set."""
    changed = False
    for name in FILLED_FIELDS:
        value = fields.get(name)
        if value and not getattr(contact, name):
            setattr(contact, name, value)
            changed = True
    return changed


def _new_contact(row: Row, now: str) -> Contact:
    created = row.created_at or now
    first = [{"stage": row.stage or "target", "at": created}]
    history = sorted(row.history, key=lambda entry: datetime.fromisoformat(entry["at"])) or first
    stage = row.stage or history[-1]["stage"]
    if history[-1]["stage"] != stage:
        history.append({"stage": stage, "at": now})
    return Contact(
        **row.fields,
        stage=stage,
        stage_history=history,
        created_at=created,
        updated_at=now,
        archived=row.archived,
    )


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def merge(store: Store, rows: list[Row], report: ImportReport) -> None:
    """Apply the rows in one transaction (rolled back when report.dry_run)."""
    try:
        with store.transaction():
            _merge(store, rows, report)
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass


def _merge(store: Store, rows: list[Row], report: ImportReport) -> None:
    now = store.now()
    matcher = Matcher(store.contacts(include_archived=True))
    outcome: dict[int, str] = {}  # row line → new / updated / unchanged
    changed: dict[int, Contact] = {}  # contacts already there that a row filled
    new: list[Contact] = []
    row_contact: list[tuple[Row, Contact]] = []
    for row in rows:
        contact = matcher.find(row.fields)
        if contact is None:
            contact = _new_contact(row, now)
            new.append(contact)
            outcome[row.line] = "new"
        elif _fill(contact, row.fields):
            outcome[row.line] = "updated"
            if contact.id is not None:
                changed[contact.id] = contact
        else:
            outcome[row.line] = "unchanged"
        matcher.add(contact)
        row_contact.append((row, contact))
    store.insert_many(new)
    for row, contact in row_contact:
        if not row.referrer or contact.referred_by is not None:
            continue
        named = [c for c in matcher.named(row.referrer) if c is not contact]
        if len(named) != 1:
            how = "names no contact" if not named else f"names {len(named)} contacts"
            report.notices.append((row.line, f"referred_by {row.referrer!r} {how}; left empty"))
            continue
        contact.referred_by = named[0].id
        changed[contact.id] = contact
        if outcome[row.line] == "unchanged":
            outcome[row.line] = "updated"
    store.save_many(list(changed.values()))
    for result in outcome.values():
        setattr(report, result, getattr(report, result) + 1)


# -- JSON backups ----------------------------------------------------------------------


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
    version = Store.schema_version(data)
    if version > SCHEMA_VERSION:
        raise InputError(f"{path}: made by a newer coffeechat (schema {version}); upgrade first")
    for step in range(version, SCHEMA_VERSION):
        MIGRATIONS[step](data)
    data.pop(META_TABLE, None)
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


# -- the entry point -------------------------------------------------------------------


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
    merge(store, rows, report)
    return report
