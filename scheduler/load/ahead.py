"""Loading an event in a second process while this one imports the solver.

`scheduler plan` spends about half a second importing OR-Tools (with numpy and pandas, which it imports) before
it can build a model, and as long again reading an event of a few thousand applicants. Both are Python work, so
two threads would take turns; a forked process reads the event on the other core meanwhile and hands it back
pickled. Pickling costs about a tenth of the loading, so a very large event (beyond LOAD_AHEAD_UP_TO bytes of
input) is read here, as before. Whatever goes wrong in the other process, the event is read again here, so that
problems with the input are reported exactly as always: the other process only ever returns a loaded event.
"""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

from scheduler.domain import Event
from scheduler.load import load_event

# Bytes in the event folder's files: about 25,000 applicants in a workbook. Beyond it, pickling the event and
# reading it back here cost more than the import they run beside.
LOAD_AHEAD_UP_TO = 2_500_000


class LoadAhead:
    """Start loading the event in `folder`; calling the object gives the event (or raises `InputError`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pid = 0  # the second process, while one is loading
        self.from_second_process = False  # whether the event came from it (for the tests)
        if not _pays(folder):
            return
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the second process: load, send, and end without the interpreter's clean-up
            os.close(read_end)
            code = 1
            try:
                data = pickle.dumps(load_event(folder), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(data)
                code = 0
            except BaseException:  # noqa: S110 - reported by loading again in the first process
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self._pipe = os.fdopen(read_end, "rb")

    def __call__(self) -> Event:
        if self.pid:
            with self._pipe as pipe:
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            if os.waitstatus_to_exitcode(status) == 0:  # the whole event was sent
                self.from_second_process = True
                event: Event = pickle.loads(data)  # noqa: S301 - written by this program's own child process
                return event
        return load_event(self.folder)


def _pays(folder: Path) -> bool:
    """Whether a second process pays: a fork is safe only with no other thread (a lock one holds, logging's or an
    import's, would stay held in the child), and the event must not be so large that pickling outweighs it."""
    if threading.active_count() > 1 or not hasattr(os, "fork") or not folder.is_dir():
        return False
    size = 0
    for path in folder.iterdir():
        if path.is_file():
            size += path.stat().st_size
            if size > LOAD_AHEAD_UP_TO:
                return False
    return True
