"""`coffeechat employers [--json]` and `coffeechat employer NAME --motivation 3 …`: the
LAMP list, and one employer created or scored. No Textual here."""

from __future__ import annotations

import argparse

from store.employers import (
    TOP_MARK, contact_counts, employer_json, employers, lamp_text, parse_scores, set_employer,
    top_ids,
)
from store.records import EMPLOYER_STATUSES
from store.text import fold, printable
from tui.cli.kit import add_command, open_store, print_json


def register(sub) -> None:
    p = add_command(sub, "employers", cmd_employers,
                    "the LAMP list: employers by motivation, posting, advocacy; the top 5 "
                    f"active marked {TOP_MARK}")
    p.add_argument("--json", action="store_true", help="print JSON records")

    p = add_command(sub, "employer", cmd_employer,
                    "add an employer to the LAMP list, or change its scores")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--motivation", metavar="M", help="0–3: how much you want to work there")
    p.add_argument("--posting", metavar="P", help="1–3: open roles in your field there")
    p.add_argument("--advocacy", metavar="yes|no",
                   help="do you know someone there or share a school")
    p.add_argument("--status", metavar="S", help=", ".join(EMPLOYER_STATUSES))
    p.add_argument("--notes", metavar="TEXT")


def cmd_employers(args: argparse.Namespace) -> int:
    store = open_store(args)
    listed = employers(store)
    top = top_ids(listed)
    counts = contact_counts(store.contacts())
    if args.json:
        print_json([employer_json(e, top, counts.get(fold(e.name), 0)) for e in listed])
        return 0
    width = max((len(e.name) for e in listed), default=0)
    for employer in listed:
        mark = TOP_MARK if employer.id in top else " "
        people = counts.get(fold(employer.name), 0)
        print(printable(f"{mark} {employer.name:<{width}}  {lamp_text(employer)}  "
                        f"{employer.status:<6}  {people} contact{'' if people == 1 else 's'}"))
    return 0


def cmd_employer(args: argparse.Namespace) -> int:
    changes = parse_scores({"motivation": args.motivation, "posting": args.posting,
                            "advocacy": args.advocacy, "status": args.status})
    store = open_store(args)
    employer, created = set_employer(store, args.name, changes, notes=args.notes)
    verb = "added" if created else "updated"
    print(printable(f"{verb} {employer.name}: {lamp_text(employer)} {employer.status}"))
    return 0
