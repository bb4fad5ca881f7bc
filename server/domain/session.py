"""A session: the plan, the exercise and step the couple is in, time-outs, and the summary.

Lobby: a partner proposes a plan (an ordered list of exercises with options)
and the other agrees; in a moderated room the moderator sets it and starts.
Running: the current step's machine takes the partners' moves; when a step
is done the next one starts, then the next exercise, then the summary.
Either partner may call a time-out at any moment; everything waits until
both say they are ready. Summary: what was shared is listed; it is kept only
if both partners choose to keep it, otherwise its text is wiped at once.
"""

import copy
import re

from . import rooms, staleness, steps, voice
from .context import Ctx, StepCtx
from .errors import DomainError
from .steps import kind_at, spec_at

MAX_PLAN = 12
# Shared texts one session keeps for its summary. A long session of typed
# exercises writes a few dozen; the cap stops a loop from growing the room
# (and every write of it) without end. The store caps the state's bytes too.
MAX_SHARED = 300
# Promises a phone may bring back from last time (offer_promises), and how long each may be.
MAX_PROMISES = 5
MAX_PROMISE_TEXT = 300
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PROMISE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {"text": {"type": "string", "maxLength": MAX_PROMISE_TEXT},
                   "made_on": {"type": "string", "maxLength": 10}},
}
# What a phone remembers this couple has done (offer_seen): exercise ids and cards as
# "exercise/card", each with the day. Ids and dates only; the room holds them while it lives.
MAX_SEEN = 500
MAX_SEEN_ID = 120
_SEEN_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)?$")
SEEN_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "on"],
    "properties": {"id": {"type": "string", "maxLength": MAX_SEEN_ID},
                   "on": {"type": "string", "maxLength": 10}},
}


def plan_item(kinds=None) -> dict:
    """The schema of one plan item: an exercise and the options the step kinds read, with their ranges."""
    return {
        "type": "object",
        "properties": {
            "exercise": {"type": "string", "minLength": 1, "maxLength": 80},
            "options": {"type": "object", "properties": steps.option_fields(kinds), "additionalProperties": False},
        },
        "required": ["exercise"],
        "additionalProperties": False,
    }


def new_session(now: float) -> dict:
    """Return the session part of a fresh room: in the lobby, with no plan."""
    return {
        "phase": "lobby",
        "plan": [],
        "plan_by": None,
        "agreed": [],
        "specs": {},
        "index": None,
        "step_index": None,
        "step": None,
        "first": None,
        "timeout": None,
        "stop": None,
        "stopped": [],
        "shared": [],
        "promises": {seat: [] for seat in rooms.PARTNERS},
        "seen": {seat: [] for seat in rooms.PARTNERS},
        "keep": {seat: None for seat in rooms.PARTNERS},
        "choosing": [],
        "started_at": None,
        "finished_at": None,
    }


def event(kind: str, seat: str | None, ctx, sess: dict, **extra) -> dict:
    """Return a log entry: what happened, who did it, where in the plan; never anyone's words."""
    return {"type": kind, "seat": seat, "at": round(ctx.now, 3), "exercise": sess["index"],
            "step": sess["step_index"], **extra}


def _need_phase(sess: dict, *phases: str) -> None:
    if sess["phase"] not in phases:
        where = {"lobby": "while choosing a plan", "running": "during an exercise",
                 "summary": "once the session is over"}
        raise DomainError("wrong_step", f"That can only be done {where[phases[0]]}.")


def step_ctx(state: dict, ctx) -> StepCtx:
    """Return the context the current step's machine is applied with."""
    sess = state["session"]
    seed = (state["seed"] * 1_000_003 + sess["index"] * 1009 + sess["step_index"]) % (2 ** 32)
    offered = sess.get("promises") or {}
    promises = tuple({"by": seat, **promise} for seat in rooms.PARTNERS for promise in offered.get(seat, ()))
    return StepCtx(now=ctx.now, seed=seed, mode=state["mode"], first=sess["first"],
                   options=sess["plan"][sess["index"]].get("options", {}),
                   feelings=getattr(ctx, "feelings", {}) or {}, promises=promises,
                   seen=seen_cards(sess, sess["plan"][sess["index"]]["exercise"]),
                   voice=voice.for_step(state, spec_at(sess)))


