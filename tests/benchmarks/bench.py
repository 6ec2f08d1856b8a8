"""The speed table of ../shared/PERFORMANCE.md, measured as a user meets the app.

    python tests/benchmarks/bench.py [--sizes 200,2000,20000] [--runs 3] [--json]

Builds demo databases, then for each size: file size, load, one durable stage move,
`coffeechat list` and `agenda` wall time, and in a pseudo-terminal at 120x40: start to
board painted (and its ratio to a bare Textual app measured in the same run), `>` and
filter keystrokes to screen updated, a move durable on disk, bytes per arrow key, peak RSS.
Medians of --runs. Not a test: nothing here asserts a time.
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
        start = self.key_started = len(self.output)
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
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def app_figures(db: Path) -> dict:
    """One run of the app in a pty: start, keys, save, memory."""
    contacted = sum(1 for c in Store(db).contacts() if c.stage == "contacted")
    term = Terminal(coffeechat("--db", str(db)))
    try:
        # The last column's title, and the header's count: the board with its cards.
        start = term.read_until(b"referred", b" contacts")
        term.drain(0.3)
        mtime = db.stat().st_mtime_ns
        # `>` moves the first target card: done when the contacted column counts it.
        move, _ = term.key(b">", until=f"contacted {contacted + 1}".encode())
        saved_after = _written_since(db, mtime) - term.sent
        term.drain()  # the rest of the move's frames (the overdue marks, the detail bar)
        move_bytes = len(term.output) - term.key_started
        arrow, arrow_bytes = term.key(b"\x1b[B")  # down
        term.key(b"/")
        filter_key, _ = term.key(b"a", until=b" shown")  # the header counts the matches
        rss = term.peak_rss_mb()
        return {"start_s": start, "move_key_ms": move * 1000, "move_bytes": move_bytes,
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
    build = wall(coffeechat("demo", "--db", str(db), "--contacts", str(size), "--no-open"))
    rows: list[dict] = []
    for _ in range(runs):
        bare = bare_start()
        row = {"bare_start_s": bare, **store_figures(db)}
        row["list_s"] = wall(coffeechat("list", "--db", str(db)))
        row["agenda_s"] = wall(coffeechat("agenda", "--db", str(db)))
        row.update(app_figures(db))
        row["start_ratio"] = row["start_s"] / bare
        rows.append(row)
    result = {"contacts": size, "demo_build_s": build}
    for key in rows[0]:
        result[key] = statistics.median(r[key] for r in rows)
    return result


COLUMNS = [
    ("contacts", "contacts", "{:.0f}"),
    ("file_mb", "file MB", "{:.1f}"),
    ("load_s", "load s", "{:.3f}"),
    ("durable_move_ms", "store move ms", "{:.0f}"),
    ("list_s", "list s", "{:.2f}"),
    ("agenda_s", "agenda s", "{:.2f}"),
    ("bare_start_s", "bare app s", "{:.2f}"),
    ("start_s", "board s", "{:.2f}"),
    ("start_ratio", "ratio", "{:.2f}×"),
    ("move_key_ms", "> ms", "{:.0f}"),
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
        lines.append("| " + " | ".join(fmt.format(result[key]) for key, _, fmt in COLUMNS) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # As installed by pip: the modules' bytecode is compiled once, not at every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "store", "tui", "widgets"],
                   check=True, cwd=ROOT)
    with tempfile.TemporaryDirectory() as folder:
        results = [measure(int(size), args.runs, Path(folder))
                   for size in args.sizes.split(",")]
    print(json.dumps(results, indent=2) if args.json else table(results))


if __name__ == "__main__":
    main()
