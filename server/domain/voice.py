"""How a couple apart talks in the steps whose words are spoken: on a call in Attune, or by typing.

A step is spoken when its kind says so (the optional `spoken(spec)` of a kind
module: aloud cards, timed turns). In a `remote` room whose plan holds one,
the couple chooses in the lobby (`set_voice`, either partner, the last choice
counts), and the plan does not start until they have (`choose_voice`). The
choice reaches a spoken step's machine as `StepCtx.voice`: "typing" turns it
into a typed step, "call" lets the words be said on the call. A couple in one
room, and every step that is typed anyway, never meet any of this.
"""

import copy

from . import rooms, steps
from .errors import DomainError

VOICES = ("call", "typing")
FIELDS = {"voice": {"type": "string", "enum": list(VOICES)}}


def spoken(spec: dict) -> bool:
    """Whether this step of an exercise file is spoken rather than typed (its kind's `spoken`, else False)."""
    said = getattr(steps.KINDS[spec["kind"]], "spoken", None)
    return bool(said and said(spec))


def needed(state: dict) -> bool:
    """Whether this room must choose how it talks: apart, with a spoken step in its plan."""
    sess = state.get("session") or {}
    if state["mode"] != "remote" or not sess.get("plan"):
        return False
    return any(spoken(spec) for item in sess["plan"] for spec in sess["specs"][item["exercise"]]["steps"])


def chosen(state: dict) -> str | None:
    """The couple's choice ("call" | "typing"), or None; a couple in one room has none."""
    if state["mode"] != "remote":
        return None
    return ((state.get("session") or {}).get("voice") or {}).get("choice")


def for_step(state: dict, spec: dict) -> str | None:
    """What a step's machine is told (StepCtx.voice): the choice when the step is spoken, else None."""
    return chosen(state) if spoken(spec) else None


def require(state: dict) -> None:
    """Refuse to start a plan with a spoken step while a couple apart has not chosen how to talk."""
    if needed(state) and chosen(state) is None:
        raise DomainError("choose_voice", "First choose how you'll talk in the spoken steps: "
                          "on a call in Attune, or by typing.")


def set_voice(state: dict, seat: str, intent: dict, ctx):
    """Choose how the couple apart talks in spoken steps (lobby only, `remote` only; the last choice counts)."""
    sess = state.get("session")
    if not sess or sess["phase"] != "lobby":
        raise DomainError("wrong_step", "How you talk is chosen before the session starts.")
    if state["mode"] != "remote":
        raise DomainError("not_remote", "In the same room you talk aloud; this is for couples apart.")
    choice = intent.get("voice")
    if choice not in VOICES:
        raise DomainError("bad_value", "Voice must be call or typing.", field="voice")
    new = copy.deepcopy(state)
    new["session"]["voice"] = {"choice": choice, "by": seat}
    return new, {"type": "voice_set", "seat": seat, "at": round(ctx.now, 3), "exercise": None, "step": None,
                 "voice": choice}


def view(state: dict) -> dict | None:
    """The session view's `voice`: None in one room; apart `{needed, choice, by}`."""
    if state["mode"] != "remote" or not state.get("session"):
        return None
    held = state["session"].get("voice") or {}
    return {"needed": needed(state), "choice": held.get("choice"), "by": held.get("by")}


def declared() -> dict[str, tuple]:
    """The intent this module adds: type -> (handler, who may send it, field schemas, required fields)."""
    return {"set_voice": (set_voice, rooms.PARTNERS_ONLY, dict(FIELDS), ["voice"])}
