"""Brainstorm and agree: PREP-style problem solving on one issue, in three phases.

agenda: either partner proposes the one issue to work on (`propose_issue`);
  the other agrees (`agree_issue`) or words it their own way (which the first
  must then agree to). Nothing moves on until both hold the same issue.
ideas: both add ideas as they come (`add_idea`), without judging: an idea
  appears on both phones as it is written, with nobody's comment and no vote.
  Each says when they have no more ideas for now (`ideas_done`); adding one
  more takes that back. When both are done, the agreeing starts.
agree: either proposes what to try (`propose_try`: one idea, a combination of
  ideas, or their own words for it) and when to check back (a date, a date and
  time, or the next weekly check-in); the other agrees (`agree_try`) or
  proposes something else. Once both have agreed: done.

Nothing here is private: the issue, the ideas and the proposals are on the
table for both as soon as they are written. The issue (once agreed), each idea
and the agreement go into the summary. No clock, no roles to swap.
"""

import datetime
import re

from . import common
from ..errors import DomainError
from .common import PARTNERS

KIND = "brainstorm"
OPTIONS: dict = {}

# Text limits: an issue and an idea fit in a line or two, what you agree to try in a short paragraph.
MAX_ISSUE = 300
MAX_IDEA = 300
MAX_TRY = 600
# Caps on the loops, so one couple's back-and-forth (or a runaway client) cannot grow the room without end.
MAX_ISSUES = 10  # times the issue may be proposed or reworded
MAX_IDEAS = 30  # ideas in one brainstorm
MAX_PROPOSALS = 10  # proposals of what to try
NEXT_CHECKIN = "next_checkin"
CHECK_BACK_DAYS = 366  # the furthest ahead a check-back may be set

INTENTS = {
    "propose_issue": ({"text": {"type": "string", "maxLength": MAX_ISSUE}}, []),
    "agree_issue": ({}, []),
    "add_idea": ({"text": {"type": "string", "maxLength": MAX_IDEA}}, ["text"]),
    "ideas_done": ({}, []),
    "propose_try": ({"ideas": {"type": "array", "maxItems": MAX_IDEAS, "uniqueItems": True,
                               "items": {"type": "integer", "minimum": 1}},
                     "text": {"type": "string", "maxLength": MAX_TRY},
                     "check_back": {"type": "string", "maxLength": 16}}, ["check_back"]),
    "agree_try": ({}, []),
}

# Both partners add ideas at once, so the count of ideas is not part of the place; a new wording of
# the issue or a new proposal is, so an "I agree" meant for the old one never lands on the new one.
PLACE = ("phase", "issues", "proposals")

WORDS = {
    "propose_issue": "proposed the issue",
    "agree_issue": "agreed on the issue",
    "add_idea": "added an idea",
    "ideas_done": "had no more ideas for now",
    "propose_try": "proposed what to try",
    "agree_try": "agreed what to try",
}

