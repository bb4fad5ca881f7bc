"""Helpers the tests share: real server processes, real Socket.IO clients, Flask-SocketIO test clients,
waiting on conditions."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import socketio

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Set by the browser fixture when it had to skip; the run's last line then says so.
BROWSER_SKIPPED = pytest.StashKey[str]()


def unique_prefix() -> str:
    """Return a Redis key prefix no other test run will use."""
    return f"attune-test-{uuid.uuid4().hex[:12]}"


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.01, message: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


# --- Flask-SocketIO's test clients (the `connect` fixture of tests/conftest.py) -------------


def ack(client, event, data=None):
    """Emit `event` from a test client and return the server's ack."""
    return client.emit(event, {} if data is None else data, callback=True)


def received(client, name):
    """The payloads of every `name` event this test client has received since it last asked."""
    return [p["args"][0] for p in client.get_received() if p["name"] == name]


def create(client, name="Ana", **extra):
    """Create a room from this client (Ana, partner A, unless told otherwise); the ack, which must be ok."""
    reply = ack(client, "create_room", {"name": name, **extra})
    assert reply["ok"], reply
    return reply


def couple(connect):
    """Two clients seated in a new room, Ana and Ben: (a, b, Ana's create ack, Ben's join ack)."""
    a, b = connect(), connect()
    made = create(a)
    joined = ack(b, "join_room", {"code": made["code"], "name": "Ben"})
    assert joined["ok"], joined
    return a, b, made, joined


def intent(client, kind="set_mode", **fields):
    """Send one intent with a fresh id; the ack."""
    return ack(client, "intent", {"id": uuid.uuid4().hex, "type": kind, **fields})


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`python -m server` as a real subprocess on a loopback port."""

    def __init__(self, redis_url: str, prefix: str, async_mode: str = "eventlet", port: int | None = None,
                 extra_env: dict | None = None, ca_bundle: str | None = None, module: str = "server"):
        self.port = port or free_port()
        # With `ca_bundle` (the certificate it serves, or its CA) the server speaks HTTPS.
        self.verify = ca_bundle or True
        self.url = f"{'https' if ca_bundle else 'http'}://127.0.0.1:{self.port}"
        self.env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port), "REDIS_URL": redis_url,
                    "REDIS_PREFIX": prefix, "ASYNC_MODE": async_mode, "SECRET_KEY": "test-secret",
                    "LOG_LEVEL": "INFO",
                    # Tests click faster than any person; the event budget's own tests set it back
                    # to the product's default with EVENT_BURST="".
                    "EVENT_BURST": "100000", **(extra_env or {})}
        self.module = module  # what `python -m` runs: the server, or a test's wrapper of it
        self.proc = None
        self.output = []

    def spawn(self) -> "ServerProcess":
        """Start the process without waiting for it."""
        self.proc = subprocess.Popen([sys.executable, "-m", self.module], cwd=ROOT, env=self.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def start(self, timeout: float = 20.0) -> "ServerProcess":
        """Start the process and wait until its health check answers."""
        self.spawn()

        def healthy():
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early:\n{''.join(self.output)}")
            try:
                return requests.get(self.url + "/healthz", timeout=1, verify=self.verify).ok
            except requests.RequestException:
                return False
        wait_for(healthy, timeout=timeout, interval=0.05, message=f"server on {self.url}")
        return self

    def _drain(self):
        for line in self.proc.stdout:
            self.output.append(line)

    def kill(self) -> None:
        """Kill -9: no goodbye, no cleanup, like a crashed machine."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop politely, then firmly."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        """Everything the server printed so far."""
        return "".join(self.output)


