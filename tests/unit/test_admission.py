"""Admission: a bounded number of events at once; the rest wait, then are refused with `busy`."""

import threading

import eventlet
import pytest

from server.domain.errors import DomainError
from server.transport.admission import Admission, GreenLine


def test_an_event_that_finds_no_place_in_time_is_refused_busy_with_a_retry_after():
    gate = Admission(1, "threading")
    with gate.place(1):
        with pytest.raises(DomainError) as refused:
            with gate.place(0.05):
                pytest.fail("admitted past a full gate")
    assert refused.value.code == "busy" and refused.value.details["retry_after"] > 0
    assert gate.refused == 1 and gate.waiting == 0


def test_a_place_is_given_back_when_its_event_fails():
    gate = Admission(1, "threading")
    with pytest.raises(ValueError):
        with gate.place(1):
            raise ValueError("a bug in the handler")
    with gate.place(0.05):
        pass
    assert gate.refused == 0


def test_a_waiting_event_gets_the_place_its_predecessor_leaves():
    gate = Admission(1, "threading")
    entered, leave = threading.Event(), threading.Event()
    got = []

    def first():
        with gate.place(1):
            entered.set()
            leave.wait(5)

    def second():
        with gate.place(5):
            got.append("second")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert entered.wait(5)
    threads[1].start()
    assert not got
    leave.set()
    for t in threads:
        t.join(5)
    assert got == ["second"] and gate.refused == 0


def test_slots_are_at_least_one():
    assert Admission(0, "threading").slots == 1


# The eventlet line (what the server runs): greenlets, no monkey-patching needed.

def _green_waiter(line, name, got, timeout=5):
    def run():
        if line.acquire(timeout):
            got.append(name)
        else:
            got.append(f"{name} gave up")
    return eventlet.spawn(run)


def test_the_green_line_hands_freed_places_out_in_arrival_order_and_nobody_passes_a_waiter():
    line = GreenLine(1)
    assert line.acquire(1)
    got = []
    waiters = [_green_waiter(line, n, got) for n in ("a", "b", "c")]
    eventlet.sleep(0)  # all three are in line now
    line.release()
    # A newcomer finds the freed place already handed to the first in line.
    assert not line.acquire(0.01)
    for _ in range(3):
        eventlet.sleep(0)
        line.release()
    for w in waiters:
        w.wait()
    assert got == ["a", "b", "c"]
    assert line.free == 1 and not line._line


def test_a_green_waiter_that_gave_up_is_passed_over_and_its_place_is_not_lost():
    line = GreenLine(1)
    assert line.acquire(1)
    got = []
    quick = _green_waiter(line, "quick", got, timeout=0.01)
    patient = _green_waiter(line, "patient", got, timeout=5)
    quick.wait()
    assert got == ["quick gave up"]
    line.release()
    patient.wait()
    assert got == ["quick gave up", "patient"]
    line.release()
    assert line.free == 1 and not line._line


def test_a_green_waiter_killed_in_line_or_just_after_its_turn_came_gives_its_place_on():
    line = GreenLine(1)
    assert line.acquire(1)
    got = []
    killed_waiting = _green_waiter(line, "killed while waiting", got)
    killed_handed = _green_waiter(line, "killed after its turn", got)
    last = _green_waiter(line, "last", got)
    eventlet.sleep(0)
    killed_waiting.kill()
    line.release()  # handed to the second waiter, which is killed before it runs
    killed_handed.kill()
    last.wait()
    assert got == ["last"]
    line.release()
    assert line.free == 1 and not line._line


def test_the_longer_the_line_the_longer_a_refused_event_is_asked_to_wait():
    gate = Admission(4, "threading")
    assert gate.retry_after() == 1.0  # nobody else in line
    gate.waiting = 4  # as many waiting as there are places
    assert gate.retry_after() == 2.0
    gate.waiting = 6
    assert gate.retry_after() == 2.5
    gate.waiting = 400
    assert gate.retry_after() == 5.0  # never longer than MAX_RETRY_AFTER


def test_a_refusal_asks_for_the_wait_the_line_behind_it_calls_for():
    gate = Admission(1, "eventlet")
    refused = []

    def late():
        try:
            with gate.place(0.05):
                pass
        except DomainError as err:
            refused.append(err.details["retry_after"])

    with gate.place(1):
        waiters = [eventlet.spawn(late) for _ in range(3)]
        for w in waiters:
            w.wait()
    # The first to give up had two behind it, the last none.
    assert refused == [3.0, 2.0, 1.0]
