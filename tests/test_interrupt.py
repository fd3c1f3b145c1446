"""Ctrl-C while libraries load is held until they are loaded; one that something swallowed still stops the run."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator

import pytest

from scheduler import interrupt


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    handler = signal.getsignal(signal.SIGINT)
    interrupt._Pressed.pressed = False
    yield
    interrupt._Pressed.pressed = False
    signal.signal(signal.SIGINT, handler)


def test_ctrl_c_while_loading_is_raised_once_loaded() -> None:
    loaded = False
    with pytest.raises(KeyboardInterrupt), interrupt.loading():
        os.kill(os.getpid(), signal.SIGINT)
        loaded = True  # not interrupted halfway: the import it stands for completes
    assert loaded


def test_a_swallowed_ctrl_c_is_raised_again_by_check() -> None:
    with interrupt.loading():
        pass
    interrupt.check()  # nothing pressed: nothing raised
    with contextlib.suppress(KeyboardInterrupt):  # as the import machinery sometimes does
        os.kill(os.getpid(), signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        interrupt.check()
