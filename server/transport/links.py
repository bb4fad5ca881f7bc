"""Every link the server hands out, built in one place.

The base address is PUBLIC_URL when set (behind a proxy, or for a name the
phones know the server by), else the address this request reached. The QR
code's address is a path on this server: the page's Content-Security-Policy
loads images from its own origin only.
"""

from urllib.parse import quote

from flask import current_app, request


def base_url() -> str:
    """The server's address as the phones should use it, without a trailing slash."""
    return (current_app.config["PUBLIC_URL"] or request.host_url).rstrip("/")


def join_path(code: str) -> str:
    return f"/r/{code}"


def join_url(code: str) -> str:
    """The link that opens the join screen of room `code`."""
    return base_url() + join_path(code)


def moderator_url(code: str, secret: str) -> str:
    """The therapist's link: the secret sits in the fragment, so it never reaches a log or a Referer."""
    return f"{base_url()}/m/{code}#{quote(secret, safe='')}"


def qr_path(code: str) -> str:
    """The same-origin path of the QR code of room `code`'s join link."""
    return f"{join_path(code)}/qr.svg"
