"""Fixtures shared by test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from tests.ports import free_port
from tests.smtp import Inbox


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    """An SMTP server on 127.0.0.1 for the module's tests: its inbox and its HOST:PORT."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, f"127.0.0.1:{controller.port}"
    finally:
        controller.stop()
