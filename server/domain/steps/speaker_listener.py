"""Speaker-Listener Technique (PREP), one floor holder at a time.

share (Speaker) -> paraphrase (Listener) -> check (Speaker):
  "that's it" -> next: continue (back to share) or pass the floor (roles swap)
  "not quite" -> the Speaker clarifies, back to paraphrase, as often as needed.
Before paraphrasing, the Listener may ask the Speaker to say it more clearly or
to give an example (ask_speaker -> answer: the Speaker explains -> paraphrase).
The Speaker may pass the floor at any moment, not only after "that's it": the
floor is theirs to keep or to give. A share stays short (PREP: a few sentences),
so the Listener can hold it and say it back: MAX_SHARE characters at most.
The step ends when each partner has held the floor `rounds` times.
"""

from ..errors import DomainError
from . import common
from .common import BOOL, TEXT

KIND = "speaker_listener"
# The plan options this kind reads (ctx.options), with their ranges; others are refused for it.
OPTIONS = {"rounds": {"type": "integer", "minimum": 1, "maximum": 6}}

# A chunk rarely needs more than a few tries; these keep one couple's loop
# (or a runaway client) from growing the room's state without end.
MAX_CLARIFICATIONS = 10  # "not quite" answers for one chunk
MAX_CHUNKS = 20  # chunks one speaker shares while holding the floor once
MAX_ASKS = 5  # times the listener asks for a clearer word or an example, for one chunk

# A share is one small piece, two or three sentences: well under the 2,000
# characters other texts may take. The Speaker's clarifications and examples
# are pieces of the same share, so they are held to it too.
MAX_SHARE = 500
SHORT = {"type": "string", "maxLength": MAX_SHARE}
# What the listener may ask for before paraphrasing.
ASKS = ("clarify", "example")

INTENTS = {
    "share": ({"text": SHORT}, []),
    "paraphrase": ({"text": TEXT}, []),
    "check": ({"accurate": BOOL, "text": SHORT}, ["accurate"]),
    "continue": ({}, []),
    "pass_floor": ({}, []),
    "ask_speaker": ({"about": {"type": "string", "enum": list(ASKS)}}, ["about"]),
    "explain": ({"text": SHORT}, []),
}

# The keys of the step's state that say where it is: a change in any of them
# makes a move meant for the old place stale.
PLACE = ("phase", "floors", "chunks", "clarifications", "asks", "speaker")

# What each move means in the timeline, in the therapist's words.
WORDS = {
    "share": "shared a piece",
    "paraphrase": "paraphrased",
    "check": "checked the paraphrase",
    "continue": "went on speaking",
    "pass_floor": "passed the floor",
    "ask_speaker": "asked the speaker to say more",
    "explain": "explained",
}

# phase -> (whose move the step waits for: "speaker" | "listener", the intents that phase accepts).
# `pass_floor` is the Speaker's in every phase (PASS_ANY_TIME) and is not listed.
_PHASES = {
    "share": ("speaker", ("share",)),
    "paraphrase": ("listener", ("paraphrase", "ask_speaker")),
    "answer": ("speaker", ("explain",)),
    "check": ("speaker", ("check",)),
    "next": ("speaker", ("continue",)),
    "done": (None, ()),
}

_ROLE_OF = {"share": "speaker", "paraphrase": "listener", "ask_speaker": "listener", "explain": "speaker",
            "check": "speaker", "continue": "speaker", "pass_floor": "speaker"}


def _fresh() -> dict:
    return {"share": None, "paraphrase": None, "clarify": None, "asked": None, "explained": None}


def _short(intent: dict, ctx, *, label: str) -> str | None:
    """The text of a piece of the share: required when remote, at most MAX_SHARE characters."""
    text = common.text_of(intent, ctx, label=label)
    if text is not None and len(text) > MAX_SHARE:
        raise DomainError("text_too_long", f"Keep each piece short, about three sentences "
                          f"(at most {MAX_SHARE} characters), so your partner can say it back. "
                          "Send the first part now and the rest next.", field="text", max=MAX_SHARE)
    return text


def start(spec: dict, ctx) -> dict:
    """The first partner holds the floor; nothing has been said yet."""
    rounds = int(ctx.options.get("rounds", spec.get("rounds", 1)))
    return {"speaker": ctx.first, "listener": ctx.second, "phase": "share", "rounds": rounds,
            "floors": 0, "chunks": 0, "clarifications": 0, "asks": 0, "current": _fresh()}


def _actor(st: dict) -> str | None:
    role = _PHASES[st["phase"]][0]
    return st[role] if role else None


