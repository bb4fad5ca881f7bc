"""Synchronized question cards: both partners see the same card at the same moment.

Modes, per card:
  reveal: each answers privately in writing (or passes), may change it until
          both are settled; then both answers are revealed at once.
  aloud:  the first answerer answers (or passes), then the other; nothing is
          private. Who answers first alternates card by card.
  guess:  each answers for themself and guesses the partner's answer (or
          passes); when both are settled, answers and guesses are revealed.
After the reveal (aloud: after both answered) each partner asks to go on; the
next card comes only when both have asked. After the last card the step is done.

Either partner may pass the rest of the deck in one tap (pass_rest): the step
is done at once, without a reason asked and without revealing an unrevealed
answer. An optional clock (`clock_minutes`, the 36 questions' fifteen minutes a
set) runs from the step's start on the server; when it runs out, the card on
the table is finished and the step ends after it (nobody is cut off mid-answer).
A time-out stops the clock and resuming restarts it with the time it had left.

An aloud deck is spoken (`spoken`): a couple apart who chose to type
(ctx.voice "typing") gets it as a reveal deck, each writing and both shown
together; on a call (ctx.voice "call") it stays aloud, said on the call.

Before a reveal, a partner's text lives only in the state: a view shows it to
its author alone, the partner and a moderator see a status.
"""

import random

from . import common
from ..errors import DomainError
from .common import PARTNERS, TEXT

KIND = "cards"
# The plan options this kind reads (ctx.options), with their ranges; others are refused for it.
OPTIONS = {
    "depth": {"type": "integer", "minimum": 1, "maximum": 3},
    "draw": {"type": "integer", "minimum": 1, "maximum": 36},
    # Minutes for the deck, on the server's clock; without it there is no clock.
    "clock_minutes": {"type": "integer", "minimum": 5, "maximum": 30},
}

INTENTS = {
    # In guess mode the answer may bring the guess along: one save for both.
    "answer": ({"text": TEXT, "guess": TEXT}, []),
    "guess": ({"text": TEXT}, []),
    "pass_card": ({}, []),
    "advance": ({}, []),
    "pass_rest": ({}, []),
}

# The keys of the step's state that say where it is: a change in any of them
# makes a move meant for the old place stale (answers coming in at once do not).
PLACE = ("phase", "index", "first")

# What each move means in the timeline, in the therapist's words.
WORDS = {
    "answer": "answered",
    "guess": "guessed",
    "pass_card": "passed a card",
    "advance": "was ready for the next card",
    "pass_rest": "passed the rest of the cards",
    "deadline": "the time for these cards was up",
}

# (mode, phase) -> the intents that phase accepts (from the seats `_actors` names)
_ACCEPTS = {
    ("reveal", "answering"): ("answer", "pass_card"),
    ("reveal", "revealed"): ("advance",),
    ("guess", "answering"): ("answer", "guess", "pass_card"),
    ("guess", "revealed"): ("advance",),
    ("aloud", "first"): ("answer", "pass_card"),
    ("aloud", "second"): ("answer", "pass_card"),
    ("aloud", "discuss"): ("advance",),
}
_OPENING = {"reveal": "answering", "guess": "answering", "aloud": "first"}
LABEL_CHARS = 80


