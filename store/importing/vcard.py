"""The vCard reader: a .vcf file of one or more cards, as address books export them.

The first email, phone and LinkedIn URL fill those fields; the others go into the notes
("also: ..."); CATEGORIES become tags. A card that cannot be read stops the import.
"""

from __future__ import annotations

import re
from pathlib import Path

from store.errors import InputError
from store.importing.rows import Row, RowReader

# A vCard's lines end in CRLF (or LF, or CR); str.splitlines() would also break a value
# at the form feeds, U+2028 and the like that it may hold.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
