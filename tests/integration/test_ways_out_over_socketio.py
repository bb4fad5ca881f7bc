"""On `python -m server` as a real process: stopping an exercise together, the shared cool-down, distress noticed."""

import json
import uuid

import pytest

from server.store import RoomStore
from tests.support import Phone, wait_for

pytestmark = pytest.mark.slow

CARDS = {"exercise": "know-yourself", "options": {"draw": 2}}
FLOOR = {"exercise": "take-the-floor"}
CHECKIN = {"exercise": "name-it"}
SCARED = [{"id": "scared", "intensity": 5}]


@pytest.fixture
def phones(server):
    made = []

    def phone():
        p = Phone(server.url).connect()
        made.append(p)
        return p

    yield phone
    for p in made:
        p.disconnect()


def couple(phone, plan, guided=False):
    """Seat a couple (and a therapist when guided) in a remote room, agree on `plan`, return the phones."""
    mod = None
    a, b = phone(), phone()
    if guided:
        mod = phone()
        made = mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})
        assert a.call("join_room", {"code": made["code"], "name": "Ana"})["ok"]
    else:
        made = a.call("create_room", {"name": "Ana"})
    assert made["ok"], made
    assert b.call("join_room", {"code": made["code"], "name": "Ben"})["ok"]
    lead = mod or a
    assert lead.intent("set_mode", mode="remote")["ok"]
    lead.wait_view(lambda v: v["seats"]["partner_b"] and v["mode"] == "remote", message="both seated")
    assert lead.intent("propose_plan", plan=plan)["ok"]
    assert b.intent("set_voice", voice="typing")["ok"]  # how they talk in any spoken step
    b.wait_view(lambda v: (v["session"]["voice"] or {}).get("choice") == "typing", message="the choice")
    assert (mod.intent("start_session") if guided else b.intent("agree_plan"))["ok"]
    for p in (a, b):
        p.wait_view(lambda v: v["session"]["phase"] == "running", message="the session to start")
    return a, b, mod, made["code"]


def all_pushed(phone) -> str:
    with phone.lock:
        return json.dumps(phone.views)


def test_both_partners_stop_an_exercise_and_nothing_is_lost_or_revealed(phones, server, redis_client, prefix):
    a, b, _, code = couple(phones, [CARDS, FLOOR])
    secret = f"ANA-PRIVATE-{uuid.uuid4().hex}"
    assert a.intent("answer", text=secret)["ok"]
    asked = a.intent("ask_stop")
    assert asked["ok"] and not asked["duplicate"]
    # Ben's phone is told at once, gently: who asked, and that he may agree.
    seen = b.wait_view(lambda v: v["session"]["stop"], message="the request on Ben's phone")
    assert seen["session"]["stop"] == {"by": "partner_a", "agreed": ["partner_a"]} and "agree_stop" in seen["can"]
    assert b.intent("agree_stop")["ok"]
    for p in (a, b):
        v = p.wait_view(lambda v: v["session"]["stopped"] == [0], message="the stop on both phones")
        assert v["session"]["exercise"]["index"] == 1 and v["session"]["stop"] is None
        assert [item["stopped"] for item in v["session"]["plan"]] == [True, False]
    # Ana's unrevealed answer reached nobody else, and stays out of the state's shared words.
    assert secret not in all_pushed(b)
    state = RoomStore(redis_client, prefix=prefix).load(code)
    assert secret not in json.dumps(state["session"]["shared"])
    events = [e["type"] for e in RoomStore(redis_client, prefix=prefix).events(code)]
    assert events[-2:] == ["ask_stop", "agree_stop"]
    assert secret not in server.log_text()


def test_a_refused_stop_changes_nothing_and_a_retry_is_applied_once(phones):
    a, b, _, _ = couple(phones, [CARDS, FLOOR])
    before = a.view["version"]
    refused = b.intent("agree_stop")
    assert refused == {"ok": False, "error": {"code": "wrong_step", "message": "Nobody has asked to stop this exercise."}}
    assert a.intent("withdraw_stop")["error"]["code"] == "wrong_step"
    intent = {"id": uuid.uuid4().hex, "type": "ask_stop"}
    first, again = a.call("intent", intent), a.call("intent", intent)
    assert first["ok"] and again["ok"] and again["duplicate"] and first["version"] == again["version"] == before + 1


def test_in_a_guided_room_the_therapist_agrees_and_the_exercise_stops_at_once(phones):
    a, b, mod, _ = couple(phones, [CARDS, FLOOR], guided=True)
    assert b.intent("ask_stop")["ok"]
    offered = mod.wait_view(lambda v: v["session"]["stop"], message="the request on the dashboard")
    assert "agree_stop" in offered["can"]
    assert mod.intent("agree_stop")["ok"]
    for p in (a, b, mod):
        p.wait_view(lambda v: v["session"]["stopped"] == [0] and v["session"]["exercise"]["index"] == 1,
                    message="the next exercise everywhere")
    assert mod.intent("ask_stop")["error"]["code"] == "forbidden"


def test_a_cool_down_is_the_same_on_every_screen_and_ends_only_when_both_are_ready(phones):
    a, b, mod, _ = couple(phones, [FLOOR], guided=True)
    assert a.intent("timeout", cooldown=31)["error"]["code"] == "bad_value"
    assert mod.intent("pause", cooldown=20)["ok"]
    cools = [p.wait_view(lambda v: v["session"]["timeout"], message="the cool-down")["session"]["timeout"]["cooldown"]
             for p in (a, b, mod)]
    assert cools[0] == cools[1] == cools[2] and cools[0]["minutes"] == 20
    assert cools[0]["until"] - cools[0]["started_at"] == 1200
    assert a.intent("ready")["ok"]
    b.wait_view(lambda v: v["session"]["timeout"]["ready"] == ["partner_a"], message="Ana ready on Ben's phone")
    assert b.intent("ready")["ok"]
    for p in (a, b, mod):
        p.wait_view(lambda v: v["session"]["timeout"] is None, message="the cool-down to end")


def test_distress_is_offered_to_one_phone_and_flagged_to_the_therapist_only(phones):
    a, b, mod, _ = couple(phones, [CHECKIN, FLOOR], guided=True)
    note = f"ANA-NOTE-{uuid.uuid4().hex}"
    assert a.intent("checkin", feelings=SCARED, note=note)["ok"]
    mine = a.wait_view(lambda v: v["session"]["exercise"]["step"].get("care_offer"), message="the offer")
    assert {"carry_on", "timeout", "ask_stop"} <= set(mine["can"])
    flagged = mod.wait_view(lambda v: v["session"]["exercise"]["step"]["entries"]["partner_a"].get("distress"),
                            message="the therapist's flag")
    assert note not in json.dumps(flagged) and "scared" not in json.dumps(flagged)
    assert b.intent("checkin", feelings=[{"id": "peaceful", "intensity": 3}])["ok"]
    b.wait_view(lambda v: v["session"]["exercise"]["step"]["entries"]["partner_b"]["status"] == "checked_in",
                message="Ben's own check-in")
    pushed = all_pushed(b)
    for leak in (note, '"scared"', '"care_offer": true', '"distress"', '"held"'):
        assert leak not in pushed, leak
    assert a.intent("carry_on")["ok"]
    revealed = b.wait_view(lambda v: v["session"]["exercise"]["step"]["phase"] == "revealed", message="the reveal")
    assert note in json.dumps(revealed)
    wait_for(lambda: a.view["session"]["exercise"]["step"]["care_offer"] is False, message="the offer to close")
