"""Overload on the real server: when no Redis connection comes free, events are shed with `busy`.

Redis is real; between it and the server sits a TCP relay that the test can
stall (it stops handing Redis's replies back, as a slow or overloaded Redis
would). With a pool of one connection, the stalled call holds it, and every
other event finds no free connection.
"""

import concurrent.futures
import time
import uuid

import pytest

from tests.support import StallingRelay, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def relay(redis_url):
    made = StallingRelay(redis_url)
    yield made
    made.close()


def _room_behind(relay, servers, phones, **env):
    """A server whose Redis sits behind `relay` (no queue, `env` added) and a room one phone made on it."""
    server = servers(extra_env={"REDIS_URL": relay.url, "MESSAGE_QUEUE": "off", **env})
    a = phones(server.url)
    made = a.call("create_room", {"name": "Ana"})
    assert made["ok"], made
    return server, a, made


def test_events_that_find_no_free_redis_connection_are_refused_with_busy_and_nothing_of_them_is_applied(
        servers, phones, relay):
    server, a, made = _room_behind(relay, servers, phones, REDIS_POOL_SIZE="1")
    before = made["view"]["version"]
    intents = [{"id": uuid.uuid4().hex, "type": "set_mode", "mode": mode}
               for mode in ("remote", "same_room", "remote")]
    relay.stall()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(intents)) as pool:
        futures = [pool.submit(a.call, "intent", intent, 60) for intent in intents]
        try:
            # While Redis's replies are held back, the one connection stays in
            # use: the events waiting for it must be answered all the same.
            wait_for(lambda: any(f.done() for f in futures), timeout=8,
                     message="an answer while every Redis connection is in use")
            answered = [f.result() for f in futures if f.done()]
        finally:
            relay.flow()
        acks = [f.result(timeout=30) for f in futures]
    for ack in answered:
        assert ack["ok"] is False and ack["error"]["code"] == "busy", ack
        assert ack["error"]["retry_after"] > 0
    shed = [intent for intent, ack in zip(intents, acks) if not ack["ok"]]
    assert shed and all(ack["error"]["code"] == "busy" for ack in acks if not ack["ok"]), acks
    # Nothing of a shed event was written: the version moved once per applied intent.
    applied = [ack for ack in acks if ack["ok"]]
    state = phones(server.url).call("resume", {"code": made["code"], "token": made["token"]})
    assert state["ok"], state
    # The resume itself moves the version once (a new connection on the seat).
    assert state["view"]["version"] == before + len(applied) + 1, (acks, state["view"]["version"])
    # Tried again, each shed intent is applied (once).
    again = phones(server.url)
    assert again.call("resume", {"code": made["code"], "token": made["token"]})["ok"]
    for intent in shed:
        retried = again.call("intent", intent)
        assert retried["ok"] and retried["duplicate"] is False, retried


def test_an_event_whose_redis_reply_is_late_is_answered_busy_not_internal_and_applies_once_when_sent_again(
        servers, phones, relay):
    server, a, made = _room_behind(relay, servers, phones, REDIS_TIMEOUT="1")
    before = made["view"]["version"]
    tap = {"id": uuid.uuid4().hex, "type": "set_mode", "mode": "remote"}
    relay.stall()
    try:
        late = a.call("intent", tap, 30)
    finally:
        relay.flow()
    assert late["ok"] is False and late["error"]["code"] == "busy", late
    assert late["error"]["retry_after"] > 0
    assert "event intent failed" not in server.log_text()
    # Redis may have applied it before its reply was held back: sent again, it is applied once.
    again = a.call("intent", tap)
    assert again["ok"], again
    assert again["version"] == before + 1, (again, before)


def test_seat_events_wait_in_line_for_their_turn_while_taps_are_shed(servers, phones, relay):
    # One connection to Redis, so one event at a time; a tap waits 0.05 s in line, a seat's event 20 s.
    server = servers(extra_env={"REDIS_URL": relay.url, "MESSAGE_QUEUE": "off", "REDIS_POOL_SIZE": "1",
                                "REDIS_POOL_WAIT": "0.05", "SEAT_EVENT_WAIT": "20"})
    seats = []
    for name in ("Ana", "Ben", "Cai"):
        made = phones(server.url).call("create_room", {"name": name})
        assert made["ok"], made
        seats.append(made)
    a = phones(server.url)
    assert a.call("resume", {"code": seats[0]["code"], "token": seats[0]["token"]})["ok"]
    comers = [phones(server.url) for _ in seats]
    relay.stall()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(seats) + 1) as pool:
        resumes = [pool.submit(p.call, "resume", {"code": s["code"], "token": s["token"]}, 60)
                   for p, s in zip(comers, seats)]
        wait_for(lambda: relay.sent_while_stalled >= 1, timeout=10, message="the first resume to reach Redis")
        tap = pool.submit(a.call, "intent", {"id": uuid.uuid4().hex, "type": "set_mode", "mode": "remote"}, 60)
        shed = tap.result(timeout=10)  # answered while Redis still holds its replies
        # Redis stays stalled well past the taps' wait: the resumes in line must not be shed for it.
        held_until = time.monotonic() + 1.0
        wait_for(lambda: time.monotonic() > held_until, timeout=5, message="the stall to last a second")
        assert not any(f.done() for f in resumes)
        relay.flow()
        answers = [f.result(timeout=30) for f in resumes]
    assert shed["ok"] is False and shed["error"]["code"] == "busy", shed
    assert all(ack["ok"] for ack in answers), answers
    assert [ack["seat"] for ack in answers] == ["partner_a"] * len(seats)
