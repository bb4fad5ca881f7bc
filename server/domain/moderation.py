"""What a therapist can do from the moderator seat, as intents like the partners' own.

Only the moderator's seat may send these (the intents layer refuses anyone
else with `forbidden`), and the moderator cannot send a partner's moves. A
room without a moderator never meets any of this.
"""

import copy

from . import rooms, session
from .errors import DomainError
from .steps import common, kind_at

MAX_PROMPTS = 20
MAX_NOTES = 200


def _running(state: dict) -> dict:
    sess = state["session"]
    if sess["phase"] != "running":
        raise DomainError("wrong_step", "That can only be done during an exercise.")
    return sess


def pause(state: dict, seat: str, intent: dict, ctx):
    """A time-out for both partners, called by the moderator; with `cooldown`, a cool-down for both that
    ends when both partners are ready (or the moderator resumes)."""
    return session.call_timeout(state, seat, intent, ctx)


def resume(state: dict, seat: str, intent: dict, ctx):
    """End any time-out at once, whoever called it."""
    sess = _running(state)
    if not sess["timeout"]:
        raise DomainError("wrong_step", "Nothing is paused.")
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["timeout"] = None
    new_sess["step"] = kind_at(new_sess).resume(new_sess["step"], session.step_ctx(new, ctx))
    return new, session.event("resumed", seat, ctx, new_sess)


def _restart_at(state: dict, index: int, step_index: int, ctx) -> None:
    sess = state["session"]
    sess["index"], sess["step_index"] = index, step_index
    sess["timeout"] = None
    session.start_step(state, ctx)
    session.advance_if_done(state, ctx)


def advance_step(state: dict, seat: str, intent: dict, ctx):
    """Move on to the next step (or exercise, or the summary) without finishing this one."""
    sess = _running(state)
    new = copy.deepcopy(state)
    exercise = sess["specs"][sess["plan"][sess["index"]]["exercise"]]
    if sess["step_index"] + 1 < len(exercise["steps"]):
        _restart_at(new, sess["index"], sess["step_index"] + 1, ctx)
    elif sess["index"] + 1 < len(sess["plan"]):
        _restart_at(new, sess["index"] + 1, 0, ctx)
    else:
        session.finish(new, ctx)
    return new, session.event("advance_step", seat, ctx, new["session"])


def back_step(state: dict, seat: str, intent: dict, ctx):
    """Go back one step (to the previous exercise's last step at an exercise's start), from its beginning."""
    sess = _running(state)
    new = copy.deepcopy(state)
    if sess["step_index"] > 0:
        _restart_at(new, sess["index"], sess["step_index"] - 1, ctx)
    elif sess["index"] > 0:
        previous = sess["specs"][sess["plan"][sess["index"] - 1]["exercise"]]
        _restart_at(new, sess["index"] - 1, len(previous["steps"]) - 1, ctx)
    else:
        _restart_at(new, 0, 0, ctx)
    return new, session.event("back_step", seat, ctx, new["session"])


def skip_exercise(state: dict, seat: str, intent: dict, ctx):
    """Leave the current exercise for the next one (or the summary after the last)."""
    sess = _running(state)
    new = copy.deepcopy(state)
    # Marked so the dashboard and the record say it was skipped, not done.
    skipped = new["session"].setdefault("skipped", [])
    if sess["index"] not in skipped:
        skipped.append(sess["index"])
    if sess["index"] + 1 < len(sess["plan"]):
        _restart_at(new, sess["index"] + 1, 0, ctx)
    else:
        session.finish(new, ctx)
    return new, session.event("skip_exercise", seat, ctx, new["session"])


def swap_roles(state: dict, seat: str, intent: dict, ctx):
    """Swap who speaks and who listens (sends and receives, answers first) in the current step."""
    sess = _running(state)
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["step"] = kind_at(sess).swap_roles(sess["step"], session.step_ctx(state, ctx))
    # Both phones say who swapped, until the step changes.
    new_sess["swapped"] = {"by": seat}
    return new, session.event("swap_roles", seat, ctx, new_sess)


