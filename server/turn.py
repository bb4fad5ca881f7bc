"""ICE servers for a call: the configured list, plus a TURN server's time-limited credentials.

The TURN REST scheme that coturn's `use-auth-secret` understands: the
username is "<expiry unix time>:<label>", the password is
base64(HMAC-SHA1(shared secret, username)). coturn recomputes the password
from its `static-auth-secret` and refuses a username whose time has passed,
so the client never holds a lasting password and a leaked one runs out.
"""

import base64
import hashlib
import hmac
import json

POLICIES = ("all", "relay")


def credentials(secret: str, label: str, now: float, ttl: int) -> dict:
    """Return {"username", "credential"} valid until now + ttl seconds for `label` (a seat)."""
    username = f"{int(now) + int(ttl)}:{label}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return {"username": username, "credential": base64.b64encode(digest).decode("ascii")}


def parse_servers(raw: str | None) -> list[dict]:
    """Parse ICE_SERVERS (a JSON list of RTCIceServer objects); ValueError saying what is wrong."""
    if raw in (None, ""):
        return []
    try:
        servers = json.loads(raw)
    except ValueError:
        raise ValueError("ICE_SERVERS is not valid JSON") from None
    if not isinstance(servers, list):
        raise ValueError("ICE_SERVERS must be a JSON list of {urls, username?, credential?}")
    for i, server in enumerate(servers):
        urls = server.get("urls") if isinstance(server, dict) else None
        if not (isinstance(urls, str) or (isinstance(urls, list) and urls and all(isinstance(u, str) for u in urls))):
            raise ValueError(f"ICE_SERVERS[{i}] needs `urls`: a URL or a list of URLs")
        extra = set(server) - {"urls", "username", "credential"}
        if extra:
            raise ValueError(f"ICE_SERVERS[{i}] has fields an RTCIceServer does not take")
    return servers


def parse_urls(raw: str | None) -> list[str]:
    """Parse TURN_URLS: comma-separated turn:/turns: URLs."""
    urls = [u.strip() for u in (raw or "").split(",") if u.strip()]
    for url in urls:
        if not url.startswith(("turn:", "turns:")):
            raise ValueError("TURN_URLS takes turn: or turns: URLs, comma-separated")
    return urls


def ice_servers(config, label: str, now: float) -> list[dict]:
    """The ICE servers one seat gets now: ICE_SERVERS, then TURN_URLS with fresh credentials if TURN_SECRET is set."""
    servers = [dict(s) for s in parse_servers(config.get("ICE_SERVERS"))]
    urls = parse_urls(config.get("TURN_URLS"))
    if urls and config.get("TURN_SECRET"):
        servers.append({"urls": urls, **credentials(config["TURN_SECRET"], label, now, config["TURN_TTL"])})
    return servers


def check(config) -> None:
    """Refuse at start-up a call configuration that cannot work (ValueError naming the setting)."""
    parse_servers(config.get("ICE_SERVERS"))
    if parse_urls(config.get("TURN_URLS")) and not config.get("TURN_SECRET"):
        raise ValueError("TURN_URLS is set but TURN_SECRET is not: coturn's static-auth-secret is needed")
    if config.get("ICE_TRANSPORT_POLICY") not in POLICIES:
        raise ValueError("ICE_TRANSPORT_POLICY must be all or relay")
    if int(config.get("TURN_TTL", 0)) <= 0:
        raise ValueError("TURN_TTL must be a positive number of seconds")
