"""Ctrl-C that always ends a run with its message and exit code 1, and never lets it go on.

Python turns Ctrl-C into a KeyboardInterrupt wherever the program happens to be, and two places go wrong. Raised
inside the import machinery, it can be swallowed ("Exception ignored in ... _ModuleLockManager") and the run goes
on to write its outputs. Raised inside code that a compiled extension runs while it is imported, it leaves a mark
that makes Python end by the signal even after our own clean exit. So while libraries load (`loading`), Ctrl-C is
only recorded, and raised once they are loaded; at any other time it is raised at once and recorded too, and
`check` raises it again before anything is written, in case something swallowed it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class _Pressed:
    """Whether Ctrl-C was pressed during this run."""

    pressed = False


def _record(signum: int, frame: FrameType | None) -> None:
    _Pressed.pressed = True


def _record_and_raise(signum: int, frame: FrameType | None) -> None:
    _Pressed.pressed = True
    raise KeyboardInterrupt


@contextmanager
def loading() -> Iterator[None]:
    """Import libraries inside: a Ctrl-C meanwhile raises KeyboardInterrupt once they are loaded, not within."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    signal.signal(signal.SIGINT, _record)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, _record_and_raise)
    check()


def check() -> None:
    """KeyboardInterrupt if Ctrl-C was pressed, even when the exception it raised was swallowed on its way."""
    if _Pressed.pressed:
        raise KeyboardInterrupt
