"""Admission: a bounded number of events at once; the rest wait, then are refused with `busy`."""

import threading

import pytest

from server.domain.errors import DomainError
from server.transport.admission import Admission


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
