"""The client managers index each connection's rooms: the same bookkeeping as python-socketio's, no scan."""

import json
import random
import secrets

import pytest
import socketio

from server.transport.managers import IndexedRoomsMixin, LocalManager


class _Eio:
    def generate_id(self):
        return secrets.token_hex(8)


class _Server:
    eio = _Eio()

    class packet_class:  # noqa: N801 - what a manager reads off its server
        json = json


def _manager(cls):
    manager = cls()
    manager.set_server(_Server())
    manager.initialize()
    return manager


class _NoScan(dict):
    """A namespace's rooms that refuse to be walked: only looked up by name."""

    def items(self):
        raise AssertionError("walked every room")

    def copy(self):
        raise AssertionError("copied every room")


def test_a_disconnect_leaves_only_the_connections_own_rooms_without_walking_the_others():
    manager = _manager(LocalManager)
    sids = [manager.connect(f"eio{i}", "/") for i in range(50)]
    for i, sid in enumerate(sids):
        manager.enter_room(sid, "/", f"ROOM{i // 2}")
        manager.enter_room(sid, "/", f"ROOM{i // 2}:partner_{'ab'[i % 2]}")
    manager.rooms["/"] = _NoScan(manager.rooms["/"])
    manager.disconnect(sids[0], "/")
    assert sids[0] not in manager.rooms["/"][None]
    assert "ROOM0:partner_a" not in manager.rooms["/"] and sids[0] not in manager.rooms["/"]
    assert set(manager.rooms["/"]["ROOM0"]) == {sids[1]}
    assert manager.get_rooms(sids[1], "/") == [sids[1], "ROOM0", "ROOM0:partner_b"]


class _Stock(socketio.Manager):
    pass


class _Indexed(IndexedRoomsMixin, socketio.Manager):
    pass


@pytest.mark.parametrize("seed", range(5))
def test_the_index_keeps_the_same_rooms_callbacks_and_pending_lists_as_python_socketio(seed):
    rnd = random.Random(seed)
    stock, indexed = _manager(_Stock), _manager(_Indexed)
    live = []  # (stock sid, indexed sid)
    for step in range(400):
        move = rnd.choice(["connect", "connect", "enter", "enter", "leave", "close", "disconnect", "pre"])
        if move in ("connect", "pre") or not live:
            eio = f"eio{step}"
            if move == "pre":  # connected to the namespace, not yet through its connect handler
                live.append((stock.pre_connect(eio, "/"), indexed.pre_connect(eio, "/")))
            else:
                live.append((stock.connect(eio, "/"), indexed.connect(eio, "/")))
            continue
        pair = rnd.choice(live)
        room = f"R{rnd.randrange(6)}"
        if move == "enter":
            for manager, sid in zip((stock, indexed), pair):
                manager.enter_room(sid, "/", room)
        elif move == "leave":
            for manager, sid in zip((stock, indexed), pair):
                manager.leave_room(sid, "/", room)
        elif move == "close":
            for manager in (stock, indexed):
                manager.close_room(room, "/")
        else:
            live.remove(pair)
            for manager, sid in zip((stock, indexed), pair):
                manager.disconnect(sid, "/")
        # Same rooms, with the sids renamed; the same rooms per connection.
        rename = {b: a for a, b in live} | {None: None}
        mirror = {rename.get(room, room): {rename[s] for s in members}
                  for room, members in indexed.rooms.get("/", {}).items()}
        assert mirror == {room: set(members) for room, members in stock.rooms.get("/", {}).items()}
        for a, b in live:
            assert {rename.get(r, r) for r in indexed.get_rooms(b, "/")} == set(stock.get_rooms(a, "/"))
        assert len(indexed.pending_connect.get("/", [])) == len(stock.pending_connect.get("/", []))


class _Sealed(dict):
    """A room whose members may no longer change."""

    def __setitem__(self, key, value):
        raise AssertionError("wrote a member again")


def test_entering_a_room_a_connection_is_already_in_writes_nothing():
    manager = _manager(LocalManager)
    sid = manager.connect("eio0", "/")
    manager.enter_room(sid, "/", "ROOM")
    manager.rooms["/"]["ROOM"] = _Sealed(manager.rooms["/"]["ROOM"])
    manager.enter_room(sid, "/", "ROOM")  # the bind after the claim: already in
    assert manager.get_rooms(sid, "/") == [sid, "ROOM"]
