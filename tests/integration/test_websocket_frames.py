"""What a websocket handshake with the real server agrees to."""

import base64
import os
import socket

import pytest

pytestmark = pytest.mark.slow


def handshake(port: int, extensions: str) -> tuple[str, dict]:
    """Open an Engine.IO websocket on loopback offering `extensions`; return the status line and headers."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Extensions: {extensions}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(":", 1) for line in head[1:] if ":" in line)
    return head[0], {name.strip().lower(): value.strip() for name, value in headers.items()}


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_the_server_declines_permessage_deflate_so_no_socket_keeps_a_compressor(servers, async_mode):
    server = servers(async_mode)
    status, headers = handshake(server.port, "permessage-deflate; client_max_window_bits")
    assert " 101 " in status, (status, headers)
    assert "sec-websocket-extensions" not in headers, headers
