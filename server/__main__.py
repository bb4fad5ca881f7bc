"""`python -m server`: the project's one entry point (Procfile, make run, tests).

Monkey-patching happens here and only here, before anything else is
imported, so that ASYNC_MODE=threading runs the very same app unpatched.
"""

import gc
import os
import socket
import sys

if __name__ == "__main__":
    # The imports and the app's start make some 120,000 objects that live as
    # long as the process. Collecting while they are made walks them over and
    # over (in R's restart, full passes alone took about 80 ms of the start,
    # while phones waited for it): the collector is off until they are
    # frozen out of it, in main().
    gc.disable()

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
# Room for many phones at once: eventlet's wsgi server caps concurrent
# connections at 1,024 (max_size) and listens with a backlog of 50 by default.
MAX_CONNECTIONS = int(os.environ.get("MAX_CONNECTIONS", "20000"))
LISTEN_BACKLOG = int(os.environ.get("LISTEN_BACKLOG", "2048"))


def _listen_early():
    """Bind and listen on HOST:PORT now, before the imports and the app's start (about a second).

    After a restart every phone tries to reconnect at once, on a backoff
    schedule (0.4 s, then 0.8 s, 1.6 s, up to 3 s, each ±50 %). A port that is
    not yet listening refuses a try, and that phone waits for its next one; a
    listening port keeps the connection in its backlog until the server
    accepts it, so a phone that tried during the start is served as soon as
    the server is up.
    """
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    # SO_REUSEADDR lets a restart bind past the old process's closing connections.
    # No SO_REUSEPORT (eventlet.listen set it): a second process on the port would
    # share it, and one that then fails to start would drop the connections it took.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A pushed view and its ack are two small writes; with Nagle on, the
    # second waits for the phone's delayed ACK (~40 ms). Accepted sockets
    # inherit this option from the listener.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except OSError as err:
        sock.close()
        print(f"Attune cannot start: cannot listen on {host}:{port} ({err.strerror or err})",
              file=sys.stderr, flush=True)
        sys.exit(2)
    return sock


# Only the eventlet server takes a socket of ours; the threading one binds its own.
EARLY_LISTENER = _listen_early() if ASYNC_MODE == "eventlet" and __name__ == "__main__" else None

if ASYNC_MODE == "eventlet":
    import warnings

    # eventlet announces its maintenance mode on import; we know why we keep
    # it, see "Why eventlet" in docs/architecture.md.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()

import logging  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402

# The garbage collector's full (generation-2) pass walks every tracked object:
# with 10,000 sockets that is millions of them and a pause of about a second.
# Objects that survive a while (sockets, their rooms, the app) are frozen out
# of the collector soon after they appear, so that its passes only walk what
# is new. Each freeze first runs a young collection (a millisecond or two), so
# short-lived cyclic garbage is freed, not frozen. A cycle that dies after it
# was frozen is only freed by a full pass over everything: one every
# GC_FULL_EVERY seconds (the pause then is the old one, once in that while).
GC_FREEZE_EVERY = float(os.environ.get("GC_FREEZE_EVERY", "5"))
GC_FULL_EVERY = float(os.environ.get("GC_FULL_EVERY", "3600"))
# Between freezes, CPython's own rule starts a full pass whenever the objects
# promoted since the last one exceed a quarter of what that one left: after a
# freeze that is a few thousand, so while many phones connect at once (a
# restart) full passes came every half second, each walking all that had
# connected since the last freeze (140 ms with 2,000 sockets). At most one in a
# hundred middle passes may start one now (CPython's default is ten); the
# freezer runs far more often than that.
GC_THRESHOLDS = tuple(int(n) for n in os.environ.get("GC_THRESHOLDS", "700,10,100").split(","))
# How long a clean stop may spend marking this process's seats away.
SHUTDOWN_GRACE = 3.0


