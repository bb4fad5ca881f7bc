"""What one connection may send: a token bucket per connection, in this process's memory.

Each connection starts with `burst` tokens; each event it sends takes one;
tokens come back at `rate` per second up to `burst`. An event that finds the
bucket empty is refused before it reaches Redis, so a runaway or hostile
phone costs little and cannot slow the other rooms of its process.
"""

import time


class Buckets:
    """One token bucket per connection id; a few dozen bytes each, forgotten on disconnect."""

    def __init__(self, burst: int, rate: float):
        self.burst = max(1, int(burst))
        self.rate = max(float(rate), 1e-3)
        self._held: dict[str, list[float]] = {}

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token for `key`; return 0 when allowed, else the seconds until one is back."""
        now = time.monotonic() if now is None else now
        held = self._held.get(key)
        if held is None:
            held = self._held[key] = [float(self.burst), now]
        tokens = min(self.burst, held[0] + (now - held[1]) * self.rate)
        held[1] = now
        if tokens >= 1:
            held[0] = tokens - 1
            return 0.0
        held[0] = tokens
        return (1 - tokens) / self.rate

    def forget(self, key: str) -> None:
        """Drop a connection's bucket (it disconnected)."""
        self._held.pop(key, None)
