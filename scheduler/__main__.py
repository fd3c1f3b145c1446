"""`python -m scheduler` and the `scheduler` command."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import NoReturn

from scheduler import interrupt

GC_THRESHOLD = 50_000  # new objects between two passes of the cycle collector (Python's default: 700)


def run() -> NoReturn:
    """Run the command line and end the process with its exit code."""
    # Python's cycle collector walks the objects that survived its last pass each time 700 more have been made
    # than freed, and all of them every few such passes. A run keeps millions alive (the event, the model, the
    # views) and frees little by cycles: walking them was a tenth of `plan` on 5,000 applicants. Passes are now
    # rare, for a little more memory (100,000 applicants: 692 MB -> 748 MB; benchmarks/analysis.md).
    gc.set_threshold(GC_THRESHOLD, 10, 10)
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
