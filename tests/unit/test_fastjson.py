"""server.fastjson and the Socket.IO packet class: the same JSON as the standard library, faster."""

import json
import math

from socketio import packet as stock

from server import fastjson
from server.library import load_library
from server.transport.packets import Packet

ODD = [
    {"big": 2 ** 70, "n": -(2 ** 65)},            # past 64 bits: orjson refuses, json does not
    {1: "int key", 2.5: "float key", None: "n"},  # keys json turns into strings
    {"text": "Zoë 💬 \u202e \x00 \"quoted\" \\"},
    [[], {}, [1, [2, [3]]], 0.1, 1e300, -0.0, True, False, None],
    (1, 2, "tuple"),
]


def test_every_value_reads_back_as_the_standard_library_reads_its_own_output():
    library = load_library("exercises")
    for value in ODD + list(library.exercises.values()):
        ours = fastjson.dumps(value)
        assert json.loads(ours) == json.loads(json.dumps(value)), value
        assert fastjson.loads(ours) == json.loads(json.dumps(value))
        assert fastjson.dumps_bytes(value) == ours.encode()


def test_output_is_compact_utf8_and_keyword_arguments_of_json_dumps_are_accepted():
    assert fastjson.dumps({"a": [1, 2], "b": "é"}, separators=(",", ":"), sort_keys=True) == '{"a":[1,2],"b":"é"}'


def test_loads_accepts_what_the_standard_library_accepts_and_refuses_the_rest_with_value_error():
    assert fastjson.loads("[123456789012345678901234567890]") == [123456789012345678901234567890]
    assert math.isnan(fastjson.loads("[NaN]")[0])
    assert fastjson.loads(b'{"a": 1}') == {"a": 1}
    for bad in ("{bad", "", "[1,]"):
        try:
            fastjson.loads(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_a_view_packet_encodes_to_the_same_data_as_the_stock_one_and_never_as_binary():
    view = {"code": "ABCDEF", "version": 7, "seats": {"partner_a": {"name": "Zoë", "presence": "online"}},
            "session": {"plan": [{"exercise": "take-the-floor", "options": {"rounds": 2}}]}, "can": []}
    ours = Packet(stock.EVENT, data=["view", view], namespace="/").encode()
    theirs = stock.Packet(stock.EVENT, data=["view", view], namespace="/").encode()
    assert ours[0] == str(stock.EVENT) and json.loads(ours[1:]) == json.loads(theirs[1:])
    ack = Packet(stock.ACK, data=[{"ok": True}], namespace="/", id=12).encode()
    assert ack == '312[{"ok":true}]'
    # A client's binary event keeps its type from the wire (and is refused later, by validation).
    incoming = Packet(encoded_packet='51-["intent",{"_placeholder":true,"num":0}]')
    assert incoming.packet_type == stock.BINARY_EVENT and incoming.attachment_count == 1