def start_collecting() -> None:
    """Freeze what the start made, then turn the collector on with GC_THRESHOLDS."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    gc.enable()


def _gc_freezer(socketio):
    log = logging.getLogger("server.gc")
    full_at = time.monotonic() + GC_FULL_EVERY
    while True:
        socketio.sleep(GC_FREEZE_EVERY)
        if GC_FULL_EVERY > 0 and time.monotonic() >= full_at:
            started = time.perf_counter()
            gc.unfreeze()
            freed = gc.collect()
            log.info("full garbage collection: %d objects freed in %.0f ms",
                     freed, (time.perf_counter() - started) * 1000)
            full_at = time.monotonic() + GC_FULL_EVERY
        else:
            gc.collect(1)
        gc.freeze()


def _tls_context():
    """The HTTPS context from TLS_CERT and TLS_KEY; None for plain HTTP; False (said why) when unusable."""
    from .tls import TLSError, server_context

    try:
        return server_context(os.environ.get("TLS_CERT") or None, os.environ.get("TLS_KEY") or None)
    except TLSError as err:
        print(f"Attune cannot start: {err}", file=sys.stderr, flush=True)
        return False


def main() -> int:
    """Start the server on HOST:PORT with the configured async mode; returns only on shutdown."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from . import create_app, redis_conn
    from .extensions import socketio

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    from .library import LibraryError
    from .safety_resources import SafetyError

    tls = _tls_context()
    if tls is False:
        return 2
    try:
        app = create_app({"ASYNC_MODE": ASYNC_MODE})
    except LibraryError as err:
        print(f"Attune cannot start: the exercise library has problems:\n{err}", file=sys.stderr, flush=True)
        return 2
    except SafetyError as err:
        print(f"Attune cannot start: the safety page's settings have problems:\n{err}", file=sys.stderr, flush=True)
        return 2
    except redis_conn.EmbeddedRedisBusy as err:
        print(f"Attune cannot start: {err}", file=sys.stderr, flush=True)
        return 2
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    redis_where = "embedded" if app.config["REDIS_URL"] is None else "REDIS_URL"
    scheme = "https" if tls else "http"
    print(f"Attune is running at {scheme}://{shown}:{port}/  (async {ASYNC_MODE}, Redis {redis_where})",
          flush=True)
    if app.extensions.get("attune.persistence_warning"):
        print(f"Warning: {app.extensions['attune.persistence_warning']}", flush=True)
    # On SIGTERM (Procfile platforms, tests) an embedded Redis is stopped, its
    # AOF rewritten first; exiting at once, because eventlet's hub swallows SystemExit.
    # First, this process's seats are marked away (its lease ends and it
    # sweeps itself), in tasks of their own: a signal handler may run inside
    # the event loop, where it must not wait on a socket. That part may take
    # SHUTDOWN_GRACE at most; the lease then runs out and others sweep it.
    def release_seats(done):
        from .transport import presence

        try:
            presence.shut_down(app)
        except Exception:  # noqa: BLE001 - the lease then runs out and another process sweeps it
            logging.getLogger(__name__).exception("could not mark this process's seats away")
        done.append(True)

    def stop_cleanly():
        done = []
        socketio.start_background_task(release_seats, done)
        until = time.monotonic() + SHUTDOWN_GRACE
        while not done and time.monotonic() < until:
            socketio.sleep(0.05)
        redis_conn.shutdown_embedded()
        os._exit(0)

    def terminate(*_):
        socketio.start_background_task(stop_cleanly)

    # Alone on the message queue (or without one), nothing crosses it; another
    # process that starts later tells this one first (redis_conn.QueueManager.settle).
    socketio.server.manager.settle()
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    start_collecting()
    socketio.start_background_task(_gc_freezer, socketio)

    if ASYNC_MODE == "eventlet":
        import eventlet.greenio
        import eventlet.wsgi

        # socketio.run() would listen too, but late and with a backlog of 50.
        listener = eventlet.greenio.GreenSocket(EARLY_LISTENER if EARLY_LISTENER is not None else _listen_early())
        if tls:
            # Each accepted socket does its TLS handshake lazily, in its own greenlet.
            listener = tls.wrap_socket(listener, server_side=True)
        eventlet.wsgi.server(listener, app, max_size=MAX_CONNECTIONS, log_output=False)
    else:
        import socket

        from werkzeug.serving import WSGIRequestHandler

        class NoDelayHandler(WSGIRequestHandler):
            # Same reason as the eventlet listener above: no Nagle on the socket.
            def setup(self):
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False,
                     request_handler=NoDelayHandler, ssl_context=tls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
