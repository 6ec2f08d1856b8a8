"""The steps between the stages: `reply`, `schedule`, `thank` print and exit; `prep` opens
the app on a meeting's preparation. Textual is imported only by `prep`, once the contact
is known.
"""

from __future__ import annotations

import argparse

from store.dates import dayfirst_setting, describe, parse_when
from store.db import Store
from store.followups import log_reply, thank
from store.meetings import MEDIUMS, schedule_meeting
from store.text import printable
from tui.cli.kit import add_command, open_store


def register(sub) -> None:
    p = add_command(sub, "reply", cmd_reply,
                    "log a reply from a contact: no more nudges; it counts in the reply rate")
    _logged_options(p, "the reply came")

    p = add_command(sub, "schedule", cmd_schedule,
                    "schedule the meeting with a contact (or move the one scheduled)")
    p.add_argument("ref", metavar="REF", help="an id or a unique name prefix")
    p.add_argument("when", metavar="WHEN", help="e.g. 'thu 3pm', 'next tue 9:30', 2026-12-03 14:00")
    p.add_argument("--minutes", type=int, metavar="N", help="how long (default 30)")
    p.add_argument("--medium", choices=MEDIUMS, help="coffee (default), call or video")
    p.add_argument("--where", metavar="TEXT", help="the place, or the link for a call")

    p = add_command(sub, "thank", cmd_thank,
                    "log the thank-you after a meeting: closes the follow-up, met → thanked "
                    "(→ referred when they introduced someone)")
    _logged_options(p, "it was sent")

    p = add_command(sub, "prep", cmd_prep,
                    "open the app on the preparation of the meeting with a contact")
    p.add_argument("ref", metavar="REF", help="an id or a unique name prefix")


def _logged_options(p: argparse.ArgumentParser, happened: str) -> None:
    p.add_argument("ref", metavar="REF", help="an id or a unique name prefix")
    p.add_argument("--at", metavar="WHEN", help=f"when {happened} (default now), e.g. "
                   "'yesterday 15:00'")
    p.add_argument("--channel", default="", metavar="C", help="email, linkedin, phone…")
    p.add_argument("--note", default="", metavar="TEXT", help="what they said, or the text")


def _when(store: Store, text: str | None):
    if text is None:
        return None
    return parse_when(text, store.clock(), dayfirst=dayfirst_setting(store.settings()))


def cmd_reply(args: argparse.Namespace) -> int:
    store = open_store(args)
    at = _when(store, args.at)
    with store.transaction():
        contact = log_reply(store, store.resolve(args.ref).id, at, args.channel, args.note)
    print(printable(f"{contact.name}: reply logged ({contact.stage}); schedule the meeting: "
                    f"coffeechat schedule {contact.id} WHEN"))
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    store = open_store(args)
    when = _when(store, args.when)
    with store.transaction():
        contact = store.resolve(args.ref)
        meeting = schedule_meeting(store, contact.id, when, minutes=args.minutes,
                                   medium=args.medium, where=args.where)
    place = f" at {meeting.where}" if meeting.where else ""
    print(printable(f"{contact.name}: {meeting.medium} {describe(when, now=store.clock())} "
                    f"({meeting.planned_minutes} min){place}"))
    return 0


def cmd_thank(args: argparse.Namespace) -> int:
    store = open_store(args)
    at = _when(store, args.at)
    with store.transaction():
        before = store.resolve(args.ref)
        contact = thank(store, before.id, text=args.note, channel=args.channel, at=at)
    moved = f"; {before.stage} → {contact.stage}" if contact.stage != before.stage else ""
    print(printable(f"{contact.name}: thank-you logged{moved}"))
    return 0


def cmd_prep(args: argparse.Namespace) -> int:
    store = open_store(args)
    contact = store.resolve(args.ref)
    from tui.cli.main import open_app

    return open_app(store, prepare=contact)
