"""Events shed for load are logged as counts, not one line each (server/transport/events.py ShedTally)."""

import logging

from server.transport.events import ShedTally


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "server.transport.events"]


def test_the_first_refusal_is_logged_at_once_and_the_rest_as_one_line_of_counts(caplog):
    caplog.set_level(logging.INFO, logger="server.transport.events")
    clock = Clock()
    tally = ShedTally(every=10.0, clock=clock)
    tally.add("intent", "busy")
    assert _lines(caplog) == ["events refused for load: intent busy x1"]
    for _ in range(500):
        clock.now += 0.01
        tally.add("intent", "busy")
    tally.add("resume", "busy")
    tally.add("intent", "rate_limited")
    assert len(_lines(caplog)) == 1, "refusals within the window are counted, not logged"
    clock.now = 111.0
    tally.add("intent", "busy")
    assert _lines(caplog)[1] == ("events refused for load over the last 11 s: "
                                 "intent busy x501, intent rate_limited x1, resume busy x1")
    clock.now = 112.0
    tally.add("intent", "busy")
    assert len(_lines(caplog)) == 2


def test_the_end_of_a_burst_is_logged_when_its_window_is_over_without_another_refusal(caplog):
    caplog.set_level(logging.INFO, logger="server.transport.events")
    clock = Clock()
    scheduled = []
    tally = ShedTally(every=10.0, clock=clock, later=lambda delay, fn: scheduled.append((delay, fn)))
    tally.add("intent", "busy")
    clock.now = 104.0
    tally.add("intent", "busy")
    tally.add("resume", "busy")
    # One flush is asked for, for the end of the window that the first line opened.
    assert [delay for delay, _ in scheduled] == [6.0]
    clock.now = 110.0
    scheduled[0][1]()
    assert _lines(caplog) == ["events refused for load: intent busy x1",
                              "events refused for load over the last 10 s: intent busy x1, resume busy x1"]
    scheduled[0][1]()  # a flush with nothing counted logs nothing
    assert len(_lines(caplog)) == 2
