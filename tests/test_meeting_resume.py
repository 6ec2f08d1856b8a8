"""A real `coffeechat meet` in a pseudo-terminal, killed with SIGKILL mid-meeting: nothing
typed before the autosave interval is lost, and the restarted app resumes the meeting."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import sys
import termios
import threading
import time

from store.db import Store
from store.records import Contact
from tests.disk import tables_on_disk

TIMEOUT = 30.0
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[@-_]")


class Terminal:
    """`coffeechat meet REF --db PATH` on an 80x24 pty, its output collected as it comes."""

    def __init__(self, db_path, ref: str) -> None:
        self.output = bytearray()
        argv = [sys.executable, "-m", "tui.cli", "meet", ref, "--db", str(db_path)]
        env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATION": "none"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size its terminal, then become coffeechat
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(sys.executable, argv, env)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def text(self) -> str:
        return ANSI.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    def wait_for_text(self, wanted: str) -> None:
        wait_until(lambda: wanted in self.text(), f"{wanted!r} on screen")

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        os.close(self.fd)
        self._reader.join(5)


def wait_until(condition, what: str) -> float:
    """Seconds until condition() held; fails after TIMEOUT."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > TIMEOUT:
            raise AssertionError(f"waited {TIMEOUT:g} s for {what}")
        time.sleep(0.05)
    return time.monotonic() - start


def meetings_on_disk(db_path) -> list[dict]:
    return list(tables_on_disk(db_path).get("meetings", {}).values())


def notes_on_disk(db_path) -> str | None:
    meetings = meetings_on_disk(db_path)
    return meetings[-1]["notes"] if meetings else None


def test_killed_meeting_resumes_with_its_notes(db_path):
    Store(db_path).add_contact(Contact(name="Alice Wong", company="Acme", stage="contacted"))

    first = Terminal(db_path, "alice")
    try:
        first.wait_for_text("editor")  # meeting mode's footer: the notes pad has the focus
        first.type("first words")
        wait_until(lambda: notes_on_disk(db_path) == "first words", "the autosave")
    finally:
        first.kill()

    second = Terminal(db_path, "alice")
    try:
        second.wait_for_text("first words")  # the resumed notes, on screen
        second.type(" and more")
        wait_until(lambda: notes_on_disk(db_path) == "first words and more", "the autosave")
    finally:
        second.kill()

    (meeting,) = meetings_on_disk(db_path)
    assert meeting["ended_at"] is None
