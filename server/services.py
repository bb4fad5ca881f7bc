"""Use cases. Each takes the store (and a clock) as arguments and returns plain results.

Secrets are made here, not in the domain: the domain only ever sees hashes of
seat tokens and of the moderator secret, so the state in Redis cannot be used
to take over a seat.
"""

import hashlib
import hmac
import secrets
import time
import zoneinfo
from dataclasses import dataclass

from .domain import call, intents, moderation, rooms, session, summary
from .domain.context import Ctx
from .domain.errors import DomainError

TOKEN_BYTES = 24  # 192 bits: unguessable, and short enough for localStorage and links
CREATE_ATTEMPTS = 8


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token or secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_code(length: int = rooms.CODE_LENGTH) -> str:
    """Return a random room code of `length` characters from the read-aloud alphabet."""
    return "".join(secrets.choice(rooms.CODE_ALPHABET) for _ in range(length))


@dataclass
class Seated:
    """A seat just claimed or resumed: the state after it, the seat, and secrets to hand out once."""
    state: dict
    seat: str
    token: str | None = None
    moderator_secret: str | None = None
    replaced_conn: str | None = None
    # The seat was held before and is now bound to this connection anew (a
    # resume, or the moderator seat claimed again): its other connections go.
    takes_over: bool = False


@dataclass
class Applied:
    """An applied (or recognised as already applied) intent."""
    state: dict
    changed: bool
    audience: list[str] | None = None  # the seats whose view changed; None: every occupied seat


def _check_limit(store, limits: dict, bucket: str, addr: str) -> None:
    limit, window = limits.get(bucket, (0, 60))
    if not limit:
        return
    n, left = store.hit(f"{bucket}:{addr}", window)
    if n > limit:
        raise DomainError("rate_limited", "Too many attempts from this network; please wait a moment.",
                          retry_after=left or window)


def create_room(store, *, name: str, role: str, conn: str, addr: str, limits: dict,
                now: float | None = None) -> Seated:
    """Open a room and seat its creator: partner_a, or the moderator of a moderated room."""
    now = time.time() if now is None else now
    name = rooms.clean_name(name)
    _check_limit(store, limits, "create", addr)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moderated = role == "moderator"
    mod_secret = secrets.token_urlsafe(TOKEN_BYTES) if moderated else None
    for _ in range(CREATE_ATTEMPTS):
        # A therapist's room lives longer and is worth more to a guesser; its
        # code travels in links anyway, so it can be longer.
        code = new_code(rooms.MODERATED_CODE_LENGTH if moderated else rooms.CODE_LENGTH)
        state = rooms.new_room(
            code=code, now=now, seed=secrets.randbits(32), moderated=moderated,
            moderator_secret_hash=hash_secret(mod_secret) if mod_secret else None,
            session=session.new_session(now))
        seat = rooms.MODERATOR if moderated else rooms.PARTNERS[0]
        state, event = rooms.claim_seat(state, seat, name=name, token_hash=hash_secret(token),
                                        conn=conn, now=now)
        created = store.create(code, state, {**event, "type": "room_created"})
        if created is not None:
            return Seated(created, seat, token, mod_secret)
    raise DomainError("busy", "Could not find a free room code; please try again.")


def join_room(store, *, code_raw, name: str, conn: str, addr: str, limits: dict,
              moderator_secret: str | None = None, on_seat=None, now: float | None = None) -> Seated:
    """Seat a newcomer: the free partner seat, or the moderator seat with its own secret.

    `on_seat(code, seat)` is called once the seat is known and before it is
    written (again if a retry picks another seat), so the caller can listen
    for the room's pushes before anyone else can see the seat taken.
    """
    now = time.time() if now is None else now
    # Count every attempt, valid or not: codes are short, guessing must be slow.
    _check_limit(store, limits, "join", addr)
    code = rooms.normalize_code(code_raw)
    if code is None:
        raise DomainError("not_found", "No room has that code. Check the letters and try again.")
    name = rooms.clean_name(name)
    token = secrets.token_urlsafe(TOKEN_BYTES)

    def claim(state):
        if moderator_secret is not None:
            expected = state.get("moderator_secret_hash")
            if not expected or not hmac.compare_digest(expected, hash_secret(moderator_secret)):
                raise DomainError("forbidden", "That moderator link is not valid for this room.")
            held = state["seats"].get(rooms.MODERATOR)
            previous = (held or {}).get("conn")
            if on_seat is not None:
                on_seat(code, rooms.MODERATOR)
            new, event = rooms.claim_seat(state, rooms.MODERATOR, name=name,
                                          token_hash=hash_secret(token), conn=conn, now=now)
            return new, event, (rooms.MODERATOR, previous, bool(held))
        new, event = rooms.claim_seat(state, None, name=name, token_hash=hash_secret(token),
                                      conn=conn, now=now)
        seat = next(s for s in rooms.PARTNERS if new["seats"][s] and not state["seats"][s])
        if on_seat is not None:
            on_seat(code, seat)
        return new, event, (seat, None, False)

    try:
        state, _changed, (seat, previous, reclaimed) = store.update(code, claim)
    except DomainError as err:
        if err.code == "not_found":
            raise DomainError("not_found", "No room has that code. Check the letters and try again.")
        raise
    replaced = previous if previous and previous != conn else None
    return Seated(state, seat, token, replaced_conn=replaced, takes_over=reclaimed)


