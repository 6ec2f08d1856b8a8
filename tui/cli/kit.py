"""What every sub-command shares: the --db option, opening the store, printing JSON.

Imports nothing of Textual: the commands that print must start fast.
"""

from __future__ import annotations

import argparse
import atexit
import difflib
import gc
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

from store.db import Store
from store.errors import CoffeeError
from store.paths import default_db_path
from store.permissions import permission_warning
from store.records import Contact
from store.storage import gc_paused
from store.text import printable


class Parser(argparse.ArgumentParser):
    """argparse as people type: an option's value may start with `-` (`--at -10d`), and a
    mistyped choice (a command, a stage) names the closest one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # argparse takes "-10d" for an option unless it looks like a negative number; no
        # option here starts with "-" and a digit, so anything that does is a value.
        self._negative_number_matcher = re.compile(r"^-\d")

    def _check_value(self, action: argparse.Action, value: object) -> None:
        try:
            super()._check_value(action, value)
        except argparse.ArgumentError:
            close = difflib.get_close_matches(str(value), map(str, action.choices), n=1)
            if not close:
                raise
            raise argparse.ArgumentError(
                action, f"invalid choice: {value!r} — did you mean {close[0]!r}?") from None


def db_option(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=default,
        metavar="PATH",
        help="the database file (default: $COFFEECHAT_DB or the user data folder)",
    )


def add_command(sub, name: str, func: Callable[[argparse.Namespace], int], help: str):
    """A sub-command that takes --db too; func(args) returns the exit code."""
    parser = sub.add_parser(name, help=help, description=help)
    db_option(parser, argparse.SUPPRESS)
    parser.set_defaults(func=func)
    return parser


def db_path(args: argparse.Namespace) -> Path:
    """The database file a command works on: --db, else the default."""
    return (args.db or default_db_path()).expanduser()


# The interpreter ends with a last pass of the cycle collector over all that is still
# held, the records a command read and built among it (~0.25 s of 20,000 contacts'
# `agenda`), to free memory the system takes back at once: out of its way, as
# open_store puts it for the command's length.
atexit.register(gc.freeze)


def open_store(args: argparse.Namespace, only_reads: bool = False) -> Store:
    """The database, with one line on stderr the first time others can read it.
    `only_reads`: a command that prints and never writes (see Store)."""
    # What the file holds lives until the command ends: out of the cycle collector's way,
    # which would otherwise walk it again and again while the command builds its records
    # (a third of `agenda`'s time at 20,000 contacts), and once more as the file's read
    # ends and turns it back on (~70 ms at 20,000).
    with gc_paused(freeze=True):
        store = Store(db_path(args), only_reads=only_reads)
    warning = permission_warning(store)
    if warning:
        print(printable(warning), file=sys.stderr)
    args.store = store  # for warn_read_only, once the command is done
    return store


def warn_read_only(args: argparse.Namespace) -> None:
    """After a command that succeeded on a read-only database (records that fit no kind,
    left out of every read): one line on stderr per such record. A write was refused
    instead, in the one line of its error."""
    store = getattr(args, "store", None)
    for invalid in store.invalid if store else ():
        print(printable(f"warning: {store.path}: {invalid}; the file is read-only until "
                        "that is fixed (coffeechat doctor)"), file=sys.stderr)


def ask(question: str, why: str, action: str) -> str:
    """A line typed on the terminal; without one (a pipe, a script) refused, naming `why`
    it asks and that --yes does the `action` instead."""
    if not sys.stdin.isatty():
        raise CoffeeError(f"{why}, and there is no terminal to ask: add --yes to {action} "
                          "anyway")
    print(printable(question), end="", flush=True)
    return sys.stdin.readline().strip()


def confirm(question: str, why: str, action: str) -> bool:
    """y/N on a terminal (see ask)."""
    return ask(question, why, action).casefold() in ("y", "yes")


def print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def contact_json(contact: Contact) -> dict:
    return {"id": contact.id, **contact.fields_doc()}
