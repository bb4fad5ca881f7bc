"""The only code that talks to Redis.

A room lives in keys that share the `{CODE}` hash tag (so Redis Cluster
keeps them in one slot): a hash holding the version `v` and the JSON state `s`,
a stream holding the room's event log, and a hash of the moderator's private
notes. Every change of the room goes through `RoomStore.update`: read, apply a
pure function, then one Lua script that compares the version, writes the
state, appends the log entry and refreshes the TTL of every key, all at once.

The read is usually no round trip: each process remembers (least recently
used first, bounded in bytes) the JSON and version of the last state it read
or wrote per room, and the script, which checks the version and the room's
epoch, answers a stale one with the current state. So a transition is one
round trip; an answer that writes nothing (a refusal, a no-op) is given only
after a read confirmed the remembered state is still the room's.

The notes live outside the versioned state on purpose: writing one must not
raise the room's version, or a partner could count the therapist's notes as
gaps between the versions of their views. `add_note` writes them with a
script of their own; they expire and are erased with the room.
"""

import json
import logging
import secrets
import threading
import time
from collections import OrderedDict

import redis as redis_py

from . import fastjson
from .domain.errors import DomainError

log = logging.getLogger(__name__)

# Compare-and-set, log and TTL in one step. KEYS: state, log, notes. ARGV:
# expected version, new state, TTL, log entry, log cap, the room's epoch (a
# random id made when the room was created, so a cached state of an erased room
# never matches a new room that reuses its code). Returns {1, new_version} when
# it wrote; when somebody else wrote first, {0, current_version, state, epoch},
# so the caller retries on the current state without reading it again ({0, 0}
# when there is no such room).
_CAS = """
local cur = redis.call('HMGET', KEYS[1], 'v', 's', 'e')
local v = cur[1] or '0'
local epoch = cur[3] or ''
if v ~= ARGV[1] or (v ~= '0' and epoch ~= ARGV[6]) then
  if not cur[1] then return {0, 0} end
  return {0, tonumber(v), cur[2], epoch}
end
local nv = tonumber(ARGV[1]) + 1
redis.call('HSET', KEYS[1], 'v', nv, 's', ARGV[2], 'e', ARGV[6])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], nv .. '-0', 'v', nv, 'e', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[3])
return {1, nv}
"""

# Append one private note, keyed by its intent id so a retry is applied once,
# never past the cap, and only while the room exists; the notes key lives
# exactly as long as the room (its TTL is the state's). Returns
# {status, notes held}; a note gets its number `n` and the room's version then.
_NOTE = """
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -2 then return {'not_found', 0} end
local held = redis.call('HLEN', KEYS[2])
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {'duplicate', held} end
if held >= tonumber(ARGV[3]) then return {'too_many', held} end
local note = cjson.decode(ARGV[2])
note['n'] = held + 1
note['version'] = tonumber(redis.call('HGET', KEYS[1], 'v'))
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(note))
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return {'added', held + 1}
"""

# Remove a room from the deadline index only if its entry is still the
# deadline the caller saw end, so a newer deadline written meanwhile stays.
_UNSCHEDULE = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
"""

# Fixed-window counter: the first hit of a window sets its expiry.
_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}
"""


# A process's presence lease: renew it only while it has not run out (a
# lease that ran out may already be swept; its process must take a new one).
_BEAT = """
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[4] ~= '1' and ((not old) or tonumber(old) < tonumber(ARGV[2])) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
"""