def seen_cards(sess: dict, exercise: str) -> frozenset:
    """The ids of this exercise's cards that either phone said the couple has seen (offer_seen)."""
    prefix = exercise + "/"
    offered = sess.get("seen") or {}
    return frozenset(item["id"][len(prefix):] for seat in rooms.PARTNERS for item in offered.get(seat, ())
                     if item["id"].startswith(prefix))


def start_step(state: dict, ctx) -> None:
    """Start the step at (index, step_index) on a state copy the caller owns."""
    sess = state["session"]
    if sess.get("stop") and sess["stop"]["exercise"] != sess["index"]:
        # A request to stop was about the exercise that has just ended another way.
        sess["stop"] = None
    if sess["index"] in sess.get("stopped", ()):
        # The moderator took them back into an exercise they had stopped: it is open again.
        sess["stopped"].remove(sess["index"])
    if sess["index"] in sess.get("skipped", ()):
        # Likewise an exercise the moderator skipped and has now gone back into.
        sess["skipped"].remove(sess["index"])
    sess["swapped"] = None
    # Who starts alternates from one exercise to the next.
    sess["first"] = rooms.PARTNERS[sess["index"] % 2]
    spec = spec_at(sess)
    sess["step"] = kind_at(sess).start(spec, step_ctx(state, ctx))


def advance_if_done(state: dict, ctx) -> None:
    """Move past finished steps and exercises; after the last one, open the summary."""
    sess = state["session"]
    while sess["phase"] == "running" and kind_at(sess).done(sess["step"]):
        exercise = sess["specs"][sess["plan"][sess["index"]]["exercise"]]
        if sess["step_index"] + 1 < len(exercise["steps"]):
            sess["step_index"] += 1
        elif sess["index"] + 1 < len(sess["plan"]):
            sess["index"] += 1
            sess["step_index"] = 0
        else:
            finish(state, ctx)
            return
        start_step(state, ctx)


def finish(state: dict, ctx) -> None:
    """End the exercises on a state copy the caller owns: the summary opens."""
    sess = state["session"]
    sess["phase"] = "summary"
    sess["step"] = None
    sess["timeout"] = None
    sess["stop"] = None
    sess["finished_at"] = ctx.now


def _begin(state: dict, ctx) -> None:
    # A couple apart says how they will talk in the spoken steps before the first one comes.
    voice.require(state)
    sess = state["session"]
    sess["phase"] = "running"
    sess["index"] = 0
    sess["step_index"] = 0
    sess["started_at"] = ctx.now
    start_step(state, ctx)
    advance_if_done(state, ctx)


def _both_partners_seated(state: dict) -> None:
    if rooms.free_partner_seat(state) is not None:
        raise DomainError("partner_missing", "Both partners need to be in the room first.")


# --- lobby -------------------------------------------------------------------

def _check_options(item: dict, exercise: dict) -> None:
    """Refuse an option none of the exercise's step kinds reads: silently ignoring it would mislead."""
    applies = steps.options_for(exercise)
    for name in item.get("options", {}):
        if name not in applies:
            raise DomainError("bad_option", "That option does not apply to this exercise.", field=name)


def propose_plan(state: dict, seat: str, intent: dict, ctx):
    """Set the plan; a partner's proposal counts as their agreement, a moderator's stands alone."""
    sess = state["session"]
    _need_phase(sess, "lobby")
    if state["moderated"] and seat != rooms.MODERATOR:
        raise DomainError("forbidden", "In a guided session the moderator sets the plan.")
    plan = intent["plan"]
    if not plan:
        raise DomainError("bad_value", "A plan needs at least one exercise.", field="plan")
    unknown = [item["exercise"] for item in plan if item["exercise"] not in ctx.exercises]
    if unknown:
        raise DomainError("unknown_exercise", "The plan names an exercise that does not exist.",
                          field="plan")
    for item in plan:
        _check_options(item, ctx.exercises[item["exercise"]])
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["plan"] = [{"exercise": item["exercise"], "options": dict(item.get("options", {}))}
                        for item in plan]
    # A snapshot: the session runs what was agreed even if the library changes.
    new_sess["specs"] = {item["exercise"]: copy.deepcopy(ctx.exercises[item["exercise"]]) for item in plan}
    new_sess["plan_by"] = seat
    new_sess["agreed"] = [seat] if seat in rooms.PARTNERS else []
    # Suggesting it is what the choosing was for.
    new_sess["choosing"] = [s for s in new_sess.get("choosing", ()) if s != seat]
    return new, event("plan_proposed", seat, ctx, new_sess, exercises=len(plan))


