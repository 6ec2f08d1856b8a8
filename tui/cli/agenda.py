"""`coffeechat agenda [--days N] [--json]`: what is due, for a login script. No Textual here.

Plain text; bold headings and red overdue dates only on a terminal without NO_COLOR.
Exits 0 whether or not anything is due.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import cache, partial

from store.dates import describe
from store.followups import DEFAULT_DAYS, DueItem, agenda, due_items, section_title
from store.storage import gc_paused
from store.text import printable
from tui.cli.kit import add_command, open_store, print_json

NAME_WIDTH = 24
BOLD, RED, RESET = "\x1b[1m", "\x1b[31m", "\x1b[0m"


def register(sub) -> None:
    p = add_command(sub, "agenda", cmd_agenda, "print what is overdue, due today and due soon")
    p.add_argument("--days", type=days_ahead, default=DEFAULT_DAYS, metavar="N",
                   help=f"how many days after today to show (default {DEFAULT_DAYS})")
    p.add_argument("--json", action="store_true", help="print JSON items")


def days_ahead(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 0 <= days <= 3660:
        raise argparse.ArgumentTypeError("give 0 to 3660 days")
    return days


def use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def cmd_agenda(args: argparse.Namespace) -> int:
    store = open_store(args, only_reads=True)
    now = store.clock()
    # Tens of thousands of records, items and lines, none in a cycle: the collector would
    # walk them again and again for nothing.
    with gc_paused():
        sections = agenda(due_items(store, now), now, args.days)
        if args.json:
            print_json([
                item_json(section, item) for section, items in sections.items() for item in items
            ])
        else:
            print("\n".join(agenda_lines(sections, now, args.days, colour=use_colour())))
    return 0


def item_json(section: str, item: DueItem) -> dict:
    return {
        "section": section,
        "contact_id": item.contact.id,
        "name": item.contact.name,
        "what": item.what,
        "due": item.due.isoformat() if item.due else None,
        "since": item.since.isoformat() if item.since else None,
        "key": item.key,
        "rule": item.source,
    }


def agenda_lines(sections: dict[str, list[DueItem]], now, days: int, *, colour: bool) -> list[str]:
    """The agenda as terminal lines: user text escaped, colour codes only if asked."""
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    when = cache(partial(describe, now=now))  # items share their dates: each worked out once
    escaped = cache(printable)  # and their texts: an employer's 3B items list its targets

    shown = [item for items in sections.values() for item in items]
    if not shown:
        return [f"nothing due in the next {days} days" if days else "nothing due today"]
    width = min(max(len(escaped(item.contact.name)) for item in shown), NAME_WIDTH)
    lines = []
    for section, items in sections.items():
        if not items:
            continue
        lines.append(paint(BOLD, f"{section_title(section, days)} ({len(items)})"))
        for item in items:
            due = f"{when(item.due) if item.due else 'anytime':<16}"
            name = escaped(item.contact.name)
            name = name if len(name) <= width else name[: width - 1] + "…"
            line = f"  {paint(RED, due) if section == 'overdue' else due}  {name:<{width}}  "
            line += escaped(item.what)
            if item.since:
                line += f" · since {when(item.since)}"
            lines.append(line)
    return lines
