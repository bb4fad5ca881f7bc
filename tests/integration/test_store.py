"""The store against a real Redis: the event log by version, and the deadline index under races."""

from server.domain.errors import DomainError
import pytest


def _write(store, code, n):
    for i in range(n):
        store.update(code, lambda s, i=i: ({**s, "n": i}, {"type": "t", "seat": None, "at": 0}, None))


def test_events_are_read_from_any_version_on_however_long_the_log(store):
    code = "TSTLOG"
    assert store.create(code, {"code": code}, {"type": "room_created", "seat": None, "at": 0})
    _write(store, code, 1200)
    events = store.events(code)
    assert len(events) == 1201 and [e["version"] for e in events] == list(range(1, 1202))
    assert [e["version"] for e in store.events(code, since=1199)] == [1200, 1201]
    store.erase(code)


def test_an_ended_clock_does_not_remove_a_newer_deadline_written_meanwhile(store, redis_client, prefix):
    index = f"{prefix}:deadlines"
    store.schedule("ROOMAA", 100.5)
    store.schedule("ROOMAA", 250.25)  # a newer turn started after the old one ended
    store.schedule("ROOMAA", None, was=100.5)  # the old turn's late clean-up
    assert redis_client.zscore(index, "ROOMAA") == 250.25
    store.schedule("ROOMAA", None, was=250.25)
    assert redis_client.zscore(index, "ROOMAA") is None


def test_an_update_to_a_room_that_is_gone_is_not_found(store):
    with pytest.raises(DomainError) as err:
        store.update("GONEAA", lambda s: (s, {"type": "t"}, None))
    assert err.value.code == "not_found"


def test_an_erased_rooms_text_leaves_the_embedded_redis_files(tmp_path, monkeypatch):
    from server import create_app, redis_conn
    from tests.support import wait_for

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app({"REDIS_URL": None, "ASYNC_MODE": "threading", "MESSAGE_QUEUE": "off", "SECRET_KEY": "t"})
    try:
        store = app.extensions["attune.store"]
        files = lambda: b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())  # noqa: E731
        assert store.create("ERASEA", {"code": "ERASEA", "words": "ERASE-MARK"}, {"type": "t", "seat": None, "at": 0})
        wait_for(lambda: b"ERASE-MARK" in files(), message="the append-only file to hold the room")
        store.erase("ERASEA")
        wait_for(lambda: b"ERASE-MARK" not in files(), message="the rewrite to drop the erased room")
    finally:
        app.extensions["attune.stopping"] = True  # its AOF sweeper
        redis_conn.shutdown_embedded()


def _grow(size):
    return lambda s: ({**s, "blob": "x" * size}, {"type": "t", "seat": None, "at": 0}, None)


def test_a_write_that_grows_the_state_past_its_byte_cap_is_refused_and_changes_nothing(store):
    code = "TSTCAP"
    store.max_state_bytes = 4096
    assert store.create(code, {"code": code}, {"type": "room_created", "seat": None, "at": 0})
    store.update(code, _grow(3000), limit_size=True)
    with pytest.raises(DomainError) as err:
        store.update(code, _grow(5000), limit_size=True)
    assert err.value.code == "state_too_large"
    assert store.load(code)["version"] == 2 and len(store.load(code)["blob"]) == 3000
    assert len(store.events(code)) == 2
    store.erase(code)


def test_over_its_cap_a_room_still_takes_writes_that_do_not_grow_it_and_seat_bookkeeping(store):
    code = "TSTCAQ"
    store.max_state_bytes = 4096
    assert store.create(code, {"code": code, "blob": "x" * 5000}, {"type": "room_created", "seat": None, "at": 0})
    store.update(code, _grow(4999), limit_size=True)  # shrinks: allowed
    store.update(code, _grow(6000))  # bookkeeping is never refused for size
    assert len(store.load(code)["blob"]) == 6000
    store.erase(code)


def test_a_lease_renews_only_while_it_has_not_run_out_and_a_run_out_one_is_listed(store):
    assert store.beat("L1", now=100.0, until=112.0, first=True)
    assert store.beat("L1", now=110.0, until=122.0)
    assert store.lapsed_leases(now=121.0) == []
    assert [lease for lease, _ in store.lapsed_leases(now=130.0)] == ["L1"]
    assert not store.beat("L1", now=130.0, until=142.0)  # ran out: its process must take a new lease
    assert not store.lease_alive("L1", 130.0)


def test_a_swept_lease_is_forgotten_with_what_it_held_unless_it_was_renewed_meanwhile(store, redis_client, prefix):
    store.beat("L2", now=100.0, until=112.0, first=True)
    store.hold("L2", "ROOMAB", "partner_a", "c1")
    store.hold("L2", "ROOMAB", "partner_b", "c2")
    store.release("L2", "ROOMAB", "partner_b", "c2")
    assert store.held("L2") == [("ROOMAB", "partner_a", "c1")]
    (lease, seen), = store.lapsed_leases(now=200.0)
    store.beat("L2", now=100.0, until=300.0, first=True)  # its process came back
    assert not store.forget_lease("L2", seen)
    (lease, seen), = store.lapsed_leases(now=400.0)
    assert store.forget_lease("L2", seen)
    assert store.held("L2") == [] and not redis_client.exists(f"{prefix}:{{presence}}:held:L2")
