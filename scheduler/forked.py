"""Work done in a forked process on the other core, its result handed back pickled.

Python runs one thread at a time, so work that is Python through and through (reading an event, parsing rows)
only runs beside other such work in a second process. Forking copies nothing up front and needs no import in the
second process; the result comes back through a pipe. The second process ends without the interpreter's clean-up
(nothing of this one's is flushed or closed twice), and whatever goes wrong there, the caller gets None and does
the work itself, so that errors are met and reported where they always are.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def fork_is_safe() -> bool:
    """Whether a fork is safe now: with another thread running, a lock it holds (logging's, an import's) would
    stay held in the second process for ever."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """`work()` started in a second process; calling the object waits for its result, None if it failed."""

    def __init__(self, work: Callable[[], T]) -> None:
        read_end, write_end = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the second process
            os.close(read_end)
            code = 1
            try:
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(data)
                code = 0
            except BaseException:  # noqa: S110 - the caller does the work again and meets the error itself
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self._pipe = os.fdopen(read_end, "rb")

    def __call__(self) -> T | None:
        with self._pipe as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:  # not the whole result
            return None
        result: T = pickle.loads(data)  # noqa: S301 - written by this program's own second process
        return result