RESUME_REFUSED = "This session has ended, or this device no longer has a seat in it."


def resume(store, *, code_raw, token: str, conn: str, addr: str = "unknown", limits: dict | None = None,
           on_seat=None, now: float | None = None) -> Seated:
    """Re-attach a connection to the seat its token names; the seat's older connection is returned.

    An unknown code and a wrong token get the same answer, so resume tells a
    guesser nothing about which codes are live; each failure counts against
    the address's `resume` limit (a success costs nothing extra). `on_seat`
    is called as for `join_room`.
    """
    now = time.time() if now is None else now
    code = rooms.normalize_code(code_raw)
    token_hash = hash_secret(token)

    def attach(state):
        seat = rooms.seat_for_token(state, token_hash)
        if seat is None:
            raise DomainError("not_found", RESUME_REFUSED)
        previous = state["seats"][seat]["conn"]
        if on_seat is not None:
            on_seat(code, seat)
        new, event = rooms.attach(state, seat, conn, now)
        return new, event, (seat, previous)

    try:
        if code is None:
            raise DomainError("not_found", RESUME_REFUSED)
        state, changed, (seat, previous) = store.update(code, attach)
    except DomainError as err:
        if err.code != "not_found":
            raise
        _check_limit(store, limits or {}, "resume", addr)
        raise DomainError("not_found", RESUME_REFUSED) from None
    replaced = previous if previous and previous != conn else None
    return Seated(state, seat, replaced_conn=replaced, takes_over=changed)


def check_seat(store, *, code_raw, token: str, addr: str = "unknown", limits: dict | None = None) -> None:
    """Pass when the token still holds a seat in the room; else `not_found`, the same for a gone room and a wrong token.

    Nothing is written: a phone on its home screen asks this before offering
    to continue, without coming online in the room. A failure counts against
    the address's `resume` limit, like a failed resume: both probe seats.
    """
    code = rooms.normalize_code(code_raw)
    state = store.load(code) if code is not None else None
    if state is None or rooms.seat_for_token(state, hash_secret(token)) is None:
        _check_limit(store, limits or {}, "resume", addr)
        raise DomainError("not_found", "This session has ended or never existed.")


def disconnect(store, *, code: str, seat: str, conn: str, now: float | None = None) -> Applied | None:
    """Mark the seat away if this connection still holds it; None when the room is gone."""
    now = time.time() if now is None else now
    try:
        state, changed, _ = store.update(code, lambda s: (*rooms.detach(s, seat, conn, now), None))
    except DomainError as err:
        if err.code == "not_found":
            return None
        raise
    return Applied(state, changed)


def reattach(store, *, code: str, seat: str, conn: str, now: float | None = None) -> Applied | None:
    """Mark the seat online again for this still-open connection if nobody took it; None when the room is gone."""
    now = time.time() if now is None else now
    try:
        state, changed, _ = store.update(code, lambda s: (*rooms.reattach(s, seat, conn, now), None))
    except DomainError as err:
        if err.code == "not_found":
            return None
        raise
    return Applied(state, changed)


def leave(store, *, code: str, seat: str, now: float | None = None) -> Applied:
    """Mark the seat as left on purpose, and off the call."""
    now = time.time() if now is None else now

    def left(state):
        new, event = rooms.leave(state, seat, now)
        return call.without(new, seat), event, None

    state, changed, _ = store.update(code, left)
    return Applied(state, changed)


def call_join(store, *, code: str, seat: str, now: float | None = None) -> Applied:
    """Put the seat on the room's call (refused with `no_call` where the room has none)."""
    now = time.time() if now is None else now
    state, changed, _ = store.update(code, lambda s: (*call.join(s, seat, now), None))
    return Applied(state, changed)


def call_leave(store, *, code: str, seat: str, now: float | None = None) -> Applied:
    """Take the seat off the room's call."""
    now = time.time() if now is None else now
    state, changed, _ = store.update(code, lambda s: (*call.leave(s, seat, now), None))
    return Applied(state, changed)


def context(library, now: float | None = None) -> Ctx:
    """Return the domain context for one intent: the time now and the library's data."""
    now = time.time() if now is None else now
    if library is None:
        return Ctx(now=now)
    return Ctx(now=now, exercises=library.exercises, feelings=library.feelings_by_id)


