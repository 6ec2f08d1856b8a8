"""`coffeechat merge`, `distinct` and `delete`: tidying duplicates and mistakes. No Textual."""

from __future__ import annotations

import argparse

from store.merge import (
    MergePlan,
    delete_contact,
    mark_distinct,
    merge,
    plan_delete,
    plan_merge,
)
from store.text import printable
from tui.cli.kit import add_command, ask, confirm, open_store


def register(sub) -> None:
    p = add_command(sub, "merge", cmd_merge,
                    "merge OTHER into KEEP: empty fields filled from OTHER, each conflict "
                    "chosen, its meetings, interactions, follow-ups and referrals moved; "
                    "OTHER is kept archived (undo in the app with u)")
    p.add_argument("keep", metavar="KEEP", help="the contact that stays (id or name)")
    p.add_argument("other", metavar="OTHER", help="the contact merged into it")
    p.add_argument("--yes", action="store_true",
                   help="do not ask: KEEP's value wins every conflict")

    p = add_command(sub, "distinct", cmd_distinct,
                    "mark two contacts as two people: doctor and the duplicate warnings "
                    "stop naming them")
    p.add_argument("first", metavar="REF")
    p.add_argument("second", metavar="REF")

    p = add_command(sub, "delete", cmd_delete,
                    "delete a contact with its meetings, interactions and follow-ups (a "
                    "copy of the file is kept in the backup folder first)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--yes", action="store_true", help="do not ask")
    links = p.add_mutually_exclusive_group()
    links.add_argument("--clear-links", dest="links", action="store_const", const="clear",
                       help="those it referred lose their referrer")
    links.add_argument("--keep-links", dest="links", action="store_const", const="keep",
                       help="those it referred keep the id of a deleted contact")


def merge_lines(plan: MergePlan) -> list[str]:
    """The field-by-field view: what KEEP will hold, and where each value comes from."""
    keep, other = plan.keep, plan.other
    lines = [f"merge {other.name} (#{other.id}) into {keep.name} (#{keep.id}):"]
    width = max(len(f.name) for f in plan.fields)
    for choice in plan.fields:
        if not choice.keep and not choice.other:
            continue
        if choice.conflict:
            note = f"conflict — #{keep.id}: {_text(choice.keep)} · #{other.id}: {_text(choice.other)}"
        else:
            note = f"from #{other.id if choice.take_other else keep.id}"
        lines.append(f"  {choice.name:<{width}}  {_text(choice.value)}  ({note})")
    moved = ", ".join(f"{n} {table}" for table, n in plan.moved.items() if n) or "no records"
    lines.append(f"moves to #{keep.id}: {moved}; {plan.referred} contact(s) it referred")
    lines.append(f"#{other.id} stays in the file, archived, merged into #{keep.id}")
    return lines


def _text(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "—")


def cmd_merge(args: argparse.Namespace) -> int:
    store = open_store(args)
    plan = plan_merge(store, store.resolve(args.keep).id, store.resolve(args.other).id)
    print(printable("\n".join(merge_lines(plan)), keep_newlines=True))
    if not args.yes:
        why = "merge asks which value each conflicting field keeps"
        for choice in plan.conflicts:
            answer = ask(f"{choice.name}: 1 {_text(choice.keep)}  2 {_text(choice.other)} "
                         "[1] ", why, "merge")
            choice.take_other = answer == "2"
        if not confirm(f"merge #{plan.other.id} into #{plan.keep.id}? [y/N] ", why, "merge"):
            print("nothing was changed")
            return 1
    merged = merge(store, plan)
    print(printable(f"merged #{plan.other.id} into {merged.name} (#{merged.id})"))
    return 0


def cmd_distinct(args: argparse.Namespace) -> int:
    store = open_store(args)
    first, second = store.resolve(args.first), store.resolve(args.second)
    mark_distinct(store, first.id, second.id)
    print(printable(f"{first.name} (#{first.id}) and {second.name} (#{second.id}) are "
                    "two people"))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    store = open_store(args)
    deletion = plan_delete(store, store.resolve(args.ref).id)
    print(printable(f"deletes {deletion.summary()}"))
    if deletion.referred:
        print(printable("referred: " + ", ".join(f"{c.name} (#{c.id})"
                                                 for c in deletion.referred)))
    if not (args.yes or confirm("delete? [y/N] ", "delete asks first", "delete")):
        print("nothing was changed")
        return 1
    delete_contact(store, deletion.contact.id, args.links)
    print(printable(f"deleted {deletion.contact.name} (#{deletion.contact.id})"))
    return 0