def adjust_timer(state: dict, seat: str, intent: dict, ctx):
    """Lengthen or shorten the running timer by some seconds."""
    sess = _running(state)
    changed = kind_at(sess).adjust_clock(sess["step"], intent["seconds"], session.step_ctx(state, ctx))
    if changed is None:
        raise DomainError("wrong_step", "No timer is running.")
    new = copy.deepcopy(state)
    new["session"]["step"] = changed
    return new, session.event("adjust_timer", seat, ctx, new["session"], seconds=intent["seconds"])


def send_prompt(state: dict, seat: str, intent: dict, ctx):
    """Show a prompt, or an extra question card, on both phones."""
    sess = state["session"]
    if sess["phase"] == "summary":
        raise DomainError("finished", "The session is over.")
    text = intent["text"].strip()
    if not text:
        raise DomainError("missing_field", "Write the prompt first.", field="text")
    new = copy.deepcopy(state)
    prompts = new["session"].setdefault("prompts", [])
    running = sess["phase"] == "running"
    # A card belongs to the step it was given in: the phones show it there and nowhere after.
    prompts.append({"kind": intent.get("kind", "prompt"), "text": text, "at": round(ctx.now, 3),
                    "exercise": sess["index"] if running else None,
                    "step": sess["step_index"] if running else None})
    del prompts[:-MAX_PROMPTS]
    return new, session.event("prompt", seat, ctx, new["session"], prompt_kind=intent.get("kind", "prompt"))


def _here(sess: dict, prompt: dict) -> bool:
    """Whether a prompt was given in the step on the table (or, outside the exercises, is not tied to one)."""
    if sess["phase"] != "running":
        return prompt.get("exercise") is None
    return (prompt.get("exercise"), prompt.get("step")) == (sess["index"], sess["step_index"])


def _card_here(sess: dict) -> dict | None:
    """The newest extra card given in the step on the table, if there is one."""
    for prompt in reversed(sess.get("prompts", [])):
        if prompt["kind"] == "card" and _here(sess, prompt):
            return prompt
    return None


def _card_answers(sess: dict, card: dict) -> dict:
    return {e["seat"]: e["text"] for e in sess["shared"] if e.get("card") == card["at"]}


def answer_card(state: dict, seat: str, intent: dict, ctx):
    """A partner answers the therapist's extra card in writing; the answer is shared like a step's words."""
    sess = _running(state)
    if sess["timeout"]:
        raise DomainError("paused", "A time-out is on; say you are ready to go on first.")
    card = _card_here(sess)
    if card is None:
        raise DomainError("wrong_step", "There is no extra card in this step.")
    if seat in _card_answers(sess, card):
        raise DomainError("wrong_step", "You have answered this card already.")
    text = intent["text"].strip()
    if not text:
        raise DomainError("missing_field", "Write your answer first.", field="text")
    if len(sess["shared"]) >= session.MAX_SHARED:
        raise DomainError("too_many", "This session already holds all the shared words it can keep.",
                          limit="shared")
    new = copy.deepcopy(state)
    new_sess = new["session"]
    exercise = new_sess["specs"][new_sess["plan"][new_sess["index"]]["exercise"]]
    new_sess["shared"].append({"exercise": exercise["title"], "step": "An extra card", "seat": seat,
                               "label": "answered the extra card", "text": text, "card": card["at"],
                               "at": round(ctx.now, 3)})
    return new, session.event("answer_card", seat, ctx, new_sess)


def declared() -> dict[str, tuple]:
    """The partners' one intent about a moderator's card: type -> (handler, who, field schemas, required)."""
    return {"answer_card": (answer_card, rooms.PARTNERS_ONLY, {"text": common.TEXT}, ["text"])}


def end_session(state: dict, seat: str, intent: dict, ctx):
    """End the exercises now; the partners then see the summary and choose whether to keep it."""
    _running(state)
    new = copy.deepcopy(state)
    session.finish(new, ctx)
    return new, session.event("end_session", seat, ctx, new["session"])


# The one control kept outside the room's versioned state (see new_note): only
# the moderator sees it, and it never moves the room (intents.Row.audience/moves).
NOTE = "add_note"
PRIVATE_CONTROLS = (NOTE,)


