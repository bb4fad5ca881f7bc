"""Admission: how many events of this process run at once, and how long the rest wait in line.

Each event that reaches Redis first takes one of `slots` places (as many as
the process has Redis connections); the others wait in line, first come first
served. Without it, a burst (a thousand phones resuming after a restart) starts
a thousand greenlets that all hold a Redis connection while they wait for the
CPU, the pool runs dry and every late event is shed, to come back later and
cost its work twice. In line, each admitted event runs to its end with few
others beside it, and the line moves in arrival order.

An event that waited `wait` seconds without a place is refused with `busy`
and a `retry_after`: a tap waits `REDIS_POOL_WAIT` (0.25 s), so an overloaded
server sheds it well under a second; a seat's event (create, join, resume)
waits `SEAT_EVENT_WAIT` (5 s), since a phone coming back must come back, and
sending it again would only cost the same work once more. Nothing of an event
is done before it is admitted, so a refused one changed nothing.
"""

import contextlib
import threading

from ..redis_conn import BUSY_RETRY_AFTER
from ..domain.errors import DomainError


def _semaphore(slots: int, async_mode: str):
    if async_mode == "eventlet":
        # eventlet's semaphore lets nobody pass a waiter in line (no barging), so the
        # line moves in arrival order; the threading one lets a newcomer take a freed place.
        from eventlet.semaphore import Semaphore

        return Semaphore(slots)
    return threading.Semaphore(slots)


class Admission:
    """A bounded number of places for running events, and a line for the rest."""

    def __init__(self, slots: int, async_mode: str = "eventlet"):
        self.slots = max(1, int(slots))
        self._places = _semaphore(self.slots, async_mode)
        self.waiting = 0  # events in line now (a figure for logs and tests)
        self.refused = 0  # events shed since start

    @contextlib.contextmanager
    def place(self, wait: float):
        """Hold a place while the block runs; `busy` (with `retry_after`) after `wait` s in line."""
        self.waiting += 1
        try:
            admitted = self._places.acquire(timeout=max(wait, 1e-3))
        finally:
            self.waiting -= 1
        if not admitted:
            self.refused += 1
            raise DomainError("busy", "The server is very busy right now; please try again in a moment.",
                              retry_after=BUSY_RETRY_AFTER)
        try:
            yield
        finally:
            self._places.release()
