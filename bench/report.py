"""Pure helpers of the load bench: reading its settings and printing its table (no I/O here)."""

import shlex


def parse_env_assignments(text: str) -> dict:
    """Return the NAME=value pairs of a shell-like string such as BENCH_SERVER_ENV.

    Words are split as a shell would (quotes keep spaces); a word without `=`
    or with an empty or non-identifier name is refused with ValueError.
    """
    env = {}
    for word in shlex.split(text or ""):
        name, sep, value = word.partition("=")
        if not sep or not name.isidentifier():
            raise ValueError(f"not a NAME=value assignment: {word!r}")
        env[name] = value
    return env


def status_kb(status_text: str, key: str) -> int | None:
    """Return a `key:  123 kB` figure of a /proc/PID/status text, or None when it is absent."""
    for line in status_text.splitlines():
        name, _, rest = line.partition(":")
        if name == key:
            fields = rest.split()
            return int(fields[0]) if fields and fields[0].isdigit() else None
    return None


def errors_text(result: dict, limit: int | None = None) -> str:
    """The errors of one load run by code, most frequent first (the first `limit` codes): `none` if none."""
    found = dict(result.get("errors") or {})
    for key, code in (("ack_timeouts", "ack_timeout"), ("view_timeouts", "view_timeout"),
                      ("unacked", "never_acked")):  # a failed connect is a setup error already
        if result.get(key):
            found[code] = found.get(code, 0) + result[key]
    for reason, n in (result.get("disconnects") or {}).items():
        found[f"dropped ({reason})"] = n
    for key, n in (result.get("setup_errors") or {}).items():
        found[f"setup {key}"] = n
    if not found:
        return "none"
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{code} {n:,}" for code, n in ranked[:limit])
    return shown if limit is None or len(ranked) <= limit else f"{shown}, +{len(ranked) - limit} more below"


def merge_processes(result: dict, names: list[str]) -> None:
    """With several server processes watched as `names`, make `procs.server` their sum (CPU %, RSS, peak)
    and keep each one's figures under `servers`; one process is left as it is."""
    if len(names) < 2:
        return
    procs = result.setdefault("procs", {})
    parts = [procs.get(name) or {} for name in names]

    def total(key):
        values = [part.get(key) for part in parts]
        return None if any(v is None for v in values) else sum(values)
    result["servers"] = {name: procs.get(name) for name in names}
    procs["server"] = {"cpu_pct": total("cpu_pct"), "rss_mb": total("rss_mb"), "peak_rss_mb": total("peak_rss_mb")}


def ms_text(value) -> str:
    """A duration in ms for the table: one decimal under 100 ms, whole and grouped above."""
    return "-" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.1f}")


def _pct(value) -> str:
    return "-" if value is None else f"{value:.0f}"


def scenario_row(result: dict) -> list:
    """One line of the table for one load run (the JSON of bench/load/couples.js plus run.py's fields)."""
    lat = result.get("latency_ms") or {}
    ack = result.get("ack_ms") or {}
    server = (result.get("procs") or {}).get("server") or {}
    redis = (result.get("procs") or {}).get("redis") or {}
    rate = result.get("transitions_per_s") or 0
    cpu = server.get("cpu_pct")
    per_cpu = f"{rate / (cpu / 100):,.0f}" if cpu else "-"
    offered = result.get("offered_per_s")
    if result.get("mode") == "closed":
        name = "closed loop"
    else:
        name = f"open, 1 per {result.get('interval_ms', 0) / 1000:g} s"
    if (result.get("processes") or 1) > 1:
        name += f", A and B on {result['processes']} processes"
    memory = f"{_mb(result.get('idle_rss_mb'))}→{_mb(server.get('rss_mb'))} ({_mb(server.get('peak_rss_mb'))})"
    return [
        name,
        f"{result.get('ready_couples', 0):,}/{result.get('couples', 0):,} ({result.get('sockets', 0):,})",
        "-" if offered is None else f"{offered:,.1f}",
        f"{rate:,.1f}",
        per_cpu,
        f"{ms_text(lat.get('p50'))}/{ms_text(lat.get('p95'))}/{ms_text(lat.get('p99'))}",
        ms_text(ack.get("p99")),
        errors_text(result, limit=3),
        memory,
        f"{_pct(cpu)}/{_pct(redis.get('cpu_pct'))}/{_pct(result.get('other_cpu_pct'))}",
        f"{result.get('loadavg_before', '-')}→{result.get('loadavg_after', '-')}",
    ]


