"""Websocket unmasking in one pass (server/transport/wsmask.py): the same bytes as eventlet's own."""

import random
import socket

import pytest
from eventlet.websocket import RFC6455WebSocket

from server.transport import wsmask


def test_it_gives_the_bytes_eventlets_byte_by_byte_mask_gives():
    rng = random.Random(7)
    for length in list(range(0, 20)) + [125, 126, 300, 4099, 65536]:
        data = rng.randbytes(length + rng.randrange(3))
        mask = rng.randbytes(4)
        for offset in range(5):
            for size in (None, length):
                want = wsmask.eventlet_apply_mask(data, mask, size, offset)
                assert wsmask.apply_mask(data, mask, size, offset) == want, (length, offset, size)


def test_a_mask_given_as_four_ints_works_as_eventlets_own_frames_give_it():
    data = bytes(range(256)) * 3
    mask = [0, 255, 17, 128]
    assert wsmask.apply_mask(data, mask) == wsmask.eventlet_apply_mask(data, mask)


def test_masking_twice_gives_the_frame_back():
    data = "Ich höre dich. Ты меня слышишь? 🙂".encode()
    mask = b"\x9a\x01\xfe\x42"
    assert wsmask.apply_mask(wsmask.apply_mask(data, mask, offset=2), mask, offset=2) == data
    assert wsmask.apply_mask(data, mask) != data


def test_once_installed_eventlets_websockets_mask_and_unmask_with_it():
    wsmask.install()
    wsmask.install()
    assert wsmask.installed()
    # A phone's frames are masked (the client side), the server unmasks them.
    server_end, phone_end = socket.socketpair()
    try:
        server = RFC6455WebSocket(server_end, {})
        phone = RFC6455WebSocket(phone_end, {}, client=True)
        said = '42["intent",{"type":"share","text":"Ich höre dich 🙂"}]' * 20
        phone.send(said)
        assert server.wait() == said
        server.send("ack")
        assert phone.wait() == "ack"
    finally:
        server_end.close()
        phone_end.close()


def test_asked_for_more_bytes_than_the_frame_has_it_fails_as_eventlets_does():
    for mask in (wsmask.apply_mask, wsmask.eventlet_apply_mask):
        with pytest.raises(IndexError):
            mask(b"abc", b"\x01\x02\x03\x04", 5)
