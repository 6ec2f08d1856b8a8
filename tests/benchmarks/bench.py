"""The speed table of ../shared/PERFORMANCE.md, measured as a user meets the app.

    python tests/benchmarks/bench.py [--sizes 0,200,2000,20000] [--runs 3] [--json]

Builds demo databases (size 0: an empty file), then for each size: file size, load, one
durable stage move, `coffeechat list` and `agenda` wall time and peak RSS, and in a
pseudo-terminal at 120x40: start to board painted (and its ratio to a bare Textual app
measured in the same run), `>` until the contacted column counts the card and until the
screen stops changing (with the bytes of every frame it caused), a move durable on disk,
an arrow key and a filter letter, the app's peak RSS (the whole process). Then the issue's
table: each figure with its target. Medians of --runs. Not a test: nothing here asserts a
time.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.db import Store  # noqa: E402

COLS, ROWS = 120, 40
BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare-ready")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run()
"""


class Terminal:
    """A process in a pseudo-terminal of COLS x ROWS, its output read as bytes."""

    def __init__(self, argv: list[str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS),
                   "LINES": str(ROWS), "TEXTUAL_ANIMATION": "none"}
            env.pop("NO_COLOR", None)
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.pid, self.fd = pid, fd
        self.output = bytearray()

    def read_until(self, *needles: bytes, timeout: float = 60) -> float:
        """Seconds from start until every one of `needles` has been written."""
        deadline = time.perf_counter() + timeout
        while not all(needle in self.output for needle in needles):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"never saw all of {needles!r}")
            self._read(0.05)
        return time.perf_counter() - self.started

    def _read(self, wait: float) -> int:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return 0
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return 0
        self.output += chunk
        return len(chunk)

    def drain(self, quiet: float = 0.15) -> None:
        while self._read(quiet):
            pass

    def key(self, data: bytes, until: bytes | None = None) -> tuple[float, int]:
        """Send a key; seconds until the screen shows `until` (or, without it, until the
        update ends: no output for 0.15 s), and the bytes written by then."""
        self.drain()
        self.sent = time.perf_counter()
        start = self.key_start = len(self.output)
        os.write(self.fd, data)
        if until is not None:
            while until not in self.output[start:]:
                if not self._read(2.0):
                    raise TimeoutError(f"never saw {until!r}")
            return time.perf_counter() - self.sent, len(self.output) - start
        last = self.sent
        if self._read(2.0):  # the update starts
            last = time.perf_counter()
            while self._read(0.15):
                last = time.perf_counter()
        return last - self.sent, len(self.output) - start

    def settle(self, since: int, quiet: float = 0.15) -> tuple[float, int]:
        """Read until no output for `quiet` s: seconds from the last key sent to the last
        byte, and the bytes written since offset `since`."""
        last = time.perf_counter()
        while self._read(quiet):
            last = time.perf_counter()
        return last - self.sent, len(self.output) - since

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        return kb / 1024

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except ProcessLookupError:
            pass
        os.close(self.fd)


def bare_start() -> float:
    term = Terminal([sys.executable, "-c", BARE_APP])
    try:
        return term.read_until(b"bare-ready")
    finally:
        term.close()


