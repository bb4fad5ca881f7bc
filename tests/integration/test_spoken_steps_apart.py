"""A couple apart who chose to type the spoken steps plays timed turns and aloud cards to the summary,
over the real server process."""

import pytest

pytestmark = pytest.mark.slow


def ok(reply):
    assert reply["ok"], reply
    return reply


def step(view) -> dict:
    return view["session"]["exercise"]["step"]


def both_at(a, b, version):
    a.wait_view(lambda v: v["version"] >= version)
    b.wait_view(lambda v: v["version"] >= version)


def by_seat(a, b, seat):
    return a if a.seat == seat else b


def test_typed_timed_turns_and_aloud_cards_run_to_the_summary_with_the_speakers_words(module_couple):
    a, b = module_couple
    ok(a.intent("set_mode", mode="remote"))
    # Timed turns (30 s, one each) and an aloud deck of two cards: both spoken kinds.
    ok(a.intent("propose_plan", plan=[{"exercise": "undivided-attention", "options": {"seconds": 30, "draw": 2}}]))
    b.wait_view(lambda v: v["session"]["voice"] == {"needed": True, "choice": None, "by": None})
    assert "agree_plan" not in b.view["can"]
    assert b.intent("agree_plan")["error"]["code"] == "choose_voice"
    assert a.intent("set_voice", voice="by fax")["error"]["code"] == "bad_value"
    ok(a.intent("set_voice", voice="call"))
    ok(b.intent("set_voice", voice="typing"))  # the last choice counts
    b.wait_view(lambda v: v["session"]["voice"]["choice"] == "typing" and "agree_plan" in v["can"])
    ok(b.intent("agree_plan"))
    both_at(a, b, b.view["version"])
    assert a.intent("set_voice", voice="call")["error"]["code"] == "wrong_step"

    # Timed turns: each speaker writes during their turn, and the listener reads it at once.
    for turn in (1, 2):
        now = step(a.view)
        assert now["kind"] == "timed_turns" and now["voice"] == "typing" and now["turn"]["number"] == turn
        speaker, listener = by_seat(a, b, now["speaker"]), by_seat(a, b, now["listener"])
        ok(speaker.intent("start_turn"))
        speaker.wait_view(lambda v: "write_turn" in step(v)["can"])
        ok(speaker.intent("write_turn", text=f"TURN{turn} first part"))
        ok(speaker.intent("write_turn", text=f"TURN{turn} second part"))
        read = listener.wait_view(lambda v: len([p for p in step(v)["written"] if p["turn"] == turn]) == 2)
        assert [p["text"] for p in step(read)["written"] if p["turn"] == turn] == \
            [f"TURN{turn} first part", f"TURN{turn} second part"]
        ok(speaker.intent("end_turn"))
        both_at(a, b, speaker.view["version"])

    # The aloud deck comes as a typed one: each writes, both are shown together.
    for card in (1, 2):
        now = step(a.view)
        assert now["kind"] == "cards" and now["mode"] == "reveal" and now["voice"] == "typing"
        assert now["card"]["number"] == card and now["phase"] == "answering"
        ok(a.intent("answer", text=f"ANA card {card}"))
        b.wait_view(lambda v: step(v)["answers"]["partner_a"]["status"] == "answered")
        assert "text" not in step(b.view)["answers"]["partner_a"]  # private until both answered
        ok(b.intent("answer", text=f"BEN card {card}"))
        a.wait_view(lambda v: step(v)["phase"] == "revealed")
        assert step(a.view)["answers"]["partner_b"]["text"] == f"BEN card {card}"
        ok(a.intent("advance"))
        ok(b.intent("advance"))
        both_at(a, b, b.view["version"])

    a.wait_view(lambda v: v["session"]["phase"] == "summary")
    entries = a.view["session"]["summary"]["entries"]
    texts = [e["text"] for e in entries]
    for words in ("TURN1 first part", "TURN2 second part", "ANA card 1", "BEN card 2"):
        assert words in texts, texts
    ok(a.intent("keep_summary", keep=True))
    ok(b.intent("keep_summary", keep=True))
    exported = ok(b.call("export_summary"))
    assert "TURN1 second part" in exported["markdown"] and "ANA card 2" in exported["markdown"]