def agree_plan(state: dict, seat: str, intent: dict, ctx):
    """Agree to the proposed plan; when both partners have, the first exercise starts."""
    sess = state["session"]
    _need_phase(sess, "lobby")
    if state["moderated"]:
        raise DomainError("forbidden", "In a guided session the moderator starts the session.")
    if not sess["plan"]:
        raise DomainError("wrong_step", "There is no plan to agree to yet.")
    if seat in sess["agreed"]:
        raise DomainError("wrong_step", "You have already agreed; waiting for your partner.")
    new = copy.deepcopy(state)
    new["session"]["agreed"].append(seat)
    if set(new["session"]["agreed"]) == set(rooms.PARTNERS):
        _both_partners_seated(new)
        _begin(new, ctx)
        return new, event("session_started", seat, ctx, new["session"])
    return new, event("plan_agreed", seat, ctx, new["session"])


def start_session(state: dict, seat: str, intent: dict, ctx):
    """The moderator starts the plan they set, once both partners are in the room."""
    sess = state["session"]
    _need_phase(sess, "lobby")
    if not state["moderated"]:
        raise DomainError("forbidden", "Only a moderator starts a session this way.")
    if not sess["plan"]:
        raise DomainError("wrong_step", "Set a plan first.")
    _both_partners_seated(state)
    new = copy.deepcopy(state)
    _begin(new, ctx)
    return new, event("session_started", seat, ctx, new["session"])


# Session intents that move the room nowhere, even in the lobby: they tell what a partner is
# doing, not anything the couple decides on (intents.build_table gives their rows staleness.NEVER).
NEVER_MOVES = frozenset({"choosing"})


def choosing(state: dict, seat: str, intent: dict, ctx):
    """Say whether this partner is choosing a plan now (`on`), so the other phone can say so.

    It decides nothing, so it moves nothing: nobody's next tap turns stale for it (see NEVER_MOVES).
    """
    sess = state["session"]
    _need_phase(sess, "lobby")
    if state["moderated"]:
        raise DomainError("forbidden", "In a guided session the moderator sets the plan.")
    held = [s for s in sess.get("choosing", ()) if s != seat]
    now = held + [seat] if intent["on"] else held
    if sorted(now) == sorted(sess.get("choosing", ())):
        return state, None
    new = copy.deepcopy(state)
    new["session"]["choosing"] = [s for s in rooms.PARTNERS if s in now]
    return new, event("choosing", seat, ctx, new["session"], on=bool(intent["on"]))


def offer_promises(state: dict, seat: str, intent: dict, ctx):
    """Bring back this phone's promises from last time (replacing what it offered before); a look-back
    step started later shows them to both. Lobby only; the room keeps them only while it lives."""
    sess = state["session"]
    _need_phase(sess, "lobby")
    raw = intent.get("promises")
    if not isinstance(raw, list):
        raise DomainError("bad_value", "Promises come as a list.", field="promises")
    if len(raw) > MAX_PROMISES:
        raise DomainError("too_many", f"Bring back at most {MAX_PROMISES} promises at a time.", limit="promises")
    promises = []
    for item in raw:
        text = item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise DomainError("bad_value", "Each promise needs its words.", field="promises")
        if len(text) > MAX_PROMISE_TEXT:
            raise DomainError("text_too_long", f"A promise is at most {MAX_PROMISE_TEXT} characters.",
                              field="promises")
        made_on = item.get("made_on")
        if made_on is not None and (not isinstance(made_on, str) or not _DAY.match(made_on)):
            raise DomainError("bad_value", "made_on is a date like 2026-11-03.", field="promises")
        promises.append({"text": text.strip(), "made_on": made_on})
    new = copy.deepcopy(state)
    new["session"].setdefault("promises", {s: [] for s in rooms.PARTNERS})[seat] = promises
    return new, event("promises_offered", seat, ctx, new["session"], promises=len(promises))


