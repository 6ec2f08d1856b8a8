"""The command line run by main() in the test's own process, as a finished process would
report it: for tests about what a command does, not about the process boundary (starting
Python for each command cost a third of a second)."""

from __future__ import annotations

import contextlib
import io
import subprocess
from unittest import mock

from tui.cli.main import main


def run_main(*args: str) -> subprocess.CompletedProcess:
    """`coffeechat ARGS` without a terminal (stdin empty, not a tty): its exit code, stdout
    and stderr."""
    out, err = _stream(), _stream()  # bytes beneath, as `export` writes to stdout.buffer
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            mock.patch("sys.stdin", io.StringIO()):
        try:
            code = main(list(args))
        except SystemExit as exit:  # a usage error
            code = exit.code
    return subprocess.CompletedProcess(list(args), code, _text(out), _text(err))


def _stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    """What was written, read back as subprocess.run(text=True) reads a pipe."""
    stream.flush()
    return io.TextIOWrapper(io.BytesIO(stream.buffer.getvalue()), encoding="utf-8").read()
