"""What a record of each table must hold: one check per record kind, derived from the
record's Struct (the fields and types `Record.from_doc` reads a document with), applied on
open, on every import and on every write, and listed by `coffeechat doctor`.

A field holds its declared type (`int | None`: a whole number or null; `list[str]`: a
list of text), whole numbers are 0 to MAX_NUMBER, a stage is one of the stages, a date
is ISO-8601 with a year from 1900 to 2200 (or empty), and an id is a plain decimal
number (`12`, never `012`, `١٢` or `²`). A field a record does not have yet (an older
file) is fine: it reads as its default.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from msgspec.structs import fields

from store.records import (
    EMPLOYER_STATUSES, KINDS, MOTIVATIONS, POSTINGS, STAGES, Employer, Record,
)

YEARS = range(1900, 2201)
MAX_NUMBER = 2**31 - 1
# Fields that hold an ISO date or date and time, whichever record has them.
DATE_FIELDS = frozenset({
    "created_at", "updated_at", "at", "started_at", "ended_at", "due",
    "done_at", "snoozed_until", "scheduled_for",
})
DATE_RULE = f"an ISO date from {YEARS[0]} to {YEARS[-1]}"
# Fields that hold one of a few values: {(table, field): the values}.
CHOICES: dict[tuple[str, str], tuple] = {
    (Employer.TABLE, "motivation"): tuple(MOTIVATIONS),
    (Employer.TABLE, "posting"): tuple(POSTINGS),
    (Employer.TABLE, "status"): EMPLOYER_STATUSES,
}


def record_kinds() -> dict[str, type[Record]]:
    """{table: record class} for every table coffeechat keeps records in (all are defined
    in store.records, so checking a file loads no feature module)."""
    return dict(KINDS)


def schema_of(data: dict) -> int:
    """The file's schema version from its meta table (0 before it was versioned); a
    ValueError saying what is there instead of a version."""
    meta = data.get("meta", {}).get("1", {})
    version = meta.get("schema", 0)
    if type(version) is not int or not 0 <= version <= MAX_NUMBER:
        raise ValueError(f"its schema version is {_short(version)}, not a whole number from 0")
    return version


@dataclass(frozen=True)
class Invalid:
    """One record that does not fit its kind, and the first reason why."""

    table: str
    key: str
    problem: str

    def __str__(self) -> str:
        return f"{self.table} #{self.key}: {self.problem}"


def id_problem(key: str) -> str | None:
    """Why `key` is not a record id (a plain decimal number from 1), or None."""
    if not (key.isascii() and key.isdigit()):
        return "the id is not a number"
    if key[0] == "0":
        return "the id is not written plainly (1, 2, …: no leading zero, not 0)"
    if int(key) > MAX_NUMBER:
        return f"the id is over {MAX_NUMBER}"
    return None


def date_ok(value: object) -> bool:
    """True for "" and an ISO date or date and time with a year from 1900 to 2200."""
    if value == "" or value in _GOOD_DATES:
        return True
    try:
        good = datetime.fromisoformat(value).year in YEARS  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    if good and len(_GOOD_DATES) < GOOD_DATES_KEPT:
        _GOOD_DATES.add(value)  # dates repeat across a file: created, updated, moved
    return good


GOOD_DATES_KEPT = 1 << 17
_GOOD_DATES: set[str] = set()


def problems(cls: type[Record], doc: dict) -> list[str]:
    """Everything in `doc` that does not fit a record of `cls`, one phrase each."""
    return [problem for name in _plan(cls) if name in doc
            for problem in _check(cls, name)(doc[name])]


def first_problem(cls: type[Record], key: str, doc: dict) -> Invalid | None:
    """The record's first problem (its id, then its fields), or None when it fits."""
    if _fits(cls)(key, doc):
        return None  # (nearly every record: one yes/no, without naming a problem)
    problem = id_problem(key)
    if problem is None:
        plain, fits = _quick(cls)
        for name, value in doc.items():
            kinds = plain.get(name)
            if kinds is not None:  # (most fields) its exact type is all it needs
                if type(value) in kinds:
                    continue
            else:
                fit = fits.get(name)
                if fit is None or fit(value):
                    continue  # a field it does not keep, or one that fits
            problem = _check(cls, name)(value)[0]
            break
    return Invalid(cls.TABLE, key, problem) if problem else None


