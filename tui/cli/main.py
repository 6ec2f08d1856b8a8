"""The command line: `coffeechat` opens the app; sub-commands print and exit.

Commands that print never import Textual, so they start in a fraction of the app's time.
Exit codes: 0 ok, 1 a user or data error (one line on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from store.db import Store
from store.errors import CoffeeError
from store.records import STAGES, check_stage
from store.text import printable
from tui.cli.kit import (
    Parser, add_command, contact_json, db_option, db_path, open_store, print_json,
    warn_read_only,
)

# Each feature module adds its sub-commands with register(sub); a command line names one
# of them, so only that one is imported (the board and `list` import none).
FEATURES: dict[str, tuple[str, ...]] = {
    "stats": ("stats",),
    "drafts": ("draft", "lint"),
    "meet": ("meet",),
    "transfer": ("import", "export"),
    "agenda": ("agenda",),
    "doctor": ("doctor",),
    "tidy": ("merge", "distinct", "delete"),
    "config": ("config",),
    "loop": ("reply", "schedule", "thank", "prep"),
    "employers": ("employers", "employer"),
}
OWN_COMMANDS = ("add", "list", "show", "move", "archive", "restore", "demo")
APP_SWITCH_INTERVAL = 0.001  # seconds a thread may hold the interpreter while another waits
BOARD = "board"  # what feature_of says of a command line that names no command

DEMO_CONTACTS = 200
DEMO_SEED = 7


def feature_of(argv: Sequence[str]) -> str | None:
    """The feature module of the command `argv` names ("" for one of this module's own,
    BOARD for none: the app opens); None when it names something unknown or asks for
    help (every feature is then registered, so argparse can list them all)."""
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--help"):
            return None
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            if arg in OWN_COMMANDS:
                return ""
            return next((name for name, commands in FEATURES.items() if arg in commands), None)
    return BOARD


@functools.cache
def build_parser(features: tuple[str, ...] | None = None, *,
                 own: bool = True) -> argparse.ArgumentParser:
    """The command line's parser, with the sub-commands of `features` (default: all) and,
    unless `own` is False (the board's: its command line names none), this module's own;
    built once per process and set of features (≈6 ms, most of it argparse looking up
    translations): a parse keeps nothing of itself in it, so main() called again (as the
    tests do thousands of times) reuses it."""
    parser = Parser(
        prog="coffeechat",
        description="Run informational interviews from the terminal. Without a command, "
        "opens the board.",
    )
    db_option(parser, None)
    # (made even with no command in it: a usage error shows the same usage line)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if not own:
        return parser
    from store.quickadd import EXAMPLE  # only for the help of `add`: not at the board's start

    def command(name: str, func: Callable, help: str) -> argparse.ArgumentParser:
        return add_command(sub, name, func, help)

    p = command("add", cmd_add, f"add a contact from a one-liner like {EXAMPLE}; prints its id")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--stage", default="target", help=f"one of {', '.join(STAGES)}")
    p.add_argument("--referred-by", metavar="REF", help="who referred them (id or name)")
    p.add_argument("--email", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--linkedin", default="", metavar="URL")
    p.add_argument("--how", default="", metavar="TEXT", help="how you know them")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="repeatable")

    p = command("list", cmd_list, "list contacts")
    p.add_argument("--stage", help=f"only this stage: {', '.join(STAGES)}")
    p.add_argument("--all", action="store_true", help="include archived contacts")
    p.add_argument("--json", action="store_true", help="print JSON records")

    p = command("show", cmd_show, "show one contact")
    p.add_argument("ref", metavar="REF", help="an id or a unique name prefix")
    p.add_argument("--json", action="store_true", help="print a JSON record")

    p = command("move", cmd_move, "move a contact to a stage")
    p.add_argument("ref", metavar="REF")
    p.add_argument("stage", metavar="STAGE", help=", ".join(STAGES))
    p.add_argument("--at", metavar="WHEN", help="when it happened (default now), e.g. "
                   "'yesterday 15:00'; moving to contacted logs a message sent then")

    p = command("archive", cmd_archive, "hide a contact (reversible with restore)")
    p.add_argument("ref", metavar="REF")
    p = command("restore", cmd_restore, "bring an archived contact back")
    p.add_argument("ref", metavar="REF")

    p = command("demo", cmd_demo, "fill a database with a synthetic network and open it")
    p.add_argument("--contacts", type=int, default=DEMO_CONTACTS, metavar="N")
    p.add_argument("--seed", type=int, default=DEMO_SEED, metavar="K")
    p.add_argument("--no-open", action="store_true", help="only write the file")

    for name in FEATURES if features is None else features:
        importlib.import_module(f"tui.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    feature = feature_of(argv)
    if feature == BOARD:
        parser = build_parser((), own=False)
    else:
        parser = build_parser(None if feature is None else (feature,) if feature else ())
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            # What starts now lives as long as the app: modules, the file's data, the
            # board. The cycle collector would walk that heap over and over (~0.15 s at
            # 20,000 contacts); the app turns it on once the first frame is shown, with
            # that heap frozen out of its way (CoffeeChatApp.on_ready).
            gc.disable()
            return open_app(Store(db_path(args), board_first=True))
        code = args.func(args)
        warn_read_only(args)
        return code
    except CoffeeError as exc:
        print(f"coffeechat: {printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `coffeechat list | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if args.command is not None:
            gc.unfreeze()  # (open_store froze the file's records for the command's length)


def open_app(store: Store, meet_with=None, prepare=None) -> int:
    """Run the app; its exit code (1 after a crash, whose traceback is in a file)."""
    from tui.app import make_app  # Textual is imported only to open the app

    # A key passes through several threads (input, event loop, output), and each takes
    # the interpreter back from a busy worker (the rest of the file, an overdue pass, a
    # write) only when the switch interval has run out: 5 ms by default, ~20 ms a key.
    sys.setswitchinterval(APP_SWITCH_INTERVAL)
    app = make_app(store, meet_with=meet_with, prepare=prepare)
    app.run()
    if app.crash_report:
        print(f"coffeechat: stopped on an unexpected error; the traceback is in "
              f"{app.crash_report}", file=sys.stderr)
    return app.return_code or 0


def cmd_add(args: argparse.Namespace) -> int:
    from store.followups import promote_referrer
    from store.merge import likely_duplicate
    from store.quickadd import parse_quick_add

    store = open_store(args)
    parsed = parse_quick_add(args.text)
    with store.transaction():
        referrer = store.resolve(args.referred_by) if args.referred_by else None
        contact = store.add_contact(
            parsed.contact(
                stage=check_stage(args.stage),
                referred_by=referrer.id if referrer else None,
                email=args.email,
                phone=args.phone,
                linkedin=args.linkedin,
                how_we_know=args.how or (f"referred by {referrer.name}" if referrer else ""),
                tags=args.tag,
            )
        )
        if referrer is not None:
            promote_referrer(store, referrer.id)
        twin = likely_duplicate(store, contact.fields_doc(), not_id=contact.id)
    if twin is not None:
        print(printable(f"coffeechat: added all the same; it looks like {twin.name} "
                        f"(#{twin.id}): coffeechat merge {twin.id} {contact.id} if it is"),
              file=sys.stderr)
    print(contact.id)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args, only_reads=True)
    stage = check_stage(args.stage) if args.stage else None
    contacts = [
        c for c in store.contacts(include_archived=args.all) if stage is None or c.stage == stage
    ]
    if args.json:
        print_json([contact_json(c) for c in contacts])
        return 0
    width = max((len(str(c.id)) for c in contacts), default=1)
    for c in contacts:
        line = f"{c.id:>{width}}  {c.stage:<9}  {c.name}"
        if c.headline:
            line += f" — {c.headline}"
        if c.archived:
            line += " (archived)"
        print(printable(line))
    return 0


SHOWN_FIELDS = (
    "role company industry email phone linkedin location how_we_know tags notes research "
    "culture connected_on keep_in_touch created_at updated_at"
).split()


def cmd_show(args: argparse.Namespace) -> int:
    store = open_store(args, only_reads=True)
    contact = store.resolve(args.ref)
    if args.json:
        print_json(contact_json(contact))
        return 0
    lines = [f"{contact.name} (#{contact.id}) — {contact.stage}"]
    if contact.archived:
        lines[0] += " (archived)"
    if contact.referred_by is not None:
        try:
            referrer = store.contact(contact.referred_by).name
        except CoffeeError:
            referrer = "a deleted contact"
        lines.append(f"referred_by: {referrer} (#{contact.referred_by})")
    for name in SHOWN_FIELDS:
        value = getattr(contact, name)
        if value:
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            lines.append(f"{name}: {shown}")
    lines.append("stage_history:")
    lines += [f"  {entry['at']}  {entry['stage']}" for entry in contact.stage_history]
    print(printable("\n".join(lines), keep_newlines=True))
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    from store.dates import dayfirst_setting, parse_when
    from store.followups import move_contact

    store = open_store(args)
    stage = check_stage(args.stage)
    at = None
    if args.at:
        at = parse_when(args.at, store.clock(), dayfirst=dayfirst_setting(store.settings()))
    with store.transaction():
        contact = store.resolve(args.ref)
        before = contact.stage
        move_contact(store, contact.id, stage, at)
    print(printable(f"{contact.name}: {before} → {stage}"))
    return 0


def _set_archived(args: argparse.Namespace, archived: bool) -> int:
    store = open_store(args)
    with store.transaction():
        contact = store.set_archived(store.resolve(args.ref).id, archived)
    if archived:
        print(printable(f"archived {contact.name} (undo: coffeechat restore {contact.id})"))
    else:
        print(printable(f"restored {contact.name}"))
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    return _set_archived(args, True)


def cmd_restore(args: argparse.Namespace) -> int:
    return _set_archived(args, False)


def cmd_demo(args: argparse.Namespace) -> int:
    from store.demo import demo_records
    from store.paths import demo_db_path

    if args.contacts < 1:
        raise CoffeeError("--contacts must be at least 1")
    path = (args.db or demo_db_path()).expanduser()
    if path == demo_db_path():
        path.unlink(missing_ok=True)
    store = Store(path)
    existing = len(store.contacts(include_archived=True))
    if existing:
        raise CoffeeError(
            f"{path} already holds {existing} contacts; the demo writes only to a new file "
            "(or to its own demo file)"
        )
    store.insert_many(demo_records(args.contacts, args.seed, store.clock()))
    if args.no_open:
        print(printable(f"wrote {args.contacts} demo contacts to {path}"))
        return 0
    return open_app(store)
