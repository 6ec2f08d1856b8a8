"""Kill a writing process with SIGKILL at random moments; the file must always load and
hold every write the child reported done.

    python tests/crash_campaign.py --kills 1000 [--seed-contacts 2000] [--db PATH]

Prints one line of figures. The test suite runs 200 kills (tests/test_durability.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from store.db import Store  # noqa: E402
from store.demo import demo_records  # noqa: E402
from tests.writer import write_until_killed  # noqa: E402

# Each writer is forked from a server process that has imported the store once: starting
# a fresh Python for every kill was most of the campaign's time. The writer is the same
# code, killed the same way.
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(["tests.writer"])


def _read_lines(conn, lines: list[str], ready: threading.Event) -> None:
    try:
        while True:
            line = conn.recv_bytes().decode()
            lines.append(line)
            if line == "ready":
                ready.set()
    except (EOFError, OSError):  # the writer is gone
        pass
    finally:
        conn.close()
        ready.set()


def campaign(db: Path, kills: int, seed_contacts: int, rng: random.Random) -> dict:
    store = Store(db)
    if seed_contacts and not store.contacts(include_archived=True):
        store.insert_many(demo_records(seed_contacts, 1, store.clock()))
    reported_done: set[str] = set()
    reported_moved: set[str] = set()
    strays = 0
    started = time.perf_counter()
    for round_ in range(kills):
        said, saying = FORKS.Pipe(duplex=False)
        child = FORKS.Process(target=write_until_killed, daemon=True,
                              args=(str(db), f"round{round_}", 100000, saying))
        child.start()
        saying.close()  # the child has its own end: the pipe ends when the child does
        lines: list[str] = []
        ready = threading.Event()
        reader = threading.Thread(target=_read_lines, args=(said, lines, ready))
        reader.start()
        try:
            ready.wait(timeout=30)
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            child.kill()  # SIGKILL
            child.join()
        reader.join()
        if child.exitcode != -signal.SIGKILL:
            raise AssertionError(f"round {round_}: the writer ended by itself ({child.exitcode})")
        for line in lines:
            kind, _, name = line.partition(" ")
            if kind == "done":
                reported_done.add(name)
            elif kind == "moved":
                reported_moved.add(name)
        strays += len(list(db.parent.glob(f".{db.name}.*.tmp")))  # killed mid-write
        after = Store(db)  # raises if the file does not load; removes the strays
        everyone = after.contacts(include_archived=True)
        contacts = {c.name: c for c in everyone}
        lost = reported_done - contacts.keys()
        unmoved = {n for n in reported_moved if contacts[n].stage != "contacted"}
        if lost or unmoved:
            raise AssertionError(f"round {round_}: lost {sorted(lost)}, unmoved {sorted(unmoved)}")
    return {
        "kills": kills,
        "writes_confirmed": len(reported_done) + len(reported_moved),
        "contacts_in_file": len(everyone),
        "killed_mid_write": strays,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed-contacts", type=int, default=2000,
                        help="contacts in the file before the first kill (bigger = longer writes)")
    parser.add_argument("--db", type=Path, help="default: a new temporary file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "crash.json"
    figures = campaign(db, args.kills, args.seed_contacts, random.Random(args.seed))
    print(" · ".join(f"{k} {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
