"""A child process that writes contacts in a loop and says so after each durable write.

    python tests/writer.py DB PREFIX COUNT

prints "done NAME" once `add_contact` has returned (the write is on disk), then moves
that contact to `contacted` and prints "moved NAME". Used by the lost-update test and by
the crash campaign, which kills it at random moments (it forks `write_until_killed`).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.db import Store  # noqa: E402
from store.records import Contact  # noqa: E402


def say_on_stdout(line: str) -> None:
    print(line, flush=True)


def main(db: str, prefix: str, count: int, say=say_on_stdout) -> None:
    store = Store(db, lock_timeout=60)
    say("ready")
    for n in range(count):
        name = f"{prefix} {n}"
        contact = store.add_contact(Contact(name=name, company="Crash Test"))
        say(f"done {name}")
        store.move(contact.id, "contacted")
        say(f"moved {name}")


def write_until_killed(db: str, prefix: str, count: int, conn) -> None:
    """`main`, saying each line on a pipe: the crash campaign forks this from a process
    that has already imported the store, instead of starting Python for every kill."""
    main(db, prefix, count, say=lambda line: conn.send_bytes(line.encode()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
