"""Overload on the real server: when no Redis connection comes free, events are shed with `busy`.

Redis is real; between it and the server sits a TCP relay that the test can
stall (it stops handing Redis's replies back, as a slow or overloaded Redis
would). With a pool of one connection, the stalled call holds it, and every
other event finds no free connection.
"""

import concurrent.futures
import socket
import threading
import uuid
from urllib.parse import parse_qs, urlparse

import pytest

from tests.support import wait_for

pytestmark = pytest.mark.slow


class StallingRelay:
    """A loopback TCP relay to a Redis server whose replies can be held back (`stall`) and let go (`flow`)."""

    def __init__(self, redis_url: str):
        parsed = urlparse(redis_url)
        if parsed.scheme == "unix":
            self.target = (socket.AF_UNIX, parsed.path)
            db = int(parse_qs(parsed.query).get("db", ["0"])[0])
        else:
            self.target = (socket.AF_INET, (parsed.hostname or "127.0.0.1", parsed.port or 6379))
            db = int((parsed.path or "/0").lstrip("/") or 0)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/{db}"
        self.flowing = threading.Event()
        self.flowing.set()
        self.open = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            family, address = self.target
            upstream = socket.socket(family, socket.SOCK_STREAM)
            upstream.connect(address)
            self.open += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, src, dst, replies: bool):
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                break
            if not data:
                break
            if replies:
                self.flowing.wait()
            try:
                dst.sendall(data)
            except OSError:
                break
        for sock in (src, dst):
            try:
                sock.close()
            except OSError:
                pass

    def stall(self):
        self.flowing.clear()

    def flow(self):
        self.flowing.set()

    def close(self):
        self.flow()
        self.listener.close()
        for sock in self.open:
            try:
                sock.close()
            except OSError:
                pass


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
