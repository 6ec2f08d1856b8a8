"""`coffeechat import` and `coffeechat export`: the files people have, in and out.

Imports nothing of Textual.
"""

from __future__ import annotations

import argparse
import sys

from store.exporting import FORMATS as EXPORT_FORMATS
from store.exporting import export, write_file
from store.importing import FORMATS as IMPORT_FORMATS
from store.importing import import_file
from store.records import STAGES
from store.text import printable
from tui.cli.kit import add_command, open_store


def register(sub) -> None:
    p = add_command(
        sub,
        "import",
        cmd_import,
        "import contacts from LinkedIn's Connections.csv, a CSV, vCards, or restore a JSON "
        "backup; running it again adds nothing",
    )
    p.add_argument("format", choices=IMPORT_FORMATS)
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--map",
        default="",
        metavar='"Header=field,..."',
        help="csv: which column holds which field, for headers not recognised",
    )
    p.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    p.add_argument(
        "--replace",
        action="store_true",
        help="json: restore even when the database has records the backup has not",
    )

    p = add_command(sub, "export", cmd_export, "export contacts, meetings and follow-ups")
    p.add_argument("format", choices=EXPORT_FORMATS)
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write FILE (atomically) instead of stdout"
    )
    p.add_argument("--stage", metavar="S", help=f"only contacts in this stage: {', '.join(STAGES)}")
    p.add_argument(
        "--activity",
        action="store_true",
        help="markdown: the activity log of stage changes by date instead of per-meeting notes",
    )


def cmd_import(args: argparse.Namespace) -> int:
    report = import_file(
        open_store(args),
        args.format,
        args.file,
        mapping=args.map,
        dry_run=args.dry_run,
        replace=args.replace,
    )
    print(printable("\n".join(report.lines()), keep_newlines=True))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    text = export(open_store(args, only_reads=True), args.format, stage=args.stage,
                  activity=args.activity)
    if args.output:
        write_file(args.output, text)
        print(printable(f"exported {args.format} to {args.output}"))
    elif sys.stdout.isatty():
        # A terminal gets control characters escaped; a pipe or file gets the exact bytes.
        print(printable(text.replace("\r\n", "\n"), keep_newlines=True), end="")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    return 0
