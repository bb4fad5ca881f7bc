"""`python -m server` as a real process, driven by python-socketio clients over loopback."""

import concurrent.futures
import os
import subprocess
import sys
import uuid

import pytest
import requests

from tests.support import ROOT, ServerProcess, free_port, seat_couple, wait_for

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_a_couple_meets_in_a_room_on_the_real_server(servers, phones, async_mode):
    server = servers(async_mode)
    a, b = seat_couple(phones, server.url, server.url)
    assert a.intent("set_mode", mode="remote")["ok"]
    b.wait_view(lambda v: v["mode"] == "remote", message="B to see the mode change")
    b.disconnect()
    a.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "away", message="B shown away")
    page = requests.get(server.url + "/", timeout=5)
    assert page.status_code == 200 and "Attune" in page.text


def test_partners_on_two_server_processes_see_each_others_changes(servers, phones):
    one, two = servers(), servers()
    a, b = seat_couple(phones, one.url, two.url)
    assert a.intent("set_mode", mode="remote")["ok"]
    b.wait_view(lambda v: v["mode"] == "remote", message="B on process two to see A's change")
    assert b.intent("set_mode", mode="same_room")["ok"]
    a.wait_view(lambda v: v["mode"] == "same_room", message="A on process one to see B's change")


def test_two_conflicting_intents_on_one_version_apply_exactly_once_each_of_200_times(servers, phones):
    server = servers()
    a, b = seat_couple(phones, server.url, server.url)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    version = a.view["version"]
    for round_no in range(200):
        wait_for(lambda: a.view["version"] == version and b.view["version"] == version,
                 message=f"both phones at version {version}")
        futures = [pool.submit(a.intent, "set_mode", mode="remote", version=version),
                   pool.submit(b.intent, "set_mode", mode="same_room", version=version)]
        replies = [f.result(timeout=10) for f in futures]
        applied = [r for r in replies if r["ok"]]
        refused = [r for r in replies if not r["ok"]]
        assert len(applied) == 1 and len(refused) == 1, (round_no, replies)
        assert refused[0]["error"]["code"] == "stale"
        assert applied[0]["version"] == version + 1
        assert refused[0]["view"]["version"] == version + 1
        version += 1
    pool.shutdown()


def test_a_killed_server_comes_back_and_both_phones_resume_with_nothing_lost(servers, phones):
    port = free_port()
    first = servers(port=port)
    a, b = seat_couple(phones, first.url, first.url)
    assert a.intent("set_mode", mode="remote")["ok"]
    b.wait_view(lambda v: v["mode"] == "remote")
    before = a.view
    first.kill()
    second = servers(port=port)
    a2, b2 = phones(second.url), phones(second.url)
    back_a = a2.call("resume", {"code": a.code, "token": a.token})
    back_b = b2.call("resume", {"code": b.code, "token": b.token})
    assert back_a["ok"] and back_b["ok"]
    assert back_a["view"]["mode"] == back_b["view"]["mode"] == "remote"
    assert back_b["view"]["seats"]["partner_a"]["name"] == before["seats"]["partner_a"]["name"]
    assert back_b["view"]["version"] > before["version"]
    a2.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "online")
    assert a2.intent("set_mode", mode="same_room")["ok"]
    b2.wait_view(lambda v: v["mode"] == "same_room")


def test_a_phone_resumes_in_the_handshake_on_another_process_and_hears_so_before_connect(servers, phones):
    """The message queue is on (two processes sharing Redis): the `resumed` answer must still reach
    the phone ahead of the handshake's CONNECT, which only a send past the queue does."""
    one, two = servers(), servers()
    a, b = seat_couple(phones, one.url, one.url)
    assert a.intent("set_mode", mode="remote")["ok"]
    b.disconnect()
    a.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "away", message="B shown away")
    b2 = phones(two.url, auth={"code": b.code, "token": b.token})
    names = [name for name, _args in b2.events]
    assert "resumed" in names and names.index("resumed") < names.index("connect"), names
    answer, = b2.received("resumed")
    assert answer["ok"] and answer["seat"] == "partner_b" and answer["view"]["mode"] == "remote"
    assert answer["join_url"] == f"{two.url}/r/{b.code}" and answer["qr_url"] == f"/r/{b.code}/qr.svg"
    a.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "online", message="A on one to see B back")
    # Seated by the handshake alone, on process two: its intents reach A on process one.
    assert b2.intent("set_mode", mode="same_room")["ok"]
    a.wait_view(lambda v: v["mode"] == "same_room", message="A to see B's change")


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_a_bad_handshake_resume_is_answered_and_the_phone_stays_connected(servers, phones, async_mode):
    server = servers(async_mode)
    phone = phones(server.url, auth={"code": "ZZZZZZ", "token": "no-such-token"})
    wait_for(lambda: phone.received("resumed"), message="the resumed answer")
    answer, = phone.received("resumed")
    assert answer["ok"] is False and answer["error"]["code"] == "not_found"
    assert phone.sio.connected
    made = phone.call("create_room", {"name": "Ana"})
    assert made["ok"] and made["seat"] == "partner_a"
    # And the `resume` event of older clients still seats a phone that offered nothing.
    old = phones(server.url)
    assert old.received("resumed") == []
    assert old.call("resume", {"code": made["code"], "token": made["token"]})["ok"]


