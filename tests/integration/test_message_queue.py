"""What crosses the Socket.IO message queue (Redis pub/sub) between real server processes.

The test listens on the queue's own channel with a real Redis subscriber, so
it sees exactly what a process publishes for the others.
"""

import json
import threading

import pytest
import redis as redis_py

from tests.support import seat_couple, wait_for

pytestmark = pytest.mark.slow


class QueueListener:
    """Every message published on a prefix's message-queue channel, decoded, in order."""

    def __init__(self, redis_url: str, prefix: str):
        self.client = redis_py.Redis.from_url(redis_url, decode_responses=True)
        self.messages = []
        self.lock = threading.Lock()
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(**{f"{prefix}:socketio": self._received})
        self.thread = self.pubsub.run_in_thread(sleep_time=0.01, daemon=True)

    def _received(self, message):
        try:
            decoded = json.loads(message["data"])
        except ValueError:
            decoded = {"raw": message["data"]}  # the processes' own control messages are not JSON
        with self.lock:
            self.messages.append(decoded)

    def views(self) -> list[tuple[str, int]]:
        """(room, version) of every `view` published so far."""
        with self.lock:
            return [(m["room"], m["data"][0]["version"]) for m in self.messages
                    if m.get("method") == "emit" and m.get("event") == "view"]

    def close(self):
        self.thread.stop()  # its loop ends at its next read and closes the subscription itself
        self.thread.join(timeout=5)
        self.client.close()


@pytest.fixture
def queue(redis_url, prefix):
    listener = QueueListener(redis_url, prefix)
    yield listener
    listener.close()


def test_a_view_crosses_the_queue_only_for_a_seat_whose_connection_is_in_another_process(servers, phones, queue):
    one, two = servers(), servers()
    a, b = seat_couple(phones, one.url, one.url)
    code = a.code
    # Both partners on process one: their views stay in that process.
    local = a.intent("set_mode", mode="remote")
    assert local["ok"]
    b.wait_view(lambda v: v["mode"] == "remote", message="B on the same process to see A's change")
    # B's phone comes back on process two; A stays on one.
    b.disconnect()
    a.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "away", message="B shown away")
    b2 = phones(two.url, auth={"code": b.code, "token": b.token})
    a.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "online", message="A to see B back on two")
    remote = a.intent("set_mode", mode="same_room")
    assert remote["ok"]
    b2.wait_view(lambda v: v["mode"] == "same_room", message="B on process two to get A's change")
    # B's view of that change went over the queue; Redis hands messages to a
    # subscriber in publish order, so once it is here every earlier one is too.
    wait_for(lambda: (f"{code}:partner_b", remote["version"]) in queue.views(),
             message="B's view of A's change on the queue")
    published = queue.views()
    assert not [room for room, version in published if version == local["version"]], published
    assert (f"{code}:partner_a", remote["version"]) not in published, published
    # And B's own change on process two still reaches A on process one.
    assert b2.intent("set_mode", mode="remote")["ok"]
    a.wait_view(lambda v: v["mode"] == "remote", message="A on one to see B's change from two")


def _listening(manager):
    """Run `manager`'s listener in a daemon thread; return the queue of what it yields (raw)."""
    import queue as queue_module

    got = queue_module.Queue()

    def run():
        for message in manager._listen():
            got.put(message)

    threading.Thread(target=run, daemon=True).start()
    return got


def test_a_process_listener_passes_its_own_messages_by_undecoded_and_hands_on_the_others(redis_url, prefix):
    from server.redis_conn import QueueManager

    channel = f"{prefix}:socketio"
    one, two = QueueManager(redis_url, channel, 4), QueueManager(redis_url, channel, 4)
    heard_one, heard_two = _listening(one), _listening(two)
    probe = redis_py.Redis.from_url(redis_url)
    wait_for(lambda: probe.pubsub_numsub(channel)[0][1] == 2, message="both listeners subscribed")
    one._publish({"method": "emit", "event": "view", "data": [{"version": 1}], "room": "R", "host_id": one.host_id})
    two._publish({"method": "emit", "event": "view", "data": [{"version": 2}], "room": "R", "host_id": two.host_id})
    # Each hears only the other's, whole and decodable as before (the extra key is ignored).
    first_two, first_one = json.loads(heard_two.get(timeout=5)), json.loads(heard_one.get(timeout=5))
    assert first_two["data"] == [{"version": 1}] and first_two["host_id"] == one.host_id
    assert first_one["data"] == [{"version": 2}] and first_one["host_id"] == two.host_id
    assert heard_one.empty() and heard_two.empty()
    probe.close()