def invalid_records(data: dict) -> Iterator[Invalid]:
    """Every record of the tables coffeechat keeps that does not fit its kind."""
    for table, cls in record_kinds().items():
        for key, doc in data.get(table, {}).items():
            if (invalid := first_problem(cls, key, doc)) is not None:
                yield invalid


def rules_text() -> str:
    """Every rule of the check, written out the same way in every process (the kept
    answers of store.checked are for these rules only): each kind's fields as declared
    (the check is built from them) and the rules' constants."""
    kinds = [(table, [(f.name, str(f.type)) for f in fields(cls)])
             for table, cls in record_kinds().items()]
    choices = sorted((key, list(map(str, values))) for key, values in CHOICES.items())
    return repr((YEARS, MAX_NUMBER, STAGES, sorted(DATE_FIELDS), choices, kinds))


# -- the checks, built once per record kind from its Struct ---------------------------

Check = Callable[[object], list[str]]


@dataclass(frozen=True)
class _Field:
    """A field's rule, for the quick yes/no that runs on every record of every open."""

    kinds: frozenset[type]  # exact types: type(True) is bool, never int
    item: type | None  # what a list holds
    date: bool
    stage: bool
    plain: bool  # its exact type is all it needs (text, a flag, null)
    choices: tuple = ()  # one of these values, when there are any (CHOICES)

    def fits(self, value: object) -> bool:
        kind = type(value)
        if kind not in self.kinds:
            return False
        if self.choices and value not in self.choices:
            return False
        if kind is str:
            return (not self.date or date_ok(value)) and (not self.stage or value in STAGES)
        if kind is int:
            return 0 <= value <= MAX_NUMBER  # type: ignore[operator]
        if kind is list:
            return all(map(self._item_fits, value))  # type: ignore[call-overload]
        return True

    def _item_fits(self, value: object) -> bool:
        if type(value) is not self.item:
            return False
        if self.item is dict:  # a stage history entry
            at = value.get("at")  # type: ignore[attr-defined]
            return value.get("stage") in STAGES and type(at) is str and bool(at) and date_ok(at)  # type: ignore[attr-defined]
        return self.item is str or 0 <= value <= MAX_NUMBER  # type: ignore[operator]


_PLAIN = frozenset({str, bool, type(None)})
_STAGES = frozenset(STAGES)


@cache
def _quick(cls: type[Record]) -> tuple[dict[str, frozenset[type]], dict[str, Fit]]:
    """The quick yes/no of every field of a kind: {name: its exact types} for the plain
    ones, {name: a test made for that field} for the rest (the same rules as _Field.fits,
    without its branches: it runs for every field of every record of every open)."""
    plain, fits = {}, {}
    for name, field in _plan(cls).items():
        if field.plain:
            plain[name] = field.kinds
        else:
            fits[name] = _fit(field)
    return plain, fits


Fit = Callable[[object], bool]


@cache
def _fits(cls: type[Record]) -> Callable[[str, dict], bool]:
    """One function per kind that says whether a record (its id and its fields) fits, with
    every field's rule written out in one expression: the same answers as the loop in
    first_problem, without its per-field lookups (it runs for every record of every
    open). A field the record does not have fits (it reads as its default)."""
    plain, fits = _quick(cls)
    names: dict[str, object] = {"_MAX": MAX_NUMBER, "_STAGES": _STAGES, "_date_ok": date_ok,
                                "_GOOD": _GOOD_DATES}
    terms = ["key.isdigit()", "key.isascii()", "key[0] != '0'",
             "(len(key) < 10 or int(key) <= _MAX)"]
    for n, (name, field) in enumerate(_plan(cls).items()):
        got = f"get({name!r}, _MISSING)"
        kinds = field.kinds
        if name in plain:
            names[f"_K{n}"] = kinds
            terms.append(f"((v := {got}) is _MISSING or type(v) in _K{n})")
        elif field.choices:
            names[f"_F{n}"] = fits[name]
            terms.append(f"((v := {got}) is _MISSING or _F{n}(v))")
        elif field.stage and kinds == {str}:
            terms.append(f"((v := {got}) is _MISSING or (type(v) is str and v in _STAGES))")
        elif field.date and kinds <= {str, type(None)}:
            none = " or v is None" if type(None) in kinds else ""
            terms.append(f"((v := {got}) is _MISSING{none} or (type(v) is str and "
                         "(v == '' or v in _GOOD or _date_ok(v))))")
        elif kinds <= {int, type(None)}:
            none = " or v is None" if type(None) in kinds else ""
            terms.append(f"((v := {got}) is _MISSING{none} or "
                         "(type(v) is int and 0 <= v <= _MAX))")
        else:
            names[f"_F{n}"] = fits[name]
            terms.append(f"((v := {got}) is _MISSING or _F{n}(v))")
    source = ("def fits(key, doc):\n    get = doc.get\n    return (\n        "
              + "\n        and ".join(terms) + ")\n")
    names["_MISSING"] = object()
    exec(compile(source, f"<fits {cls.__name__}>", "exec"), names)
    return names["fits"]  # type: ignore[return-value]