def test_without_redis_url_the_server_runs_an_embedded_redis_that_survives_a_restart(tmp_path, phones):
    env = {"INSTANCE_PATH": str(tmp_path / "instance"), "REDIS_URL": ""}
    port = free_port()
    server = ServerProcess("", "attune", port=port, extra_env=env)
    server.env.pop("REDIS_URL")
    server.start()
    try:
        assert "Redis embedded" in server.log_text()
        handshake = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=5)
        assert handshake.status_code == 200 and '"sid"' in handshake.text
        a = phones(server.url)
        made = a.call("create_room", {"name": "Ana"})
        assert made["ok"]
        a.disconnect()
        server.stop()
        # The room is in the append-only file (the only file: no snapshots), which the stop rewrote.
        assert made["code"].encode() in (tmp_path / "instance" / "appendonly.aof").read_bytes()
        assert not (tmp_path / "instance" / "attune-redis.db").exists()
        server.start()
        again = phones(server.url).call("resume", {"code": made["code"], "token": made["token"]})
        assert again["ok"] and again["view"]["seats"]["partner_a"]["name"] == "Ana"
    finally:
        server.stop()


def test_the_message_queue_carries_many_couples_at_once_between_two_processes(servers, phones):
    """Ten couples split across two processes, all changing their rooms at once: every change arrives."""
    one, two = servers(), servers()
    couples = [seat_couple(phones, one.url, two.url) for _ in range(10)]
    modes = ["remote", "same_room"] * 10  # 20 changes per couple, ending on same_room

    def drive(a):
        return [a.intent("set_mode", mode=mode)["ok"] for mode in modes]

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(drive, [a for a, _ in couples]))
    assert all(all(r) for r in results)
    for a, b in couples:
        final = a.view["version"]
        b.wait_view(lambda v, final=final: v["version"] == final and v["mode"] == "same_room",
                    message="B on process two to get A's last change")
        seen = {v["version"] for v in b.views}
        assert set(range(final - len(modes) + 1, final + 1)) <= seen, "B missed a pushed change"


def test_a_room_left_alone_past_its_ttl_is_gone(servers, phones, redis_client, prefix):
    server = servers(extra_env={"ROOM_TTL_SECONDS": "1"})
    a = phones(server.url)
    made = a.call("create_room", {"name": "Ana"})
    assert redis_client.ttl(f"{prefix}:{{{made['code']}}}:state") <= 1
    wait_for(lambda: not redis_client.exists(f"{prefix}:{{{made['code']}}}:state"), timeout=5,
             message="the room to expire")
    again = phones(server.url).call("resume", {"code": made["code"], "token": made["token"]})
    assert again["error"]["code"] == "not_found"


def test_a_bad_exercise_file_stops_start_up_naming_file_field_and_reason(redis_url, prefix):
    broken = os.path.join(ROOT, "tests", "unit", "fixtures", "broken_exercises", "bad-enum")
    env = {**os.environ, "REDIS_URL": redis_url, "REDIS_PREFIX": prefix, "EXERCISES_DIR": broken,
           "PORT": str(free_port())}
    done = subprocess.run([sys.executable, "-m", "server"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert "exercise library has problems" in done.stderr
    assert "small-talk.yaml: steps[0].mode: 'whisper' is not one of: reveal, aloud, guess" in done.stderr


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_nothing_a_partner_writes_reaches_the_server_log(servers, phones, async_mode):
    server = servers(async_mode, extra_env={"LOG_LEVEL": "DEBUG"})
    mark = "Zq" + uuid.uuid4().hex[:8]
    a, b = phones(server.url), phones(server.url)
    made = a.call("create_room", {"name": f"{mark}name"})
    b.call("join_room", {"code": made["code"], "name": "Ben"})
    assert a.intent("set_mode", mode="remote")["ok"]
    assert a.intent("propose_plan", plan=[{"exercise": "take-the-floor"}])["ok"]
    assert b.intent("agree_plan")["ok"]
    assert a.intent("share", text=f"{mark}share")["ok"]
    assert b.intent("paraphrase", text=f"{mark}paraphrase")["ok"]
    assert a.intent("share", text=f"{mark}refused")["error"]["code"] == "wrong_step"
    assert a.call("join_room", {"code": made["code"], "name": f"{mark}join"})["error"]["code"] == "already_joined"
    server.stop()
    assert "refused" in server.log_text()  # the refusals were logged, by code
    assert mark not in server.log_text() and made["token"] not in server.log_text()
