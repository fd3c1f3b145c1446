"""`python -m scheduler` and the `scheduler` command."""

from __future__ import annotations

import sys

from scheduler import interrupt


def run() -> int:
    """Start the command line; Ctrl-C while the libraries load or the arguments are read ends quietly too."""
    try:
        with interrupt.loading():
            from scheduler.cli import main  # noqa: PLC0415 - imported here so that an early Ctrl-C is caught
        return main()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted. Nothing was written.\n")
        return 1


if __name__ == "__main__":
    sys.exit(run())
