"""Seats, resumes and lifecycle names, over real server processes and a real Redis (issue 8: 1, 2, 14)."""

import concurrent.futures
import threading
import time

import pytest
import requests

from server.domain import rooms
from server.store import RoomStore
from tests.support import Phone, seat_couple, ServerProcess, wait_for

pytestmark = pytest.mark.slow

UNKNOWN_EVENT = {"ok": False, "error": {"code": "unknown_event", "message": "The server has no such event."}}
RESUME_REFUSED = "This session has ended, or this device no longer has a seat in it."


@pytest.fixture
def room_store(redis_client, prefix):
    return RoomStore(redis_client, prefix=prefix)


def replaced(phone) -> bool:
    return any(name == "seat_replaced" for name, _ in phone.events)


class TestLifecycleNamesSentAsEvents:
    def test_a_client_event_named_like_a_lifecycle_event_is_refused_and_changes_nothing(self, servers, phones):
        server = servers()
        a, b = seat_couple(phones, server.url, server.url)
        before = b.view["version"]
        for name in ("connect", "disconnect", "connect_error", "disconnecting", "newListener"):
            assert b.call(name, {}) == UNKNOWN_EVENT, name
        assert b.sio.connected
        # Ben is still seated, online and listening: Ana's next change is the very next version.
        assert a.intent("set_mode", mode="remote")["ok"]
        seen = b.wait_view(lambda v: v["mode"] == "remote", message="Ben to see Ana's change")
        assert seen["version"] == before + 1
        assert seen["seats"]["partner_b"]["presence"] == "online"
        assert b.intent("set_mode", mode="same_room")["ok"]

    def test_a_copied_token_stops_hearing_the_partner_once_its_owner_resumes_in_another_process(
            self, servers, phones):
        first, second = servers(), servers()
        a, b = seat_couple(phones, first.url, first.url)
        thief = phones(first.url)
        assert thief.call("resume", {"code": b.code, "token": b.token})["ok"]
        wait_for(lambda: not b.sio.connected, message="the owner's old phone to be let go")
        # Trying to slip out of the room's bookkeeping while keeping its rooms.
        thief.call("disconnect", {})
        owner = phones(second.url)
        assert owner.call("resume", {"code": b.code, "token": b.token})["ok"]
        wait_for(lambda: not thief.sio.connected, message="the thief to be let go")
        assert replaced(thief)
        assert a.intent("set_mode", mode="remote")["ok"]
        owner.wait_view(lambda v: v["mode"] == "remote", message="the owner to hear Ana")
        assert all(v["mode"] != "remote" for v in thief.views)

    def test_reclaiming_the_moderator_seat_in_another_process_lets_go_of_a_connection_the_room_forgot(
            self, servers, phones, room_store):
        first, second = servers(), servers()
        mod = phones(first.url)
        made = mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})
        assert made["ok"], made
        ana = phones(first.url)
        assert ana.call("join_room", {"code": made["code"], "name": "Ana"})["ok"]

        # The room stops remembering the moderator's connection while it stays
        # open (as a lapsed presence lease would): only its rooms still hold it.
        def forget(state):
            new = {**state, "seats": {**state["seats"]}}
            new["seats"]["moderator"] = {**state["seats"]["moderator"], "conn": None, "presence": "away"}
            return new, {"type": "presence", "seat": "moderator"}, None
        room_store.update(made["code"], forget)

        again = phones(second.url)
        reclaimed = again.call("join_room", {"code": made["code"], "name": "Dr Lee",
                                             "moderator_secret": made["moderator_secret"]})
        assert reclaimed["ok"], reclaimed
        wait_for(lambda: not mod.sio.connected, message="the old moderator connection to be let go")
        assert replaced(mod)
        assert again.intent("add_note", text="NOTE-AFTER")["ok"]
        again.wait_view(lambda v: "NOTE-AFTER" in str(v["session"]["notes"]), message="the note")
        assert all("NOTE-AFTER" not in str(v) for v in mod.views)


