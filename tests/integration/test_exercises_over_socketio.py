"""The exercise engine over Socket.IO (Flask-SocketIO's test client) against a real Redis.

Two phones, partner A who opens the room and partner B who joins it, play
whole exercises of every step kind. They only make the moves their newest
pushed view offers (`view["can"]`), the way the web client does, so these
tests also check that the views tell each phone what it may do next.
"""

import json
import time
import uuid
from pathlib import Path

import pytest
import yaml

from server.domain.steps import KINDS
from tests.support import ROOT, wait_for


class Phone:
    """One partner's phone: a Socket.IO test client, its seat, and every view pushed to it."""

    def __init__(self, client):
        self.client = client
        self.views = []
        self.read = 0
        self.code = self.seat = self.token = None

    def call(self, event: str, data: dict | None = None) -> dict:
        """Emit `event` with an ack; remember the seat and token a seating ack hands out."""
        reply = self.client.emit(event, {} if data is None else data, callback=True)
        if isinstance(reply, dict) and "view" in reply:
            # As the web client does: a seat ack's view (or a stale refusal's) is this phone's newest.
            self.views.append(reply["view"])
        if reply.get("ok") and "token" in reply:
            self.code, self.seat, self.token = reply["code"], reply["seat"], reply["token"]
        return reply

    def intent(self, kind: str, intent_id: str | None = None, **fields) -> dict:
        """Send an intent (a fresh id unless one is given) and return the ack."""
        return self.call("intent", {"id": intent_id or uuid.uuid4().hex, "type": kind, **fields})

    def tap(self, kind: str, intent_id: str | None = None, **fields) -> dict:
        """Send an intent made against the newest view, carrying its version as the web client does."""
        return self.intent(kind, intent_id, version=self.view["version"], **fields)

    def pushed(self) -> list[dict]:
        """Every view the server pushed to this phone so far, oldest first."""
        # The clock sweeper pushes from its own thread while the test reads:
        # appending to the client's queue is atomic, so read it with a cursor
        # instead of get_received(), which swaps the list out and could drop one.
        new = self.client.queue[self.read:]
        self.read += len(new)
        self.views += [packet["args"][0] for packet in new if packet["name"] == "view"]
        return self.views

    @property
    def view(self) -> dict:
        """The newest view this phone holds (clients drop views older than the one they have)."""
        return max(self.pushed(), key=lambda v: v["version"])

    def wait_view(self, predicate, message: str) -> dict:
        """Wait until the newest view satisfies `predicate`; return it."""
        return wait_for(lambda: predicate(self.view) and self.view, timeout=5, message=message)


def step_of(view: dict) -> dict:
    """The current step as this seat sees it."""
    return view["session"]["exercise"]["step"]


def running(views: list[dict]) -> list[dict]:
    """The views taken while an exercise was running."""
    return [v for v in views if v["session"]["phase"] == "running"]


def where(view: dict) -> tuple:
    """(phase, exercise index, step index): where in the plan this view is."""
    exercise = view["session"]["exercise"]
    return (view["session"]["phase"], exercise and exercise["index"], exercise and exercise["step"]["index"])


def play(phone: Phone, kind: str, intent_id: str | None = None, **fields) -> dict:
    """Make a move the phone's newest view offers; return its (successful) ack."""
    view = phone.view
    assert kind in view["can"], f"{view['you']['seat']} may not {kind} now, only {view['can']}"
    reply = phone.tap(kind, intent_id, **fields)
    assert reply["ok"], reply
    return reply


def refused(phone: Phone, kind: str, **fields) -> str:
    """Send an intent that must be refused; return the error code."""
    reply = phone.intent(kind, **fields)
    assert reply["ok"] is False, reply
    return reply["error"]["code"]


def the_one_who_can(kind: str, *phones: Phone) -> Phone:
    """The single phone whose view offers `kind`."""
    able = [phone for phone in phones if kind in phone.view["can"]]
    assert len(able) == 1, f"{len(able)} phones may {kind}"
    return able[0]


def exercise(exercise_id: str, **options) -> dict:
    """One plan item."""
    return {"exercise": exercise_id, "options": options}


def start(a: Phone, b: Phone, *plan: dict, mode: str | None = None) -> None:
    """In the lobby A sets the mode and proposes `plan`, B agrees: the first exercise starts."""
    if mode:
        play(a, "set_mode", mode=mode)
    play(a, "propose_plan", plan=list(plan))
    play(b, "agree_plan")
    assert a.view["session"]["phase"] == b.view["session"]["phase"] == "running"


# The tests read the content files too: feeling ids come from the list the phones offer.
FEELINGS = [feeling["id"]
            for family in yaml.safe_load(Path(ROOT, "exercises", "feelings.yaml").read_text())["families"]
            for feeling in family["feelings"]]

# What the autopilot does when a view offers it, in order of preference: go
# forward, agree, never ask for more (so every loop ends).
AUTOPILOT = [
    ("share", "text"), ("paraphrase", "text"), ("check", {"accurate": True}), ("pass_floor", {}),
    ("ask_appointment", {}), ("appointment", {"when": "now"}), ("send", "text"), ("mirror", "text"),
    ("mirror_check", {"accurate": True}), ("more", {"more": False}), ("summarize", "text"),
    ("summary_check", {"fair": True}), ("validate", "text"), ("empathize", "text"),
    ("empathy_check", {"accurate": True}), ("close", {"switch": True}),
    ("answer", "text"), ("advance", {}), ("start_turn", {}), ("end_turn", {}),
]


