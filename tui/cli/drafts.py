"""`coffeechat draft REF` prints a filled note; `coffeechat lint FILE` checks any text.

No Textual here: both print and exit.
"""

from __future__ import annotations

import argparse
import sys

from store import settings
from store.db import Store
from store.drafts import prepare_draft
from store.errors import CoffeeError
from store.lint import KINDS, lint
from store.text import printable
from tui.cli.kit import add_command, db_path, open_store


def register(sub) -> None:
    p = add_command(
        sub, "draft", cmd_draft,
        "print a contact's draft note (the template their stage calls for) for a mail client",
    )
    p.add_argument("ref", metavar="REF", help="an id or a unique name prefix")
    p.add_argument("--kind", choices=KINDS, help="which note (default: by the contact's stage)")
    p.add_argument("--my-name", metavar="NAME", help="sign as NAME (remembered for later drafts)")

    p = add_command(
        sub, "lint", cmd_lint,
        "check a note for a job ask, length, the basics and unfilled placeholders; "
        "exit 1 when it asks for a job",
    )
    p.add_argument("file", metavar="FILE", help="the text file, or - for standard input")
    p.add_argument("--kind", choices=KINDS, default="outreach",
                   help="what the note is (sets the word limit; outreach also checks the basics)")


def cmd_draft(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.my_name is not None:
        settings.set(store, settings.MY_NAME, args.my_name)
    contact = store.resolve(args.ref)
    result = prepare_draft(store, contact.id, args.kind).draft()
    print(printable(result.text.rstrip("\n"), keep_newlines=True))
    if result.unfilled:
        holes = ", ".join(f"{{{name}}}" for name in result.unfilled)
        print(printable(f"coffeechat: not filled in: {holes}"), file=sys.stderr)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    text, label = _read(args.file)
    report = lint(text, args.kind, _settings(args))
    for finding in report.findings:
        where = label if finding.start is None else (
            f"{label}:{finding.line}:{finding.start[1] + 1}"
        )
        print(printable(f"{where}: {finding.check}: {finding.message}"))
    return 1 if report.asks_for_job else 0


def _read(name: str) -> tuple[str, str]:
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8", "replace"), "<stdin>"
    try:
        with open(name, "rb") as f:
            return f.read().decode("utf-8", "replace"), name
    except OSError as exc:
        raise CoffeeError(f"{name}: cannot be read ({exc.strerror})") from exc


def _settings(args: argparse.Namespace) -> dict:
    """The job-ask phrases the user set, if there is a database; else the defaults."""
    path = db_path(args)
    return Store(path).settings() if path.exists() else {}