# Forget a swept lease only if it is still the run-out one the sweeper saw.
_FORGET_LEASE = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
"""


class _Held:
    """One room as this process last saw it in Redis: its version, epoch and stored JSON, and the JSON decoded."""

    __slots__ = ("version", "epoch", "body", "size", "shared", "snapshot")

    def __init__(self, version: int, epoch: str, body):
        self.version = version
        self.epoch = epoch
        self.body = body  # str (read from Redis) or bytes (written by this process)
        self.size = len(body.encode() if isinstance(body, str) else body)
        # The state as a dict, shared by every caller that reads this version
        # (RoomStore.state_of); None until first needed, or once let go.
        self.shared = None
        self.snapshot = None  # with check_shared: its JSON when it was shared, to catch a change in place


class RoomStore:
    """Room state in Redis behind one atomic update path."""

    MAX_RETRIES = 16
    # Entry ids are the room's versions, so the log reads from any version on.
    # A session is hundreds of events; the cap only guards against a runaway.
    LOG_MAXLEN = 20000

    def __init__(self, redis, prefix: str = "attune", ttl: int = 86400, rewrite_aof: bool = False,
                 max_state_bytes: int = 256 * 1024, cache_bytes: int = 32 * 1024 * 1024,
                 shared_rooms: int = 256, check_shared: bool = False):
        self.redis = redis
        # Every write re-serialises the whole state, so its size is what each
        # change of the room costs; intents may not grow it past this.
        self.max_state_bytes = max_state_bytes
        # The last state this process read or wrote per room, least recently
        # used first, at most `cache_bytes` of JSON: an update starts from it
        # instead of reading Redis, and the compare-and-set script (which
        # checks the version and epoch) hands back the current state when it
        # was stale. So the usual transition is one round trip.
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[str, _Held] = OrderedDict()
        self._cached_bytes = 0
        self._cache_lock = threading.Lock()
        # Decoding a room's JSON was a sixth of a transition's CPU (about 100 µs
        # for a 23 KB state). The most recently used `shared_rooms` rooms also
        # keep it decoded: one dict per version, handed to every caller as a
        # shallow copy with its version. Nothing may change a state in place
        # (the domain copies what it changes, and its property test checks the
        # input is untouched); `check_shared` (the tests turn it on) compares
        # a shared state's JSON with what it was whenever it is handed out again.
        self.shared_rooms = shared_rooms
        self.check_shared = check_shared
        self._shared: OrderedDict[str, _Held] = OrderedDict()
        # An embedded Redis keeps an append-only file on this machine: it is
        # rewritten after words are deleted, so that they leave the disk too.
        self.aof = AofRewriter(redis) if rewrite_aof else None
        self.prefix = prefix
        self.ttl = ttl
        self._deadlines = f"{prefix}:deadlines"
        self._cas = redis.register_script(_CAS)
        self._hit = redis.register_script(_HIT)
        self._unschedule = redis.register_script(_UNSCHEDULE)
        self._beat = redis.register_script(_BEAT)
        self._forget_lease = redis.register_script(_FORGET_LEASE)
        # Presence leases: one sorted set (lease -> when it runs out) and, per
        # lease, the set of "code|seat|conn" its process holds. They share the
        # {presence} hash tag, so a script may touch both.
        self._leases = f"{prefix}:{{presence}}:leases"
        self._note = redis.register_script(_NOTE)

    def _keys(self, code: str) -> tuple[str, str, str]:
        tag = f"{self.prefix}:{{{code}}}"
        return f"{tag}:state", f"{tag}:log", f"{tag}:notes"

    # --- the per-process cache ------------------------------------------------

    def _cached(self, code: str) -> _Held | None:
        with self._cache_lock:
            held = self._cache.get(code)
            if held is not None:
                self._cache.move_to_end(code)
            return held

    def _keep(self, code: str, held: _Held) -> None:
        """Remember `held` unless a newer version of the same room is already remembered."""
        if held.size > self.cache_bytes:
            return
        with self._cache_lock:
            old = self._cache.get(code)
            if old is not None:
                if old.epoch == held.epoch and old.version > held.version:
                    return
                self._cached_bytes -= old.size
                if self._shared.get(code) is old:
                    del self._shared[code]
            self._cache[code] = held
            self._cache.move_to_end(code)
            self._cached_bytes += held.size
            while self._cached_bytes > self.cache_bytes:
                _code, gone = self._cache.popitem(last=False)
                self._cached_bytes -= gone.size

    def _drop(self, code: str) -> None:
        with self._cache_lock:
            gone = self._cache.pop(code, None)
            if gone is not None:
                self._cached_bytes -= gone.size
            self._shared.pop(code, None)

    def state_of(self, code: str, held: _Held) -> dict:
        """The state `held` stands for, with its version: decoded once, then shared; never change it in place."""
        shared = held.shared
        if shared is None:
            shared = fastjson.loads(held.body)
            shared.pop("version", None)
            self._share(code, held, shared)
        else:
            if held.snapshot is not None and fastjson.dumps_bytes(shared) != held.snapshot:
                raise AssertionError(f"a state of room {code} version {held.version} was changed in place")
            with self._cache_lock:
                if self._shared.get(code) is held:
                    self._shared.move_to_end(code)
        return {**shared, "version": held.version}

    def _share(self, code: str, held: _Held, shared: dict) -> None:
        """Keep `shared` decoded on `held` while its room is among the `shared_rooms` most recently used."""
        if self.shared_rooms <= 0:
            return
        held.shared = shared
        if self.check_shared:
            held.snapshot = fastjson.dumps_bytes(shared)
        with self._cache_lock:
            before = self._shared.get(code)
            if before is not None and before is not held:
                before.shared = before.snapshot = None  # one decoded version per room
            self._shared[code] = held
            self._shared.move_to_end(code)
            while len(self._shared) > self.shared_rooms:
                _code, old = self._shared.popitem(last=False)
                old.shared = old.snapshot = None

    def _confirm(self, code: str, held: _Held) -> tuple[_Held | None, bool, bool]:
        """Read the room again before an answer that writes nothing: (the room now, True, whether it is `held`)."""
        fresh = self._fetch(code)
        same = fresh is not None and fresh.version == held.version and fresh.epoch == held.epoch
        return fresh, True, same

    def _fetch(self, code: str) -> _Held | None:
        """Read the room from Redis (and remember it); None when there is no such room."""
        raw = self.redis.hmget(self._keys(code)[0], "v", "s", "e")
        if raw[0] is None or raw[1] is None:
            self._drop(code)
            return None
        held = _Held(int(raw[0]), _text(raw[2]), raw[1])
        self._keep(code, held)
        return held

    def load(self, code: str) -> dict | None:
        """Return the room's current state (with its version), or None if there is no such room."""
        held = self._fetch(code)
        return None if held is None else self.state_of(code, held)

    @staticmethod
    def _encode(state: dict) -> bytes:
        body = {k: v for k, v in state.items() if k != "version"}
        return fastjson.dumps_bytes(body)

    def _write(self, code: str, held: _Held | None, body: bytes, event: dict,
               epoch: str | None = None, state: dict | None = None) -> tuple[bool, int, _Held | None]:
        """Compare-and-set on `held`'s version (None: a new room); (True, new version, None) when it
        wrote, else (False, current version, the room as it is now or None when there is none)."""
        epoch = held.epoch if held is not None else epoch
        reply = self._cas(
            keys=list(self._keys(code)),
            args=[str(held.version if held is not None else 0), body, self.ttl,
                  fastjson.dumps_bytes(event), self.LOG_MAXLEN, epoch],
        )
        version = int(reply[1])
        if int(reply[0]):
            written = _Held(version, epoch, body)
            self._keep(code, written)
            if state is not None:
                self._share(code, written, {k: v for k, v in state.items() if k != "version"})
            return True, version, None
        if len(reply) < 4:
            self._drop(code)
            return False, version, None
        current = _Held(version, _text(reply[3]), reply[2])
        self._keep(code, current)
        return False, version, current

    def create(self, code: str, state: dict, event: dict) -> dict | None:
        """Store a new room at version 1; None when the code is already in use."""
        ok, version, _current = self._write(code, None, self._encode(state), event, epoch=secrets.token_hex(8),
                                            state=state)
        if not ok:
            return None
        return {**state, "version": version}

    def update(self, code: str, fn, *, limit_size: bool = False, seen: int | None = None):
        """Apply `fn(state) -> (new_state, event, result)` atomically; return (state, changed, result).

        An event of None means nothing changed and nothing is written. A
        DomainError from `fn` aborts with nothing written. A lost race calls
        `fn` again on the state the compare-and-set found, a bounded number of
        times. With `limit_size`, a write that would grow the state past
        `max_state_bytes` is refused with `state_too_large` (seat and clock
        bookkeeping never is: a phone must always be able to come back and a
        turn to end).

        `fn` may first see the state this process last remembered. A write
        on it is checked by the script; an answer that writes nothing (no
        event, or a refusal) is only given once Redis confirmed that state
        is still the room's, else `fn` runs again on the current one.
        `seen` is a version the caller knows the room reached (the phone
        saw it): a remembered state older than that is not tried at all.
        """
        held = self._cached(code)
        if held is not None and seen is not None and held.version < seen:
            held = None  # another process wrote since: read the room rather than be refused on it
        confirmed = held is None
        if held is None:
            held = self._fetch(code)
        for _ in range(self.MAX_RETRIES):
            if held is None:
                raise DomainError("not_found", "This room has ended or never existed.")
            state = self.state_of(code, held)
            try:
                new, event, result = fn(state)
                if event is not None:
                    body = self._encode(new)
                    if limit_size and len(body) > self.max_state_bytes and len(body) > held.size:
                        raise DomainError("state_too_large", "This session holds all it can; go on without "
                                          "writing more, or end the session.")
            except DomainError:
                if confirmed:
                    raise
                held, confirmed, same = self._confirm(code, held)
                if same:
                    raise
                continue
            if event is None:
                if confirmed:
                    return state, False, result
                held, confirmed, same = self._confirm(code, held)
                if same:
                    return state, False, result
                continue
            ok, version, held = self._write(code, held, body, event, state=new)
            if ok:
                return {**new, "version": version}, True, result
            confirmed = True
        raise DomainError("busy", "The room is very busy right now; please try again.")

    def add_note(self, code: str, intent_id: str, note: dict, limit: int) -> tuple[str, int]:
        """Keep a private note outside the room's state; the room's version does not move.

        Returns (status, notes held): "added", "duplicate" (this intent id was
        kept before), "too_many" (already `limit` notes; nothing written) or
        "not_found" (the room is gone).
        """
        state, _log, notes = self._keys(code)
        status, held = self._note(keys=[state, notes],
                                  args=[intent_id, json.dumps(note, separators=(",", ":")), limit])
        return (status.decode() if isinstance(status, bytes) else status), int(held)

    def notes(self, code: str) -> list[dict]:
        """Return the room's private notes, oldest first (each with its number `n` and `version`)."""
        raw = self.redis.hvals(self._keys(code)[2])
        return sorted((json.loads(v) for v in raw), key=lambda n: n["n"])

    def erase(self, code: str) -> int:
        """Delete every key of the room in one command; return how many existed."""
        self._drop(code)
        deleted = self.redis.delete(*self._keys(code))
        self.unschedule(code)
        self.forget_history()
        return deleted

    def forget_history(self) -> None:
        """After words were deleted or wiped: rewrite the append-only file (if this store does) so
        that Redis's file forgets them too. Call it after the write that removed them."""
        if self.aof is not None:
            self.aof.want()

    def schedule(self, code: str, when: float | None, was: float | None = None) -> None:
        """Index the room's next clock deadline; with `when` None, drop the entry if it is still `was`.

        One index for all rooms, outside the rooms' hash tags: the clock
        sweeper reads it, and the domain re-checks every deadline anyway, so
        a stale entry costs one idle tick and is then corrected.
        """
        if when is not None:
            self.redis.zadd(self._deadlines, {code: when})
        elif was is not None:
            self._unschedule(keys=[self._deadlines], args=[code, repr(was)])

    def unschedule(self, code: str) -> None:
        """Drop the room from the deadline index whatever it holds (the room is gone)."""
        self.redis.zrem(self._deadlines, code)

    def due(self, now: float, limit: int = 100) -> list[tuple[str, float]]:
        """Return (code, indexed deadline) of rooms whose clock deadline has passed."""
        return self.redis.zrangebyscore(self._deadlines, "-inf", now, start=0, num=limit, withscores=True)

    def exists(self, code: str) -> bool:
        """Tell whether the room exists."""
        return bool(self.redis.exists(self._keys(code)[0]))

    def events(self, code: str, since: int = 0) -> list[dict]:
        """Return the room's events after version `since`, oldest first."""
        entries = self.redis.xrange(self._keys(code)[1], min=f"({since}-0" if since else "-")
        return [{"version": int(fields["v"]), **json.loads(fields["e"])} for _id, fields in entries]

    def keys_of(self, code: str) -> list[str]:
        """Return the names of every key the room may own (for tests and erase checks)."""
        return list(self._keys(code))

    def ttl_of(self, code: str) -> int:
        """Return the seconds left before the room expires (negative when it has no TTL or key)."""
        return self.redis.ttl(self._keys(code)[0])

    def hit(self, bucket: str, window: int) -> tuple[int, int]:
        """Count one attempt in a fixed window; return (attempts so far, seconds left in the window)."""
        n, left = self._hit(keys=[f"{self.prefix}:rl:{bucket}"], args=[window])
        return int(n), max(int(left), 0)

    def persistence(self) -> dict | None:
        """Return the server's `appendonly` and `save` settings; None when CONFIG GET is not allowed."""
        try:
            got = {**self.redis.config_get("appendonly"), **self.redis.config_get("save")}
        except redis_py.ResponseError:  # renamed or refused by an ACL (NoPermissionError is one too)
            return None
        return {"appendonly": got.get("appendonly", ""), "save": got.get("save", "")}

    def _held_key(self, lease: str) -> str:
        return f"{self.prefix}:{{presence}}:held:{lease}"

    def beat(self, lease: str, now: float, until: float, first: bool = False) -> bool:
        """Renew a process's lease to `until`; False when it had run out (or was swept) and was not renewed."""
        return bool(self._beat(keys=[self._leases], args=[lease, repr(now), repr(until), "1" if first else "0"]))

    def end_lease(self, lease: str) -> None:
        """Mark a lease as run out now, so that any sweeper takes its seats away (a clean shutdown)."""
        self.redis.zadd(self._leases, {lease: 0})

    def lease_alive(self, lease: str, now: float) -> bool:
        """Tell whether the lease is registered and has not run out."""
        score = self.redis.zscore(self._leases, lease)
        return score is not None and score >= now

    def lapsed_leases(self, now: float, limit: int = 20) -> list[tuple[str, float]]:
        """Return (lease, when it ran out) of leases that have run out."""
        return self.redis.zrangebyscore(self._leases, "-inf", f"({now}", start=0, num=limit, withscores=True)

    def hold(self, lease: str, code: str, seat: str, conn: str) -> None:
        """Record that the lease's process holds `conn` on this seat (once per connect, not per beat)."""
        key = self._held_key(lease)
        pipe = self.redis.pipeline(transaction=False)
        pipe.sadd(key, f"{code}|{seat}|{conn}")
        # Seats outlive no room: a lease nobody sweeps goes when its rooms would.
        pipe.expire(key, self.ttl)
        pipe.execute()

    def release(self, lease: str, code: str, seat: str, conn: str) -> None:
        """Forget that the lease's process holds `conn` on this seat."""
        self.redis.srem(self._held_key(lease), f"{code}|{seat}|{conn}")

    def record_held(self, lease: str, ops: list[tuple[str, str, str, str]]) -> None:
        """Apply `("hold" | "release", code, seat, conn)` records under the lease, in order, in one round trip."""
        key = self._held_key(lease)
        pipe = self.redis.pipeline(transaction=False)
        for op, code, seat, conn in ops:
            (pipe.sadd if op == "hold" else pipe.srem)(key, f"{code}|{seat}|{conn}")
        pipe.expire(key, self.ttl)  # as in hold(): a lease nobody sweeps goes when its rooms would
        pipe.execute()

    def held(self, lease: str, count: int = 200) -> list[tuple[str, str, str]]:
        """Return up to `count` (code, seat, conn) the lease still holds."""
        members = self.redis.srandmember(self._held_key(lease), count) or []
        return [tuple(m.split("|", 2)) for m in members]

    def released(self, lease: str, entries: list[tuple[str, str, str]]) -> None:
        """Forget several held entries at once (after a sweep dealt with them)."""
        if entries:
            self.redis.srem(self._held_key(lease), *("|".join(e) for e in entries))

    def forget_lease(self, lease: str, seen: float) -> bool:
        """Drop a swept lease and what it held, unless its process renewed it meanwhile."""
        return bool(self._forget_lease(keys=[self._leases, self._held_key(lease)], args=[lease, repr(seen)]))

    def ping(self) -> float:
        """Round-trip to Redis; return the time it took in seconds."""
        start = time.perf_counter()
        self.redis.ping()
        return time.perf_counter() - start


