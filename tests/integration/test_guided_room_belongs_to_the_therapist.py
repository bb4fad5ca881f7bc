"""On `python -m server` as a real process: a partner cannot erase a guided room, only their own words."""

import json

import pytest

from tests.support import Phone, wait_for

pytestmark = pytest.mark.slow

ANA = ["ANA-WORDS-share", "ANA-WORDS-clarify"]
BEN = ["BEN-WORDS-paraphrase-1", "BEN-WORDS-paraphrase-2"]
NOTE = "DR-LEE-NOTE watch the pace"


@pytest.fixture
def guided(server):
    """A guided, typed Speaker-Listener session: Ana shared and clarified, Ben paraphrased twice, Dr Lee noted."""
    mod, a, b = (Phone(server.url).connect() for _ in range(3))
    made = mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})
    assert made["ok"], made
    for phone, name in ((a, "Ana"), (b, "Ben")):
        assert phone.call("join_room", {"code": made["code"], "name": name})["ok"]
    assert mod.intent("set_mode", mode="remote")["ok"]
    assert mod.intent("propose_plan", plan=[{"exercise": "take-the-floor"}])["ok"]
    assert mod.intent("start_session")["ok"]
    first = a.wait_view(lambda v: v["session"]["phase"] == "running", message="the session to start")
    speaker = first["session"]["exercise"]["step"]["speaker"]
    assert speaker == "partner_a", speaker  # the first exercise's first speaker
    for phone, kind, fields in ((a, "share", {"text": ANA[0]}), (b, "paraphrase", {"text": BEN[0]}),
                                (a, "check", {"accurate": False, "text": ANA[1]}),
                                (b, "paraphrase", {"text": BEN[1]})):
        assert phone.intent(kind, **fields)["ok"]
    assert mod.intent("add_note", text=NOTE)["ok"]
    mod.wait_view(lambda v: len(v["session"]["shared"]) == 4 and v["session"]["notes"], message="all words")
    yield {"mod": mod, "a": a, "b": b, "code": made["code"]}
    for phone in (mod, a, b):
        phone.disconnect()


def held(redis_client, prefix, code) -> dict:
    """Every key of the room and what it holds, as text."""
    tag = f"{prefix}:{{{code}}}"
    out = {}
    for key in sorted(redis_client.scan_iter(f"{tag}:*")):
        kind = redis_client.type(key)
        if kind == "hash":
            out[key] = json.dumps(redis_client.hgetall(key), sort_keys=True)
        elif kind == "stream":
            out[key] = json.dumps(redis_client.xrange(key))
    return out


def test_a_partner_cannot_end_and_erase_a_guided_room(guided, redis_client, prefix):
    before = held(redis_client, prefix, guided["code"])
    assert set(before) == {f"{prefix}:{{{guided['code']}}}:{k}" for k in ("state", "log", "notes")}
    for phone in (guided["a"], guided["b"]):
        assert phone.view["you"]["may_end"] is False
        refused = phone.call("end_room")
        assert refused["ok"] is False and refused["error"]["code"] == "forbidden", refused
    assert held(redis_client, prefix, guided["code"]) == before
    assert not any(event == "room_ended" for event, _ in guided["a"].events + guided["mod"].events)
    # The room still runs for everyone; the therapist can still end it.
    assert guided["a"].intent("check", accurate=True)["ok"]
    assert guided["mod"].view["you"]["may_end"] is True
    assert guided["mod"].call("end_room")["ok"]
    wait_for(lambda: not held(redis_client, prefix, guided["code"]), message="the room to be erased")


def test_erase_what_i_wrote_takes_exactly_that_partners_words_out_of_state_exports_and_the_moderators_view(
        guided, redis_client, prefix):
    mod, a, b = guided["mod"], guided["a"], guided["b"]
    assert ANA[0] in held(redis_client, prefix, guided["code"])[f"{prefix}:{{{guided['code']}}}:state"]
    erased = a.intent("erase_my_words")
    assert erased["ok"], erased
    for phone in (mod, a, b):
        phone.wait_view(lambda v: v["version"] >= erased["version"], message="the view after the erase")
    # The moderator's live view: Ben's words and the note, nothing of Ana's.
    live = json.dumps(mod.view)
    assert all(w not in live for w in ANA) and all(w in live for w in BEN) and NOTE in live
    assert [e["text"] for e in mod.view["session"]["shared"]] == BEN
    assert mod.view["session"]["exercise"]["step"]["current"] == {"share": None, "clarify": None,
                                                                  "paraphrase": BEN[1], "asked": None,
                                                                  "explained": None}
    for phone in (a, b):
        assert all(w not in json.dumps(phone.view) for w in ANA)
    # The state and the log in Redis: no word of Ana's anywhere; Ben's and the note stay.
    stored = held(redis_client, prefix, guided["code"])
    everything = "".join(stored.values())
    assert all(w not in everything for w in ANA), "an erased word is still in Redis"
    assert all(w in stored[f"{prefix}:{{{guided['code']}}}:state"] for w in BEN)
    assert NOTE in stored[f"{prefix}:{{{guided['code']}}}:notes"]
    assert "WORDS" not in stored[f"{prefix}:{{{guided['code']}}}:log"], "the log holds words"
    # Both exports, once the session is over and kept: Ben's words, the note, the timeline; nothing of Ana's.
    assert mod.intent("end_session")["ok"]
    for phone in (a, b):
        phone.wait_view(lambda v: v["session"]["phase"] == "summary", message="the summary")
        assert phone.intent("keep_summary", keep=True)["ok"]
    record = mod.call("export_summary")
    mine = a.call("export_summary")
    assert record["ok"] and mine["ok"], (record, mine)
    for export in (record, mine):
        text = export["markdown"] + json.dumps(export["json"])
        assert all(w not in text for w in ANA) and all(w in text for w in BEN)
    assert NOTE in record["markdown"]
    assert "erased what they wrote" in record["markdown"]
    timeline = mod.call("get_timeline")
    assert [e["what"] for e in timeline["events"] if e["type"] == "erase_my_words"] == ["erased what they wrote"]