def _int_option(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError("bad_value", f"The {name} setting must be a whole number.") from None


def _deal(spec: dict, ctx) -> list[dict]:
    depth = _int_option(ctx.options.get("depth", 3), "depth")
    draw = _int_option(ctx.options.get("draw", spec["draw"]), "draw")
    # A card that asks for a promise says so (only then: the other cards' state is as it always was).
    deck = [{"id": c["id"], "text": c["text"], "depth": c["depth"], **({"promise": True} if c.get("promise") else {})}
            for c in spec["cards"] if c["depth"] <= depth]
    if spec.get("order", "seeded") == "seeded":
        random.Random(ctx.seed).shuffle(deck)
        # Cards neither phone has seen come first, in the seeded order; seen ones only fill up.
        seen = getattr(ctx, "seen", frozenset())
        deck.sort(key=lambda card: card["id"] in seen)
    return deck[:max(1, draw)]


def _blank() -> dict:
    return {seat: {"status": "thinking", "text": None, "guess": None} for seat in PARTNERS}


def _clock(ctx, dealt: bool) -> dict | None:
    raw = ctx.options.get("clock_minutes")
    if raw is None or not dealt:
        return None
    minutes = _int_option(raw, "clock")
    return {"minutes": minutes, "deadline": ctx.now + 60 * minutes, "remaining": None, "up": False}


def spoken(spec: dict) -> bool:
    """Taking turns aloud is spoken; answering in writing (reveal, guess) is not."""
    return spec["mode"] == "aloud"


def start(spec: dict, ctx) -> dict:
    """Deal the deck (depth filter, seeded or file order, `draw` cards) and show the first card;
    with `clock_minutes`, the deck's clock starts now. An aloud deck a couple apart types is a reveal deck."""
    cards = _deal(spec, ctx)
    mode = "reveal" if spoken(spec) and getattr(ctx, "voice", None) == "typing" else spec["mode"]
    return {"mode": mode, "cards": cards, "index": 0,
            "phase": _OPENING[mode] if cards else "done",
            "first": ctx.first, "answers": _blank(),
            "advance": {seat: False for seat in PARTNERS},
            "clock": _clock(ctx, bool(cards)), "passed_rest": None}


def _actors(st: dict) -> list[str]:
    phase = st["phase"]
    if phase == "answering":
        # Until the reveal both may answer, change their answer or pass.
        return list(PARTNERS)
    if phase == "first":
        return [st["first"]]
    if phase == "second":
        return [common.other(st["first"])]
    if phase in ("revealed", "discuss"):
        return [seat for seat in PARTNERS if not st["advance"][seat]]
    return []


def floor(st: dict) -> dict | None:
    """On a call: taking turns aloud, the partner answering speaks; otherwise anyone may."""
    if st["mode"] == "aloud" and st["phase"] in ("first", "second"):
        return {"speakers": _actors(st), "cue": "speak"}
    return None


def _waiting(st: dict) -> list[str]:
    """The seats the card waits on: those whose move it still needs (not those who may only change theirs)."""
    if st["phase"] == "answering":
        return [seat for seat in PARTNERS if not _settled(st, seat)]
    return _actors(st)


def _text(intent: dict, ctx, *, label: str, required: bool) -> str | None:
    raw = intent.get("text")
    if raw is not None and (not isinstance(raw, str) or len(raw) > common.MAX_TEXT):
        raise DomainError("bad_value", f"Your {label} must be text of at most {common.MAX_TEXT} characters.")
    if not required:
        return common.text_of(intent, ctx, label=label)
    text = (raw or "").strip()
    if not text:
        raise DomainError("text_required", f"Please write your {label}; you can also pass this card.")
    return text


def _label(verb: str, card: dict) -> str:
    text = card["text"]
    if len(text) > LABEL_CHARS:
        text = text[:LABEL_CHARS - 1].rstrip() + "…"
    return f"{verb}: {text}"


def _settled(st: dict, seat: str) -> bool:
    mine = st["answers"][seat]
    if mine["status"] == "passed":
        return True
    return mine["status"] == "answered" and (st["mode"] != "guess" or mine["guess"] is not None)


def _reveal(new: dict) -> list[dict]:
    """Turn the card over for both at once; the summary gets every answer and guess now, not before."""
    new["phase"] = "revealed"
    card = new["cards"][new["index"]]
    shared = []
    for seat in (new["first"], common.other(new["first"])):
        mine = new["answers"][seat]
        shared += _promised(card, common.entry(seat, _label("answered", card), mine["text"]))
        shared += common.entry(seat, _label("guessed", card), mine["guess"])
    # The label is cut short for the phones; the records keep the whole question.
    return [dict(e, question=card["text"]) for e in shared]


def _promised(card: dict, entries: list[dict]) -> list[dict]:
    """An answer to a card that asks for a promise is marked so: its author's phone may keep it."""
    return [dict(e, promise=True) for e in entries] if card.get("promise") else entries


def _check_allowed(st: dict, seat: str, kind: str):
    accepted = _ACCEPTS[(st["mode"], st["phase"])]
    if kind not in accepted:
        if kind == "guess" and st["mode"] != "guess":
            raise common.wrong_step("this deck is not a guessing game")
        raise common.wrong_step(f"now it is time to {' or '.join(accepted).replace('_', ' ')}")
    if seat not in PARTNERS:
        raise DomainError("not_your_turn", "Only the partners play the cards.")
    if seat not in _actors(st):
        if kind == "advance":
            raise DomainError("not_your_turn", "You have asked to go on; your partner has not yet.")
        raise common.not_your_turn("answerer")


def apply(st: dict, seat: str, intent: dict, ctx):
    """Apply one partner's answer, guess, pass or request to go on to the current card."""
    kind = intent["type"]
    if st["phase"] == "done":
        raise common.finished()
    if kind == "pass_rest":
        return _pass_rest(st, seat), []
    _check_allowed(st, seat, kind)
    mode = st["mode"]
    new = common.copied(st)
    mine = new["answers"][seat]
    card = new["cards"][new["index"]]
    shared = []
    if kind == "answer":
        text = _text(intent, ctx, label="answer", required=mode != "aloud")
        guess = None
        if "guess" in intent:
            if mode != "guess":
                raise DomainError("bad_value", "Only a guessing card takes a guess.", field="guess")
            guess = _text({"text": intent["guess"]}, ctx, label="guess", required=True)
        mine["status"], mine["text"] = "answered", text
        if guess is not None:
            mine["guess"] = guess
    elif kind == "guess":
        mine["guess"] = _text(intent, ctx, label="guess", required=True)
        if mine["status"] == "passed":
            mine["status"] = "thinking"
    elif kind == "pass_card":
        mine.update(status="passed", text=None, guess=None)
    elif kind == "advance":
        new["advance"][seat] = True
        if all(new["advance"].values()):
            _next_card(new)
        return new, shared

    if mode == "aloud":
        shared = [dict(e, question=card["text"]) for e in _promised(card, common.entry(seat, _label("answered", card), mine["text"]))]
        new["phase"] = "second" if new["phase"] == "first" else "discuss"
    elif all(_settled(new, s) for s in PARTNERS):
        shared = _reveal(new)
    return new, shared


def _pass_rest(st: dict, seat: str) -> dict:
    """Either partner ends the deck here, in one tap; an unrevealed answer is dropped, never shown."""
    if seat not in PARTNERS:
        raise DomainError("not_your_turn", "Only the partners play the cards.")
    new = common.copied(st)
    new["phase"] = "done"
    new["answers"] = _blank()
    new["advance"] = {s: False for s in PARTNERS}
    new["passed_rest"] = seat
    if new.get("clock"):
        new["clock"].update(deadline=None, remaining=None)
    return new


def _next_card(new: dict) -> None:
    new["index"] += 1
    new["answers"] = _blank()
    new["advance"] = {seat: False for seat in PARTNERS}
    clock = new.get("clock")
    if new["index"] >= len(new["cards"]) or (clock and clock["up"]):
        # The last card, or the deck's time ran out during the one just finished.
        new["phase"] = "done"
        if clock:
            clock.update(deadline=None, remaining=None)
        return
    new["phase"] = _OPENING[new["mode"]]
    # The partner who went second on this card goes first on the next.
    new["first"] = common.other(new["first"])


def _visible(st: dict, seat: str, owner: str) -> bool:
    return st["mode"] == "aloud" or st["phase"] == "revealed" or seat == owner


def _answer_view(st: dict, seat: str, owner: str) -> dict:
    mine = st["answers"][owner]
    out = {"status": mine["status"]}
    if st["mode"] == "guess":
        out["guessed"] = mine["guess"] is not None
    if _visible(st, seat, owner):
        out["text"] = mine["text"]
        if st["mode"] == "guess":
            out["guess"] = mine["guess"]
    return out


def _role(st: dict, seat: str) -> str:
    if seat not in PARTNERS:
        return "observer"
    if st["mode"] == "aloud" and st["phase"] in ("first", "second"):
        return "answerer" if seat == _actors(st)[0] else "listener"
    return "partner"


def view(st: dict, seat: str, ctx) -> dict:
    """The card both see, whose move it is, and each answer's status; texts only once the seat may read them."""
    actors = _actors(st)
    over = st["phase"] == "done"
    out = {
        "phase": st["phase"],
        "role": _role(st, seat),
        "mode": st["mode"],
        "card": None if over else dict(st["cards"][st["index"]], number=st["index"] + 1, of=len(st["cards"])),
        # A settled partner may still replace their answer before the reveal
        # (so `can` keeps it) but is no longer waited for.
        "waiting_for": _waiting(st),
        "can": list(_ACCEPTS.get((st["mode"], st["phase"]), ())) if seat in actors else [],
        "answers": {} if over else {owner: _answer_view(st, seat, owner) for owner in PARTNERS},
        "advance": dict(st["advance"]),
        "clock": dict(st["clock"]) if st.get("clock") else None,
        "passed_rest": st.get("passed_rest"),
    }
    if not over and seat in PARTNERS:
        # One tap passes the rest of the deck, whoever's move the card waits on.
        out["can"].append("pass_rest")
    if st["mode"] == "aloud":
        out["first_answerer"] = None if over else st["first"]
    return out


def done(st: dict) -> bool:
    """Every dealt card has been answered or passed and both asked to go on."""
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    """Aloud, before anyone has answered the card: the other partner answers first."""
    if st["mode"] != "aloud" or st["phase"] != "first":
        return st
    new = common.copied(st)
    new["first"] = common.other(st["first"])
    return new


def deadline(st: dict) -> float | None:
    """When the deck's clock runs out, while it runs (not paused, not yet up, cards still on the table)."""
    clock = st.get("clock")
    if not clock or clock["up"] or st["phase"] == "done":
        return None
    return clock["deadline"]


def tick(st: dict, ctx):
    """The deck's time is up: the card on the table is finished, then the step ends. None when nothing is due."""
    due = deadline(st)
    if due is None or ctx.now < due:
        return None
    new = common.copied(st)
    new["clock"].update(deadline=None, remaining=0.0, up=True)
    return new, []


def pause(st: dict, ctx) -> dict:
    """A time-out stops the deck's clock, keeping the seconds left."""
    due = deadline(st)
    if due is None:
        return st
    new = common.copied(st)
    new["clock"].update(deadline=None, remaining=max(due - ctx.now, 0.0))
    return new


def resume(st: dict, ctx) -> dict:
    """The time-out ended: the deck's clock runs on with the seconds it had left."""
    clock = st.get("clock")
    if not clock or clock["up"] or clock["remaining"] is None or st["phase"] == "done":
        return st
    new = common.copied(st)
    new["clock"].update(deadline=ctx.now + clock["remaining"], remaining=None)
    return new


def adjustable(st: dict) -> bool:
    """A moderator may change the deck's clock while it runs (or is paused)."""
    clock = st.get("clock")
    return bool(clock) and not clock["up"] and st["phase"] != "done"


def adjust_clock(st: dict, seconds: int, ctx) -> dict | None:
    """Lengthen (or shorten) the deck's time; None when no clock runs."""
    if not adjustable(st):
        return None
    new = common.copied(st)
    clock = new["clock"]
    if clock["remaining"] is not None:
        clock["remaining"] = max(0.0, clock["remaining"] + seconds)
    else:
        # Shortening never moves the deadline into the past: the time is up at the next tick.
        clock["deadline"] = max(ctx.now, clock["deadline"] + seconds)
    return new


def erase_seat(st: dict, seat: str) -> dict:
    """Drop this seat's answer and guess to the card on the table.

    Before a reveal the answer was private: it is gone as if never given (the
    partner answers again, or passes). After it, the status stays (the card was
    answered) and the words go.
    """
    mine = st["answers"].get(seat) if st["phase"] != "done" else None
    if not mine or (mine["text"] is None and mine["guess"] is None):
        return st
    new = common.copied(st)
    if st["phase"] == "answering":
        new["answers"][seat] = {"status": "thinking", "text": None, "guess": None}
    else:
        new["answers"][seat].update(text=None, guess=None)
    return new


def step_facts(spec: dict) -> dict:
    """What the plan builder may know of one deck besides its title: the depths its cards have,
    so a depth option can say which decks it leaves out (a deck with no card that gentle)."""
    return {"depths": sorted({card["depth"] for card in spec["cards"]})}


def check(spec: dict, where: str, seen: dict):
    """Card ids are unique in a file (`seen` holds the file's ids so far), and a deck can deal what it promises."""
    for j, card in enumerate(spec["cards"]):
        field = f"{where}.cards[{j}].id"
        if card["id"] in seen:
            yield field, f"{card['id']!r} is already used by {seen[card['id']]}; card ids must be unique in a file"
        else:
            seen[card["id"]] = field
    if spec["draw"] > len(spec["cards"]):
        yield f"{where}.draw", f"{spec['draw']} is more than the {len(spec['cards'])} cards in this step"
