"""A child process that writes contacts in a loop and says so after each durable write.

    python tests/writer.py DB PREFIX COUNT

prints "done NAME" once `add_contact` has returned (the write is on disk), then moves
that contact to `contacted` and prints "moved NAME". Used by the lost-update test and by
the crash campaign, which kills it at random moments.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.db import Store  # noqa: E402
from store.records import Contact  # noqa: E402


def main(db: str, prefix: str, count: int) -> None:
    store = Store(db, lock_timeout=60)
    print("ready", flush=True)
    for n in range(count):
        name = f"{prefix} {n}"
        contact = store.add_contact(Contact(name=name, company="Crash Test"))
        print(f"done {name}", flush=True)
        store.move(contact.id, "contacted")
        print(f"moved {name}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
