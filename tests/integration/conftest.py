"""Fixtures for the tests that run real `python -m server` processes and real Socket.IO clients."""

import pytest

from tests.support import Phone, ServerProcess


@pytest.fixture
def server(redis_url, prefix):
    """One real server process (eventlet) on this test's Redis and prefix, stopped afterwards.
    A file that needs other settings declares its own `server`."""
    process = ServerProcess(redis_url, prefix).start()
    yield process
    process.stop()


@pytest.fixture
def servers(redis_url, prefix):
    """Start real server processes sharing this test's Redis and prefix (and so its queue); all stopped afterwards."""
    started = []

    def start(async_mode="eventlet", **kw):
        server = ServerProcess(redis_url, prefix, async_mode=async_mode, **kw).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def phones():
    """Open real Socket.IO clients (optionally offering a seat in the handshake); all closed afterwards."""
    made = []

    def phone(url, auth=None):
        p = Phone(url).connect(auth=auth)
        made.append(p)
        return p

    yield phone
    for p in made:
        p.disconnect()
