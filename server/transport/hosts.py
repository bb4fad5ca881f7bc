"""Which Host names this server answers to, checked in front of everything it serves.

A page on another site can point its own name at this server's address (DNS
rebinding) and then talk to it as same-origin, Socket.IO included: Engine.IO
only compares Origin with Host, and both are the attacker's name. So every
request's Host must be one we know. The check is WSGI middleware around the
whole app, because Flask-SocketIO's Engine.IO middleware answers /socket.io/
before any Flask request hook runs.
"""

import ipaddress
from urllib.parse import urlsplit

_REFUSED_BODY = b"Bad Request\n"


def host_name(host: str) -> str:
    """Return the name part of a Host header value: no port, no brackets, lower case, no final dot."""
    host = host.strip().lower()
    if host.startswith("["):
        name = host[1:host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        name = host.split(":", 1)[0]
    else:
        name = host  # a bare name, or an unbracketed IPv6 literal
    return name.rstrip(".")


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    return True


def parse_allowed(raw: str | None) -> list[str]:
    """Split the ALLOWED_HOSTS setting (comma-separated) into lower-case entries."""
    return [entry.strip().lower().rstrip(".") for entry in (raw or "").split(",") if entry.strip()]


class HostCheck:
    """Decide whether a Host name may be served.

    Always allowed: `localhost` and its subdomains (they name loopback, which
    no other site can point at), IP literals (a rebinding page has to use a
    name of its own), and the host of PUBLIC_URL. Anything else only when
    listed: an exact name, `.example.com` for that name and its subdomains,
    or `*` for any name at all (unsafe: it turns this check off).
    """

    def __init__(self, allowed: list[str], public_url: str | None = None):
        self.any = "*" in allowed
        self.exact = {entry for entry in allowed if not entry.startswith(".") and entry != "*"}
        self.suffixes = tuple(entry for entry in allowed if entry.startswith("."))
        if public_url:
            public = urlsplit(public_url).hostname
            if public:
                self.exact.add(public.lower().rstrip("."))

    def allows(self, host: str) -> bool:
        """Whether a request with this Host header value may be served."""
        if self.any:
            return True
        name = host_name(host)
        if not name:
            return False
        if name == "localhost" or name.endswith(".localhost") or _is_ip_literal(name):
            return True
        if name in self.exact:
            return True
        return any(name.endswith(suffix) or name == suffix[1:] for suffix in self.suffixes)


class AllowedHostsMiddleware:
    """WSGI middleware that answers a plain 400, echoing nothing, to a request for an unknown Host."""

    def __init__(self, wsgi_app, check: HostCheck):
        self.wsgi_app = wsgi_app
        self.check = check

    def __call__(self, environ, start_response):
        # No Host header (HTTP/1.0): the server's own name stands in, as in werkzeug.
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if self.check.allows(host):
            return self.wsgi_app(environ, start_response)
        start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                           ("Content-Length", str(len(_REFUSED_BODY))),
                                           ("Cache-Control", "no-store")])
        return [_REFUSED_BODY]


def init_app(app) -> None:
    """Wrap `app.wsgi_app` (after Socket.IO's middleware is in place) in the Host check."""
    check = HostCheck(parse_allowed(app.config.get("ALLOWED_HOSTS")), app.config.get("PUBLIC_URL"))
    app.wsgi_app = AllowedHostsMiddleware(app.wsgi_app, check)