def _change_reaches(sender, receiver, mode: str, message: str) -> dict:
    """`sender` sets the mode; wait until `receiver` has a view of that version with it; return the ack."""
    changed = sender.intent("set_mode", mode=mode)
    assert changed["ok"], changed
    receiver.wait_view(lambda v: v["version"] >= changed["version"] and v["mode"] == mode, message=message)
    return changed


def _runs_alone(server, times: int = 1) -> None:
    wait_for(lambda: server.log_text().count("this one runs alone") >= times, timeout=15,
             message="the process to find itself alone on the queue")


# --- a process alone on the queue ----------------------------------------------------------------


def test_alone_on_the_queue_a_restarted_process_publishes_nothing_for_the_phones_coming_back(
        servers, phones, redis_url, prefix):
    first = servers()
    a, b = seat_couple(phones, first.url, first.url)
    first.kill()  # its subscription dies with it: the next process is alone
    second = servers()
    _runs_alone(second)
    watching = QueueListener(redis_url, prefix)  # watches only; it is no process of ours
    try:
        a2 = phones(second.url, auth={"code": a.code, "token": a.token})
        b2 = phones(second.url, auth={"code": b.code, "token": b.token})
        a2.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "online", message="A to see B back")
        _change_reaches(a2, b2, "remote", message="B to see A's change")
        # Redis delivers in order: once this marker is heard, so is all that came before it.
        watching.client.publish(f"{prefix}:socketio", json.dumps({"method": "marker"}))
        wait_for(lambda: any(m.get("method") == "marker" for m in watching.messages), message="the marker")
        with watching.lock:
            crossed = [m for m in watching.messages if m.get("method") != "marker"]
        # No release of the seats, no view for a partner not yet back, no view at all.
        assert crossed == []
    finally:
        watching.close()


def test_a_process_alone_on_the_queue_hears_a_new_one_before_that_one_serves_a_phone(servers, phones):
    one = servers()
    _runs_alone(one)
    a, b = seat_couple(phones, one.url, one.url)
    two = servers()
    wait_for(lambda: "stops running alone" in one.log_text(), message="process one to hear the new one")
    assert "1 other process(es) answered hello" in two.log_text()
    # B's phone comes back on process two: A's change on one must now cross the queue.
    b.disconnect()
    a.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "away", message="B shown away")
    b2 = phones(two.url, auth={"code": b.code, "token": b.token})
    a.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "online", message="A to see B back on two")
    _change_reaches(a, b2, "remote", message="B on process two to get A's change from process one")


def test_alone_a_process_notices_a_listener_that_never_said_hello(servers, redis_url, prefix):
    # Another version of the server, or one that came up too busy to answer, subscribes without a hello.
    one = servers()
    _runs_alone(one)
    silent = QueueListener(redis_url, prefix)
    try:
        wait_for(lambda: "stops running alone" in one.log_text(), timeout=15,
                 message="its next check to find the second listener")
    finally:
        silent.close()


def test_a_process_that_loses_its_subscription_stops_running_alone_until_it_has_counted_again(
        servers, redis_url):
    one = servers()
    _runs_alone(one)
    admin = redis_py.Redis.from_url(redis_url)
    try:
        admin.client_kill_filter(_type="pubsub")  # every pub/sub connection of this Redis: the test's own
    finally:
        admin.close()
    wait_for(lambda: "subscription was lost; this process stops running alone" in one.log_text(), timeout=15,
             message="the lost subscription to end alone mode")
    _runs_alone(one, times=2)  # alone again once subscribed and counted again
