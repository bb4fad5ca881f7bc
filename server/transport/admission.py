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

import collections
import contextlib
import math
import threading

from ..redis_conn import BUSY_RETRY_AFTER
from ..domain.errors import DomainError


class GreenLine:
    """eventlet: `slots` places and a line that moves in arrival order, each step O(1).

    eventlet's own Semaphore keeps its line in order too, but looks itself up
    in it (`in`, then `remove`) on every wait: with a thousand phones resuming
    after a restart that was a few per cent of the CPU, spent walking the line.
    Here a freed place is handed to the first one still waiting, so nobody
    who came later can take it first; one who gave up is skipped.
    """

    def __init__(self, slots: int):
        import eventlet.event

        self._event = eventlet.event.Event
        self.free = slots  # > 0 only while nobody waits
        self._line = collections.deque()

    def acquire(self, timeout: float) -> bool:
        if self.free > 0 and not self._line:
            self.free -= 1
            return True
        turn = self._event()
        turn.gave_up = False
        self._line.append(turn)
        try:
            turn.wait(timeout)
        except BaseException:
            self._give_up(turn)
            raise
        if turn.ready():
            return True  # a place was handed over (even if the timeout fired just after)
        turn.gave_up = True
        return False

    def _give_up(self, turn) -> None:
        if turn.ready():
            self.release()  # it was handed a place it will not use
        else:
            turn.gave_up = True

    def release(self) -> None:
        while self._line:
            turn = self._line.popleft()
            if not turn.gave_up:
                turn.send(True)
                return
        self.free += 1


def _semaphore(slots: int, async_mode: str):
    if async_mode == "eventlet":
        return GreenLine(slots)
    # Under threads a newcomer may take a freed place before a waiter (barging).
    return threading.Semaphore(slots)


# The longest `retry_after` a refusal asks for, however long the line.
MAX_RETRY_AFTER = 5.0


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
                              retry_after=self.retry_after())
        try:
            yield
        finally:
            self._places.release()

    def retry_after(self) -> float:
        """How long a refused event should wait before it comes back: longer the longer the line.

        Every event sent again costs a frame, a parse and a place in line
        once more. With one fixed second, a burst that filled the line came
        back a second later as a second burst on top of the new events, and
        the process spent most of its time refusing (scenario C, issue 10:
        a 1 s backlog at 500 events/s never cleared, at 99 % CPU). So the wait
        grows by a second per `slots` events still waiting in line (ahead of
        this one or behind it), up to MAX_RETRY_AFTER, and the returning
        events are spread over that time.
        """
        wait = BUSY_RETRY_AFTER * (1 + self.waiting / self.slots)
        return min(MAX_RETRY_AFTER, math.ceil(wait * 10) / 10)
