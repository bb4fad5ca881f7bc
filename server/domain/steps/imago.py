"""Imago Dialogue (Intentional Dialogue), one Sender and one Receiver.

appointment: the Sender asks, the Receiver answers "now" or "later", and a
later names a time (in `minutes`, kept as `later_at` and shown to both; from
"later" the Sender may ask again, or the Receiver may say "now" when ready).
send -> mirror -> mirror_check ("Did I get it?"; not quite: the Sender corrects,
mirror again) -> more ("Is there more?"; yes: send again) -> summary ->
summary_check (not fair: the Sender adds what was missing, summary again) ->
validation (before validating, the Receiver may ask "help me understand" about
the part that does not make sense yet: understand, the Sender explains, back to
validation) -> empathy -> empathy_check (not quite: the Sender says how they
feel, empathy again) -> close: either partner may ask to switch roles, and the
roles switch while switches are left (default one, so each partner sends once);
while one is left, the step is done when both have said they are finished
(so nobody's turn to send is closed for them), otherwise at the first close.
Everything is said openly to each other, so both partners see all of it.
"""

from ..errors import DomainError
from . import common
from .common import BOOL, TEXT

KIND = "imago"
# The plan options this kind reads (ctx.options), with their ranges; others are refused for it.
OPTIONS = {"switches": {"type": "integer", "minimum": 0, "maximum": 3}}

# Bounds on the two loops a couple can go round (or a runaway client can
# spin): they keep the room's state from growing without end.
MAX_PIECES = 20  # messages one Sender sends in one exchange ("is there more?" yes)
MAX_CORRECTIONS = 10  # "not quite" answers in a row to one check
MAX_ASKS = 5  # "help me understand" questions before one validation

# A later appointment is a time from now, in minutes: soon enough to be kept
# while the room is (it expires after a day without a move).
LATER_MINUTES = {"type": "integer", "minimum": 5, "maximum": 1440}

INTENTS = {
    "ask_appointment": ({}, []),
    "appointment": ({"when": {"type": "string", "enum": ["now", "later"]}, "minutes": LATER_MINUTES}, ["when"]),
    "send": ({"text": TEXT}, []),
    "mirror": ({"text": TEXT}, []),
    "mirror_check": ({"accurate": BOOL, "text": TEXT}, ["accurate"]),
    "more": ({"more": BOOL}, ["more"]),
    "summarize": ({"text": TEXT}, []),
    "summary_check": ({"fair": BOOL, "text": TEXT}, ["fair"]),
    "ask_understand": ({"text": TEXT}, []),
    "help_understand": ({"text": TEXT}, []),
    "validate": ({"text": TEXT}, []),
    "empathize": ({"text": TEXT}, []),
    "empathy_check": ({"accurate": BOOL, "text": TEXT}, ["accurate"]),
    "close": ({"switch": BOOL}, ["switch"]),
}

# The keys of the step's state that say where it is: a change in any of them
# makes a move meant for the old place stale.
PLACE = ("phase", "sender", "switched", "pieces", "asks")

# What each move means in the timeline, in the therapist's words.
WORDS = {
    "ask_appointment": "asked for a dialogue",
    "appointment": "answered the request",
    "send": "sent",
    "mirror": "mirrored",
    "mirror_check": "checked the mirror",
    "more": "said whether there is more",
    "summarize": "summarised",
    "summary_check": "checked the summary",
    "ask_understand": "asked to understand",
    "help_understand": "helped them understand",
    "validate": "validated",
    "empathize": "offered empathy",
    "empathy_check": "checked the empathy",
    "close": "closed the dialogue",
}

# phase -> {intent type: the role that sends it}; in "later" either partner may move
# (the Sender asks again, or the Receiver is ready now); in "close" either partner
# may ask to switch or say they are finished ("either").
_PHASES = {
    "appointment": {"ask_appointment": "sender"},
    "answer_appointment": {"appointment": "receiver"},
    "later": {"ask_appointment": "sender", "appointment": "receiver"},
    "send": {"send": "sender"},
    "mirror": {"mirror": "receiver"},
    "mirror_check": {"mirror_check": "sender"},
    "more": {"more": "sender"},
    "summary": {"summarize": "receiver"},
    "summary_check": {"summary_check": "sender"},
    "validation": {"validate": "receiver", "ask_understand": "receiver"},
    "understand": {"help_understand": "sender"},
    "empathy": {"empathize": "receiver"},
    "empathy_check": {"empathy_check": "sender"},
    "close": {"close": "either"},
    "done": {},
}

PHASES = tuple(_PHASES)