def offer_seen(state: dict, seat: str, intent: dict, ctx):
    """This phone's memory of what the couple has done (ids and days), replacing what it offered
    before; a deck dealt later puts cards neither phone has seen first. Lobby only; held in the room
    only while it lives."""
    sess = state["session"]
    _need_phase(sess, "lobby")
    raw = intent.get("seen")
    if not isinstance(raw, list):
        raise DomainError("bad_value", "What you have done comes as a list.", field="seen")
    if len(raw) > MAX_SEEN:
        raise DomainError("too_many", f"Offer at most {MAX_SEEN} things you have done.", limit="seen")
    seen, ids = [], set()
    for item in raw:
        if not isinstance(item, dict) or set(item) - {"id", "on"}:
            raise DomainError("bad_value", "Each thing done is {id, on}, and nothing else.", field="seen")
        sid, day = item.get("id"), item.get("on")
        if not isinstance(sid, str) or len(sid) > MAX_SEEN_ID or not _SEEN_ID.match(sid):
            raise DomainError("bad_value", "An id is an exercise or exercise/card.", field="seen")
        if not isinstance(day, str) or not _DAY.match(day):
            raise DomainError("bad_value", "on is a date like 2026-11-03.", field="seen")
        if sid in ids:
            raise DomainError("bad_value", "Each id comes once.", field="seen")
        ids.add(sid)
        seen.append({"id": sid, "on": day})
    new = copy.deepcopy(state)
    new["session"].setdefault("seen", {s: [] for s in rooms.PARTNERS})[seat] = seen
    return new, event("seen_offered", seat, ctx, new["session"], seen=len(seen))


# --- time-out and cool-down -------------------------------------------------------

# A cool-down is a time-out with a return time and a shared breathing pace. The
# caller picks the minutes; 20 or more helps someone who is flooded (Gottman, PREP).
COOLDOWN_MINUTES = (2, 30)
# One slow breath: in for 4 s, out for 6 s, six breaths a minute. Both phones
# (and the dashboard) count breaths from the cool-down's start on the server's clock.
BREATH_IN, BREATH_OUT = 4, 6
COOLDOWN_FIELDS = {"cooldown": {"type": "integer", "minimum": COOLDOWN_MINUTES[0],
                                "maximum": COOLDOWN_MINUTES[1]}}


def _cooldown(intent: dict, ctx) -> dict | None:
    minutes = intent.get("cooldown")
    if minutes is None:
        return None
    low, high = COOLDOWN_MINUTES
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not low <= minutes <= high:
        raise DomainError("bad_value", f"A cool-down lasts {low} to {high} minutes.", field="cooldown")
    return {"minutes": minutes, "started_at": round(ctx.now, 3), "until": round(ctx.now + minutes * 60, 3),
            "breath_in": BREATH_IN, "breath_out": BREATH_OUT}


def call_timeout(state: dict, seat: str, intent: dict, ctx):
    """Pause everything until both partners say they are ready again; with `cooldown` (minutes), a
    cool-down: a return time and a breathing pace both phones share, still ended only by both being ready."""
    sess = state["session"]
    _need_phase(sess, "running")
    if sess["timeout"]:
        raise DomainError("paused", "A time-out is already on.")
    cooldown = _cooldown(intent, ctx)
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["step"] = kind_at(new_sess).pause(new_sess["step"], step_ctx(new, ctx))
    new_sess["timeout"] = {"by": seat, "at": ctx.now, "ready": [], "cooldown": cooldown}
    extra = {"cooldown": cooldown["minutes"]} if cooldown else {}
    return new, event("timeout", seat, ctx, new_sess, **extra)


def partners_end_it(timeout: dict) -> bool:
    """Tell whether the partners' own "ready" ends this time-out: always, except a moderator's plain pause."""
    return timeout["by"] != rooms.MODERATOR or bool(timeout.get("cooldown"))