def _fit(field: _Field) -> Fit:
    kinds = field.kinds
    nullable = type(None) in kinds
    if field.choices:
        return field.fits
    if field.stage and kinds == {str}:
        return lambda value: type(value) is str and value in _STAGES
    if field.date and kinds <= {str, type(None)}:
        if nullable:
            return lambda value: value is None or (type(value) is str and date_ok(value))
        return lambda value: type(value) is str and date_ok(value)
    if kinds <= {int, type(None)}:
        if nullable:
            return lambda value: value is None or (
                type(value) is int and 0 <= value <= MAX_NUMBER)  # type: ignore[operator]
        return lambda value: type(value) is int and 0 <= value <= MAX_NUMBER  # type: ignore[operator]
    if kinds == {list} and field.item is str:
        return lambda value: type(value) is list and all(type(v) is str for v in value)
    return field.fits


@cache
def _plan(cls: type[Record]) -> dict[str, _Field]:
    hints = typing.get_type_hints(cls)
    plan = {}
    for f in fields(cls):
        if f.name != "id":
            parts = _parts(hints[f.name])
            item = next((typing.get_args(p)[0] for p in parts if typing.get_origin(p) is list),
                        None)
            kinds = frozenset(typing.get_origin(p) or p for p in parts)
            date, stage = f.name in DATE_FIELDS, f.name == "stage"
            choices = CHOICES.get((cls.TABLE, f.name), ())
            plan[f.name] = _Field(kinds, typing.get_origin(item) or item, date, stage,
                                  kinds <= _PLAIN and not (date or stage or choices), choices)
    return plan


def _parts(hint: object) -> tuple:
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    return typing.get_args(hint) if union else (hint,)


@cache
def _check(cls: type[Record], name: str) -> Check:
    """The field's whole check: every problem, each as a phrase."""
    parts = _parts(typing.get_type_hints(cls)[name])
    kinds = tuple(typing.get_origin(part) or part for part in parts)
    item = next((typing.get_args(part)[0] for part in parts if typing.get_origin(part) is list),
                None)
    expected = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
    choices = CHOICES.get((cls.TABLE, name), ())

    def check(value: object) -> list[str]:
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            return [f"{name} is {type(value).__name__} {_short(value)}, not {expected}"]
        if value is None:
            return []
        if isinstance(value, list):
            return [f"{name}[{i}]: {problem}" for i, v in enumerate(value)
                    for problem in _item_problems(name, item, v)]
        if choices and value not in choices:
            return [f"{name} {_short(value)} is not one of {', '.join(map(str, choices))}"]
        return _value_problems(name, value)

    return check


def _value_problems(name: str, value: object) -> list[str]:
    if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_NUMBER:
        return [f"{name} is {value}, not a number from 0 to {MAX_NUMBER}"]
    if name in DATE_FIELDS and not date_ok(value):
        return [f"{name} is {_short(value)}, not {DATE_RULE}"]
    if name == "stage" and value not in STAGES:
        return [f"stage {_short(value)} is not one of {', '.join(STAGES)}"]
    return []


def _item_problems(name: str, item: object, value: object) -> list[str]:
    """A list's item: of the list's item type; a stage history entry is {stage, at}."""
    kind = typing.get_origin(item) or item
    if not isinstance(value, kind) or isinstance(value, bool):  # type: ignore[arg-type]
        return [f"is {type(value).__name__} {_short(value)}, not {kind.__name__}"]  # type: ignore[union-attr]
    if name == "stage_history":
        entry: dict = value  # type: ignore[assignment]
        stage, at = entry.get("stage"), entry.get("at")
        if stage not in STAGES:
            return [f"stage {_short(stage)} is not one of {', '.join(STAGES)}"]
        if not isinstance(at, str) or not at or not date_ok(at):
            return [f"at is {_short(at)}, not {DATE_RULE}"]
        return []
    return _value_problems(name, value)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
