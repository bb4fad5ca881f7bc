"""The Socket.IO packet class this server sends with: fast JSON, and no search for binary data.

python-socketio looks through every outgoing payload, item by item, for
bytes to send as attachments (`data_is_binary`, about 50 µs for a view, on
every emit and ack). Attune never sends binary data: views, acks and
notices are plain JSON, so the search always came back empty. Incoming
packets keep their type from the wire, so a client's binary event is still
decoded, and still refused by validation (`bad_payload`).
"""

from socketio import packet

from .. import fastjson


class Packet(packet.Packet):
    """A Socket.IO packet encoded with `server.fastjson`, never as a binary event."""

    json = fastjson

    @classmethod
    def data_is_binary(cls, data) -> bool:
        """Nothing this server sends holds bytes (an emit that did would fail to encode, loudly)."""
        return False
