"""`python -m scheduler` and the `scheduler` command."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

from scheduler import interrupt


def run() -> NoReturn:
    """Run the command line and end the process with its exit code."""
    code = _main()
    # Every file is written and closed and every lock released by now. Ending here skips the interpreter's
    # clean-up, which frees the run's objects one by one (the event, the model, the views: half a second for an
    # event of 5,000 applicants) for a process that is ending anyway.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a reader that went away
            stream.flush()
    os._exit(code)


def _main() -> int:
    """Start the command line; Ctrl-C while the libraries load or the arguments are read ends quietly too."""
    try:
        with interrupt.loading():
            from scheduler.cli import main  # noqa: PLC0415 - imported here so that an early Ctrl-C is caught
        return main()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted. Nothing was written.\n")
        return 1


if __name__ == "__main__":
    run()