class Phone:
    """A python-socketio client that keeps the newest view pushed to it."""

    def __init__(self, url: str):
        self.url = url
        self.sio = socketio.Client(reconnection=False)
        self.views = []
        self.events = []
        self.lock = threading.Lock()
        self.sio.on("view", self._on_view)
        # As the web client does, a handshake's `resumed` answer hands over its view.
        self.sio.on("resumed", self._on_resumed)
        self.sio.on("*", lambda event, *args: self.events.append((event, args)))
        # In order with the events: what came before the handshake's CONNECT packet, and what after.
        self.sio.on("connect", lambda: self.events.append(("connect", ())))
        self.code = None
        self.token = None
        self.seat = None

    def _on_view(self, view):
        with self.lock:
            self.views.append(view)

    def _on_resumed(self, answer):
        self.events.append(("resumed", (answer,)))
        if isinstance(answer, dict) and answer.get("ok") and "view" in answer:
            self._on_view(answer["view"])

    @property
    def view(self) -> dict | None:
        """The newest pushed (or acked) view, ordered as the client orders them.

        The highest version wins; within one version (the moderator's private
        notes do not raise it) the view with more notes, then the later one.
        """
        with self.lock:
            if not self.views:
                return None
            ranked = (((v["version"], len((v.get("session") or {}).get("notes") or ()), i), v)
                      for i, v in enumerate(self.views))
            return max(ranked, key=lambda pair: pair[0])[1]

    def connect(self, auth: dict | None = None) -> "Phone":
        """Connect; `auth` is the handshake's offer (the web client offers `{code, token}` to resume)."""
        self.sio.connect(self.url, transports=["websocket"], wait_timeout=10, auth=auth)
        return self

    def received(self, event: str) -> list:
        """The first argument of every `event` received so far, oldest first."""
        return [args[0] if args else None for name, args in list(self.events) if name == event]

    def call(self, event: str, data=None, timeout: float = 10) -> dict:
        """Emit with an ack and return the ack."""
        ack = self.sio.call(event, data if data is not None else {}, timeout=timeout)
        if isinstance(ack, dict) and ack.get("ok") and "view" in ack:
            with self.lock:
                self.views.append(ack["view"])
        if isinstance(ack, dict) and ack.get("ok") and "token" in ack:
            self.code, self.token, self.seat = ack["code"], ack["token"], ack["seat"]
        return ack

    def call_patiently(self, event: str, data=None, timeout: float = 10, within: float = 60) -> dict:
        """`call`, sent again after `retry_after` while an overloaded server answers `busy`, as a phone
        does (client/js/outbox.js, shedDelay), for at most `within` seconds; return the last ack."""
        deadline = time.monotonic() + within
        while True:
            ack = self.call(event, data, timeout=timeout)
            if ack.get("ok") or ack["error"]["code"] != "busy" or time.monotonic() > deadline:
                return ack
            time.sleep(ack["error"].get("retry_after", 1))

    def intent(self, kind: str, **fields) -> dict:
        """Send a seated intent with a fresh id."""
        return self.call("intent", {"id": uuid.uuid4().hex, "type": kind, **fields})

    def wait_view(self, predicate, timeout: float = 10, message: str = "a view"):
        """Wait until the newest view satisfies `predicate`; return it."""
        return wait_for(lambda: self.view if self.view and predicate(self.view) else None,
                        timeout=timeout, message=message)

    def disconnect(self):
        if self.sio.connected:
            self.sio.disconnect()


def seat_couple(phone, url_a, url_b):
    """Seat Ana (creating the room on `url_a`) and Ben (joining on `url_b`); return their phones once A sees B."""
    a, b = phone(url_a), phone(url_b)
    made = a.call("create_room", {"name": "Ana"})
    assert made["ok"], made
    joined = b.call("join_room", {"code": made["code"], "name": "Ben"})
    assert joined["ok"], joined
    a.wait_view(lambda v: v["seats"]["partner_b"], message="A to see B arrive")
    return a, b


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
        self.sent_while_stalled = 0  # requests that reached Redis while its replies were held
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
            elif not self.flowing.is_set():
                self.sent_while_stalled += 1
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
        self.sent_while_stalled = 0
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
