"""Kill a writing process with SIGKILL at random moments; the file must always load and
hold every write the child reported done.

    python tests/crash_campaign.py --kills 1000 [--seed-contacts 2000] [--lanes 2] [--db PATH]

Prints one line of figures. The test suite runs 200 kills on 500 contacts
(tests/test_durability.py).
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
from concurrent.futures import ThreadPoolExecutor
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
# The kill comes this long (at most, uniformly) after the writer says it is ready: a few
# of its writes, so a kill lands anywhere in one (most of a write is the file's fsync).
KILL_WINDOW = 0.1  # seconds
LANES = 2  # measured on 2 cores: 64 s for 200 kills alone, 36 s in two lanes; 4 no faster
# Process.start() reads the exit status of every child not yet joined, join() its own: if
# two lanes did both at once, the second to read a child's status would find it gone.
_POLLING = threading.Lock()


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


def campaign(db: Path, kills: int, seed_contacts: int, rng: random.Random,
             lanes: int = LANES) -> dict:
    """`kills` rounds, shared out among `lanes` files killed side by side (the first is
    `db`, the others in folders next to it): a round mostly waits for its kill moment, so
    lanes overlap those waits. Each lane is a full campaign on its own file."""
    started = time.perf_counter()
    files = [db] + [db.parent / f"lane{lane}" / db.name for lane in range(1, lanes)]
    shares = [kills // lanes + (lane < kills % lanes) for lane in range(lanes)]
    seeds = [random.Random(rng.random()) for _ in range(lanes)]
    failed = threading.Event()  # one lane failed: the others stop at their next round
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        futures = [pool.submit(_lane, path, share, seed_contacts, seed, f"lane{lane}-", failed)
                   for lane, (path, share, seed) in enumerate(zip(files, shares, seeds))]
        figures = [future.result() for future in futures]  # the first failure, raised
    totals = {key: sum(f[key] for f in figures) for key in figures[0]}
    return {**totals, "seconds": round(time.perf_counter() - started, 1)}


def _lane(db: Path, kills: int, seed_contacts: int, rng: random.Random, prefix: str,
          failed: threading.Event) -> dict:
    try:
        return _rounds(db, kills, seed_contacts, rng, prefix, failed)
    except BaseException:
        failed.set()
        raise


def _rounds(db: Path, kills: int, seed_contacts: int, rng: random.Random, prefix: str,
            failed: threading.Event) -> dict:
    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store(db)
    if seed_contacts and not store.contacts(include_archived=True):
        store.insert_many(demo_records(seed_contacts, 1, store.clock()))
    reported_done: set[str] = set()
    reported_moved: set[str] = set()
    strays = 0
    everyone = store.contacts(include_archived=True)
    for round_ in range(kills):
        if failed.is_set():
            break
        said, saying = FORKS.Pipe(duplex=False)
        child = FORKS.Process(target=write_until_killed, daemon=True,
                              args=(str(db), f"{prefix}round{round_}", 100000, saying))
        with _POLLING:
            child.start()
        saying.close()  # the child has its own end: the pipe ends when the child does
        lines: list[str] = []
        ready = threading.Event()
        reader = threading.Thread(target=_read_lines, args=(said, lines, ready))
        reader.start()
        try:
            ready.wait(timeout=30)
            time.sleep(rng.uniform(0.0, KILL_WINDOW))
        finally:
            child.kill()  # SIGKILL
            with _POLLING:
                child.join()
        reader.join()
        if child.exitcode != -signal.SIGKILL:
            raise AssertionError(f"{prefix}round {round_}: the writer ended by itself "
                                 f"({child.exitcode})")
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
            raise AssertionError(f"{prefix}round {round_}: lost {sorted(lost)}, "
                                 f"unmoved {sorted(unmoved)}")
    return {
        "kills": kills,
        "writes_confirmed": len(reported_done) + len(reported_moved),
        "contacts_in_file": len(everyone),
        "killed_mid_write": strays,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed-contacts", type=int, default=2000,
                        help="contacts in the file before the first kill (bigger = longer writes)")
    parser.add_argument("--db", type=Path, help="default: a new temporary file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lanes", type=int, default=LANES,
                        help="files killed side by side, the kills shared among them")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "crash.json"
    figures = campaign(db, args.kills, args.seed_contacts, random.Random(args.seed),
                       args.lanes)
    print(" · ".join(f"{k} {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