def apply_intent(store, *, code: str, seat: str, intent: dict, library=None,
                 now: float | None = None) -> Applied:
    """Apply a seated intent through the store's one atomic path (a private note: see add_note).

    A `stale` refusal carries the state it was refused on as `err.state`.
    """
    if intent["type"] == moderation.NOTE:
        return add_note(store, code=code, seat=seat, intent=intent, now=now)
    ctx = context(library, now)

    def step(state):
        try:
            new, event = intents.apply_intent(state, seat, intent, ctx)
        except DomainError as err:
            if err.code == "stale":
                # The state it was refused on, so the caller can answer with a fresh
                # view without reading the room again (an attribute: never in the ack).
                err.state = state
            raise
        return new, event, session.deadline(state)

    # The version its phone saw (validation.ENVELOPE: an integer when present).
    state, changed, was = store.update(code, step, limit_size=True, seen=intent.get("version"))
    if changed:
        store.schedule(code, session.deadline(state), was)
        if intent["type"] == session.ERASE_MINE or (intent["type"] == "keep_summary" and not intent.get("keep")):
            store.forget_history()  # words were wiped from the state: out of Redis's files too
    return Applied(state, changed, intents.audience(state, intent["type"]))


def add_note(store, *, code: str, seat: str, intent: dict, now: float | None = None) -> Applied:
    """Keep the moderator's private note outside the room's state: no version, no partner, no place moves.

    The store applies the intent id once (a retry after a reconnect is a
    duplicate) and refuses a note past the cap with nothing written.
    """
    state = store.load(code)
    if state is None:
        raise DomainError("not_found", "This room has ended or never existed.")
    note = moderation.new_note(state, seat, intent, context(None, now))
    status, _held = store.add_note(code, intent["id"], note, moderation.MAX_NOTES)
    if status == "not_found":
        raise DomainError("not_found", "This room has ended or never existed.")
    if status == "too_many":
        raise moderation.too_many_notes()
    return Applied(state, status == "added", [rooms.MODERATOR])


def tick(store, *, code: str, indexed: float | None = None, library=None,
         now: float | None = None) -> Applied | None:
    """Let the room's clock act if its deadline passed; None when the room is gone.

    `indexed` is the deadline the index held for the room when the sweeper
    picked it; an entry the room no longer backs is dropped only if it is
    still that one.
    """
    ctx = context(library, now)
    try:
        state, changed, was = store.update(code, lambda s: (*session.tick(s, ctx), session.deadline(s)))
    except DomainError as err:
        if err.code != "not_found":
            raise
        store.unschedule(code)
        return None
    store.schedule(code, session.deadline(state), was if changed else indexed)
    return Applied(state, changed)


def _zone(name: str | None):
    """The reader's time zone (an IANA name from their device), or UTC; `bad_value` for a name nobody knows."""
    if name is None:
        return summary.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError("bad_value", "That time zone is unknown.", field="tz") from None


def export_summary(store, *, code: str, seat: str, tz: str | None = None) -> dict:
    """Return the summary as Markdown and JSON: a partner's once both kept it, the moderator's any time;
    times in `tz` (an IANA zone name) when given, else UTC."""
    zone = _zone(tz)
    state = store.load(code)
    if state is None:
        raise DomainError("not_found", "This room has ended or never existed.")
    if seat == rooms.MODERATOR:
        return summary.for_moderator(state, store.events(code), store.notes(code), tz=zone)
    return summary.export(state, seat, tz=zone)


def end_and_erase(store, *, code: str, seat: str) -> dict:
    """Delete every key of the room; returns the last state so the caller can tell the seats.

    A guided room belongs to its therapist: only the moderator ends and erases
    it (its notes and timeline with it); a partner may leave, or erase their
    own words (session.erase_my_words), and is refused `forbidden` here.
    """
    state = store.load(code)
    if state is None:
        raise DomainError("not_found", "This room has ended or never existed.")
    if not state["seats"].get(seat):
        raise DomainError("not_joined", "You are not seated in this room.")
    if not rooms.may_erase(state, seat):
        raise DomainError("forbidden", "In a guided session only your therapist ends and erases it; "
                          "you can leave, or erase what you wrote.")
    store.erase(code)
    return state


def timeline(store, *, code: str, seat: str, since: int = 0, notes_since: int | None = None) -> list[dict]:
    """Return the room's events after version `since` for its moderator: who did what when, never anyone's words.

    Notes are in it too, without their text: those after the first
    `notes_since` notes (without it, those written after version `since`).
    Each event carries its words (`what`) and place (`where`), as the
    moderator's export writes them (summary.timeline).
    """
    if seat != rooms.MODERATOR:
        raise DomainError("forbidden", "Only the moderator sees the timeline.")
    notes = store.notes(code)
    notes = [n for n in notes if (n["n"] > notes_since if notes_since is not None else n["version"] > since)]
    events = summary.merged_timeline(store.events(code, since), notes)
    return summary.timeline(store.load(code) or {}, events)
