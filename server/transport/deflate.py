"""Websockets without permessage-deflate: the server declines the extension in every handshake.

Browsers and socket.io-client offer permessage-deflate by default, and
eventlet's websocket accepts it: each socket then keeps its own zlib
compressor (about 256 KB of window and hash tables, made at its first
frame) and decompressor, and every frame, acks and pings included, goes
through them. Measured with 2,000 sockets (issue 10): 540 MB with the
extension, 235 MB without; at 10,000 sockets that is the difference
between fitting in memory and not. A view is a few KB of JSON and an ack a
few dozen bytes, so what compression saves on the wire is small next to
what it costs every socket. Declining is allowed by RFC 7692 (the server
answers without a Sec-WebSocket-Extensions header) and every client then
speaks plain frames.
"""


class NoDeflate:
    """WSGI middleware that removes a websocket handshake's extension offer before the websocket sees it."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        # Sec-WebSocket-Extensions only ever offers extensions (permessage-deflate
        # is the one clients send); without it the handshake negotiates none.
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.app(environ, start_response)


def init_app(app) -> None:
    """Wrap `app.wsgi_app` (Socket.IO's middleware included) so no websocket negotiates compression."""
    app.wsgi_app = NoDeflate(app.wsgi_app)
