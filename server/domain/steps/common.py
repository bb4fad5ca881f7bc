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
    """Return the intent's text; remote couples must type it, a couple in one room may say it aloud."""
    text = (intent.get("text") or "").strip()
    if not text:
        if ctx.mode == "remote":
            raise DomainError("text_required", f"Please type your {label} so your partner can read it.")
        return None
    return text


def entry(seat: str, label: str, text: str | None) -> list[dict]:
    """Return the summary entries for one piece of text ([] when it was said aloud)."""
    return [{"seat": seat, "label": label, "text": text}] if text else []


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
