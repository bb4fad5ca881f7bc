"""Every exercise of the library, played to its end by two phones against the real server process."""

import json

import pytest

from server.library import load_library
from tests.support import Phone, ServerProcess

pytestmark = pytest.mark.slow

LIBRARY = load_library("exercises")
VOICE = {name: ("typing", "call")[i % 2] for i, name in enumerate(sorted(LIBRARY.exercises))}
FEELING = sorted(LIBRARY.feelings_by_id)[0]
# Moves that would hold the couple in place are left for last; a time-out is never taken here.
LAST = ("continue", "timeout")
FIELDS = {"text": "words", "accurate": True, "fair": True, "more": False, "switch": False, "when": "now",
          "keep": True, "feelings": [{"id": FEELING, "intensity": 3}], "check_back": "next_checkin"}


@pytest.fixture(scope="module")
def server(redis_url):
    from tests.support import unique_prefix

    process = ServerProcess(redis_url, unique_prefix(), extra_env={"JOIN_RATE_LIMIT": "0"}).start()
    yield process
    process.stop()


def fields_for(kind: str) -> dict:
    from server.domain import intents

    return {name: value for name, value in FIELDS.items() if name in intents.TABLE[kind].fields}


def place(view) -> tuple:
    """Where the step is: a move made here is not made again (answers may be replaced, for one)."""
    ex = view["session"]["exercise"]
    step = ex["step"]
    return json.dumps([ex["index"], step["index"], step["phase"], (step.get("card") or {}).get("id"),
                       step.get("turn"), step.get("floor"), step.get("chunk"), step.get("round"),
                       step.get("pieces")])


def next_move(phones, made: set):
    """The first partner with a move not yet made at this place (a step's own moves first)."""
    for phone in phones:
        for kind in sorted(phone.view["can"], key=lambda k: k in LAST):
            if kind not in LAST and (phone.seat, kind, place(phone.view)) not in made:
                return phone, kind
    return None, None


@pytest.mark.parametrize("exercise", sorted(LIBRARY.exercises))
def test_two_phones_play_the_exercise_to_its_end(server, exercise):
    a, b = Phone(server.url).connect(), Phone(server.url).connect()
    try:
        made = a.call("create_room", {"name": "Ana"})
        assert b.call("join_room", {"code": made["code"], "name": "Ben"})["ok"]
        assert a.intent("set_mode", mode="remote")["ok"]
        # Apart, spoken steps are on the call or typed: half the library one way, half the other.
        assert b.intent("set_voice", voice=VOICE[exercise])["ok"]
        assert a.intent("propose_plan", plan=[{"exercise": exercise}])["ok"]
        assert b.intent("agree_plan")["ok"]
        steps_seen, made_here = set(), set()
        for _ in range(600):
            version = max(a.view["version"], b.view["version"])
            a.wait_view(lambda v: v["version"] >= version)
            b.wait_view(lambda v: v["version"] >= version)
            session = a.view["session"]
            if session["phase"] == "summary":
                break
            steps_seen.add(session["exercise"]["step"]["index"])
            phone, kind = next_move((a, b), made_here)
            assert phone is not None, f"nobody can move in {session['exercise']['step']}"
            made_here.add((phone.seat, kind, place(phone.view)))
            reply = phone.intent(kind, version=phone.view["version"], **fields_for(kind))
            assert reply["ok"], (kind, reply)
        assert a.view["session"]["phase"] == b.view["session"]["phase"] == "summary"
        assert steps_seen == set(range(len(LIBRARY.exercises[exercise]["steps"])))
        if not a.view["session"]["summary"]["entries"]:
            # Nothing was written (said aloud, or nothing to type): nothing to keep, and nobody is asked.
            assert "keep_summary" not in a.view["can"] and "keep_summary" not in b.view["can"]
            return
        assert a.intent("keep_summary", keep=True)["ok"] and b.intent("keep_summary", keep=True)["ok"]
        exported = a.call("export_summary")
        assert exported["ok"] and LIBRARY.exercises[exercise]["title"] in exported["markdown"]
    finally:
        a.disconnect()
        b.disconnect()
