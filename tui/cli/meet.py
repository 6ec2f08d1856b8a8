"""`coffeechat meet REF`: open the app straight into meeting mode with that contact.

REF as elsewhere (an id or a unique name prefix); a one-liner naming nobody, like
`"New Person @ Company"`, asks in the app whether to add them. Textual is imported only
inside the command, once the contact is known.
"""

from __future__ import annotations

import argparse

from store.meetings import meeting_target
from tui.cli.kit import add_command, open_store


def register(sub) -> None:
    p = add_command(
        sub, "meet", cmd_meet,
        "open meeting mode for a contact (resumes an unfinished meeting); a new "
        '"Name, role @ company" is offered as a contact',
    )
    p.add_argument("ref", metavar="REF", help="an id, a unique name prefix, or a new one-liner")


def cmd_meet(args: argparse.Namespace) -> int:
    store = open_store(args)
    from tui.cli.main import open_app

    return open_app(store, meeting_target(store, args.ref))