_PHASES = {
    "agenda": ("propose_issue", "agree_issue"),
    "ideas": ("add_idea", "ideas_done"),
    "agree": ("propose_try", "agree_try"),
    "done": (),
}
_DOING = {"agenda": "agree on the issue", "ideas": "brainstorm ideas", "agree": "agree what to try"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")

check = common.no_check
deadline, tick, pause, resume, adjustable, adjust_clock = common.NO_CLOCK


def start(spec: dict, ctx) -> dict:
    """No issue yet, no ideas, nothing agreed; `promise` when the agreement is one (the spec's `promise`)."""
    st = {"phase": "agenda", "issue": None, "issues": 0, "ideas": [], "next_idea": 1,
          "ideas_done": {seat: False for seat in PARTNERS}, "proposal": None, "proposals": 0,
          "agreement": None}
    if spec.get("promise"):
        st["promise"] = True  # what they agree to try is a promise (the exercise file says so)
    return st


def _too_long(limit: int) -> DomainError:
    return DomainError("text_too_long", f"Please keep it to {limit} characters.", field="text")


def _text(intent: dict, limit: int) -> str | None:
    raw = intent.get("text")
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise DomainError("bad_value", "The text must be text.", field="text")
    if len(raw) > limit:
        raise _too_long(limit)
    return raw.strip() or None


def check_back_of(raw, now: float) -> str:
    """Return a valid check-back: "next_checkin", a date "2026-12-08" or a date and time "2026-12-08T19:30",
    not before yesterday and at most a year ahead (the phone's local time; the server's day may differ by one)."""
    if raw == NEXT_CHECKIN:
        return raw
    bad = DomainError("bad_value", "Say when to check back: a date, a date and time, or the next weekly check-in.",
                      field="check_back")
    if not isinstance(raw, str) or not _DATE.match(raw):
        raise bad
    try:
        when = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise bad from None
    today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
    if not today - datetime.timedelta(days=1) <= when.date() <= today + datetime.timedelta(days=CHECK_BACK_DAYS):
        raise bad
    return raw


def try_text(st: dict, proposal: dict) -> str:
    """What was agreed, as one line: the ideas picked, the couple's own words, and when they check back."""
    texts = {idea["n"]: idea["text"] for idea in st["ideas"]}
    parts = [texts[n] for n in proposal["ideas"] if n in texts]
    if proposal["text"]:
        parts.append(proposal["text"])
    back = ("at the next weekly check-in" if proposal["check_back"] == NEXT_CHECKIN
            else "on " + proposal["check_back"].replace("T", " at "))
    return f"{'; '.join(parts) or 'what we said aloud'} — check back {back}"


def _can(st: dict, seat: str) -> list[str]:
    if seat not in PARTNERS:
        return []
    phase = st["phase"]
    if phase == "agenda":
        can = ["propose_issue"] if st["issues"] < MAX_ISSUES else []
        if st["issue"] is not None and st["issue"]["by"] != seat:
            can.append("agree_issue")
        return can
    if phase == "ideas":
        can = ["add_idea"] if len(st["ideas"]) < MAX_IDEAS else []
        if st["ideas"] and not st["ideas_done"][seat]:
            can.append("ideas_done")
        return can
    if phase == "agree":
        can = ["propose_try"] if st["proposals"] < MAX_PROPOSALS else []
        if st["proposal"] is not None and st["proposal"]["by"] != seat:
            can.append("agree_try")
        return can
    return []


def _waiting(st: dict) -> list[str]:
    phase = st["phase"]
    if phase == "agenda":
        return list(PARTNERS) if st["issue"] is None else [common.other(st["issue"]["by"])]
    if phase == "ideas":
        return [seat for seat in PARTNERS if not st["ideas_done"][seat]]
    if phase == "agree":
        return list(PARTNERS) if st["proposal"] is None else [common.other(st["proposal"]["by"])]
    return []


def apply(st: dict, seat: str, intent: dict, ctx):
    """Propose or agree on the issue, add an idea or say you have no more, propose or agree what to try."""
    kind = intent["type"]
    common.guard(st, seat, kind, phases=_PHASES, doing=_DOING, actors=PARTNERS, who="partners")
    new = common.copied(st)
    shared: list = []
    if kind == "propose_issue":
        if st["issues"] >= MAX_ISSUES:
            raise common.too_many("issues", f"The issue has been worded {MAX_ISSUES} times; agree on one of "
                                  "them, or take a time-out and talk about which one to start with.")
        text = _text(intent, MAX_ISSUE)
        if text is None and ctx.mode == "remote":
            raise DomainError("text_required", "Please type the issue so your partner can read it.")
        new["issue"] = {"by": seat, "text": text}
        new["issues"] += 1
    elif kind == "agree_issue":
        if st["issue"] is None:
            raise common.wrong_step("nobody has proposed an issue yet")
        if st["issue"]["by"] == seat:
            raise common.not_your_turn("other partner")
        new["phase"] = "ideas"
        shared = common.entry(st["issue"]["by"], "the issue", st["issue"]["text"])
    elif kind == "add_idea":
        if len(st["ideas"]) >= MAX_IDEAS:
            raise common.too_many("ideas", f"That makes {MAX_IDEAS} ideas, plenty to choose from; "
                                  "say you're done to start choosing.")
        text = _text(intent, MAX_IDEA)
        if text is None:
            raise DomainError("text_required", "Write the idea down in a few words, so you can both choose from the list.")
        new["ideas"].append({"n": st["next_idea"], "by": seat, "text": text})
        new["next_idea"] += 1
        new["ideas_done"][seat] = False
        shared = common.entry(seat, "idea", text)
    elif kind == "ideas_done":
        if not st["ideas"]:
            raise common.wrong_step("add at least one idea first")
        new["ideas_done"][seat] = True
        if all(new["ideas_done"].values()):
            new["phase"] = "agree"
    elif kind == "propose_try":
        if st["proposals"] >= MAX_PROPOSALS:
            raise common.too_many("proposals", f"There have been {MAX_PROPOSALS} proposals; agree on one, "
                                  "or take a time-out and come back to it.")
        new["proposal"] = _proposal(st, seat, intent, ctx)
        new["proposals"] += 1
    elif kind == "agree_try":
        if st["proposal"] is None:
            raise common.wrong_step("nobody has proposed what to try yet")
        if st["proposal"]["by"] == seat:
            raise common.not_your_turn("other partner")
        new["agreement"] = dict(st["proposal"])
        new["phase"] = "done"
        shared = common.entry(st["proposal"]["by"], "agreed to try", try_text(st, st["proposal"]))
        if st.get("promise"):
            shared = [dict(e, promise=True) for e in shared]
    return new, shared


def _proposal(st: dict, seat: str, intent: dict, ctx) -> dict:
    picked = intent.get("ideas", [])
    known = {idea["n"] for idea in st["ideas"]}
    if (not isinstance(picked, list) or len(picked) > MAX_IDEAS
            or any(isinstance(n, bool) or not isinstance(n, int) or n not in known for n in picked)
            or len(set(picked)) != len(picked)):
        raise DomainError("bad_value", "Pick ideas from the list, each once.", field="ideas")
    text = _text(intent, MAX_TRY)
    if not picked and text is None:
        raise DomainError("text_required", "Pick at least one idea, or say in your own words what to try.")
    return {"by": seat, "ideas": list(picked), "text": text,
            "check_back": check_back_of(intent.get("check_back"), ctx.now)}


def view(st: dict, seat: str, ctx) -> dict:
    """Both partners (and a moderator) see the issue, every idea (marked `mine` for its author, no names,
    no comments) and the proposal on the table."""
    return {
        "phase": st["phase"],
        "role": "partner" if seat in PARTNERS else "observer",
        "waiting_for": _waiting(st),
        "can": _can(st, seat),
        "issue": dict(st["issue"]) if st["issue"] else None,
        "ideas": [{"n": idea["n"], "text": idea["text"], "mine": idea["by"] == seat} for idea in st["ideas"]],
        "ideas_done": dict(st["ideas_done"]),
        "proposal": _shown(st["proposal"]),
        "agreement": _shown(st["agreement"]),
        "limits": {"ideas": MAX_IDEAS, "issues": MAX_ISSUES, "proposals": MAX_PROPOSALS,
                   "issue_text": MAX_ISSUE, "idea_text": MAX_IDEA, "try_text": MAX_TRY},
    }


def _shown(proposal: dict | None) -> dict | None:
    return None if proposal is None else {**proposal, "ideas": list(proposal["ideas"])}


def done(st: dict) -> bool:
    """Both agreed what to try and when to check back."""
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    """Both partners do the same things here: there are no roles to swap."""
    return st


def erase_seat(st: dict, seat: str) -> dict:
    """Take this seat's words off the table: its wording of the issue (the slot becomes null, as if said
    aloud), its ideas (and any proposal's picks of them), its own words in a proposal. A proposal left
    with nothing in it goes. The phase and the other's words stay."""
    mine_issue = st["issue"] is not None and st["issue"]["by"] == seat and st["issue"]["text"] is not None
    mine_ideas = {idea["n"] for idea in st["ideas"] if idea["by"] == seat}
    mine_text = [key for key in ("proposal", "agreement")
                 if st[key] is not None and st[key]["by"] == seat and st[key]["text"] is not None]
    if not (mine_issue or mine_ideas or mine_text):
        return st
    new = common.copied(st)
    if mine_issue:
        new["issue"]["text"] = None
    new["ideas"] = [idea for idea in new["ideas"] if idea["n"] not in mine_ideas]
    for key in ("proposal", "agreement"):
        held = new[key]
        if held is None:
            continue
        held["ideas"] = [n for n in held["ideas"] if n not in mine_ideas]
        if held["by"] == seat:
            held["text"] = None
        if key == "proposal" and not held["ideas"] and held["text"] is None:
            new["proposal"] = None
    return new