def ready(state: dict, seat: str, intent: dict, ctx):
    """Say you are ready to go on after a time-out; when both are, the exercise resumes (a cool-down's
    return time passing never ends it by itself)."""
    sess = state["session"]
    _need_phase(sess, "running")
    if not sess["timeout"]:
        raise DomainError("wrong_step", "There is no time-out to end.")
    if not partners_end_it(sess["timeout"]):
        raise DomainError("paused", "Your moderator paused the session and will resume it.")
    if seat in sess["timeout"]["ready"]:
        raise DomainError("wrong_step", "You are ready; waiting for your partner.")
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["timeout"]["ready"].append(seat)
    if set(new_sess["timeout"]["ready"]) != set(rooms.PARTNERS):
        return new, event("ready", seat, ctx, new_sess)
    new_sess["timeout"] = None
    new_sess["step"] = kind_at(new_sess).resume(new_sess["step"], step_ctx(new, ctx))
    return new, event("resumed", seat, ctx, new_sess)


# --- steps -----------------------------------------------------------------------

def step_intent(state: dict, seat: str, intent: dict, ctx):
    """Hand a partner's move to the current step's machine, then move on if the step is done."""
    sess = state["session"]
    if sess["phase"] == "summary":
        raise DomainError("finished", "The session is over; nothing more can be done in it.")
    _need_phase(sess, "running")
    if sess["timeout"]:
        raise DomainError("paused", "A time-out is on; say you are ready to go on first.")
    spec = spec_at(sess)
    kind = kind_at(sess)
    if intent["type"] not in kind.INTENTS:
        raise DomainError("wrong_step", "That is not part of this step.")
    step, shared = kind.apply(sess["step"], seat, intent, step_ctx(state, ctx))
    if shared and len(sess["shared"]) + len(shared) > MAX_SHARED:
        raise DomainError("too_many", "This session already holds all the shared words it can keep; "
                          "go on by saying things aloud, or end the session.", limit="shared")
    # Only what a move changes is copied: the room and its session one level
    # deep (advancing rewrites only the session's own keys), the step anew
    # from its machine, the shared list when it grows. The rest (the plan's
    # specs above all) is shared with `state`, which nobody changes.
    new = {**state, "session": {**sess, "step": step}}
    new_sess = new["session"]
    if shared:
        exercise = sess["specs"][sess["plan"][sess["index"]]["exercise"]]
        new_sess["shared"] = sess["shared"] + [{"exercise": exercise["title"], "step": spec["title"], **item,
                                                "at": round(ctx.now, 3)} for item in shared]
    logged = event(intent["type"], seat, ctx, new_sess)
    advance_if_done(new, ctx)
    return new, logged


def deadline(state: dict) -> float | None:
    """Return when the server must act on this room next (a running clock), or None."""
    sess = state.get("session")
    if not sess or sess["phase"] != "running" or sess["timeout"]:
        return None
    return kind_at(sess).deadline(sess["step"])


def tick(state: dict, ctx):
    """Let a running clock act if its deadline has passed; (state, None) when nothing is due."""
    due = deadline(state)
    if due is None or ctx.now < due:
        return state, None
    sess = state["session"]
    result = kind_at(sess).tick(sess["step"], step_ctx(state, ctx))
    if result is None:
        return state, None
    new = copy.deepcopy(state)
    new["session"]["step"] = result[0]
    logged = event("deadline", None, ctx, new["session"])
    advance_if_done(new, ctx)
    staleness.moved(new)  # a tap meant for the turn that just ended is stale now
    return new, logged


# --- summary ---------------------------------------------------------------------

def keep_summary(state: dict, seat: str, intent: dict, ctx):
    """Choose whether to keep what was shared; one "no" wipes its text for good."""
    sess = state["session"]
    _need_phase(sess, "summary")
    if sess["keep"][seat] is not None:
        raise DomainError("wrong_step", "You have already chosen.")
    if _erased(sess):
        raise DomainError("wrong_step", "It is already erased: there is nothing left to keep.")
    if not sess["shared"]:
        raise DomainError("wrong_step", "Nothing was written down, so there is nothing to keep.")
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["keep"][seat] = bool(intent["keep"])
    if not intent["keep"]:
        new_sess["shared"] = []
    return new, event("summary_choice", seat, ctx, new_sess, keep=bool(intent["keep"]))