def next_move(view: dict, say: str):
    """The (intent type, fields) the autopilot sends from this view, or None when this seat has nothing to do."""
    step, me = step_of(view), view["you"]["seat"]
    # A seat the step does not wait on may still hold a way out (the speaker's pass_floor at any
    # moment): the autopilot does not take it.
    if view["session"]["timeout"] or not step["can"] or me not in step["waiting_for"]:
        return None
    text = {"text": f"{say} ({step['phase']} by {me})"}
    if step["kind"] == "cards" and step["phase"] == "answering":
        mine = step["answers"][me]
        if mine["status"] == "thinking":
            return "answer", text
        if step["mode"] == "guess" and not mine["guessed"]:
            return "guess", text
        return None
    if step["kind"] == "checkin" and step["phase"] == "checking_in":
        if step["entries"][me]["status"] == "checked_in":
            return None
        return "checkin", {"feelings": [{"id": FEELINGS[0], "intensity": 3}]}
    for kind, fields in AUTOPILOT:
        if kind in step["can"]:
            return kind, (text if fields == "text" else fields)
    raise AssertionError(f"the autopilot has no move among {step['can']}")


def finish(a: Phone, b: Phone, *, step_only: bool = False, say: str = "autopilot") -> list[dict]:
    """Make the moves the views offer until the current exercise (or only its step) is over; return the acks."""
    def here():
        return where(a.view) if step_only else where(a.view)[:2]
    began, acks = here(), []
    while here() == began:
        assert len(acks) < 200, "the exercise never ends"
        moves = [(phone, move) for phone in (a, b) if (move := next_move(phone.view, say))]
        assert moves, "the views offer nobody a move"
        phone, (kind, fields) = moves[0]
        acks.append(play(phone, kind, **fields))
    return acks


def texts_in(views: list[dict], marker: str) -> list[dict]:
    """The views whose JSON mentions `marker` anywhere."""
    return [v for v in views if marker in json.dumps(v)]


@pytest.fixture
def couple(app, connect):
    """Partner A opens a room, partner B joins it by its code; the server clock sweeps every 20 ms."""
    app.config["CLOCK_INTERVAL"] = 0.02
    a, b = Phone(connect()), Phone(connect())
    assert a.call("create_room", {"name": "Ana"})["ok"]
    assert b.call("join_room", {"code": a.code, "name": "Ben"})["ok"]
    return a, b


class TestSpeakerListener:
    def test_a_remote_couple_holds_the_floor_in_turn_with_a_clarify_loop_and_a_reconnect_in_the_middle(
            self, couple, connect):
        a, b = couple
        start(a, b, exercise("take-the-floor", rounds=1), mode="remote")
        assert step_of(a.view)["floor"] == {"number": 1, "of": 2}
        speaker = the_one_who_can("share", a, b)
        assert speaker is a and step_of(a.view)["role"] == "speaker" and step_of(b.view)["role"] == "listener"
        assert refused(a, "share") == "text_required"  # apart, words must be typed

        play(a, "share", text="I felt tired after work today.")
        play(b, "paraphrase", text="You're angry at me.")
        play(a, "check", accurate=False, text="Not angry, just tired.")
        step = step_of(b.view)
        assert step["phase"] == "paraphrase" and step["clarifications"] == 1
        assert step["current"] == {"share": "I felt tired after work today.", "paraphrase": None,
                                   "clarify": "Not angry, just tired.", "asked": None, "explained": None}
        play(b, "paraphrase", text="You're tired, not angry.")
        play(a, "check", accurate=True)
        assert b.view["can"] == ["timeout", "ask_stop"]
        assert set(a.view["can"]) == {"timeout", "continue", "pass_floor", "ask_stop"}
        play(a, "continue")  # another chunk on the same floor
        assert step_of(b.view)["chunk"] == 2 and step_of(b.view)["current"]["share"] is None
        play(a, "share", text="And I missed you.")
        play(b, "paraphrase", text="You missed me.")
        play(a, "check", accurate=True)
        play(a, "pass_floor")

        assert the_one_who_can("share", a, b) is b
        assert step_of(a.view)["floor"] == {"number": 2, "of": 2} and step_of(a.view)["role"] == "listener"
        play(b, "share", text="I'd like a slow Sunday.")
        play(a, "paraphrase", text="A slow Sunday.")
        before = step_of(b.view)
        assert before["phase"] == "check" and "check" in b.view["can"]

        b.client.disconnect()
        assert a.view["seats"]["partner_b"]["presence"] == "away"
        b2 = Phone(connect())
        back = b2.call("resume", {"code": b.code, "token": b.token})
        assert back["ok"] and back["seat"] == "partner_b"
        assert step_of(back["view"]) == step_of(b2.view) == before  # the same step, phase and words
        assert a.view["seats"]["partner_b"]["presence"] == "online"
        presence = [(v["seats"]["partner_b"] or {}).get("presence") for v in a.pushed()]
        assert presence.index("away") < len(presence) - 1 and presence[-1] == "online"

        play(b2, "check", accurate=True)
        play(b2, "pass_floor")
        assert a.view["session"]["phase"] == b2.view["session"]["phase"] == "summary"
        shared = [(e["seat"], e["label"]) for e in a.view["session"]["summary"]["entries"]]
        assert shared == [("partner_a", "shared"), ("partner_b", "paraphrased"), ("partner_a", "clarified"),
                          ("partner_b", "paraphrased"), ("partner_a", "shared"), ("partner_b", "paraphrased"),
                          ("partner_b", "shared"), ("partner_a", "paraphrased")]

    def test_the_listener_asks_for_an_example_and_the_speaker_passes_the_floor_mid_chunk_over_socketio(
            self, couple):
        a, b = couple
        start(a, b, exercise("take-the-floor", rounds=1), mode="remote")
        too_long = a.intent("share", text="I " + "x" * 499)
        assert too_long["ok"] is False and too_long["error"]["code"] == "text_too_long"
        assert too_long["error"]["field"] == "text" and step_of(a.view)["phase"] == "share"
        assert step_of(a.view)["max_share"] == 500
        play(a, "share", text="I felt rushed this morning.")
        assert "ask_speaker" in b.view["can"] and "pass_floor" in a.view["can"]
        assert refused(b, "ask_speaker", about="advice") == "bad_value"
        play(b, "ask_speaker", about="example")
        step = step_of(a.view)
        assert step["phase"] == "answer" and step["current"]["asked"] == "example"
        assert step["waiting_for"] == ["partner_a"] and "explain" in a.view["can"]
        assert refused(b, "explain", text="x") == "not_your_turn"
        play(a, "explain", text="You asked me three things at once at breakfast.")
        assert step_of(b.view)["current"]["explained"] == "You asked me three things at once at breakfast."
        assert step_of(b.view)["phase"] == "paraphrase"
        play(a, "pass_floor")  # before anything was heard back
        step = step_of(b.view)
        assert (step["speaker"], step["phase"], step["floor"]["number"]) == ("partner_b", "share", 2)
        assert "pass_floor" in b.view["can"] and "pass_floor" not in a.view["can"]


