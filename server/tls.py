"""Serving HTTPS directly, for two phones on Wi-Fi: Wake Lock, the clipboard
and the microphone need a secure context, which http://192.168.x.x is not.
"""

import ssl


class TLSError(Exception):
    """The TLS settings cannot be used; the message says which and why."""


def server_context(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    """Return a server context for the PEM files `cert` and `key`, None when neither is set.

    Raises TLSError when only one is set or a file cannot be read or used.
    Under eventlet, call it after monkey-patching so the context is green.
    """
    if not cert and not key:
        return None
    if not cert or not key:
        missing, given = ("TLS_KEY", "TLS_CERT") if cert else ("TLS_CERT", "TLS_KEY")
        raise TLSError(f"{given} is set but {missing} is not: set both to serve HTTPS, or neither")
    for name, path in (("TLS_CERT", cert), ("TLS_KEY", key)):
        try:
            with open(path, "rb"):
                pass
        except OSError as err:
            raise TLSError(f"{name} cannot be read: {path}: {err.strerror}") from None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        # No password prompt on the terminal: an encrypted key simply fails here.
        context.load_cert_chain(cert, key, password=lambda: b"")
    except (ssl.SSLError, ValueError) as err:
        raise TLSError("TLS_CERT and TLS_KEY are not a matching PEM certificate and unencrypted key: "
                       f"{err.reason or err}") from None
    return context
