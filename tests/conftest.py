"""Fixtures shared by every test folder."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest


@pytest.fixture
def sigint_delivered() -> Iterator[None]:
    """SIGINT acted on by this process and the processes a test starts, as Ctrl-C is.

    A shell starts a background job (``make test &``, a CI step run so) with SIGINT
    ignored, and an ignored signal stays ignored in every process started after it:
    a stand-in that sent itself SIGINT then went on as if nothing happened, and a test of
    what Ctrl-C does failed for a reason of the machine's. A handler of Python's own is
    reset to the default in each program it starts (execve), so with one installed here
    they all act on SIGINT again.
    """
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