def _text(value) -> str:
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else value


class AofRewriter:
    """Rewrites Redis's append-only file once words were deleted, so that the file forgets them.

    A rewrite is a snapshot taken when Redis forks: one already running when
    words are deleted still holds them. So every deletion raises a wanted
    count, and the count is only paid off by a BGREWRITEAOF that Redis
    accepted after it; one refused because another is running stays owed and
    is retried by `sweep`. Counts live in this process: several processes on
    one Redis each pay off their own, and a refusal costs only a retry.
    """

    def __init__(self, redis):
        self.redis = redis
        self._lock = threading.Lock()
        self._wanted = 0
        self._paid = 0
        self._gone = 0  # keys Redis expired or evicted, as of the last sweep
        self.disabled = False

    def want(self) -> None:
        """Count a deletion and try to rewrite now."""
        with self._lock:
            self._wanted += 1
        self.rewrite()

    def owed(self) -> bool:
        """Tell whether a deletion still waits for its rewrite."""
        with self._lock:
            return self._wanted > self._paid and not self.disabled

    def rewrite(self) -> bool:
        """Start a rewrite if one is owed; True when nothing is owed any more."""
        with self._lock:
            wanted = self._wanted
        if wanted <= self._paid or self.disabled:
            return True
        try:
            self.redis.bgrewriteaof()  # "started", or "scheduled" after a running snapshot
        except redis_py.ResponseError as err:
            if "already in progress" in str(err):
                return False  # that one forked before the deletion: try again later
            log.warning("cannot rewrite the append-only file (%s); deleted words stay in it until Redis "
                        "rewrites it itself", type(err).__name__)
            self.disabled = True
            return True
        with self._lock:
            self._paid = max(self._paid, wanted)
        return True

    def sweep(self) -> bool:
        """Count keys Redis expired or evicted since the last sweep as deletions; rewrite if owed."""
        stats = self.redis.info("stats")
        gone = int(stats.get("expired_keys", 0)) + int(stats.get("evicted_keys", 0))
        if gone != self._gone:
            self._gone = gone
            with self._lock:
                self._wanted += 1
        return self.rewrite()
