"""Rooms, seats, presence and intent bookkeeping, as pure functions over plain dicts.

A room's state is a JSON-able dict. Every function here returns a new dict and
never mutates its argument, so the store can retry a compare-and-set by simply
calling the function again on the fresh state.
"""

import copy
import hmac
import unicodedata

from . import staleness
from .errors import DomainError

PARTNERS = ("partner_a", "partner_b")
MODERATOR = "moderator"
SEATS = PARTNERS + (MODERATOR,)
# Who may send an intent (intents.Row.who).
ANY = "any"
PARTNERS_ONLY = "partners"
MODERATOR_ONLY = "moderator"
PRESENCE = ("online", "away", "left")
MODES = ("same_room", "remote")

# No 0/O, 1/I/L: a code is read aloud across a sofa or typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# A therapist's room (role moderator) gets a longer code: it is shared by link.
MODERATED_CODE_LENGTH = 10
CODE_LENGTHS = (CODE_LENGTH, MODERATED_CODE_LENGTH)
MAX_NAME = 40
# Enough to absorb the retries of a flaky phone, small enough to keep state lean.
RECENT_INTENTS = 64


def normalize_code(raw) -> str | None:
    """Return the canonical room code for what a person typed, or None if it cannot be one."""
    if not isinstance(raw, str):
        return None
    code = "".join(ch for ch in raw.upper() if ch not in " -_")
    if len(code) not in CODE_LENGTHS or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


# Control (Cc: BEL, ESC, ...) and format (Cf: RLO U+202E, zero-width U+200B,
# ...) characters: invisible, or able to reorder or hide the text around
# them, so a name holding them could pass for another person's.
_HIDDEN = frozenset(("Cc", "Cf"))


def clean_name(raw) -> str:
    """Return a display name without control or format characters and with its spaces collapsed.

    Refuse a name that is empty afterwards (`invalid_name`) or overlong.
    """
    # Whitespace first (a tab or line break parts two words), then whatever
    # else hides or reorders text, then the spaces that removing it left.
    name = " ".join(str(raw).split())
    name = " ".join("".join(ch for ch in name if unicodedata.category(ch) not in _HIDDEN).split())
    if not name:
        raise DomainError("invalid_name", "Please enter a name.")
    if len(name) > MAX_NAME:
        raise DomainError("text_too_long", f"Names can be at most {MAX_NAME} characters.", field="name")
    return name


def new_room(*, code: str, now: float, seed: int, moderated: bool = False,
             moderator_secret_hash: str | None = None, session: dict | None = None) -> dict:
    """Return the state of a fresh, empty room (version 0, nobody seated)."""
    return {
        "code": code,
        "version": 0,
        "created_at": now,
        "seed": seed,
        "mode": "same_room",
        "moderated": moderated,
        "moderator_secret_hash": moderator_secret_hash,
        "seats": {seat: None for seat in SEATS},
        "recent": [],
        "session": session,
    }


def _copy(state: dict) -> dict:
    return copy.deepcopy(state)


def _with_seat(state: dict, seat: str, **changes) -> dict:
    # Presence changes one seat: copy that seat and the seats map, share the rest.
    return {**state, "seats": {**state["seats"], seat: {**state["seats"][seat], **changes}}}


def _event(kind: str, seat: str | None, now: float, **extra) -> dict:
    # Log entries name what happened and who did it, never what anyone wrote.
    return {"type": kind, "seat": seat, "at": round(now, 3), **extra}


def occupied(state: dict) -> list[str]:
    """Return the seats that somebody holds, in seat order."""
    return [seat for seat in SEATS if state["seats"].get(seat)]


def seat_for_token(state: dict, token_hash: str) -> str | None:
    """Return the seat whose token hashes to `token_hash`, comparing in constant time."""
    found = None
    for seat in SEATS:
        held = state["seats"].get(seat)
        if held and hmac.compare_digest(held["token_hash"], token_hash):
            found = seat
    return found


def free_partner_seat(state: dict) -> str | None:
    """Return the first partner seat nobody holds, or None when the couple is complete."""
    for seat in PARTNERS:
        if not state["seats"].get(seat):
            return seat
    return None