class TestResumeTellsNothing:
    def test_an_unknown_code_and_a_wrong_token_get_the_same_answer_until_the_address_is_limited(
            self, servers, phones):
        server = servers(extra_env={"RESUME_RATE_LIMIT": "4", "RESUME_RATE_WINDOW": "60"})
        a, b = seat_couple(phones, server.url, server.url)
        prober = phones(server.url)
        live = prober.call("resume", {"code": a.code, "token": "x" * 32})
        gone = prober.call("resume", {"code": "ZZZZZZ", "token": "x" * 32})
        assert live == gone == {"ok": False, "error": {"code": "not_found", "message": RESUME_REFUSED}}
        assert prober.call("resume", {"code": "ZZZZZZZZZZ", "token": "x" * 32}) == gone
        assert prober.call("resume", {"code": "not a code", "token": "x" * 32}) == gone
        limited = prober.call("resume", {"code": a.code, "token": "x" * 32})
        assert limited["error"]["code"] == "rate_limited" and limited["error"]["retry_after"] > 0
        # Asking about a seat without taking it probes the same way, and shares the limit.
        assert prober.call("check_seat", {"code": a.code, "token": "x" * 32})["error"]["code"] == "rate_limited"
        # Refusals changed nothing, and a phone with its real token is never held back.
        back = Phone(server.url).connect()
        try:
            assert back.call("resume", {"code": b.code, "token": b.token})["ok"]
        finally:
            back.disconnect()

    def test_a_therapists_room_has_a_ten_character_code_that_joins_by_link_typing_and_qr(
            self, servers, phones):
        server = servers()
        mod = phones(server.url)
        made = mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})
        code = made["code"]
        assert len(code) == 10 and set(code) <= set(rooms.CODE_ALPHABET)
        assert made["moderator_url"].startswith(f"{server.url}/m/{code}#")
        assert made["join_url"] == f"{server.url}/r/{code}"
        typed = f"{code[:5].lower()} {code[5:]}"
        assert phones(server.url).call("join_room", {"code": typed, "name": "Ana"})["seat"] == "partner_a"
        for path in (f"/r/{code}", f"/m/{code}", f"/r/{code}/qr.svg"):
            assert requests.get(server.url + path, timeout=5).status_code == 200, path
        couple = phones(server.url).call("create_room", {"name": "Ben"})
        assert len(couple["code"]) == 6


class TestResumeStorm:
    ROOMS = 60
    # After the restart, twice more: every seat opened again on a new connection at once.
    ROUNDS = 5
    # Every phone here comes from one address; the storm is not what limits are for.
    UNLIMITED = {"JOIN_RATE_LIMIT": "0", "CREATE_RATE_LIMIT": "0"}

    def test_after_a_restart_every_phone_of_sixty_three_seat_rooms_resumes_at_once_and_sees_the_final_view(
            self, redis_url, prefix, room_store, async_mode="eventlet"):
        first = ServerProcess(redis_url, prefix, async_mode, extra_env=self.UNLIMITED).start()
        second = ServerProcess(redis_url, prefix, async_mode, extra_env=self.UNLIMITED)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=48)
        held = []
        try:
            def seat_room(_):
                mod, a, b = (Phone(first.url).connect() for _ in range(3))
                held.extend((mod, a, b))
                # A loaded machine may shed a call with `busy`; a phone sends it again (call_patiently).
                made = mod.call_patiently("create_room", {"name": "Dr Lee", "role": "moderator"})
                assert a.call_patiently("join_room", {"code": made["code"], "name": "Ana"})["ok"]
                assert b.call_patiently("join_room", {"code": made["code"], "name": "Ben"})["ok"]
                return [(p.code, p.token) for p in (mod, a, b)]
            seats = [s for room in pool.map(seat_room, range(self.ROOMS)) for s in room]
            first.kill()
            second.start()
            for round_ in range(self.ROUNDS):
                back = list(pool.map(lambda _: Phone(second.url).connect(), seats))
                held.extend(back)
                start = threading.Barrier(len(back))

                def resume(args):
                    phone, (code, token) = args
                    start.wait(timeout=60)
                    return phone.call_patiently("resume", {"code": code, "token": token}, timeout=60)
                with concurrent.futures.ThreadPoolExecutor(max_workers=len(back)) as everyone:
                    acks = list(everyone.map(resume, zip(back, seats), timeout=120))
                assert all(ack["ok"] for ack in acks), [ack for ack in acks if not ack["ok"]][:3]

                def settled(phone, code):
                    final = room_store.load(code)
                    view = phone.view
                    return (view["version"] == final["version"]
                            and all(s and s["presence"] == "online" for s in view["seats"].values()))
                behind = lambda: [code for phone, (code, _) in zip(back, seats) if not settled(phone, code)]
                try:
                    wait_for(lambda: not behind(), timeout=30, interval=0.2, message="every phone to settle")
                except AssertionError:
                    raise AssertionError(f"round {round_ + 1}: {len(behind())} of {len(back)} phones "
                                         "kept a stale view") from None
        finally:
            for p in held:
                p.disconnect()
            pool.shutdown(wait=True)
            first.stop()
            second.stop()
