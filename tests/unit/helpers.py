"""Building blocks for domain tests: a seated room, the real library, intents by name."""

import itertools

from server.domain import intents, rooms, session
from server.domain.context import Ctx
from server.library import load_library

NOW = 1_800_000_000.0
LIBRARY = load_library("exercises")
_ids = itertools.count()


def ctx(now: float = NOW) -> Ctx:
    return Ctx(now=now, exercises=LIBRARY.exercises, feelings=LIBRARY.feelings_by_id)


def room(moderated: bool = False, mode: str = "same_room", partners=("Ana", "Ben")) -> dict:
    state = rooms.new_room(code="ABCDEF", now=NOW, seed=42, moderated=moderated,
                           moderator_secret_hash="m" if moderated else None, session=session.new_session(NOW))
    state["version"] = 1
    state["mode"] = mode
    seats = list(zip(rooms.PARTNERS, partners))
    if moderated:
        seats.append((rooms.MODERATOR, "Dr Lee"))
    for seat, name in seats:
        state, _ = rooms.claim_seat(state, seat, name=name, token_hash=f"t-{seat}", conn=f"c-{seat}", now=NOW)
        state["version"] += 1  # what the store writes for each change
    return state


def act(state: dict, seat: str, intent_type: str, /, *, at: float = NOW, **fields) -> dict:
    """Apply one intent and return the new state (DomainError propagates)."""
    new, _event = intents.apply_intent(state, seat, {"id": f"i{next(_ids)}", "type": intent_type, **fields},
                                       ctx(at))
    return new


def view(state: dict, seat: str) -> dict:
    return intents.view_for(state, seat, ctx())


def started(exercise: str, moderated: bool = False, mode: str = "same_room", voice: str | None = None,
            **options) -> dict:
    """A room whose couple agreed on a one-exercise plan and is now in its first step
    (apart, with `voice` chosen for its spoken steps when given)."""
    state = room(moderated=moderated, mode=mode)
    if voice:
        state = act(state, "partner_a", "set_voice", voice=voice)
    item = {"exercise": exercise, "options": options} if options else {"exercise": exercise}
    if moderated:
        state = act(state, "moderator", "propose_plan", plan=[item])
        return act(state, "moderator", "start_session")
    state = act(state, "partner_a", "propose_plan", plan=[item])
    return act(state, "partner_b", "agree_plan")


def step(state: dict) -> dict:
    return state["session"]["step"]