class TestImago:
    def test_a_couple_in_one_room_runs_the_whole_dialogue_with_a_correction_and_more_then_checks_in(self, couple):
        a, b = couple
        start(a, b, exercise("imago-dialogue"))
        sender = the_one_who_can("ask_appointment", a, b)
        assert sender is a and step_of(b.view)["role"] == "receiver"
        play(a, "ask_appointment")
        play(b, "appointment", when="later", minutes=45)
        assert step_of(a.view)["phase"] == "later"
        play(b, "appointment", when="now")
        play(a, "send")  # in one room, said aloud: nothing needs typing
        play(b, "mirror")
        play(a, "mirror_check", accurate=False)
        assert step_of(b.view)["phase"] == "mirror" and step_of(b.view)["can"] == ["mirror"]
        play(b, "mirror", text="If I got it, you miss our walks.")
        play(a, "mirror_check", accurate=True)
        play(a, "more", more=True)
        assert step_of(a.view)["phase"] == "send" and step_of(a.view)["current"]["message"] is None
        play(a, "send", text="And I'd like one this week.")
        play(b, "mirror")
        play(a, "mirror_check", accurate=True)
        play(a, "more", more=False)
        assert step_of(b.view)["pieces"] == 2
        play(b, "summarize")
        play(a, "summary_check", fair=True)
        play(b, "validate")
        play(b, "empathize")
        play(a, "empathy_check", accurate=True)
        play(a, "close", switch=True)

        step = step_of(a.view)
        assert (step["phase"], step["role"], step["round"], step["switches_left"]) == (
            "appointment", "receiver", 2, 0)
        assert the_one_who_can("ask_appointment", a, b) is b
        finish(a, b, step_only=True)

        assert step_of(a.view)["kind"] == "checkin" and step_of(a.view)["index"] == 1
        finish(a, b)
        assert a.view["session"]["phase"] == "summary"
        texts = [e["text"] for e in a.view["session"]["summary"]["entries"]]
        assert "If I got it, you miss our walks." in texts and "And I'd like one this week." in texts

    def test_a_later_names_a_time_the_receiver_asks_to_understand_and_asks_to_switch_over_socketio(self, couple):
        a, b = couple
        start(a, b, exercise("imago-dialogue"), mode="remote")
        play(a, "ask_appointment")
        assert refused(b, "appointment", when="later") == "bad_value"
        assert refused(b, "appointment", when="later", minutes=2) == "bad_value"  # the transport's range
        assert step_of(a.view)["phase"] == "answer_appointment"
        play(b, "appointment", when="later", minutes=30)
        for phone in (a, b):
            step = step_of(phone.view)
            assert step["phase"] == "later"
            assert step["later_at"] == pytest.approx(phone.view["server_time"] + 1800, abs=5)
        play(b, "appointment", when="now")
        assert step_of(a.view)["later_at"] is None
        play(a, "send", text="I miss our walks.")
        play(b, "mirror", text="You miss our walks.")
        play(a, "mirror_check", accurate=True)
        play(a, "more", more=False)
        play(b, "summarize", text="Walks matter to you.")
        play(a, "summary_check", fair=True)
        assert set(b.view["can"]) >= {"validate", "ask_understand"}
        play(b, "ask_understand", text="Help me understand why the evening ones?")
        assert step_of(a.view)["phase"] == "understand" and "help_understand" in a.view["can"]
        assert refused(b, "validate", text="x") == "wrong_step"
        play(a, "help_understand", text="Evenings are when we talk.")
        assert step_of(b.view)["current"]["explanation"] == "Evenings are when we talk."
        play(b, "validate", text="You make sense.")
        play(b, "empathize", text="You might feel lonely.")
        play(a, "empathy_check", accurate=True)
        assert "close" in b.view["can"] and "close" in a.view["can"]
        play(b, "close", switch=True)  # the receiver asks for a turn to send
        step = step_of(b.view)
        assert (step["phase"], step["sender"], step["switches_left"]) == ("appointment", "partner_b", 0)