def apply(st: dict, seat: str, intent: dict, ctx):
    """Apply one move of the speaker or the listener."""
    kind = intent["type"]
    if st["phase"] == "done":
        raise common.finished()
    role, accepted = _PHASES[st["phase"]]
    if kind not in accepted and kind != "pass_floor":
        raise common.wrong_step(f"now it is time to {' or '.join(accepted).replace('_', ' ')}")
    role = _ROLE_OF[kind]
    if seat != st[role]:
        raise common.not_your_turn(role)
    new = common.copied(st)
    shared = []
    if kind == "share":
        text = _short(intent, ctx, label="message")
        new["current"] = dict(_fresh(), share=text)
        new.pop("handed_back", None)
        new["phase"] = "paraphrase"
        shared = common.entry(seat, "shared", text)
    elif kind == "paraphrase":
        text = common.text_of(intent, ctx, label="paraphrase")
        new["current"]["paraphrase"] = text
        new["phase"] = "check"
        shared = common.entry(seat, "paraphrased", text)
    elif kind == "ask_speaker":
        about = intent.get("about")
        if about not in ASKS:
            raise DomainError("bad_value", 'Ask for "clarify" or "example".', field="about")
        if st.get("asks", 0) >= MAX_ASKS:
            raise common.too_many("asks", f"You have asked {MAX_ASKS} times about this part; "
                                  "say back what you have understood so far.")
        new["asks"] = st.get("asks", 0) + 1
        new["current"].update(asked=about, explained=None)
        new["phase"] = "answer"
    elif kind == "explain":
        text = _short(intent, ctx, label="example" if st["current"].get("asked") == "example" else "explanation")
        new["current"]["explained"] = text
        new["phase"] = "paraphrase"
        shared = common.entry(seat, "gave an example" if st["current"].get("asked") == "example" else "explained",
                              text)
    elif kind == "check":
        if intent["accurate"]:
            new["phase"] = "next"
        else:
            if st["clarifications"] >= MAX_CLARIFICATIONS:
                raise common.too_many("clarifications", f"This part has been clarified {MAX_CLARIFICATIONS} times; "
                                      "say that's it to go on, or take a time-out.")
            text = _short(intent, ctx, label="clarification")
            new["current"]["clarify"] = text
            new["current"]["paraphrase"] = None
            new["clarifications"] += 1
            new["phase"] = "paraphrase"
            shared = common.entry(seat, "clarified", text)
    elif kind == "continue":
        if st["chunks"] + 1 >= MAX_CHUNKS:
            raise common.too_many("chunks", f"You have shared {MAX_CHUNKS} parts this time; "
                                  "pass the floor to your partner now.")
        new["chunks"] += 1
        new["clarifications"] = 0
        new["asks"] = 0
        new["current"] = _fresh()
        new["phase"] = "share"
    elif kind == "pass_floor":
        # Whenever the Speaker likes: a piece half heard back is left as it is (what was
        # written is already in the summary) and the floor goes to the partner.
        new["floors"] += 1
        new["chunks"] = 0
        new["clarifications"] = 0
        new["asks"] = 0
        new["current"] = _fresh()
        if new["floors"] >= 2 * new["rounds"]:
            new["phase"] = "done"
        else:
            new["speaker"], new["listener"] = new["listener"], new["speaker"]
            new["phase"] = "share"
    return new, shared


def _can(st: dict, seat: str) -> list[str]:
    if st["phase"] == "done":
        return []
    role, accepted = _PHASES[st["phase"]]
    can = list(accepted) if seat == st[role] else []
    if st["phase"] == "next" and st["chunks"] + 1 >= MAX_CHUNKS and "continue" in can:
        can.remove("continue")  # only the Speaker was offered it
    if st["phase"] == "paraphrase" and st.get("asks", 0) >= MAX_ASKS and "ask_speaker" in can:
        can.remove("ask_speaker")
    if seat == st["speaker"]:
        can.append("pass_floor")
    return can


def view(st: dict, seat: str, ctx) -> dict:
    """Both partners (and a moderator) see the floor, the phase and what was said in this chunk."""
    actor = _actor(st)
    if seat == st["speaker"]:
        role = "speaker"
    elif seat == st["listener"]:
        role = "listener"
    else:
        role = "observer"
    return {
        "phase": st["phase"],
        "role": role,
        "speaker": st["speaker"],
        "listener": st["listener"],
        "waiting_for": [actor] if actor else [],
        # The Speaker may always pass the floor, so `can` holds pass_floor while the step waits on the Listener.
        "can": _can(st, seat),
        "floor": {"number": min(st["floors"] + 1, 2 * st["rounds"]), "of": 2 * st["rounds"]},
        "chunk": st["chunks"] + 1,
        "clarifications": st["clarifications"],
        "asks": st.get("asks", 0),
        "max_share": MAX_SHARE,
        "current": {**_fresh(), **st["current"]},
        # The piece a swap of roles handed back, to the partner who shared it (and a moderator) only.
        "handed_back": (st["handed_back"]["text"] if st.get("handed_back")
                        and seat in (st["handed_back"]["seat"], "moderator") else None),
    }


def floor(st: dict) -> dict | None:
    """On a call: the Speaker holds the floor, except while the Listener says it back."""
    actor = _actor(st)
    if actor is None:
        return None
    return {"speakers": [actor], "cue": "say_back" if st["phase"] == "paraphrase" else "speak"}


def done(st: dict) -> bool:
    """The floor has gone round `rounds` times for each partner."""
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    """The listener takes the floor from the start of a fresh chunk. A piece shared but not yet said back
    is handed back to the one who shared it (`handed_back`), to bring again when the floor is theirs."""
    if st["phase"] == "done":
        return st
    new = common.copied(st)
    piece = st["current"].get("share")
    if piece and not st["current"].get("paraphrase"):
        new["handed_back"] = {"seat": st["speaker"], "text": piece}
    new["speaker"], new["listener"] = st["listener"], st["speaker"]
    new["phase"] = "share"
    new["clarifications"] = 0
    new["asks"] = 0
    new["current"] = _fresh()
    return new


def erase_seat(st: dict, seat: str) -> dict:
    """Blank this seat's words in the chunk on the table: the speaker's share, clarification and example, or the
    listener's paraphrase. The floor, the phase and the other's words stay."""
    mine = {st["speaker"]: ("share", "clarify", "explained"), st["listener"]: ("paraphrase",)}.get(seat, ())
    return common.blanked(st, mine)


check = common.no_check
deadline, tick, pause, resume, adjustable, adjust_clock = common.NO_CLOCK
