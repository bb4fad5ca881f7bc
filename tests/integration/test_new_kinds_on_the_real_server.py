"""The step kinds issue 13 added, over the real server process: brainstorm and agree, a timed moment together,
and the look back at promises the phones brought to the lobby."""

import pytest

from tests.integration.test_library_on_the_real_server import fields_for, next_move, place
from tests.support import Phone

pytestmark = pytest.mark.slow


def step(phone) -> dict:
    return phone.view["session"]["exercise"]["step"]


def settled(a, b):
    version = max(a.view["version"], b.view["version"])
    a.wait_view(lambda v: v["version"] >= version)
    b.wait_view(lambda v: v["version"] >= version)


def play_until(a, b, done):
    """Make the first move on offer (as the library test does) until `done(view)` holds."""
    made = set()
    for _ in range(200):
        settled(a, b)
        if done(a.view):
            return
        phone, kind = next_move((a, b), made)
        assert phone is not None, a.view["session"]
        made.add((phone.seat, kind, place(phone.view)))
        assert phone.intent(kind, version=phone.view["version"], **fields_for(kind))["ok"], kind
    raise AssertionError("never got there")


def ok(reply):
    assert reply["ok"], reply
    return reply


def test_a_real_disagreement_runs_through_the_brainstorm_to_an_agreement_in_the_summary(module_couple):
    a, b = module_couple
    ok(a.intent("set_mode", mode="remote"))
    ok(a.intent("propose_plan", plan=[{"exercise": "a-real-disagreement"}]))
    ok(b.intent("agree_plan"))
    play_until(a, b, lambda v: v["session"]["exercise"]["step"]["kind"] == "brainstorm")
    assert step(a)["phase"] == "agenda" and step(a)["can"] == ["propose_issue"]

    # The issue: refusals first, then a rewording that makes the first "agree" stale.
    assert a.intent("add_idea", text="too early")["error"]["code"] == "wrong_step"
    assert a.intent("propose_issue", text="x" * 301)["error"]["code"] == "text_too_long"
    assert a.intent("propose_issue")["error"]["code"] == "text_required"
    ok(a.intent("propose_issue", text="Weeknight cooking"))
    b.wait_view(lambda v: step_of(v)["issue"] and "agree_issue" in step_of(v)["can"])
    old = b.view["version"]
    ok(a.intent("propose_issue", text="Who cooks on busy weeknights"))
    assert b.intent("agree_issue", version=old)["error"]["code"] == "stale"
    settled(a, b)
    ok(b.intent("agree_issue", version=b.view["version"]))

    # Ideas from both phones at once, seen by both, with no author.
    ok(a.intent("add_idea", text="IDEA-ROTA"))
    ok(b.intent("add_idea", text="IDEA-TOGETHER"))
    ok(b.intent("add_idea", text="IDEA-BATCH"))
    a.wait_view(lambda v: len(step_of(v)["ideas"]) == 3)
    assert [(i["text"], i["mine"]) for i in step(a)["ideas"]] == [
        ("IDEA-ROTA", True), ("IDEA-TOGETHER", False), ("IDEA-BATCH", False)]
    ok(a.intent("ideas_done"))
    ok(b.intent("ideas_done"))
    a.wait_view(lambda v: step_of(v)["phase"] == "agree")

    # What to try: a bad check-back is refused with nothing changed, then a combination is agreed.
    bad = a.intent("propose_try", ideas=[2, 3], check_back="someday")
    assert bad["error"]["code"] == "bad_value" and bad["error"]["field"] == "check_back"
    assert a.intent("propose_try", ideas=[9], check_back="next_checkin")["error"]["code"] == "bad_value"
    ok(a.intent("propose_try", ideas=[2, 3], text="Starting Monday", check_back="next_checkin"))
    b.wait_view(lambda v: "agree_try" in step_of(v)["can"])
    ok(b.intent("agree_try"))
    a.wait_view(lambda v: v["session"]["phase"] == "summary")
    entries = [(e["label"], e["text"], e["seat"], e.get("promise", False))
               for e in a.view["session"]["summary"]["entries"] if e["step"] == "Solve it together"]
    # Only the agreement is a promise (the file marks this brainstorm so), and it is its proposer's.
    assert entries == [("the issue", "Who cooks on busy weeknights", "partner_a", False),
                       ("idea", "IDEA-ROTA", "partner_a", False), ("idea", "IDEA-TOGETHER", "partner_b", False),
                       ("idea", "IDEA-BATCH", "partner_b", False),
                       ("agreed to try", "IDEA-TOGETHER; IDEA-BATCH; Starting Monday — check back at the next weekly check-in",
                        "partner_a", True)]
    ok(a.intent("keep_summary", keep=True))
    ok(b.intent("keep_summary", keep=True))
    markdown = ok(a.call("export_summary"))["markdown"]
    assert "### Working through a real disagreement · Solve it together" in markdown
    assert "(agreed to try): IDEA-TOGETHER; IDEA-BATCH; Starting Monday" in markdown


