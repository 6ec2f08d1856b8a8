"""One contact as a file gives it (a Row), and how a reader's text values become one.

Every reader turns what it finds into {target: text}; RowReader turns that into a Row:
the name (or first + last), tags split on `;` or `,`, dates read in any form parse_when
knows, a stage checked. What it cannot read it notes in the report and leaves empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from store.dates import parse_when
from store.errors import InputError
from store.exporting import STAGE_DATE_COLUMNS
from store.importing.report import ImportReport
from store.records import check_stage

LINKEDIN_DATES = ("%d %b %Y", "%d-%b-%y")  # 15 Mar 2024, 7-Feb-22

# Contact fields a row may fill on a contact that is already there.
TEXT_FIELDS = (
    "name role company industry email phone linkedin location how_we_know notes research "
    "culture keep_in_touch connected_on"
).split()
FILLED_FIELDS = (*TEXT_FIELDS, "tags")
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x"})
_TAG_SPLIT = re.compile(r"[;,]")


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
