"""Start-up over a real server process: a phone that reconnects while the server starts is held, not refused."""

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.support import ROOT, ServerProcess, wait_for

pytestmark = pytest.mark.slow


def _read_all(sock: socket.socket, timeout: float) -> bytes:
    sock.settimeout(timeout)
    chunks = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def test_a_connection_made_while_the_server_starts_waits_for_it_and_is_answered(redis_url, prefix):
    # After a restart every phone tries again on its backoff schedule; a refused
    # try costs it a whole wait before the next one.
    server = ServerProcess(redis_url, prefix).spawn()
    held = []

    def connected():
        sock = socket.socket()
        try:
            sock.connect(("127.0.0.1", server.port))
        except ConnectionRefusedError:
            sock.close()
            return False
        held.append(sock)
        return True

    try:
        wait_for(connected, timeout=20, interval=0.005, message="the port accepting a connection")
        up_already = "Attune is running" in server.log_text()
        sock = held[0]
        sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                     "Connection: close\r\n\r\n".encode())
        reply = _read_all(sock, timeout=20)
        sock.close()
    finally:
        server.stop()
    assert not up_already, "the port only listened once the app was up"
    assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
    assert b'"ok":true' in reply


def test_a_port_already_taken_by_something_else_stops_the_start_with_a_clear_message(redis_url, prefix):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))  # no SO_REUSEPORT: nobody may share it
        other.listen(1)
        server = ServerProcess(redis_url, prefix, port=other.getsockname()[1]).spawn()
        assert server.proc.wait(timeout=20) == 2
    wait_for(lambda: "cannot listen" in server.log_text(), timeout=5, message="the reason printed")
    assert "Attune cannot start: cannot listen on 127.0.0.1" in server.log_text()
    assert "Traceback" not in server.log_text()


def test_after_the_start_the_collector_runs_with_rare_full_passes_and_the_start_frozen():
    probe = (
        "import gc, json, server.__main__ as entry\n"
        "gc.disable()\n"
        "before = gc.get_freeze_count()\n"
        "entry.start_collecting()\n"
        "print(json.dumps([gc.isenabled(), gc.get_threshold(), gc.get_freeze_count() > before]))\n"
    )
    env = {**os.environ, "ASYNC_MODE": "threading"}  # importing the entry point patches nothing then
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    enabled, thresholds, froze = json.loads(out.splitlines()[-1])
    assert enabled and froze
    # A full pass only after a hundred middle ones (CPython's own default is ten).
    assert thresholds == [700, 10, 100]
