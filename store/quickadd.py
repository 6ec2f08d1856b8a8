"""The quick-add one-liner: "Jane Doe, VP Engineering @ Acme, fintech — met at PyCon".

NAME[, ROLE][ @ COMPANY][, INDUSTRY][ — NOTE]; every part after the name is optional.
Used by `coffeechat add`, the board's `n` and meeting mode's `ref:` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.errors import InputError
from store.records import Contact

EXAMPLE = '"Jane Doe, VP Engineering @ Acme, fintech"'
_NOTE = re.compile(r"\s+(?:—|–|--)\s+")
_AT = re.compile(r"\s*@\s*")


@dataclass(frozen=True)
class QuickAdd:
    name: str
    role: str = ""
    company: str = ""
    industry: str = ""
    note: str = ""

    def contact(self, **fields) -> Contact:
        return Contact(
            name=self.name,
            role=self.role,
            company=self.company,
            industry=self.industry,
            notes=self.note,
            **fields,
        )


def _split_once(text: str, sep: str) -> tuple[str, str]:
    head, _, tail = text.partition(sep)
    return head.strip(), tail.strip()


def parse_quick_add(text: str) -> QuickAdd:
    """Read the one-liner; an InputError says what is missing."""
    line = " ".join(text.split())
    line, note = (_NOTE.split(line, maxsplit=1) + [""])[:2]
    match = _AT.search(line)
    if match:
        who, where = line[: match.start()], line[match.end() :]
        name, role = _split_once(who, ",")
        company, industry = _split_once(where, ",")
    else:
        name, rest = _split_once(line, ",")
        role, industry = _split_once(rest, ",")
        company = ""
    if not name:
        raise InputError(f"a name comes first, like {EXAMPLE}")
    return QuickAdd(name, role, company, industry, note.strip())

