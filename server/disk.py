"""What stays on disk: deleted words leave Redis's append-only file; an external Redis that
would lose rooms on a restart is named at start-up."""

import logging
import time

from .extensions import socketio

log = logging.getLogger(__name__)

# How soon a rewrite refused because another was running is tried again.
RETRY_SECONDS = 1.0

RECOMMENDED = "appendonly yes (see the README's deployment notes)"


def persistence_warning(settings: dict | None) -> str | None:
    """Return one line saying what a restart of this Redis would lose, or None when it keeps the rooms.

    `settings` is what CONFIG GET said of `appendonly` and `save`, or None
    when the server would not say.
    """
    if settings is None:
        return ("Could not tell whether the Redis at REDIS_URL keeps rooms across its restart "
                f"(CONFIG GET is not allowed): if it keeps nothing on disk, a restart ends every room. "
                f"Recommended: {RECOMMENDED}.")
    if settings.get("appendonly") == "yes":
        return None
    save = (settings.get("save") or "").strip()
    if not save:
        return ("The Redis at REDIS_URL keeps nothing on disk (appendonly no, no save points): "
                f"a Redis restart ends every room. Recommended: {RECOMMENDED}.")
    return (f"The Redis at REDIS_URL keeps only snapshots (appendonly no, save \"{save}\"): a Redis crash "
            f"loses every room's changes since the last snapshot. Recommended: {RECOMMENDED}.")


def _sweep_aof(app) -> None:
    aof = app.extensions["attune.store"].aof
    every = app.config["AOF_SWEEP_SECONDS"]
    next_sweep = time.monotonic() + every
    failing = False
    while not app.extensions.get("attune.stopping"):
        socketio.sleep(min(RETRY_SECONDS, every))
        try:
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + every
                aof.sweep()
            elif aof.owed():
                aof.rewrite()
            failing = False
        except Exception:  # noqa: BLE001 - Redis away for a moment: try again next round
            if not failing:  # once per outage, not once a second
                log.exception("append-only file sweep failed")
            failing = True


def start_aof_sweeper(app) -> None:
    """Start this process's sweeper: it retries owed rewrites and rewrites after rooms expired."""
    if "attune.aof_sweeper" not in app.extensions:
        app.extensions["attune.aof_sweeper"] = socketio.start_background_task(_sweep_aof, app)
