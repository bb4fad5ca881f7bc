"""Step machines: one module per step kind, all with the same small interface.

A step machine is a module with plain functions over a JSON-able dict `st`
(the step's own state). None of them mutates its argument.

    KIND: str                      # the `kind` in the exercise files
    OPTIONS: tuple[str, ...]       # the plan options this kind reads (ctx.options)
    INTENTS: dict[str, tuple[dict, list[str]]]
        # intent type -> (field schemas as JSON Schema fragments, required fields);
        # type names are unique across all machines and the session.
    start(spec, ctx) -> st         # spec: the step from the exercise file (defaults filled)
    apply(st, seat, intent, ctx) -> (st, shared)
        # shared: list of {"seat", "label", "text"} that this intent put on the
        # table (for the end-of-session summary); [] when nothing was written.
        # Refusals raise DomainError: not_your_turn (a right intent from the
        # wrong seat), wrong_step (not possible in this phase), text_required
        # (remote mode without text), bad_value, finished (the step is over).
    view(st, seat, ctx) -> dict    # what this seat may see; seat may be "moderator".
        # Always has: "phase", "role" (this seat's role or "observer"),
        # "waiting_for" (the seats whose move the step still needs: never one
        # that has already made it), "can" (intent types this seat may send
        # right now; a seat may still replace a move it made, so it can hold
        # something while not waited for). Never a private answer before its reveal.
    done(st) -> bool               # a done step accepts nothing more
    deadline(st) -> float | None   # an absolute time the server must act at
    tick(st, ctx) -> (st, shared) | None   # called once now >= deadline
    pause(st, ctx) -> st           # a time-out began: stop clocks
    resume(st, ctx) -> st          # the time-out ended: restart clocks
    swap_roles(st, ctx) -> st      # a moderator swapped who speaks and who listens

`ctx` is a `server.domain.context.StepCtx`. Seats are "partner_a" and
"partner_b"; a step's roles are always held by those two seats.
"""

from . import cards, checkin, imago, speaker_listener, timed_turns

MACHINES = {m.KIND: m for m in (speaker_listener, imago, cards, checkin, timed_turns)}


def register(module) -> None:
    """Make a step machine module available under its KIND."""
    MACHINES[module.KIND] = module


def machine(kind: str):
    """Return the module of a step kind (KeyError for an unknown kind)."""
    return MACHINES[kind]