def kept(state: dict) -> bool:
    """Tell whether both partners chose to keep the summary."""
    sess = state.get("session") or {}
    return sess.get("phase") == "summary" and all(sess["keep"][s] is True for s in rooms.PARTNERS)


def _erased(sess: dict) -> bool:
    return any(choice is False for choice in sess["keep"].values())


# --- a partner's own words ---------------------------------------------------------

ERASE_MINE = "erase_my_words"


def erase_my_words(state: dict, seat: str, intent: dict, ctx):
    """In a guided room, take every word this partner wrote out of the room: the shared list (so the
    summary, both exports and the moderator's view) and the step on the table. The other partner's
    words, the therapist's notes and prompts, and the timeline (which holds no words) stay.

    A way out, so it is taken in any phase and during a time-out; the step's place does not move.
    """
    if not state["moderated"]:
        raise DomainError("forbidden", "Without a therapist, End and erase removes the whole session.")
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["shared"] = [e for e in new_sess["shared"] if e["seat"] != seat]
    if seat in new_sess.get("promises", {}):
        new_sess["promises"][seat] = []
    if new_sess["phase"] == "running" and new_sess["step"] is not None:
        new_sess["step"] = kind_at(new_sess).erase_seat(new_sess["step"], seat)
    return new, event(ERASE_MINE, seat, ctx, new_sess)


# --- views -----------------------------------------------------------------------

def _session_can(state: dict, seat: str) -> list[str]:
    sess = state["session"]
    can = []
    partner = seat in rooms.PARTNERS
    if sess["phase"] == "lobby":
        # Apart, a plan with a spoken step starts only once the couple chose how to talk in it.
        voiced = not voice.needed(state) or voice.chosen(state) is not None
        if partner != state["moderated"]:
            can.append("propose_plan")
        if partner and not state["moderated"]:
            can.append("choosing")
        if partner and not state["moderated"] and sess["plan"] and seat not in sess["agreed"] and voiced:
            can.append("agree_plan")
        if (not partner and state["moderated"] and sess["plan"]
                and rooms.free_partner_seat(state) is None and voiced):
            can.append("start_session")
        can.append("set_mode")
        if partner:
            can += ["offer_promises", "offer_seen"]
        if partner and state["mode"] == "remote":
            can.append("set_voice")
    elif sess["phase"] == "running" and partner:
        if not sess["timeout"]:
            can.append("timeout")
        elif seat not in sess["timeout"]["ready"] and partners_end_it(sess["timeout"]):
            can.append("ready")
    elif (sess["phase"] == "summary" and partner and sess["keep"][seat] is None and not _erased(sess)
          and sess["shared"]):  # with nothing written there is nothing to keep, and nothing to ask
        can.append("keep_summary")
    if partner and state["moderated"]:
        can.append(ERASE_MINE)
    return can


def _instructions(spec: dict, role: str) -> dict:
    texts = spec.get("instructions", {})
    if role == "observer":
        return dict(texts)
    picked = {k: v for k, v in texts.items() if k in (role, "both")}
    return picked or dict(texts)


def _exercise_view(state: dict, seat: str, ctx) -> dict:
    sess = state["session"]
    item = sess["plan"][sess["index"]]
    exercise = sess["specs"][item["exercise"]]
    spec = spec_at(sess)
    step = kind_at(sess).view(sess["step"], seat, step_ctx(state, ctx))
    if sess["timeout"]:
        # Paused: nobody's move is awaited, whatever the step would say.
        step = {**step, "can": [], "waiting_for": []}
    step.update({"index": sess["step_index"], "of": len(exercise["steps"]), "kind": spec["kind"],
                 "title": spec["title"], "instructions": _instructions(spec, step["role"]),
                 # A spoken step of a couple apart: "call" or "typing", as they chose; else None.
                 "voice": voice.for_step(state, spec)})
    if "topics" in spec:
        step["topics"] = list(spec["topics"])
    return {"index": sess["index"], "of": len(sess["plan"]), "id": exercise["id"],
            "title": exercise["title"], "purpose": exercise["purpose"],
            "category": exercise["category"], "care_note": exercise.get("care_note"),
            "step": step}


