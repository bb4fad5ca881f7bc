"""Stopping an exercise by agreement: a way out that erases nothing and asks nobody to explain.

Either partner may ask to stop the exercise on the table, at any step and
during a time-out too (a way out is always open). The other partner sees the
request at once and may agree; the asker may take it back. Once both partners
agree (or, in a guided room, once the therapist agrees) the session moves to
the next exercise, or to the summary after the last, and the summary marks
the exercise as stopped. Nothing is erased: what was shared stays shared, and
what was still private (an unrevealed answer, a held check-in) is never
revealed. A time-out that is on stays on into the next exercise, so a
cool-down still ends only when both are ready.

A request belongs to one exercise: it lapses if the exercise ends another way
(finished, skipped by the moderator). Asking moves no place, so nobody's next
tap turns stale; only the stop itself, which changes the exercise, does.
"""

import copy

from . import rooms, session
from .errors import DomainError
from .steps import kind_at

ASK, AGREE, WITHDRAW = "ask_stop", "agree_stop", "withdraw_stop"


def _running(sess: dict) -> None:
    if sess["phase"] == "summary":
        raise DomainError("finished", "The session is over; there is no exercise to stop.")
    if sess["phase"] != "running":
        raise DomainError("wrong_step", "An exercise can be stopped once the session has started.")


def _request(sess: dict) -> dict | None:
    stop = sess.get("stop")
    return stop if stop and stop["exercise"] == sess["index"] else None


def _stop_now(state: dict, ctx) -> None:
    """Leave the exercise on the table, on a state copy the caller owns: the next one starts, or the summary."""
    sess = state["session"]
    sess.setdefault("stopped", [])
    if sess["index"] not in sess["stopped"]:
        sess["stopped"].append(sess["index"])
    sess["stop"] = None
    if sess["index"] + 1 >= len(sess["plan"]):
        session.finish(state, ctx)
        return
    sess["index"] += 1
    sess["step_index"] = 0
    session.start_step(state, ctx)
    if sess["timeout"]:
        # A cool-down is not cut short by leaving the exercise: the new step waits, its clock stopped.
        sess["step"] = kind_at(sess).pause(sess["step"], session.step_ctx(state, ctx))
    session.advance_if_done(state, ctx)


def ask_stop(state: dict, seat: str, intent: dict, ctx):
    """Ask to stop this exercise; if the other partner asked already, this is agreeing (both tapped at once)."""
    sess = state["session"]
    _running(sess)
    held = _request(sess)
    if held and held["by"] == seat:
        raise DomainError("wrong_step", "You have asked to stop; waiting for your partner.")
    if held:
        return agree_stop(state, seat, intent, ctx)
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["stop"] = {"by": seat, "at": round(ctx.now, 3), "exercise": sess["index"], "agreed": [seat]}
    return new, session.event(ASK, seat, ctx, new_sess)


def agree_stop(state: dict, seat: str, intent: dict, ctx):
    """Agree to a partner's request to stop; it stops once both partners agree, or at once when the moderator does."""
    sess = state["session"]
    _running(sess)
    held = _request(sess)
    if not held:
        raise DomainError("wrong_step", "Nobody has asked to stop this exercise.")
    if seat in held["agreed"]:
        raise DomainError("wrong_step", "You have agreed; waiting for your partner.")
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["stop"]["agreed"].append(seat)
    if seat != rooms.MODERATOR and not set(rooms.PARTNERS) <= set(new_sess["stop"]["agreed"]):
        return new, session.event(AGREE, seat, ctx, new_sess)
    logged = session.event(AGREE, seat, ctx, new_sess, stopped=sess["index"])
    _stop_now(new, ctx)
    return new, logged


def withdraw_stop(state: dict, seat: str, intent: dict, ctx):
    """Take back your own request to stop; the exercise goes on as if it had not been asked."""
    sess = state["session"]
    _running(sess)
    held = _request(sess)
    if not held or held["by"] != seat:
        raise DomainError("wrong_step", "There is no request of yours to take back.")
    new = copy.deepcopy(state)
    new_sess = new["session"]
    new_sess["stop"] = None
    return new, session.event(WITHDRAW, seat, ctx, new_sess)


def stopped(sess: dict) -> list[int]:
    """The plan indexes of the exercises that were stopped by agreement, in the order they were."""
    return list(sess.get("stopped") or [])


def view(state: dict, seat: str, view_out: dict) -> None:
    """Put the request to stop (who asked, who agreed) and the stopped exercises in every seat's view,
    and the stop intents this seat may send in its `can`."""
    sess = state.get("session")
    if sess is None:
        return
    held = _request(sess) if sess["phase"] == "running" else None
    out = view_out["session"]
    out["stop"] = {"by": held["by"], "agreed": list(held["agreed"])} if held else None
    out["stopped"] = stopped(sess)
    for i, item in enumerate(out["plan"]):
        item["stopped"] = i in out["stopped"]
    if sess["phase"] != "running":
        return
    can = []
    if held is None:
        if seat in rooms.PARTNERS:
            can.append(ASK)
    elif seat == held["by"]:
        can.append(WITHDRAW)
    elif seat not in held["agreed"] and (seat in rooms.PARTNERS or state["moderated"]):
        can.append(AGREE)
    view_out["can"] = view_out["can"] + can


def declared() -> dict[str, tuple]:
    """The stop intents: type -> (handler, who may send it, field schemas, required fields)."""
    return {
        ASK: (ask_stop, rooms.PARTNERS_ONLY, {}, []),
        AGREE: (agree_stop, rooms.ANY, {}, []),
        WITHDRAW: (withdraw_stop, rooms.PARTNERS_ONLY, {}, []),
    }