# The Receiver's spoken pieces: intent -> (slot in "current", what to type, next phase, summary label).
_SAYS = {
    "mirror": ("mirror", "mirror", "mirror_check", "mirrored"),
    "summarize": ("summary", "summary", "summary_check", "summary"),
    "validate": ("validation", "validation", "empathy", "validation"),
    "empathize": ("empathy", "empathy", "empathy_check", "empathy"),
}
# The Sender's "did I get it?" answers: intent -> (yes/no field, phase on yes,
# slot for the correction, what to type, the phase and slot of the piece that
# is said again on no, summary label).
_CHECKS = {
    "mirror_check": ("accurate", "more", "correction", "correction", "mirror", "corrected"),
    "summary_check": ("fair", "validation", "missing", "what was missing", "summary", "added"),
    "empathy_check": ("accurate", "close", "feeling", "feeling", "empathy", "feeling"),
}

_CURRENT = ("message", "mirror", "correction", "summary", "missing", "question", "explanation", "validation",
            "empathy", "feeling")


def _fresh() -> dict:
    return dict.fromkeys(_CURRENT)


def start(spec: dict, ctx) -> dict:
    """The first partner is the Sender and has yet to ask for an appointment."""
    allowed = max(0, int(ctx.options.get("switches", spec.get("switches", 1))))
    return {"sender": ctx.first, "receiver": ctx.second, "phase": "appointment",
            "switches": allowed, "switched": 0, "pieces": 0, "corrections": 0, "asks": 0, "later_at": None,
            "finished": [], "current": _fresh()}


def _flag(intent: dict, name: str) -> bool:
    value = intent.get(name)
    if not isinstance(value, bool):
        raise DomainError("bad_value", f"{name} must be true or false.")
    return value


def apply(st: dict, seat: str, intent: dict, ctx):
    """Apply one move of the Sender or the Receiver."""
    kind = intent["type"]
    if st["phase"] == "done":
        raise common.finished()
    accepted = _PHASES[st["phase"]]
    if kind not in accepted:
        raise common.wrong_step(f"now it is time to {' or '.join(accepted).replace('_', ' ')}")
    role = accepted[kind]
    if role == "either":
        if seat not in (st["sender"], st["receiver"]):
            raise common.not_your_turn("partners")
    elif seat != st[role]:
        raise common.not_your_turn(role)
    new = common.copied(st)
    cur = new["current"]
    shared = []
    if kind == "ask_appointment":
        new["phase"] = "answer_appointment"
        new["later_at"] = None
    elif kind == "appointment":
        when = intent.get("when")
        if when not in ("now", "later"):
            raise DomainError("bad_value", 'The answer is "now" or "later".', field="when")
        if when == "later" and st["phase"] == "later":
            raise common.wrong_step("you already asked for later; say now when you are ready")
        if when == "later":
            new["later_at"] = round(ctx.now + 60 * _later_minutes(intent), 3)
        else:
            new["later_at"] = None
        new["phase"] = "send" if when == "now" else "later"
    elif kind == "ask_understand":
        if st.get("asks", 0) >= MAX_ASKS:
            raise common.too_many("asks", f"You have asked {MAX_ASKS} times; say how it makes sense "
                                  "as far as it does, or take a time-out.")
        cur["question"] = common.text_of(intent, ctx, label="question")
        cur["explanation"] = None
        new["asks"] = st.get("asks", 0) + 1
        new["phase"] = "understand"
        shared = common.entry(seat, "asked to understand", cur["question"])
    elif kind == "help_understand":
        cur["explanation"] = common.text_of(intent, ctx, label="answer")
        new["phase"] = "validation"
        shared = common.entry(seat, "helped to understand", cur["explanation"])
    elif kind == "send":
        text = common.text_of(intent, ctx, label="message")
        cur.update(message=text, mirror=None, correction=None)
        new["pieces"] += 1
        new["corrections"] = 0
        new["phase"] = "mirror"
        shared = common.entry(seat, "sent", text)
    elif kind in _SAYS:
        slot, label, then, logged = _SAYS[kind]
        text = common.text_of(intent, ctx, label=label)
        cur[slot] = text
        new["phase"] = then
        shared = common.entry(seat, logged, text)
    elif kind in _CHECKS:
        flag, yes, slot, label, again, logged = _CHECKS[kind]
        if _flag(intent, flag):
            new["phase"] = yes
            new["corrections"] = 0
        else:
            if st.get("corrections", 0) >= MAX_CORRECTIONS:
                raise common.too_many("corrections", f"This has been corrected {MAX_CORRECTIONS} times; "
                                      "say yes to go on, or take a time-out.")
            new["corrections"] = st.get("corrections", 0) + 1
            text = common.text_of(intent, ctx, label=label)
            # The corrected piece is cleared: it is about to be said again
            # (its phase and its slot in "current" share a name).
            cur.update({slot: text, again: None})
            new["phase"] = again
            shared = common.entry(seat, logged, text)
    elif kind == "more":
        if _flag(intent, "more"):
            if st["pieces"] >= MAX_PIECES:
                raise common.too_many("pieces", f"You have sent {MAX_PIECES} messages this time; "
                                      "say there is no more for now and go on to the summary.")
            cur.update(message=None, mirror=None, correction=None)
            new["phase"] = "send"
        else:
            new["phase"] = "summary"
    elif kind == "close":
        left = st["switched"] < st["switches"]
        if _flag(intent, "switch") and left:
            new = _swapped(new)
            new["switched"] += 1
        elif not left:
            # No switch is left (a request for one finishes too, as the phones offer none then).
            new["phase"] = "done"
        else:
            # A switch is still open: finishing needs both, so neither's turn to send is closed for them.
            done_by = sorted(set(st.get("finished", [])) | {seat})
            new["finished"] = done_by
            if set(done_by) == {st["sender"], st["receiver"]}:
                new["phase"] = "done"
    return new, shared


