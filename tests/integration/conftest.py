"""Fixtures for the tests that run real `python -m server` processes and real Socket.IO clients."""

import pytest

from tests.support import Phone, ServerProcess, unique_prefix


@pytest.fixture
def server(redis_url, prefix):
    """One real server process (eventlet) on this test's Redis and prefix, stopped afterwards.
    A file that needs other settings declares its own `server`."""
    process = ServerProcess(redis_url, prefix).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def module_server(redis_url):
    """One real server process for a whole test file, on a prefix of its own, joins not rate-limited."""
    process = ServerProcess(redis_url, unique_prefix(), extra_env={"JOIN_RATE_LIMIT": "0"}).start()
    yield process
    process.stop()


@pytest.fixture
def module_couple(module_server):
    """Ana and Ben seated in a new room on the file's server (phones A and B), disconnected afterwards."""
    a, b = Phone(module_server.url).connect(), Phone(module_server.url).connect()
    made = a.call("create_room", {"name": "Ana"})
    assert b.call("join_room", {"code": made["code"], "name": "Ben"})["ok"]
    yield a, b
    a.disconnect()
    b.disconnect()


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
