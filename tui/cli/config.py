"""`coffeechat config [KEY [VALUE]]`: every setting with its value and default, one
setting, or set one (checked first: a bad value changes nothing). No Textual here."""

from __future__ import annotations

import argparse

from store import settings
from store.text import printable
from tui.cli.kit import add_command, open_store


def register(sub) -> None:
    p = add_command(sub, "config", cmd_config,
                    "list the settings with their values and defaults; KEY shows one, "
                    "KEY VALUE sets it")
    p.add_argument("key", metavar="KEY", nargs="?")
    p.add_argument("value", metavar="VALUE", nargs="?")


def entry_lines(entry: settings.Entry) -> list[str]:
    default = "" if entry.is_default else f"  (default: {entry.default_text or '—'})"
    lines = [f"{entry.key} = {entry.value_text or '—'}{default}", f"    {entry.help}"]
    if entry.problem:
        lines.append(f"    note: {entry.problem}")
    return lines


def cmd_config(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.key is None:
        lines = [line for entry in settings.describe(store) for line in entry_lines(entry)]
    elif args.value is None:
        lines = entry_lines(settings.entry(store, args.key))
    else:
        settings.set(store, args.key, args.value)
        lines = entry_lines(settings.entry(store, args.key))
    print(printable("\n".join(lines), keep_newlines=True))
    return 0
