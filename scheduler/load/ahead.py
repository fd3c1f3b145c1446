"""Loading an event in a second process while this one imports the solver.

`scheduler plan` spends about half a second importing OR-Tools (with numpy and pandas, which it imports) before
it can build a model, and as long again reading an event of a few thousand applicants. Both are Python work, so
two threads would take turns; a forked process (`scheduler.forked`) reads the event on the other core meanwhile.
Pickling it back costs about a tenth of the loading, so a very large event (beyond LOAD_AHEAD_UP_TO bytes of
input) is read here, as before. If the other process fails, the event is read again here, so that problems with
the input are reported exactly as always: the other process only ever hands back a loaded event.
"""

from __future__ import annotations

from pathlib import Path

from scheduler.domain import Event
from scheduler.forked import Forked, fork_is_safe
from scheduler.load import load_event

# Bytes in the event folder's files: about 25,000 applicants in a workbook. Beyond it, pickling the event and
# reading it back here cost more than the import they run beside.
LOAD_AHEAD_UP_TO = 2_500_000


class LoadAhead:
    """Start loading the event in `folder`; calling the object gives the event (or raises `InputError`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ahead = Forked(lambda: load_event(folder)) if _pays(folder) else None
        self.from_second_process = False  # whether the event came from it (for the tests)

    def __call__(self) -> Event:
        if self._ahead is not None:
            event, self._ahead = self._ahead(), None
            if event is not None:
                self.from_second_process = True
                return event
        return load_event(self.folder)


def _pays(folder: Path) -> bool:
    """Whether a second process pays: only where a fork is safe, and for an event not so large that pickling
    outweighs the import it runs beside."""
    if not fork_is_safe() or not folder.is_dir():
        return False
    size = 0
    for path in folder.iterdir():
        if path.is_file():
            size += path.stat().st_size
            if size > LOAD_AHEAD_UP_TO:
                return False
    return True
