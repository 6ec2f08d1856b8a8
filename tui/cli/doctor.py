"""`coffeechat doctor [--restore] [--yes]`: check the database file; bring back the newest
good backup when the file cannot be used. No Textual here.

One line per finding; exit 0 when healthy, 1 when something was found.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from store.storage import backup_folder
from store.text import printable
from tui.cli.kit import add_command, confirm, db_path

if TYPE_CHECKING:
    from store.doctor import Backup


def register(sub) -> None:
    p = add_command(
        sub, "doctor", cmd_doctor,
        "check the database file (shape, schema, records, links, duplicates, temp files, "
        "permissions); exit 1 when something is found",
    )
    p.add_argument("--restore", action="store_true",
                   help="when the file cannot be used, put the newest good backup in its "
                        "place (asks first; the file is kept as NAME.corrupt-TIME)")
    p.add_argument("--yes", action="store_true",
                   help="--restore without asking (for scripts; there is no terminal to ask)")


def cmd_doctor(args: argparse.Namespace) -> int:
    # imported here: the checks read every store module, which other commands need not
    from store.doctor import check, good_backup, restore

    path = db_path(args)
    checkup = check(path)
    for finding in checkup.findings:
        say(finding)
    if checkup.data is not None:
        if checkup.healthy:
            say(checkup.summary())
        if args.restore:
            say("nothing to restore: the database can be read")
        return 0 if checkup.healthy else 1
    backup = good_backup(path)
    if backup is None:
        if args.restore or path.exists():
            say(f"no good backup to restore (none in {backup_folder(path)} loads)")
        return 1
    if not args.restore:
        say(f"the newest good backup is {describe(backup)}: coffeechat doctor --restore "
            "puts it back (the file is kept aside)")
        return 1
    if not (args.yes or confirm(f"Restore {describe(backup)} over {path}? [y/N] ",
                                "--restore asks before replacing the file", "restore")):
        say("nothing was changed")
        return 1
    kept = restore(path, backup)
    say(f"restored {describe(backup)} to {path}"
        + (f"; the unusable file is kept as {kept}" if kept else ""))
    return 0


def describe(backup: Backup) -> str:
    return f"{backup.path} ({backup.contacts} contacts)"


def say(line: str) -> None:
    print(printable(line))