def step_of(view):
    return view["session"]["exercise"]["step"]


def test_the_weekly_check_in_shows_the_promises_both_phones_brought_back(module_couple):
    a, b = module_couple
    ok(a.intent("set_mode", mode="remote"))
    assert a.intent("offer_promises", promises=[{"text": "p"}] * 6)["error"]["code"] == "too_many"
    ok(a.intent("offer_promises", promises=[{"text": "PROMISE-PHONES-AWAY", "made_on": "2026-11-24"}]))
    ok(b.intent("offer_promises", promises=[{"text": "PROMISE-SUNDAY-WALK"}]))
    b.wait_view(lambda v: v["session"]["promises_offered"] == {"partner_a": 1, "partner_b": 1})
    assert "PROMISE-PHONES-AWAY" not in str(b.view)
    ok(a.intent("propose_plan", plan=[{"exercise": "weekly-check-in"}]))
    ok(b.intent("set_voice", voice="typing"))  # its aloud decks, apart
    settled(a, b)
    ok(b.intent("agree_plan", version=b.view["version"]))
    assert a.intent("offer_promises", promises=[])["error"]["code"] == "wrong_step"
    play_until(a, b, lambda v: v["session"]["exercise"]["step"]["kind"] == "look_back")
    for phone in (a, b):
        assert [(p["by"], p["text"], p["made_on"]) for p in step(phone)["promises"]] == [
            ("partner_a", "PROMISE-PHONES-AWAY", "2026-11-24"), ("partner_b", "PROMISE-SUNDAY-WALK", None)]
    ok(b.intent("mark_promise", promise=1, mark="partly"))
    ok(a.intent("advance"))
    ok(b.intent("advance"))
    play_until(a, b, lambda v: v["session"]["phase"] == "summary")
    looked = [e["text"] for e in a.view["session"]["summary"]["entries"] if e["label"] == "looked back at"]
    assert looked == ["PROMISE-PHONES-AWAY — partly kept", "PROMISE-SUNDAY-WALK — talked about"]
    agreed = [e for e in a.view["session"]["summary"]["entries"] if e["label"] == "agreed to try"]
    assert len(agreed) == 1 and agreed[0]["step"] == "One thing for next week"


def test_a_gaze_in_one_room_is_ended_by_the_servers_clock_and_either_may_stop_the_mirroring(module_server):
    mod, a, b = (Phone(module_server.url).connect() for _ in range(3))
    try:
        made = mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})
        for phone, name in ((a, "Ana"), (b, "Ben")):
            ok(phone.call("join_room", {"code": made["code"], "name": name}))
        ok(mod.intent("set_mode", mode="same_room"))
        plan = [{"exercise": "eyes-and-mirrors", "options": {"together_seconds": 90}}]
        assert mod.intent("propose_plan", plan=[{"exercise": "eyes-and-mirrors", "options": {"together_seconds": 601}}]
                          )["error"]["code"] == "bad_value"
        ok(mod.intent("propose_plan", plan=plan))
        mod.wait_view(lambda v: v["full"])
        ok(mod.intent("start_session"))
        a.wait_view(lambda v: v["session"]["phase"] == "running")
        assert step(a)["kind"] == "timed_together" and step(a)["seconds"] == 90 and step(a)["same_room"]
        ok(a.intent("together_ready"))
        ok(b.intent("together_ready"))
        a.wait_view(lambda v: step_of(v)["phase"] == "running" and step_of(v)["deadline"])
        # The moderator shortens it to now: the server's clock sweeper ends the moment.
        mod.wait_view(lambda v: "adjust_timer" in v["can"])
        ok(mod.intent("adjust_timer", seconds=-600))
        a.wait_view(lambda v: v["session"]["exercise"]["step"]["index"] == 1, timeout=15)
        b.wait_view(lambda v: v["session"]["exercise"]["step"]["index"] == 1)
        assert step(a)["lead"] and step(a)["role"] == "leader" and step(b)["role"] == "mirror"
        b.wait_view(lambda v: "together_stop" in step_of(v)["can"])
        ok(b.intent("together_stop"))
        a.wait_view(lambda v: v["session"]["phase"] == "summary")
        events = ok(mod.call("get_timeline", {}))["events"]
        said = [e["what"] for e in events]
        assert "the moment ended" in said and "stopped the moment" in said
    finally:
        for phone in (mod, a, b):
            phone.disconnect()