def new_note(state: dict, seat: str, intent: dict, ctx) -> dict:
    """Check a private note and return it as the store keeps it, outside the room's state.

    Writing a note changes nothing a partner can observe: not the state, not
    the version, not the place. So it is never stale either (a note refers to
    no card or turn), and the store, not the state, remembers its intent id.
    """
    if not state["seats"].get(seat):
        raise DomainError("not_joined", "You are not seated in this room.")
    if seat != rooms.MODERATOR:
        raise DomainError("forbidden", "Your seat may not do that.")
    text = intent["text"].strip()
    if not text:
        raise DomainError("missing_field", "Write the note first.", field="text")
    sess = state["session"]
    return {"text": text, "at": round(ctx.now, 3), "exercise": sess["index"], "step": sess["step_index"]}


def too_many_notes() -> DomainError:
    """The refusal of a note past MAX_NOTES."""
    return DomainError("too_many", f"This session already holds the most notes it can ({MAX_NOTES}).")


def show_notes(view_out: dict, notes: list[dict]) -> None:
    """Put the moderator's private notes (from the store, oldest first) into the moderator's view."""
    if view_out.get("session") is not None:
        view_out["session"]["notes"] = [
            {"n": n["n"], "text": n["text"], "at": n["at"], "exercise": n["exercise"], "step": n["step"]}
            for n in notes]


def _kept_outside(state: dict, seat: str, intent: dict, ctx):
    # services.add_note keeps notes in the store; a note must never enter the versioned state.
    raise DomainError("internal", "A private note is kept outside the room's state.")


def view(state: dict, seat: str, view_out: dict, ctx=None) -> None:
    """Prompts reach every seat; the live list of shared text only the moderator (notes: show_notes)."""
    sess = state.get("session")
    if not sess:
        return
    prompts = [dict(p, here=_here(sess, p)) for p in sess.get("prompts", [])[-3:]]
    card = _card_here(sess) if sess["phase"] == "running" else None
    for p in prompts:
        if card is not None and p["at"] == card["at"]:
            answers = _card_answers(sess, card)
            # A partner sees the other's answer once they have given their own.
            p["answers"] = (answers if seat == rooms.MODERATOR or seat in answers
                            else {k: v for k, v in answers.items() if k == seat})
            if seat in rooms.PARTNERS and seat not in answers and not sess["timeout"]:
                view_out["can"] = view_out["can"] + ["answer_card"]
    view_out["session"]["prompts"] = prompts
    if seat == rooms.MODERATOR:
        view_out["can"] = view_out["can"] + moderator_can(state)
        view_out["session"]["notes"] = []
        view_out["session"]["shared"] = [dict(e) for e in sess["shared"]]


CONTROLS = {
    "pause": (pause, dict(session.COOLDOWN_FIELDS), []),
    "resume": (resume, {}, []),
    "advance_step": (advance_step, {}, []),
    "back_step": (back_step, {}, []),
    "skip_exercise": (skip_exercise, {}, []),
    "swap_roles": (swap_roles, {}, []),
    "adjust_timer": (adjust_timer, {"seconds": {"type": "integer", "minimum": -1800, "maximum": 1800}},
                     ["seconds"]),
    "send_prompt": (send_prompt, {"text": {"type": "string", "maxLength": 600},
                                  "kind": {"type": "string", "enum": ["prompt", "card"]}}, ["text"]),
    "end_session": (end_session, {}, []),
    NOTE: (_kept_outside, {"text": common.TEXT}, ["text"]),
}


def moderator_can(state: dict) -> list[str]:
    """Return the controls the moderator may use right now."""
    sess = state["session"]
    can = ["add_note"]
    if sess["phase"] == "summary":
        return can
    can.append("send_prompt")
    if sess["phase"] == "running":
        can.append("end_session")
        can += ["resume"] if sess["timeout"] else ["pause"]
        can += ["advance_step", "back_step", "skip_exercise", "swap_roles"]
        if kind_at(sess).adjustable(sess["step"]):
            can.append("adjust_timer")
    return can