class TestCards:
    def test_private_answers_stay_on_their_phone_until_both_are_revealed_together_and_a_pass_is_fine(self, couple):
        a, b = couple
        start(a, b, exercise("look-inward-first"), mode="remote")
        step = step_of(a.view)
        assert (step["kind"], step["mode"], step["card"]["of"]) == ("cards", "reveal", 1)
        assert set(a.view["can"]) >= {"answer", "pass_card"} and set(b.view["can"]) >= {"answer", "pass_card"}

        withdrawn, secret = f"B-withdrawn-{uuid.uuid4().hex}", f"B-private-{uuid.uuid4().hex}"
        play(b, "answer", text=withdrawn)
        assert step_of(b.view)["answers"]["partner_b"]["text"] == withdrawn
        assert step_of(a.view)["answers"]["partner_b"] == {"status": "answered"}
        play(b, "pass_card")  # took it back
        play(b, "answer", text=secret)  # and answered after all: it may change until the reveal
        assert step_of(a.view)["phase"] == "answering" and "answer" in a.view["can"]
        play(a, "pass_card")  # passing is always allowed, and settles A's side: the reveal

        before_reveal = [v for v in running(a.pushed()) if step_of(v)["phase"] == "answering"]
        assert len(before_reveal) >= 4 and texts_in(before_reveal, secret) == []
        assert texts_in(a.views, withdrawn) == [] and texts_in([b.view], withdrawn) == []  # taken back for good

        first_a = next(v for v in running(a.views) if step_of(v)["phase"] == "revealed")
        first_b = next(v for v in running(b.views) if step_of(v)["phase"] == "revealed")
        assert first_a["version"] == first_b["version"]
        for view in (first_a, first_b):
            assert step_of(view)["answers"] == {"partner_a": {"status": "passed", "text": None},
                                                "partner_b": {"status": "answered", "text": secret}}
        play(a, "advance")
        assert step_of(a.view)["phase"] == "revealed" and a.view["can"] == ["timeout", "pass_rest", "ask_stop"]
        play(b, "advance")

        assert step_of(a.view)["kind"] == "speaker_listener"
        finish(a, b)
        entries = a.view["session"]["summary"]["entries"]
        assert [e["text"] for e in entries if e["step"] == "A quiet moment alone"] == [secret]

    def test_in_the_guessing_game_two_cards_are_dealt_and_answers_and_guesses_are_revealed_together(self, couple):
        a, b = couple
        start(a, b, exercise("tune-in", draw=2))
        for number in (1, 2):
            step = step_of(b.view)
            assert (step["mode"], step["phase"], step["card"]["number"], step["card"]["of"]) == (
                "guess", "answering", number, 2)
            play(a, "answer", text=f"A answers {number}")
            play(a, "guess", text=f"A guesses {number}")
            play(b, "guess", text=f"B guesses {number}")
            assert step_of(a.view)["answers"]["partner_b"] == {"status": "thinking", "guessed": True}
            assert step_of(b.view)["answers"]["partner_a"] == {"status": "answered", "guessed": True}
            assert not texts_in([a.view], f"B guesses {number}") and not texts_in([b.view], f"A answers {number}")
            play(b, "answer", text=f"B answers {number}")
            both = {"partner_a": {"status": "answered", "guessed": True, "text": f"A answers {number}",
                                  "guess": f"A guesses {number}"},
                    "partner_b": {"status": "answered", "guessed": True, "text": f"B answers {number}",
                                  "guess": f"B guesses {number}"}}
            assert a.view["version"] == b.view["version"]
            assert step_of(a.view)["answers"] == step_of(b.view)["answers"] == both
            play(b, "advance")
            play(a, "advance")
        assert a.view["session"]["phase"] == "summary"
        assert len(a.view["session"]["summary"]["entries"]) == 8

    def test_aloud_the_draw_option_deals_one_card_per_set_and_the_sets_come_in_order(self, couple, app):
        a, b = couple
        start(a, b, exercise("closeness-36", draw=1))
        sets = app.extensions["attune.library"].exercises["closeness-36"]["steps"]
        for index, spec in enumerate(sets):
            step = step_of(a.view)
            assert (step["index"], step["of"], step["title"]) == (index, 3, spec["title"])
            assert step["card"]["of"] == 1 and step["card"]["id"] == spec["cards"][0]["id"]
            first = the_one_who_can("answer", a, b)
            second = b if first is a else a
            assert step_of(first.view)["role"] == "answerer" and step_of(second.view)["role"] == "listener"
            play(first, "answer")  # aloud in one room: nothing typed
            assert step_of(second.view)["role"] == "answerer"
            play(second, "pass_card")
            play(a, "advance")
            play(b, "advance")
        assert a.view["session"]["phase"] == "summary"
        assert a.view["session"]["summary"]["entries"] == []


