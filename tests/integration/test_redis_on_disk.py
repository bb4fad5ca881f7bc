"""What the Redis behind the rooms keeps on disk, over real server processes.

An external Redis (REDIS_URL) is the operator's: the server only says, at
start-up, when a restart of it would lose rooms. Redis servers of our own
are started here on free ports with their files in tmp folders, so the
shared Redis and its settings are never touched.
"""

import subprocess
import uuid

import pytest
import redis as redis_py
import requests

from tests.integration.test_embedded_redis import forks, on_disk, share_words, wait_rewritten
from tests.support import Phone, ServerProcess, free_port, unique_prefix, wait_for

pytestmark = pytest.mark.slow

REDIS_SERVER = "/usr/bin/redis-server"
NOTHING_KEPT = "keeps nothing on disk (appendonly no, no save points): a Redis restart ends every room"


@pytest.fixture
def own_redis(tmp_path):
    """Start redis-server processes with the given settings; all stopped afterwards."""
    started = []

    def start(*settings: str) -> str:
        port = free_port()
        folder = tmp_path / f"redis-{port}"
        folder.mkdir()
        proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                                 *settings], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        started.append(proc)
        url = f"redis://127.0.0.1:{port}/0"

        def answers():
            assert proc.poll() is None, "redis-server exited at start"
            try:
                return redis_py.Redis.from_url(url).ping()
            except redis_py.ConnectionError:
                return False
        wait_for(answers, message=f"redis-server on {port}")
        return url

    yield start
    for proc in started:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def server_on():
    started = []

    def start(url: str) -> ServerProcess:
        server = ServerProcess(url, unique_prefix()).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_a_redis_that_keeps_nothing_on_disk_is_named_at_start_up_in_the_log_and_the_print(own_redis, server_on):
    server = server_on(own_redis("--save", "", "--appendonly", "no"))
    lines = server.log_text().splitlines()
    logged = [line for line in lines if "WARNING server.app:" in line and NOTHING_KEPT in line]
    printed = [line for line in lines if line.startswith("Warning: ") and NOTHING_KEPT in line]
    assert len(logged) == 1 and len(printed) == 1, server.log_text()
    assert "appendonly yes" in printed[0]


def test_a_redis_with_only_snapshots_is_named_too(own_redis, server_on):
    server = server_on(own_redis("--save", "3600 1", "--appendonly", "no"))
    assert 'keeps only snapshots (appendonly no, save "3600 1")' in server.log_text()


def test_a_redis_with_an_append_only_file_gets_no_warning(own_redis, server_on):
    server = server_on(own_redis("--save", "", "--appendonly", "yes"))
    assert "Attune is running" in server.log_text()
    assert "Warning" not in server.log_text() and "keeps" not in server.log_text()


def test_a_redis_that_will_not_say_is_reported_as_unknown(own_redis, server_on):
    server = server_on(own_redis("--save", "", "--appendonly", "no", "--rename-command", "CONFIG", ""))
    printed = [line for line in server.log_text().splitlines() if line.startswith("Warning: ")]
    assert len(printed) == 1 and "Could not tell" in printed[0] and "CONFIG GET is not allowed" in printed[0]


def test_with_aof_rewrite_on_two_processes_sharing_a_redis_rewrite_its_file_after_an_erase(own_redis, tmp_path):
    url = own_redis("--save", "", "--appendonly", "yes", "--aof-use-rdb-preamble", "no")
    folder = tmp_path / f"redis-{url.rsplit(':', 1)[1].split('/')[0]}"
    client = redis_py.Redis.from_url(url, decode_responses=True)
    prefix = unique_prefix()
    env = {"AOF_REWRITE": "on", "JOIN_RATE_LIMIT": "0", "CREATE_RATE_LIMIT": "0"}
    one, two = (ServerProcess(url, prefix, extra_env=env).start() for _ in range(2))
    a, b = Phone(one.url).connect(), Phone(two.url).connect()
    try:
        assert a.call("create_room", {"name": "Ana"})["ok"]
        assert b.call("join_room", {"code": a.code, "name": "Ben"})["ok"]
        words = f"erased-{uuid.uuid4().hex}".encode()
        share_words(a, b, words.decode(), to_the_summary=False)
        wait_for(lambda: words in on_disk(folder), message="the words in that Redis's AOF")
        before = forks(client)
        assert b.call("end_room")["ok"]
        wait_rewritten(client, before, "the rewrite after the erase")
        assert words not in on_disk(folder)
        assert all(requests.get(s.url + "/healthz", timeout=5).ok for s in (one, two))
    finally:
        a.disconnect(), b.disconnect()
        one.stop(), two.stop()

