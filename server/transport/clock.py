"""The server-held clock: a timed turn ends when its deadline passes, whoever is connected.

Every process runs one sweeper (started with the first connection). Rooms
with a running clock are indexed by deadline in Redis; the domain re-checks
each deadline inside the atomic update, so two processes sweeping the same
room apply its tick once.
"""

import logging
import time

from .. import services
from ..extensions import socketio
from .push import push_state

log = logging.getLogger(__name__)


def _sweep(app) -> None:
    with app.app_context():
        store = app.extensions["attune.store"]
        library = app.extensions["attune.library"]
        while not app.extensions.get("attune.stopping"):
            socketio.sleep(app.config["CLOCK_INTERVAL"])
            try:
                due = store.due(time.time())
            except Exception:  # noqa: BLE001 - Redis away for a moment: try again next round
                log.exception("clock sweep could not read the deadline index")
                continue
            for code, indexed in due:
                try:
                    applied = services.tick(store, code=code, indexed=indexed, library=library)
                except Exception:  # noqa: BLE001 - one bad room must not stop every other room's clock
                    log.exception("clock tick failed for a room")
                    continue
                if applied and applied.changed:
                    push_state(applied.state)


def ensure_running(app) -> None:
    """Start this process's sweeper once."""
    if "attune.clock" not in app.extensions:
        app.extensions["attune.clock"] = socketio.start_background_task(_sweep, app)