HEADERS = ["scenario", "couples (sockets)", "offered/s", "transitions/s", "per CPU-s",
           "partner p50/p95/p99 ms", "ack p99 ms", "errors by code", "RSS MB idle→end (peak)",
           "CPU % srv/redis/other", "load 1 min"]
LEGEND = (
    "couples: ready/asked. per CPU-s: transitions per second of server CPU (steadier than transitions/s).",
    "partner latency: an intent's emit to the partner's pushed view at or above the ack's version.",
    "RSS: the server process, from /proc, after start-up → at the end of the window (its peak); "
    "with several processes, CPU and RSS are their sums.",
    "CPU %: of one core during the window; other = every other process on the machine.",
    "load 1 min: the machine's load average before → after the run.",
)


def _s(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def counts_text(counts: dict | None) -> str:
    """`{code: n}` as `code n, ...`, most frequent first: `none` if empty."""
    ranked = sorted((counts or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{code} {n:,}" for code, n in ranked) or "none"


def restart_row(result: dict) -> list:
    """One line of the restart table (couples.js's restart JSON plus run.py's fields).

    A run where not every socket came back shows `-` for the 100 % times, and
    its CPU figures (counted up to the end of the wait) are marked `*`.
    """
    mark = "" if result.get("all_back") else "*"
    cpu, per = result.get("server_cpu_s"), result.get("cpu_ms_per_socket")
    memory = (f"{_mb(result.get('rss_mb_before_kill'))} ({_mb(result.get('peak_rss_mb_before_kill'))})"
              f"→{_mb(result.get('rss_mb_at_health'))}→{_mb(result.get('rss_mb_all_back'))}")
    return [
        f"restart, {result.get('ready_couples', 0):,}/{result.get('couples', 0):,} couples",
        f"{result.get('resumed', 0):,}/{result.get('sockets', 0):,}",
        _s(result.get("healthy_after_kill_s")),
        f"{_s(result.get('back_99_after_kill_s'))}/{_s(result.get('back_100_after_kill_s'))}",
        f"{_s(result.get('back_99_after_health_s'))}/{_s(result.get('back_100_after_health_s'))}",
        counts_text(result.get("resume_errors")),
        "-" if cpu is None else f"{cpu:.2f}{mark}",
        "-" if per is None else f"{per:.2f}{mark}",
        memory,
        f"{result.get('loadavg_before', '-')}→{result.get('loadavg_after', '-')}",
    ]


def restart_check_text(result: dict) -> str:
    """What the restart kept: each couple's step, its version moves, and one more move afterwards."""
    check = result.get("check") or {}
    couples = check.get("couples", 0)
    deltas = sorted((check.get("version_delta") or {}).items(), key=lambda kv: int(kv[0]))
    delta_text = ", ".join(f"{int(d):+d}: {n:,}" for d, n in deltas) or "none"
    outcomes = dict(check.get("one_more") or {})
    ok = outcomes.pop("ok", 0)
    failed = sum(outcomes.values())
    failed_text = f"{failed:,}" + (f" ({counts_text(outcomes)})" if failed else "")
    return (f"step unchanged {check.get('step_unchanged', 0):,}/{couples:,} couples; version moved by "
            f"{delta_text} (the two resumes' writes: +2); one more move ok {ok:,}, failed {failed_text}")


RESTART_HEADERS = ["scenario", "sockets back", "kill→health s", "kill→99%/100% s", "health→99%/100% s",
                   "resume errors by code", "server CPU-s health→all back", "CPU ms/socket",
                   "RSS MB before kill (peak)→health→all back", "load 1 min"]
RESTART_LEGEND = (
    "restart: kill -9 of the server mid-exercise, `python -m server` again on the same port, env and Redis; "
    "a socket is back once its seat's view came in `resumed` (or a `resume` ack).",
    "CPU-s: the new server's CPU from its health check until the last socket was back; ms/socket: that "
    "per socket back (the steadiest figure on a shared machine); * = not every socket came back, counted "
    "to the end of the wait.",
)


def _mb(value) -> str:
    return "-" if value is None else f"{value:,}"


def format_table(headers: list, rows: list) -> str:
    """A pipe table padded to its widest cell in each column, readable as text and as Markdown."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
