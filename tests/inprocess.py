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
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            mock.patch("sys.stdin", io.StringIO()):
        try:
            code = main(list(args))
        except SystemExit as exit:  # a usage error
            code = exit.code
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