def view(state: dict, seat: str, view_out: dict, ctx=None) -> None:
    """Fill in the session part of one seat's view."""
    sess = state.get("session")
    if sess is None:
        return
    out = {
        "phase": sess["phase"],
        "plan": [{"exercise": item["exercise"], "title": sess["specs"][item["exercise"]]["title"],
                  "minutes": sess["specs"][item["exercise"]]["minutes"],
                  "options": item.get("options", {}),
                  "skipped": i in sess.get("skipped", ())} for i, item in enumerate(sess["plan"])],
        "plan_by": sess["plan_by"],
        "agreed": list(sess["agreed"]),
        # Who is choosing a plan on their phone right now (the lobby only).
        "choosing": list(sess.get("choosing", ())) if sess["phase"] == "lobby" else [],
        "timeout": (None if not sess["timeout"] else
                    {"by": sess["timeout"]["by"], "ready": list(sess["timeout"]["ready"]),
                     "cooldown": dict(sess["timeout"]["cooldown"]) if sess["timeout"].get("cooldown") else None}),
        "swapped": dict(sess["swapped"]) if sess.get("swapped") else None,
        "exercise": None,
        "summary": None,
        # How many promises each phone brought back (their words show only in a look-back step).
        "promises_offered": {seat: len((sess.get("promises") or {}).get(seat, ())) for seat in rooms.PARTNERS},
        # How many things each phone said the couple has done (the ids stay out of every view).
        "seen_offered": {seat: len((sess.get("seen") or {}).get(seat, ())) for seat in rooms.PARTNERS},
        # Apart: how the couple talks in spoken steps (None in one room).
        "voice": voice.view(state),
    }
    can = _session_can(state, seat)
    if sess["phase"] == "running":
        out["exercise"] = _exercise_view(state, seat, ctx or _NO_CTX)
        can += out["exercise"]["step"]["can"]
    if sess["phase"] == "summary":
        out["summary"] = {"entries": [dict(e) for e in sess["shared"]], "keep": dict(sess["keep"]),
                          "kept": kept(state), "erased": _erased(sess)}
    view_out["session"] = out
    view_out["can"] = can


# Views built without a clock or library (tests, tools): step views need neither.
_NO_CTX = Ctx(now=0.0)


# --- the session's intents --------------------------------------------------------

def declared(kinds=None) -> dict[str, tuple]:
    """The session's own intents: type -> (handler, who may send it, field schemas, required fields).

    The plan's options are those the step kinds in `kinds` read (None: every kind).
    """
    plan = {"plan": {"type": "array", "items": plan_item(kinds), "maxItems": MAX_PLAN}}
    return {
        "propose_plan": (propose_plan, rooms.ANY, plan, ["plan"]),
        "agree_plan": (agree_plan, rooms.PARTNERS_ONLY, {}, []),
        "choosing": (choosing, rooms.PARTNERS_ONLY, {"on": {"type": "boolean"}}, ["on"]),
        "start_session": (start_session, rooms.MODERATOR_ONLY, {}, []),
        "timeout": (call_timeout, rooms.PARTNERS_ONLY, dict(COOLDOWN_FIELDS), []),
        "ready": (ready, rooms.PARTNERS_ONLY, {}, []),
        "offer_promises": (offer_promises, rooms.PARTNERS_ONLY,
                           {"promises": {"type": "array", "maxItems": MAX_PROMISES, "items": PROMISE}}, ["promises"]),
        "offer_seen": (offer_seen, rooms.PARTNERS_ONLY,
                       {"seen": {"type": "array", "maxItems": MAX_SEEN, "items": SEEN_ITEM}}, ["seen"]),
        "keep_summary": (keep_summary, rooms.PARTNERS_ONLY, {"keep": {"type": "boolean"}}, ["keep"]),
        ERASE_MINE: (erase_my_words, rooms.PARTNERS_ONLY, {}, []),
    }