def coffeechat(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


def wall(argv: list[str]) -> float:
    return wall_rss(argv)[0]


# Runs a command from a small process: a child's peak RSS counts the memory of the process
# it was forked from, and this one holds a whole database.
TIMED = """
import os, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)
"""


def wall_rss(argv: list[str]) -> tuple[float, float]:
    return wall_rss_cpu(argv)[:2]


def wall_rss_cpu(argv: list[str]) -> tuple[float, float, float]:
    """Seconds from start to exit, the peak RSS in MB and the CPU seconds (user and
    system: what load on the machine changes least) of one command."""
    done = subprocess.run([sys.executable, "-c", TIMED, *argv], check=True, cwd=ROOT,
                          capture_output=True, text=True)
    elapsed, rss, cpu = done.stdout.split()
    return float(elapsed), float(rss), float(cpu)


def app_figures(db: Path) -> dict:
    """One run of the app in a pty: start, keys, save, memory."""
    contacts = Store(db).contacts()
    contacted = sum(1 for c in contacts if c.stage == "contacted")
    term = Terminal(coffeechat("--db", str(db)))
    try:
        # The last column's title, and the header's count: the board with its cards.
        start = term.read_until(b"referred", b" contacts")
        rss_started = term.peak_rss_mb()
        term.drain(0.3)
        if not any(c.stage == "target" for c in contacts):  # (the empty board)
            return {"start_s": start, "peak_rss_mb": rss_started}
        mtime = db.stat().st_mtime_ns
        # `>` moves the first target card: done when the contacted column counts it,
        # settled when the screen stops changing (every frame it causes, counted).
        move, _ = term.key(b">", until=f"contacted {contacted + 1}".encode())
        move_settled, move_bytes = term.settle(term.key_start)
        saved_after = _written_since(db, mtime) - term.sent
        arrow, arrow_bytes = term.key(b"\x1b[B")  # down
        term.key(b"/")
        filter_key, _ = term.key(b"a", until=b" shown")  # the header counts the matches
        rss = term.peak_rss_mb()
        return {"start_s": start, "move_key_ms": move * 1000,
                "move_settled_ms": move_settled * 1000, "move_bytes": move_bytes,
                "saved_ms": saved_after * 1000,
                "arrow_key_ms": arrow * 1000, "arrow_bytes": arrow_bytes,
                "filter_key_ms": filter_key * 1000, "peak_rss_mb": rss}
    finally:
        term.close()


def _written_since(db: Path, mtime: int, timeout: float = 5) -> float:
    """The perf_counter moment the file was replaced after `mtime` (from its new mtime)."""
    started = time.perf_counter()
    while (st := db.stat()).st_mtime_ns == mtime:
        if time.perf_counter() - started > timeout:
            return float("nan")
        time.sleep(0.001)
    # Map the file's wall-clock mtime onto perf_counter's timeline.
    return time.perf_counter() - (time.time() - st.st_mtime_ns / 1e9)


def store_figures(db: Path) -> dict:
    started = time.perf_counter()
    store = Store(db)
    contacts = store.contacts()
    load = time.perf_counter() - started
    started = time.perf_counter()
    store.step(contacts[0].id, 1)
    move = time.perf_counter() - started
    return {"file_mb": db.stat().st_size / 1e6, "load_s": load, "durable_move_ms": move * 1000}


def measure(size: int, runs: int, folder: Path) -> dict:
    db = folder / f"demo-{size}.json"
    if size:
        build = wall(coffeechat("demo", "--db", str(db), "--contacts", str(size), "--no-open"))
    else:
        build = wall(coffeechat("list", "--db", str(db)))  # creates the empty file
    rows: list[dict] = []
    for _ in range(runs):
        bare = bare_start()
        row = {"bare_start_s": bare, **(store_figures(db) if size else
                                         {"file_mb": db.stat().st_size / 1e6})}
        row["list_s"], row["list_rss_mb"], row["list_cpu_s"] = wall_rss_cpu(
            coffeechat("list", "--db", str(db)))
        row["agenda_s"], row["agenda_rss_mb"], row["agenda_cpu_s"] = wall_rss_cpu(
            coffeechat("agenda", "--db", str(db)))
        row.update(app_figures(db))
        row["start_ratio"] = row["start_s"] / bare
        rows.append(row)
    result = {"contacts": size, "demo_build_s": build, "runs": runs}
    for key in rows[0]:
        result[key] = statistics.median(r[key] for r in rows)
    return result


COLUMNS = [
    ("contacts", "contacts", "{:.0f}"),
    ("file_mb", "file MB", "{:.1f}"),
    ("load_s", "load s", "{:.3f}"),
    ("durable_move_ms", "store move ms", "{:.0f}"),
    ("list_s", "list s", "{:.2f}"),
    ("list_cpu_s", "list CPU s", "{:.2f}"),
    ("list_rss_mb", "list MB", "{:.0f}"),
    ("agenda_s", "agenda s", "{:.2f}"),
    ("agenda_cpu_s", "agenda CPU s", "{:.2f}"),
    ("bare_start_s", "bare app s", "{:.2f}"),
    ("start_s", "board s", "{:.2f}"),
    ("start_ratio", "ratio", "{:.2f}×"),
    ("move_key_ms", "> ms", "{:.0f}"),
    ("move_settled_ms", "> settled ms", "{:.0f}"),
    ("move_bytes", "> bytes", "{:.0f}"),
    ("saved_ms", "saved ms", "{:.0f}"),
    ("arrow_key_ms", "↓ ms", "{:.0f}"),
    ("arrow_bytes", "↓ bytes", "{:.0f}"),
    ("filter_key_ms", "filter ms", "{:.0f}"),
    ("peak_rss_mb", "RSS MB", "{:.0f}"),
]


def table(results: list[dict]) -> str:
    header = "| " + " | ".join(title for _, title, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    lines = [header, rule]
    for result in results:
        lines.append("| " + " | ".join(_cell(result, key, fmt) for key, _, fmt in COLUMNS)
                     + " |")
    return "\n".join(lines)


def _cell(result: dict, key: str, fmt: str) -> str:
    value = result.get(key)
    return "–" if value is None or value != value else fmt.format(value)


# The table: (figure, size, key, target, unit, format); a target is a maximum.
TARGETS = [
    ("start, empty (ratio to bare)", 0, "start_ratio", None, "×", "{:.2f}"),
    ("start, 2,000 (ratio to bare)", 2000, "start_ratio", 1.3, "×", "{:.2f}"),
    ("start, 20,000 (ratio to bare)", 20000, "start_ratio", 2.0, "×", "{:.2f}"),
    ("peak RSS of the app, 2,000", 2000, "peak_rss_mb", 100, " MB", "{:.0f}"),
    ("peak RSS of the app, 20,000", 20000, "peak_rss_mb", 150, " MB", "{:.0f}"),
    ("`>` at 2,000 until the screen stops changing", 2000, "move_settled_ms", 50, " ms",
     "{:.0f}"),
    ("bytes that `>` writes at 2,000", 2000, "move_bytes", 5000, " B", "{:.0f}"),
    ("move durable on disk at 2,000", 2000, "saved_ms", 100, " ms", "{:.0f}"),
    ("`agenda` at 2,000", 2000, "agenda_s", 0.3, " s", "{:.2f}"),
    ("`agenda` at 2,000, CPU", 2000, "agenda_cpu_s", 0.3, " s", "{:.2f}"),
    ("`agenda` at 20,000", 20000, "agenda_s", 1.0, " s", "{:.2f}"),
    ("`agenda` at 20,000, CPU", 20000, "agenda_cpu_s", 1.0, " s", "{:.2f}"),
    ("`list` at 2,000", 2000, "list_s", 0.3, " s", "{:.2f}"),
    ("`list` at 2,000, CPU", 2000, "list_cpu_s", 0.3, " s", "{:.2f}"),
    ("`list` at 20,000", 20000, "list_s", 1.0, " s", "{:.2f}"),
    ("`list` at 20,000, CPU", 20000, "list_cpu_s", 1.0, " s", "{:.2f}"),
    ("`list` peak RSS at 20,000", 20000, "list_rss_mb", 150, " MB", "{:.0f}"),
    ("arrow ↓ at 2,000", 2000, "arrow_bytes", 3000, " B", "{:.0f}"),
]


def targets_table(results: list[dict]) -> str:
    """Every figure of the issue's table beside its target and the bare app's time."""
    by_size = {r["contacts"]: r for r in results}
    lines = ["| figure | target | measured | met | bare app s |", "|---|---:|---:|:---:|---:|"]
    for figure, size, key, target, unit, fmt in TARGETS:
        result = by_size.get(size)
        value = None if result is None else result.get(key)
        if value is None or value != value:
            continue
        shown = fmt.format(value) + unit
        goal = "–" if target is None else f"≤ {fmt.format(target)}{unit}"
        met = "–" if target is None else ("yes" if value <= target else "**no**")
        lines.append(f"| {figure} | {goal} | {shown} | {met} | "
                     f"{result['bare_start_s']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,200,2000,20000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # As installed by pip: the modules' bytecode is compiled once, not at every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "store", "tui", "widgets"],
                   check=True, cwd=ROOT)
    with tempfile.TemporaryDirectory() as folder:
        results = [measure(int(size), args.runs, Path(folder))
                   for size in args.sizes.split(",")]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(table(results))
        print()
        print(targets_table(results))
        load = " ".join(f"{n:.2f}" for n in os.getloadavg())
        print(f"\nload average at the end (1, 5, 15 min): {load}")


if __name__ == "__main__":
    main()