def claim_seat(state: dict, seat: str | None, *, name: str, token_hash: str, conn: str | None,
               now: float) -> tuple[dict, dict]:
    """Seat a person (a free partner seat when `seat` is None) and mark them online."""
    name = clean_name(name)
    if seat is None:
        seat = free_partner_seat(state)
        if seat is None:
            raise DomainError("room_full", "This room already has two partners.")
    elif seat not in SEATS:
        # Seats are named by the server, never by a client: this is a bug, not a refusal.
        raise ValueError(f"no such seat: {seat!r}")
    elif state["seats"].get(seat) and seat != MODERATOR:
        raise DomainError("room_full", "That seat is taken.")
    new = _copy(state)
    new["seats"][seat] = {
        "name": name,
        "presence": "online",
        "token_hash": token_hash,
        "conn": conn,
        "joined_at": now,
    }
    # Who is in the room is part of what a lobby decision is made on.
    staleness.moved(new)
    return new, _event("seat_claimed", seat, now)


def attach(state: dict, seat: str, conn: str, now: float) -> tuple[dict, dict | None]:
    """Bind a live connection to a seat and mark it online; returns the old connection too."""
    held = state["seats"].get(seat)
    if not held:
        raise DomainError("not_found", "That seat is no longer yours.")
    if held["presence"] == "online" and held["conn"] == conn:
        return state, None
    return _with_seat(state, seat, presence="online", conn=conn), _event("presence", seat, now, presence="online")


def detach(state: dict, seat: str, conn: str, now: float) -> tuple[dict, dict | None]:
    """Mark a seat away when its current connection drops; a stale connection changes nothing."""
    held = state["seats"].get(seat)
    # A phone that reconnected before the old socket timed out already owns
    # the seat under a new connection: the old one's goodbye must not win.
    if not held or held["conn"] != conn or held["presence"] != "online":
        return state, None
    return _with_seat(state, seat, presence="away", conn=None), _event("presence", seat, now, presence="away")


def reattach(state: dict, seat: str, conn: str, now: float) -> tuple[dict, dict | None]:
    """Mark a seat online again for a connection that is still open, unless another one took the seat.

    Used when a live process finds its presence lease ran out and another
    process may have marked its seats away (see transport/presence.py).
    """
    held = state["seats"].get(seat)
    if not held or held["presence"] == "left" or held["conn"] not in (None, conn):
        return state, None
    return attach(state, seat, conn, now)


def leave(state: dict, seat: str, now: float) -> tuple[dict, dict | None]:
    """Mark a seat as deliberately left; the seat and its token are kept so they can come back."""
    held = state["seats"].get(seat)
    if not held:
        raise DomainError("not_joined", "You are not seated in this room.")
    if held["presence"] == "left":
        return state, None
    return _with_seat(state, seat, presence="left", conn=None), _event("presence", seat, now, presence="left")


def is_duplicate(state: dict, seat: str, intent_id: str) -> bool:
    """Tell whether this seat's intent id was already applied (a retry after a reconnect)."""
    return [seat, intent_id] in state["recent"]


def remember(state: dict, seat: str, intent_id: str) -> None:
    """Record an applied intent id on a state copy the caller owns (its top level; the list is made anew)."""
    state["recent"] = (state["recent"] + [[seat, intent_id]])[-RECENT_INTENTS:]


def set_mode(state: dict, seat: str, intent: dict, ctx) -> tuple[dict, dict]:
    """Choose whether the couple sits together (aloud) or apart (typed)."""
    if state.get("session") and state["session"]["phase"] != "lobby":
        raise DomainError("wrong_step", "The way you sit together is chosen before the session starts.")
    if intent["mode"] not in MODES:
        raise DomainError("bad_value", "Mode must be same_room or remote.", field="mode")
    new = _copy(state)
    new["mode"] = intent["mode"]
    return new, _event("mode_set", seat, ctx.now, mode=intent["mode"])


def may_erase(state: dict, seat: str) -> bool:
    """Tell whether this seat may end and erase the whole room: a guided room belongs to its moderator."""
    return not state["moderated"] or seat == MODERATOR


def role_of(seat: str) -> str:
    """Return what a seat is: "moderator" for the moderator's seat, "partner" otherwise."""
    return "moderator" if seat == MODERATOR else "partner"


def seat_summary(state: dict) -> dict:
    """Return who sits where, as every seat may see it: names, presence and role only.

    The role comes from the seat, never from the name, so a partner who calls
    themself "Moderator" is still shown as a partner.
    """
    return {
        seat: ({"name": held["name"], "presence": held["presence"], "role": role_of(seat)} if held else None)
        for seat, held in state["seats"].items()
    }
