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
        with self.lock:
            self.messages.append(json.loads(message["data"]))

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
    """Run `manager`'s listener in a thread; return the queue of what it yields (raw), and wait until it listens."""
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
