"""Overload on the real server: when no Redis connection comes free, events are shed with `busy`.

Redis is real; between it and the server sits a TCP relay that the test can
stall (it stops handing Redis's replies back, as a slow or overloaded Redis
would). With a pool of one connection, the stalled call holds it, and every
other event finds no free connection.
"""

import concurrent.futures
import uuid

import pytest

from tests.support import StallingRelay, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def relay(redis_url):
    made = StallingRelay(redis_url)
    yield made
    made.close()


def test_events_that_find_no_free_redis_connection_are_refused_with_busy_and_nothing_of_them_is_applied(
        servers, phones, relay):
    server = servers(extra_env={"REDIS_URL": relay.url, "MESSAGE_QUEUE": "off", "REDIS_POOL_SIZE": "1"})
    a = phones(server.url)
    made = a.call("create_room", {"name": "Ana"})
    assert made["ok"], made
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
