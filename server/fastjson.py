"""JSON for the hot path: orjson writes it where it gives the same result, the standard library reads it.

Every transition serialises the room's state once and each pushed view
and ack once; the standard `json` module spent about 10 % of a
transition's CPU there, orjson a fifteenth of that. orjson refuses what
`json` writes in a few corners (an integer past 64 bits, a type it does
not know, such as a subclass of str): those fall back to
`json`, so nothing that worked before is refused now. Output is compact
and UTF-8 (`json.dumps(..., separators=(",", ":"), ensure_ascii=False)`),
except that orjson writes a NaN or an infinity as null (none of our
states, views or acks holds one).

`dumps` returns str and takes (and ignores) `json.dumps`'s keyword
arguments, so python-socketio and python-engineio can use this module as
their `json`; `dumps_bytes` is for Redis.
"""

import json

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps_bytes(obj) -> bytes:
    """Serialise `obj` to compact UTF-8 JSON bytes."""
    try:
        return orjson.dumps(obj, option=_OPTIONS)
    except TypeError:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def dumps(obj, **_json_kwargs) -> str:
    """Serialise `obj` to compact JSON text (keyword arguments of `json.dumps` are accepted and ignored)."""
    try:
        return orjson.dumps(obj, option=_OPTIONS).decode()
    except TypeError:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def loads(text, **_json_kwargs):
    """Parse JSON text or bytes exactly as `json.loads` does (it is `json.loads`).

    orjson reads an integer past 64 bits as a float where `json` keeps it
    exact; parsing is the cheap half, so it stays with the standard library.
    """
    return json.loads(text)
