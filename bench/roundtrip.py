"""Benchmark: how long create -> join -> presence takes on loopback, against the real server.

Starts `python -m server` (eventlet) on a free port with the Redis named by
REDIS_URL (or an embedded one), then for N rounds: phone A creates a room,
phone B joins it by code, and the clock stops when A's pushed view shows B
online. Prints the figures; asserts nothing.

    make bench-roundtrip  # or: python -m bench.roundtrip --rounds 300
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.support import Phone, ServerProcess  # noqa: E402


def one_round(url: str) -> float:
    a, b = Phone(url).connect(), Phone(url).connect()
    arrived = threading.Event()
    a.sio.on("view", lambda v: arrived.set() if (v["seats"]["partner_b"] or {}).get("presence") == "online"
             else None)
    try:
        start = time.perf_counter()
        made = a.call("create_room", {"name": "A"})
        b.call("join_room", {"code": made["code"], "name": "B"})
        if not arrived.wait(10):
            raise RuntimeError("A never saw B arrive")
        return time.perf_counter() - start
    finally:
        a.disconnect()
        b.disconnect()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--async-mode", default="eventlet")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "")
    extra = {"JOIN_RATE_LIMIT": "0", "CREATE_RATE_LIMIT": "0"}
    instance = None
    if not redis_url:
        extra["INSTANCE_PATH"] = instance = tempfile.mkdtemp(prefix="attune-bench-")
    prefix = f"attune-bench-{uuid.uuid4().hex[:8]}"
    server = ServerProcess(redis_url, prefix, async_mode=args.async_mode, extra_env=extra)
    if not redis_url:
        server.env.pop("REDIS_URL")
    server.start()
    try:
        for _ in range(10):  # warm-up: imports, connection pools
            one_round(server.url)
        times = sorted(one_round(server.url) * 1000 for _ in range(args.rounds))
    finally:
        server.stop()
        if instance:  # the embedded Redis's files: nobody needs them after the run
            shutil.rmtree(instance, ignore_errors=True)
    q = statistics.quantiles(times, n=100, method="inclusive")  # never above the max
    print(f"create -> join -> presence, {args.rounds} rounds, {args.async_mode}, "
          f"Redis {'REDIS_URL' if redis_url else 'embedded'}")
    print(f"  mean {statistics.mean(times):.2f} ms   p50 {q[49]:.2f} ms   p95 {q[94]:.2f} ms   "
          f"p99 {q[98]:.2f} ms   max {times[-1]:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
