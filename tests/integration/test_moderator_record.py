"""The therapist's Markdown record holds what its JSON holds, in the therapist's own time zone (issue 12, item 6)."""

import datetime
import zoneinfo

from tests.integration.test_moderation_over_socketio import intent, latest
from tests.integration.test_rooms_over_socketio import ack

PROMPT = "PROMPT-6 Slow down and breathe together."
CARD = "CARD-6 What did you first notice about each other?"
LONG = 80  # the phones' card labels are cut past this many characters


def test_the_markdown_record_has_prompts_cards_whole_questions_words_and_local_times(connect):
    mod, a, b = connect(), connect(), connect()
    made = ack(mod, "create_room", {"name": "Dr Lee", "role": "moderator"})
    assert ack(a, "join_room", {"code": made["code"], "name": "Ana"})["ok"]
    assert ack(b, "join_room", {"code": made["code"], "name": "Ben"})["ok"]
    assert intent(mod, "set_mode", mode="remote")["ok"]
    plan = [{"exercise": "undivided-attention", "options": {"seconds": 60}},
            {"exercise": "tune-in", "options": {"draw": 36}}]
    assert intent(mod, "propose_plan", plan=plan)["ok"]
    assert intent(a, "set_voice", voice="call")["ok"]  # apart, timed turns are on the call
    assert intent(mod, "start_session")["ok"]
    assert intent(mod, "send_prompt", text=PROMPT)["ok"]
    speaker = a if "start_turn" in latest(a)["can"] else b
    assert intent(speaker, "start_turn")["ok"]
    timer = intent(mod, "adjust_timer", seconds=30)
    assert timer["ok"], timer
    assert intent(mod, "pause")["ok"]
    assert intent(mod, "resume")["ok"]
    assert intent(mod, "skip_exercise")["ok"]
    assert intent(mod, "send_prompt", text=CARD, kind="card")["ok"]

    # Answer cards until one with a long question has been answered by both.
    long_question = None
    for _ in range(36):
        card = latest(a)["session"]["exercise"]["step"]["card"]["text"]
        for client, who in ((a, "ana"), (b, "ben")):
            done = intent(client, "answer", text=f"{who} answers")
            assert done["ok"], done
            assert intent(client, "guess", text=f"{who} guesses")["ok"]
        if len(card) > LONG:
            long_question = card
            break
        for client in (a, b):
            if "advance" in latest(client)["can"]:
                assert intent(client, "advance")["ok"]
    assert long_question, "no long card in the deck"
    assert intent(mod, "end_session")["ok"]
    assert intent(a, "keep_summary", keep=True)["ok"]
    assert intent(b, "keep_summary", keep=True)["ok"]

    out = ack(mod, "export_summary", {"tz": "Asia/Kolkata"})
    assert out["ok"], out
    md = out["markdown"]
    # Prompts and extra cards, as the JSON has them.
    assert PROMPT in md and CARD in md
    assert {p["text"] for p in out["json"]["prompts"]} == {PROMPT, CARD}
    # The timeline's words: the moderator paused (no time-out), by how much the timer changed.
    assert "Dr Lee: paused" in md and "called a time-out" not in md
    assert "Dr Lee: changed the timer by +30 s" in md
    # The card's question whole.
    assert f"answered: {long_question}" in md and f"guessed: {long_question}" in md
    # Times in the therapist's zone (India: UTC+5:30, no summer time), not UTC.
    local = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert "IST" in md and " UTC" not in md
    assert any(t["time"][:2] in {f"{local.hour:02d}", f"{(local.hour - 1) % 24:02d}"}
               for t in out["json"]["timeline"])


def test_an_unknown_time_zone_is_refused_and_nothing_is_exported(connect):
    mod = connect()
    ack(mod, "create_room", {"name": "Dr Lee", "role": "moderator"})
    out = ack(mod, "export_summary", {"tz": "Mars/Olympus"})
    assert out["ok"] is False and out["error"]["code"] == "bad_value" and "markdown" not in out