def _later_minutes(intent: dict) -> int:
    minutes = intent.get("minutes")
    lo, hi = LATER_MINUTES["minimum"], LATER_MINUTES["maximum"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not lo <= minutes <= hi:
        raise DomainError("bad_value", f"Say when, in {lo} to {hi} minutes from now.", field="minutes")
    return minutes


def _swapped(new: dict) -> dict:
    new["sender"], new["receiver"] = new["receiver"], new["sender"]
    new["phase"] = "appointment"
    new["pieces"] = 0
    new["corrections"] = 0
    new["asks"] = 0
    new["later_at"] = None
    new["finished"] = []
    new["current"] = _fresh()
    return new


def _holds(st: dict, role: str, seat: str) -> bool:
    return seat in (st["sender"], st["receiver"]) if role == "either" else st[role] == seat


def _can(st: dict, seat: str) -> list[str]:
    can = [kind for kind, role in _PHASES[st["phase"]].items() if _holds(st, role, seat)]
    if "ask_understand" in can and st.get("asks", 0) >= MAX_ASKS:
        can.remove("ask_understand")
    return can


def _waiting(st: dict) -> list[str]:
    roles = set(_PHASES[st["phase"]].values())
    if "either" in roles:
        # The close waits on whoever has not said they are finished.
        return [s for s in (st["sender"], st["receiver"]) if s not in st.get("finished", [])]
    return [st[r] for r in ("sender", "receiver") if r in roles]


# The Receiver's phases that give back the Sender's own words.
_SAYING_BACK = ("mirror", "summary")


def floor(st: dict) -> dict | None:
    """On a call: whoever the phase waits on speaks; an appointment or the close (both may answer) is open."""
    roles = set(_PHASES[st["phase"]].values())
    if len(roles) != 1 or roles == {"either"}:
        return None
    (role,) = roles
    return {"speakers": [st[role]], "cue": "say_back" if st["phase"] in _SAYING_BACK else "speak"}


def view(st: dict, seat: str, ctx) -> dict:
    """Both partners (and a moderator) see the roles, the phase and everything said in this exchange."""
    if seat == st["sender"]:
        role = "sender"
    elif seat == st["receiver"]:
        role = "receiver"
    else:
        role = "observer"
    return {
        "phase": st["phase"],
        "role": role,
        "sender": st["sender"],
        "receiver": st["receiver"],
        "waiting_for": _waiting(st),
        "can": _can(st, seat),
        "round": st["switched"] + 1,
        "switches_left": st["switches"] - st["switched"],
        "pieces": st["pieces"],
        "asks": st.get("asks", 0),
        "later_at": st.get("later_at"),
        "finished": list(st.get("finished", [])),
        "current": {**_fresh(), **st["current"]},
    }


def done(st: dict) -> bool:
    """The last close came without a switch, or with none left."""
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    """The Receiver becomes the Sender, from a fresh appointment; a moderator's swap uses up no switch."""
    if st["phase"] == "done":
        return st
    return _swapped(common.copied(st))


# Whose words each slot of "current" holds.
_SENDERS = ("message", "correction", "missing", "explanation", "feeling")
_RECEIVERS = ("mirror", "summary", "question", "validation", "empathy")


def erase_seat(st: dict, seat: str) -> dict:
    """Blank this seat's pieces of the exchange (the Sender's or the Receiver's); the phase and the other's stay."""
    return common.blanked(st, {st["sender"]: _SENDERS, st["receiver"]: _RECEIVERS}.get(seat, ()))


check = common.no_check
deadline, tick, pause, resume, adjustable, adjust_clock = common.NO_CLOCK