class TestCheckin:
    def test_each_partner_names_feelings_privately_and_both_are_revealed_at_once(self, couple):
        a, b = couple
        start(a, b, exercise("name-it", draw=1))
        step = step_of(a.view)
        assert (step["kind"], step["index"], step["max_feelings"]) == ("checkin", 0, 5)
        note_a, note_b = f"A-note-{uuid.uuid4().hex}", f"B-note-{uuid.uuid4().hex}"
        feel_a = [{"id": FEELINGS[0], "intensity": 4}, {"id": FEELINGS[-1], "intensity": 2}]
        feel_b = [{"id": FEELINGS[len(FEELINGS) // 2], "intensity": 5}]
        play(a, "checkin", feelings=feel_a, note=note_a)
        assert step_of(b.view)["entries"]["partner_a"] == {"status": "checked_in"}
        mine = step_of(a.view)["entries"]["partner_a"]["feelings"]
        assert [f["id"] for f in mine] == [FEELINGS[0], FEELINGS[-1]]
        play(b, "checkin", feelings=feel_b, note=note_b)

        revealed = [step_of(v)["entries"] for v in (a.view, b.view)]
        assert a.view["version"] == b.view["version"] and revealed[0] == revealed[1]
        assert [(f["id"], f["intensity"]) for f in revealed[0]["partner_b"]["feelings"]] == [
            (FEELINGS[len(FEELINGS) // 2], 5)]
        assert revealed[0]["partner_a"]["note"] == note_a and revealed[0]["partner_b"]["note"] == note_b
        for phone, partners_note in ((a, note_b), (b, note_a)):
            before_reveal = [v for v in running(phone.pushed()) if step_of(v)["phase"] == "checking_in"]
            assert before_reveal and texts_in(before_reveal, partners_note) == []
        play(a, "advance")
        play(b, "advance")

        assert step_of(a.view)["kind"] == "cards" and step_of(a.view)["card"]["of"] == 1
        finish(a, b, step_only=True)
        assert step_of(a.view)["kind"] == "checkin" and step_of(a.view)["max_feelings"] == 3
        finish(a, b)
        assert a.view["session"]["phase"] == "summary"


def make_due(store, code: str) -> None:
    """Skip the wait: the running turn's deadline, in the state and in the clock's index, is now past."""
    when = time.time() - 1  # one value for both, as the server writes them

    def due_now(state):
        state["session"]["step"]["deadline"] = when
        return state, {"type": "test_clock"}, None
    store.update(code, due_now)
    store.schedule(code, when)


class TestTimedTurns:
    def test_one_turn_ends_early_and_the_other_by_the_server_clock_but_not_before_its_deadline(
            self, couple, store, redis_client, prefix):
        a, b = couple
        start(a, b, exercise("undivided-attention", seconds=30, turns=1, draw=1))
        step = step_of(a.view)
        assert (step["kind"], step["seconds"], step["turn"]) == ("timed_turns", 30, {"number": 1, "of": 2})
        play(a, "start_turn")
        assert step_of(b.view)["deadline"] == pytest.approx(b.view["server_time"] + 30, abs=1)
        play(a, "end_turn")

        assert the_one_who_can("start_turn", a, b) is b
        play(b, "start_turn")
        speaking = b.view
        deadline = step_of(speaking)["deadline"]
        index = f"{prefix}:deadlines"
        assert redis_client.zscore(index, a.code) == pytest.approx(deadline)

        # Due in the index, but the turn's own deadline is still ahead: the
        # sweeper looks, changes nothing, and files the room under its real deadline.
        store.schedule(a.code, time.time() - 1)
        wait_for(lambda: redis_client.zscore(index, a.code) == pytest.approx(deadline), timeout=5,
                 message="the sweeper to re-file the room under its real deadline")
        assert store.load(a.code)["version"] == speaking["version"] and b.view == speaking

        make_due(store, a.code)
        for phone in (a, b):
            phone.wait_view(lambda v: step_of(v)["kind"] == "cards", "the clock to end the last turn")
        assert redis_client.zscore(index, a.code) is None
        assert store.events(a.code)[-1]["type"] == "deadline" and store.events(a.code)[-1]["seat"] is None
        finish(a, b)
        assert a.view["session"]["phase"] == b.view["session"]["phase"] == "summary"

    def test_the_clock_ends_a_turn_while_the_speakers_phone_is_away_and_the_phone_comes_back_to_the_next_turn(
            self, couple, store, connect):
        a, b = couple
        start(a, b, exercise("undivided-attention", seconds=30, turns=1, draw=1))
        play(a, "start_turn")
        a.client.disconnect()
        b.wait_view(lambda v: v["seats"]["partner_a"]["presence"] == "away", "A to be away")
        make_due(store, a.code)
        b.wait_view(lambda v: step_of(v)["turn"]["number"] == 2, "the clock to end A's turn")
        assert step_of(b.view)["phase"] == "ready" and b.view["can"] == ["timeout", "start_turn", "ask_stop"]

        a2 = Phone(connect())
        back = a2.call("resume", {"code": a.code, "token": a.token})
        assert back["ok"] and step_of(back["view"])["turn"] == {"number": 2, "of": 2}
        assert step_of(a2.view)["role"] == "listener" and a2.view["can"] == ["timeout", "ask_stop"]

    def test_a_time_out_stops_a_turns_clock_and_ready_restarts_it_with_the_seconds_left(
            self, couple, redis_client, prefix):
        a, b = couple
        start(a, b, exercise("undivided-attention", seconds=30, turns=1, draw=1))
        play(a, "start_turn")
        play(b, "timeout")
        step = step_of(a.view)
        assert step["paused"] and step["deadline"] is None and 28 < step["remaining"] <= 30
        assert redis_client.zscore(f"{prefix}:deadlines", a.code) is None
        play(a, "ready")
        play(b, "ready")
        step = step_of(a.view)
        assert not step["paused"] and step["phase"] == "speaking"
        assert step["deadline"] == pytest.approx(a.view["server_time"] + 30, abs=2)
        assert redis_client.zscore(f"{prefix}:deadlines", a.code) == pytest.approx(step["deadline"])


# Every step intent of every step machine, with fields its schema accepts.
STEP_INTENTS = {
    "share": {"text": "x"}, "paraphrase": {"text": "x"}, "check": {"accurate": True}, "continue": {},
    "pass_floor": {}, "ask_speaker": {"about": "example"}, "explain": {"text": "x"}, "ask_appointment": {}, "appointment": {"when": "now"}, "send": {"text": "x"},
    "mirror": {"text": "x"}, "mirror_check": {"accurate": True}, "more": {"more": False},
    "summarize": {"text": "x"}, "summary_check": {"fair": True}, "validate": {"text": "x"},
    "ask_understand": {"text": "x"}, "help_understand": {"text": "x"},
    "empathize": {"text": "x"}, "empathy_check": {"accurate": True}, "close": {"switch": False},
    "answer": {"text": "x"}, "guess": {"text": "x"}, "pass_card": {}, "advance": {}, "pass_rest": {},
    "checkin": {"feelings": [{"id": FEELINGS[0], "intensity": 1}]}, "carry_on": {}, "start_turn": {}, "end_turn": {},
    "write_turn": {"text": "x"},
    "propose_issue": {"text": "x"}, "agree_issue": {}, "add_idea": {"text": "x"}, "ideas_done": {},
    "propose_try": {"ideas": [1], "check_back": "next_checkin"}, "agree_try": {},
    "together_ready": {}, "together_stop": {}, "together_skip": {}, "mark_promise": {"promise": 1, "mark": "kept"},
}


class TestDeckOfQuestions:
    def test_one_tap_passes_the_rest_of_a_set_and_a_deck_clock_is_held_and_paused_by_the_server(
            self, couple, redis_client, prefix):
        a, b = couple
        start(a, b, exercise("closeness-36", clock_minutes=15))
        step = step_of(a.view)
        assert step["title"] == "Set 1 of 3" and step["clock"]["minutes"] == 15
        assert step["clock"]["deadline"] == pytest.approx(a.view["server_time"] + 900, abs=5)
        assert redis_client.zscore(f"{prefix}:deadlines", a.code) == pytest.approx(step["clock"]["deadline"])
        listener = b if step["first_answerer"] == "partner_a" else a
        assert "pass_rest" in listener.view["can"] and "answer" not in listener.view["can"]
        play(b, "timeout")
        assert step_of(a.view)["clock"]["remaining"] == pytest.approx(900, abs=5)
        assert redis_client.zscore(f"{prefix}:deadlines", a.code) is None
        assert refused(a, "pass_rest") == "paused"
        play(a, "ready")
        play(b, "ready")
        assert redis_client.zscore(f"{prefix}:deadlines", a.code) == pytest.approx(step_of(a.view)["clock"]["deadline"])
        play(listener, "pass_rest")  # one tap, from the partner who was listening
        step = step_of(a.view)
        assert step["title"] == "Set 2 of 3" and step["card"]["number"] == 1 and step["clock"]["up"] is False
        assert step_of(b.view)["title"] == "Set 2 of 3"


class TestTimeOut:
    def test_every_step_intent_waits_for_both_to_be_ready_then_the_exercise_goes_on_where_it_was(self, couple):
        assert set(STEP_INTENTS) == {kind for m in KINDS.values() for kind in m.INTENTS}
        a, b = couple
        start(a, b, exercise("take-the-floor", rounds=1), mode="remote")
        play(a, "share", text="I need a quiet evening.")
        play(b, "paraphrase", text="You want a quiet evening.")
        before = step_of(a.view)
        play(b, "timeout")
        assert a.view["session"]["timeout"] == {"by": "partner_b", "ready": [], "cooldown": None}
        # A way out stays open during a time-out: either may still ask to stop the exercise.
        assert a.view["can"] == b.view["can"] == ["ready", "ask_stop"] and step_of(a.view)["can"] == []

        def all_paused():
            return {refused(phone, kind, **fields) for phone in (a, b) for kind, fields in STEP_INTENTS.items()}
        assert all_paused() == {"paused"}
        assert refused(a, "timeout") == "paused"
        play(a, "ready")
        assert a.view["can"] == ["ask_stop"] and b.view["can"] == ["ready", "ask_stop"]
        assert all_paused() == {"paused"}
        play(b, "ready")

        assert a.view["session"]["timeout"] is None
        assert step_of(a.view) == before and "check" in a.view["can"]
        play(a, "check", accurate=True)
        finish(a, b)
        assert a.view["session"]["phase"] == "summary"


def room_values(redis_client, prefix: str) -> str:
    """Every raw value stored under the test's key prefix, as one string."""
    out = []
    for key in redis_client.scan_iter(f"{prefix}:*"):
        kind = redis_client.type(key)
        if kind == "hash":
            out += redis_client.hgetall(key).values()
        elif kind == "stream":
            out += [json.dumps(fields) for _id, fields in redis_client.xrange(key)]
        elif kind == "zset":
            out += redis_client.zrange(key, 0, -1)
        elif kind == "string":
            out.append(redis_client.get(key))
    return "\n".join(out)


class TestSummary:
    PLAN = (exercise("take-the-floor", rounds=1), exercise("tune-in", draw=1))

    def test_when_both_keep_it_the_summary_lists_what_was_shared_and_exports_as_markdown_and_json(self, couple):
        a, b = couple
        marker = f"kept-{uuid.uuid4().hex}"
        start(a, b, *self.PLAN, mode="remote")
        finish(a, b, say=marker)
        assert a.view["session"]["exercise"]["id"] == "tune-in"
        assert step_of(a.view)["mode"] == "guess"
        finish(a, b, say=marker)

        summary = a.view["session"]["summary"]
        assert summary == b.view["session"]["summary"]
        assert {e["exercise"] for e in summary["entries"]} == {"Take the floor", "Tune in"}
        assert all(marker in e["text"] for e in summary["entries"])
        assert len(summary["entries"]) == 4 + 4  # two floors of share + paraphrase; two answers, two guesses
        assert a.call("export_summary")["error"]["code"] == "not_kept"
        play(a, "keep_summary", keep=True)
        assert b.call("export_summary")["error"]["code"] == "not_kept"
        play(b, "keep_summary", keep=True)
        assert a.view["session"]["summary"]["kept"] is True

        exported = b.call("export_summary")
        assert exported["ok"], exported
        assert marker in exported["markdown"] and "## What we shared" in exported["markdown"]
        assert [item["exercise"] for item in exported["json"]["plan"]] == ["take-the-floor", "tune-in"]
        assert all(marker in e["text"] for e in exported["json"]["entries"])
        assert {e["name"] for e in exported["json"]["entries"]} == {"Ana", "Ben"}

    def test_one_no_wipes_the_shared_text_from_redis_and_the_summary_cannot_be_exported(
            self, couple, redis_client, prefix):
        a, b = couple
        marker = f"wiped-{uuid.uuid4().hex}"
        start(a, b, *self.PLAN, mode="remote")
        finish(a, b, say=marker)
        finish(a, b, say=marker)
        assert marker in room_values(redis_client, prefix)  # so the check below means something
        play(a, "keep_summary", keep=True)
        play(b, "keep_summary", keep=False)

        assert a.view["session"]["summary"]["entries"] == [] and a.view["session"]["summary"]["erased"] is True
        assert a.view["can"] == b.view["can"] == []
        assert marker not in room_values(redis_client, prefix)
        assert a.call("export_summary")["error"]["code"] == "not_kept"
        assert b.call("export_summary")["error"]["code"] == "not_kept"


class TestIntentBookkeeping:
    def test_the_version_rises_by_exactly_one_per_applied_intent_through_a_whole_exercise(self, couple, store):
        a, b = couple
        start(a, b, exercise("name-it", draw=1))
        first = a.view["version"]
        acks = finish(a, b)
        versions = [ack["version"] for ack in acks]
        assert versions == list(range(first + 1, first + 1 + len(acks)))
        assert not any(ack["duplicate"] for ack in acks)
        assert a.view["version"] == b.view["version"] == store.load(a.code)["version"] == versions[-1]
        for phone in (a, b):  # and every one of them was pushed to both phones
            assert [v["version"] for v in phone.views if v["version"] > first] == versions
        assert a.view["session"]["phase"] == "summary"

    def test_a_retried_intent_in_the_middle_of_an_exercise_is_applied_once(self, couple, store):
        a, b = couple
        start(a, b, exercise("tune-in", draw=1))
        tap = {"id": "tap-1", "type": "answer", "version": a.view["version"], "text": "A's answer"}
        first = a.call("intent", tap)
        assert first["ok"] and first["duplicate"] is False
        logged = len(store.events(a.code))
        again = a.call("intent", tap)  # the same payload, as a phone's outbox resends it
        assert again == {"ok": True, "version": first["version"], "duplicate": True}
        assert len(store.events(a.code)) == logged and a.view["version"] == first["version"]
        play(a, "guess", text="A's guess")
        play(b, "pass_card")
        assert step_of(a.view)["phase"] == "revealed"
        # A retry that arrives after the game moved on is still recognised, not refused as a wrong step.
        assert a.call("intent", tap)["duplicate"] is True
        assert step_of(a.view)["phase"] == "revealed" and store.load(a.code)["version"] == a.view["version"]

    def test_a_tap_retried_from_a_new_connection_after_a_drop_is_applied_once(self, couple, store, connect):
        a, b = couple
        start(a, b, exercise("take-the-floor", rounds=1))
        play(a, "share")
        tap = {"id": "b-tap", "type": "paraphrase", "version": b.view["version"]}
        applied = b.call("intent", tap)
        b.client.disconnect()  # the ack may never have reached the phone: it retries on its new socket
        b2 = Phone(connect())
        assert b2.call("resume", {"code": b.code, "token": b.token})["ok"]
        again = b2.call("intent", tap)
        assert again["ok"] and again["duplicate"] is True and again["version"] > applied["version"]
        assert step_of(a.view)["phase"] == "check" and "check" in a.view["can"]
        assert [e["type"] for e in store.events(a.code)].count("paraphrase") == 1


# Moments when both partners act at once: the plan, the moves (by A, B) that lead there, and the tap both send.
BOTH_AT_ONCE = {
    "check in": (exercise("name-it"), [], ("checkin", {"feelings": [{"id": FEELINGS[0], "intensity": 2}]})),
    "answer a private card": (exercise("look-inward-first"), [], ("answer", {"text": "mine"})),
    "go on to the next card": (exercise("tune-in", draw=2),
                               [(0, "answer", {"text": "x"}), (0, "guess", {"text": "y"}),
                                (1, "answer", {"text": "x"}), (1, "guess", {"text": "y"})],
                               ("advance", {})),
    "say ready after a time-out": (exercise("take-the-floor"), [(0, "timeout", {})], ("ready", {})),
}


class TestBothAtOnce:
    @pytest.mark.parametrize("moment", list(BOTH_AT_ONCE))
    def test_two_taps_made_on_the_same_view_in_a_step_where_both_act_are_both_applied(self, couple, moment):
        a, b = couple
        plan_item, setup, (kind, fields) = BOTH_AT_ONCE[moment]
        start(a, b, plan_item)
        for who, move, move_fields in setup:
            play((a, b)[who], move, **move_fields)
        seen = a.view["version"]
        assert b.view["version"] == seen and kind in a.view["can"] and kind in b.view["can"]
        first = a.intent(kind, version=seen, **fields)
        second = b.intent(kind, version=seen, **fields)  # sent before B's phone got A's move
        assert first["ok"], first
        assert second["ok"], second


def moderated(connect) -> tuple[Phone, Phone, Phone]:
    """A therapist opens a guided room; partners A and B join it with its code."""
    therapist, a, b = Phone(connect()), Phone(connect()), Phone(connect())
    assert therapist.call("create_room", {"name": "Dr Lee", "role": "moderator"})["seat"] == "moderator"
    assert a.call("join_room", {"code": therapist.code, "name": "Ana"})["seat"] == "partner_a"
    assert b.call("join_room", {"code": therapist.code, "name": "Ben"})["seat"] == "partner_b"
    return therapist, a, b


class TestModerator:
    def test_the_moderator_runs_the_plan_but_cannot_make_a_partners_move(self, connect):
        therapist, a, b = moderated(connect)
        assert refused(a, "propose_plan", plan=[exercise("take-the-floor")]) == "forbidden"
        play(therapist, "propose_plan", plan=[exercise("take-the-floor", rounds=1)])
        assert "agree_plan" not in a.view["can"]
        play(therapist, "start_session")

        assert step_of(therapist.view)["role"] == "observer" and step_of(therapist.view)["can"] == []
        assert not set(therapist.view["can"]) & set(STEP_INTENTS)
        assert the_one_who_can("share", a, b, therapist) is a
        assert refused(therapist, "share", text="Let me say it for you.") == "forbidden"
        play(a, "share", text="I'm glad we're here.")
        assert refused(therapist, "paraphrase", text="She's glad.") == "forbidden"
        finish(a, b)
        assert therapist.view["session"]["phase"] == "summary"

    def test_the_moderator_does_not_see_a_private_answer_before_the_reveal_either(self, connect):
        therapist, a, b = moderated(connect)
        play(therapist, "propose_plan", plan=[exercise("look-inward-first")])
        play(therapist, "start_session")
        secret = f"B-private-{uuid.uuid4().hex}"
        play(b, "answer", text=secret)
        assert step_of(therapist.view)["answers"]["partner_b"] == {"status": "answered"}
        assert texts_in(therapist.pushed() + a.pushed(), secret) == []
        play(a, "pass_card")
        assert step_of(therapist.view)["answers"]["partner_b"]["text"] == secret
        assert a.view["version"] == therapist.view["version"]
