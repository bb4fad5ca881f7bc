"""The Flask app factory (imported lazily by the package, see server/__init__.py)."""

import logging
import os
import secrets

from flask import Flask
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from . import disk, fastjson, redis_conn, turn
from .extensions import socketio
from .library import load_library
from .safety_resources import load_safety
from .store import RoomStore
from .transport import packets
from .transport.managers import LocalManager

log = logging.getLogger(__name__)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLIENT_DIR = os.path.join(ROOT, "client")
EXERCISES_DIR = os.path.join(ROOT, "exercises")


# Socket.IO's endpoint (python-socketio's default path): Engine.IO's middleware
# answers it before Flask routes anything.
SOCKETIO_PATH = "/socket.io/"


class NoSessions(SessionInterface):
    """Attune keeps nothing in a cookie session: every request gets Flask's null session.

    Opening the cookie session built a signing serializer and parsed the
    cookies for every Socket.IO event (Flask-SocketIO pushes a request
    context per event); nothing read it.
    """

    def open_session(self, app, request):
        return None

    def save_session(self, app, session, response) -> None:
        return None


class AttuneFlask(Flask):
    """Flask without the routing it would do for each Socket.IO event."""

    def create_url_adapter(self, request):
        # An event's request context is built from its connection's handshake
        # environ: no route matches that path (binding and failing to match
        # it cost a NotFound per event) and no handler builds a URL.
        if request is not None and request.environ.get("PATH_INFO", "").startswith(SOCKETIO_PATH):
            return None
        return super().create_url_adapter(request)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config from the environment (then `test_config`), Redis, Socket.IO, routes."""
    # The client's folder is the static folder, at the root: /js/main.js, /vendor/….
    app = AttuneFlask(__name__, instance_relative_config=True, static_folder=CLIENT_DIR, static_url_path="",
                instance_path=os.environ.get("INSTANCE_PATH") or None)
    app.session_interface = NoSessions()
    app.config.update(config_module.from_env())
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        log.warning("SECRET_KEY is not set: using a random one for this run only")

    turn.check(app.config)  # a call that cannot work stops start-up, naming the setting
    # A bad exercise file stops start-up here, naming file, field and reason.
    # A library that passed its checks is kept in instance/cache, so a restart is back sooner.
    cache = app.config.get("LIBRARY_CACHE_DIR")
    if cache is None:
        cache = os.path.join(app.instance_path, "cache")
    app.extensions["attune.library"] = load_library(app.config.get("EXERCISES_DIR") or EXERCISES_DIR,
                                                    cache_dir=cache or None)
    # So does a bad safety resources file or exit address (SafetyError, naming the setting).
    app.extensions["attune.safety"] = load_safety(app.config.get("SAFETY_RESOURCES"), app.config.get("SAFETY_EXIT_URL"))

    url = app.config["REDIS_URL"]
    embedded = url is None
    if embedded:
        url = redis_conn.embedded_url(app.instance_path, app.config["EMBEDDED_REDIS_SERVER"])
    redis = redis_conn.connect(url, app.config["REDIS_POOL_SIZE"], app.config["REDIS_POOL_WAIT"],
                               app.config["REDIS_TIMEOUT"])
    rewrite_aof = {"on": True, "off": False}.get(app.config["AOF_REWRITE"], embedded)
    app.extensions["attune.store"] = RoomStore(redis, prefix=app.config["REDIS_PREFIX"],
                                               ttl=app.config["ROOM_TTL_SECONDS"], rewrite_aof=rewrite_aof,
                                               max_state_bytes=app.config["MAX_STATE_BYTES"],
                                               cache_bytes=app.config["STATE_CACHE_BYTES"],
                                               shared_rooms=app.config["STATE_CACHE_ROOMS"],
                                               check_shared=app.config["STATE_CACHE_CHECK"])
    app.extensions["attune.redis_url"] = url
    if not embedded:
        _check_persistence(app)

    options = {
        "async_mode": app.config["ASYNC_MODE"],
        "max_http_buffer_size": app.config["TRANSPORT_MAX_BYTES"],
        "cors_allowed_origins": app.config.get("CORS_ALLOWED_ORIGINS"),
        "logger": False,
        "engineio_logger": False,
        # Faster JSON for every packet and no search for binary data in what we send (packets.py).
        "serializer": packets.Packet,
        "json": fastjson,
    }
    queue_url = redis_conn.queue_url(app.config, url, embedded)
    if queue_url:
        # Built here rather than via message_queue=: Flask-SocketIO would pick
        # kombu for unix:// URLs and cannot size the queue's connection pool.
        options["client_manager"] = redis_conn.QueueManager(
            queue_url, channel=f"{app.config['REDIS_PREFIX']}:socketio",
            pool_size=app.config["REDIS_POOL_SIZE"], may_run_alone=app.config["QUEUE_ALONE"] != "off")
    else:
        options["client_manager"] = LocalManager()
    # Handlers must be registered before init_app: it binds the decorated
    # handlers it holds to each new Socket.IO server it creates.
    from .transport import deflate, events, hosts, routes
    socketio.init_app(app, **options)
    deflate.init_app(app)  # around Socket.IO's middleware: no websocket keeps a compressor
    if app.config["ASYNC_MODE"] == "eventlet":
        from .transport import wsmask

        wsmask.install()  # each frame a phone sends is unmasked in C, not byte by byte
    hosts.init_app(app)  # around Socket.IO's middleware, so the handshake is checked too
    if app.config["TRUSTED_PROXIES"]:
        # Outermost, so that the Socket.IO handshake sees the client's address too.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    routes.init_app(app)
    events.init_app(app)
    if rewrite_aof:
        disk.start_aof_sweeper(app)
    return app


def _check_persistence(app: Flask) -> None:
    """Say once at start-up (a log line here, a printed line from `python -m server`) when a restart
    of the external Redis would lose rooms."""
    warning = disk.persistence_warning(app.extensions["attune.store"].persistence())
    app.extensions["attune.persistence_warning"] = warning
    if warning:
        log.warning("%s", warning)
