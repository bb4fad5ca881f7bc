"""Presence that survives a crash: one lease per process, renewed by a heartbeat, swept by the others.

Each process holds a lease in Redis and renews it every PRESENCE_BEAT
seconds (one write per process, whatever its number of sockets). When it
binds a connection to a seat it records "code|seat|conn" under its lease
(once per connect). A process killed with -9 stops renewing; once its lease
has run out (PRESENCE_LEASE), the first sweeper of any other process marks
each seat it held away through the store's one atomic update path, but
only if that seat is still held by that connection, and pushes the new
views. A process that finds its own lease ran out while it was alive (a
long stall, Redis away) takes a new lease and marks its open connections
online again. A clean shutdown ends its lease and sweeps it itself.
"""

import logging
import secrets
import threading
import time

from .. import services
from ..extensions import socketio
from .push import push_state

log = logging.getLogger(__name__)


def _new_lease() -> str:
    return secrets.token_hex(8)


def _state(app) -> dict | None:
    return app.extensions.get("attune.presence")


def hold(app, code: str, seat: str, conn: str) -> None:
    """Record under this process's lease that `conn` holds the seat (written shortly, see `_record`)."""
    _record(app, "hold", code, seat, conn)


def release(app, code: str, seat: str, conn: str) -> None:
    """Forget that `conn` holds the seat (it went away, left, or was let go)."""
    _record(app, "release", code, seat, conn)


def _record(app, op: str, code: str, seat: str, conn: str) -> None:
    """Queue one hold or release; one writer task writes what is queued, in order, one round trip a batch.

    When many phones come back at once (a restart: every phone of the
    process resumes within a second or two), their records share round
    trips instead of costing one each on the resume's own path. The record
    only matters if this process dies before the connection goes, and the
    writer starts at once, so it lags by the time of one write.
    """
    state = _state(app)
    if not state:
        return
    with state["lock"]:
        state["ops"].append((op, code, seat, conn))
        if state["writing"]:
            return
        state["writing"] = True
    # The writer outlives this request: it needs the app itself, not the current_app proxy.
    real = app._get_current_object() if hasattr(app, "_get_current_object") else app
    socketio.start_background_task(_write_records, real, state)


def _write_records(app, state: dict) -> None:
    store = app.extensions["attune.store"]
    while True:
        with state["lock"]:
            ops, state["ops"] = state["ops"], []
            if not ops:
                state["writing"] = False
                return
        try:
            store.record_held(state["lease"], ops)
        except Exception:  # noqa: BLE001 - Redis away or busy: keep them, in order, for the next try
            log.warning("could not write %d presence records; trying again", len(ops))
            with state["lock"]:
                state["ops"][:0] = ops
            socketio.sleep(0.5)


def flush_records(app, timeout: float = 2.0) -> None:
    """Wait (up to `timeout`) until every queued hold and release is written."""
    state = _state(app)
    until = time.monotonic() + timeout
    while state and (state["ops"] or state["writing"]) and time.monotonic() < until:
        socketio.sleep(0.01)


def sweep_lease(app, lease: str, seen: float, stop_if_renewed: bool = True) -> int:
    """Mark away every seat a run-out lease still holds, push the views, then forget the lease; return how many changed."""
    store = app.extensions["attune.store"]
    changed = 0
    while True:
        if stop_if_renewed and store.lease_alive(lease, time.time()):
            return changed  # its process came back: it keeps its seats
        batch = store.held(lease)
        if not batch:
            break
        for code, seat, conn in batch:
            applied = services.disconnect(store, code=code, seat=seat, conn=conn)
            if applied and applied.changed:
                changed += 1
                push_state(applied.state)
        store.released(lease, batch)
    store.forget_lease(lease, seen)
    return changed


def _renew(app, state: dict, connections) -> None:
    store = app.extensions["attune.store"]
    cfg = app.config
    now = time.time()
    if store.beat(state["lease"], now, now + cfg["PRESENCE_LEASE"]):
        return
    # Our lease ran out while we were alive, so our seats may have been
    # swept: take a new lease and claim our open connections' seats again.
    log.warning("presence lease had run out; taking a new one")
    state["lease"] = _new_lease()
    store.beat(state["lease"], now, now + cfg["PRESENCE_LEASE"], first=True)
    for conn, (code, seat) in list(connections()):
        store.hold(state["lease"], code, seat, conn)
        applied = services.reattach(store, code=code, seat=seat, conn=conn)
        if applied and applied.changed:
            push_state(applied.state)


def _run(app, connections) -> None:
    with app.app_context():
        store = app.extensions["attune.store"]
        state = _state(app)
        while not app.extensions.get("attune.stopping"):
            socketio.sleep(app.config["PRESENCE_BEAT"])
            try:
                _renew(app, state, connections)
                for lease, seen in store.lapsed_leases(time.time()):
                    if lease != state["lease"]:
                        sweep_lease(app, lease, seen)
            except Exception:  # noqa: BLE001 - Redis away for a moment: try again next beat
                log.exception("presence heartbeat or sweep failed")


def ensure_running(app, connections) -> None:
    """Take this process's lease (before any seat is bound under it) and start its heartbeat once.

    `connections()` returns (conn, (code, seat)) for every connection this process holds.
    """
    if _state(app) is not None:
        return
    state = {"lease": _new_lease(), "ops": [], "writing": False, "lock": threading.Lock()}
    app.extensions["attune.presence"] = state  # first, so a second connect meanwhile does not start another
    now = time.time()
    app.extensions["attune.store"].beat(state["lease"], now, now + app.config["PRESENCE_LEASE"], first=True)
    socketio.start_background_task(_run, app, connections)


def shut_down(app) -> None:
    """On a clean stop: end this process's lease and mark its seats away now, not a lease later."""
    state = _state(app)
    if state is None:
        return
    store = app.extensions["attune.store"]
    app.extensions["attune.stopping"] = True
    flush_records(app)  # what it holds must be written before it is swept
    store.end_lease(state["lease"])
    with app.app_context():
        sweep_lease(app, state["lease"], 0, stop_if_renewed=False)
