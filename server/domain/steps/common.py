"""Small pieces the step machines share."""

import copy

from ..errors import DomainError

PARTNERS = ("partner_a", "partner_b")
MODERATOR = "moderator"
MAX_TEXT = 2000
TEXT = {"type": "string", "maxLength": MAX_TEXT}
BOOL = {"type": "boolean"}


def other(seat: str) -> str:
    """Return the other partner's seat."""
    return "partner_b" if seat == "partner_a" else "partner_a"


def copied(st: dict) -> dict:
    """Return a deep copy the caller may change freely."""
    return copy.deepcopy(st)


def text_of(intent: dict, ctx, *, label: str) -> str | None:
    """Return the intent's text; remote couples must type it, a couple in one room may say it aloud,
    and so may a couple apart in a spoken step they chose to do on a call (ctx.voice "call")."""
    text = (intent.get("text") or "").strip()
    if not text:
        if ctx.mode == "remote" and getattr(ctx, "voice", None) != "call":
            raise DomainError("text_required", f"Please type your {label} so your partner can read it.")
        return None
    return text


def entry(seat: str, label: str, text: str | None) -> list[dict]:
    """Return the summary entries for one piece of text ([] when it was said aloud)."""
    return [{"seat": seat, "label": label, "text": text}] if text else []


def blanked(st: dict, slots) -> dict:
    """Return the state with these slots of the exchange on the table (`st["current"]`) blanked;
    `st` itself when none of them holds anything."""
    if not any(st["current"].get(slot) is not None for slot in slots):
        return st
    new = copied(st)
    for slot in slots:
        new["current"][slot] = None
    return new


def too_many(limit: str, message: str) -> DomainError:
    """The refusal for a move past one of a room's size limits; `limit` names which (stable)."""
    return DomainError("too_many", message, limit=limit)


def not_your_turn(waiting: str) -> DomainError:
    """The refusal for a move that belongs to the other partner."""
    return DomainError("not_your_turn", f"It is the {waiting}'s turn.")


def wrong_step(what: str) -> DomainError:
    """The refusal for a move this step does not allow right now."""
    return DomainError("wrong_step", f"That is not possible now: {what}.")


def finished() -> DomainError:
    """The refusal for anything sent to a step that is over."""
    return DomainError("finished", "This step is already finished.")


def guard(st: dict, seat: str, kind: str, *, phases: dict, doing: dict, actors, who: str) -> None:
    """Refuse a move, in this order: to a step that is over (finished); one its phase does not take
    (`phases[phase]`: wrong_step, "now it is time to <doing[phase]>"); one from a seat not among
    `actors` (not_your_turn, naming `who`). Returns None when the move may be made."""
    if st["phase"] == "done":
        raise finished()
    if kind not in phases[st["phase"]]:
        raise wrong_step(f"now it is time to {doing[st['phase']]}")
    if seat not in actors:
        raise not_your_turn(who)


# --- one clock, in one phase ------------------------------------------------------------
# A kind with one clock keeps two keys in its state: `deadline` (the absolute time the
# running clock ends; None while it stands) and `paused_remaining` (the seconds it had
# left when a time-out stopped it; None otherwise). The clock runs only in one phase.


def run_clock(new: dict, seconds: float, ctx) -> None:
    """Start the clock on a state the caller has just copied: it ends `seconds` from now."""
    new["deadline"] = ctx.now + seconds
    new["paused_remaining"] = None


def clear_clock(new: dict) -> None:
    """Take the clock off a state the caller has just copied (no deadline, nothing paused)."""
    new["deadline"] = None
    new["paused_remaining"] = None


def clock(running: str, run_out):
    """The clock members of a kind whose clock runs in phase `running`; `run_out(st)` is the state once
    the time is up (it copies, and clears the clock). Returns plain functions, in this order:

        deadline, tick, pause, resume, adjustable, adjust_clock = common.clock("speaking", _end_turn)
    """

    def deadline(st: dict) -> float | None:
        """The absolute time the running clock ends (None while paused or in another phase)."""
        return st["deadline"] if st["phase"] == running else None

    def tick(st: dict, ctx):
        """The time is up once the deadline has passed; None when nothing is due (a repeated tick is harmless)."""
        due = deadline(st)
        if due is None or ctx.now < due:
            return None
        return run_out(st), []

    def pause(st: dict, ctx) -> dict:
        """A time-out stops the running clock, keeping the seconds left."""
        due = deadline(st)
        if due is None:
            return st
        new = copied(st)
        new["paused_remaining"] = max(due - ctx.now, 0.0)
        new["deadline"] = None
        return new

    def resume(st: dict, ctx) -> dict:
        """The time-out ended: the paused clock runs on with the seconds it had left."""
        if st["phase"] != running or st["paused_remaining"] is None:
            return st
        new = copied(st)
        run_clock(new, st["paused_remaining"], ctx)
        return new

    def adjustable(st: dict) -> bool:
        """A moderator may change the clock while it runs (or is paused)."""
        return st["phase"] == running

    def adjust_clock(st: dict, seconds: int, ctx) -> dict | None:
        """Lengthen (or shorten, with negative seconds) the clock; None when it does not run."""
        if not adjustable(st):
            return None
        new = copied(st)
        if new["paused_remaining"] is not None:
            new["paused_remaining"] = max(0.0, new["paused_remaining"] + seconds)
        else:
            # Shortening never moves the deadline into the past: the time is up at the next tick.
            new["deadline"] = max(ctx.now, new["deadline"] + seconds)
        return new

    return deadline, tick, pause, resume, adjustable, adjust_clock


def no_deadline(st: dict):
    """For machines without clocks."""
    return None


def unchanged(st: dict, ctx) -> dict:
    """For machines without clocks: pausing and resuming change nothing."""
    return st


def no_tick(st: dict, ctx):
    """For machines without clocks: a tick never has anything to do."""
    return None


def no_check(spec: dict, where: str, seen: dict):
    """For kinds whose exercise-file fields the schema checks completely."""
    return ()


def never_adjustable(st: dict) -> bool:
    """For kinds without a timer a moderator could change."""
    return False


def no_adjust(st: dict, seconds: int, ctx):
    """For kinds without a timer: there is nothing to lengthen or shorten."""
    return None


def no_words(st: dict, seat: str) -> dict:
    """For kinds whose step state holds nobody's words: erasing a seat's words changes nothing here."""
    return st


def open_floor(st: dict) -> None:
    """No floor on a call: anyone may speak (a kind without a `floor`)."""
    return None


# For kinds without a clock, in the order `clock` returns its members:
#     deadline, tick, pause, resume, adjustable, adjust_clock = common.NO_CLOCK
NO_CLOCK = (no_deadline, no_tick, unchanged, unchanged, never_adjustable, no_adjust)
