"""The store's per-process cache against a real Redis: two stores stand for two server processes.

Each store remembers the last state it read or wrote per room and starts an
update from it; the compare-and-set script refuses a stale one and hands
back the current state. These tests show the stale copy is seen first (the
cache is used) and that nothing is ever applied, refused or answered on it.
"""

import pytest

from server import store as store_module
from server.domain.errors import DomainError
from server.store import RoomStore

EVENT = {"type": "t", "seat": None, "at": 0}


@pytest.fixture
def two(redis_client, prefix):
    """Two stores on one Redis and prefix, as two processes would have."""
    return RoomStore(redis_client, prefix=prefix), RoomStore(redis_client, prefix=prefix)


def _add(mark, seen):
    """An fn that appends `mark` to the state's list, recording the versions it was called on."""
    def fn(state):
        seen.append(state["version"])
        return {**state, "marks": state["marks"] + [mark]}, EVENT, None
    return fn


def test_an_update_on_a_stale_cached_state_is_applied_once_on_the_fresh_state(two):
    here, there = two
    assert here.create("CACHEA", {"code": "CACHEA", "marks": []}, EVENT)
    there.update("CACHEA", _add("there", []))  # the other process moved the room to version 2
    seen = []
    state, changed, _ = here.update("CACHEA", _add("here", seen))
    assert seen == [1, 2]  # first on what this process remembered, then on what the script handed back
    assert changed and state["version"] == 3 and state["marks"] == ["there", "here"]
    assert there.load("CACHEA")["marks"] == ["there", "here"]
    assert [e["version"] for e in here.events("CACHEA")] == [1, 2, 3]


def test_a_warm_cache_starts_the_update_from_this_process_last_write(two, redis_client, prefix):
    here, _there = two
    assert here.create("CACHEB", {"code": "CACHEB", "marks": []}, EVENT)
    here.update("CACHEB", _add("first", []))
    # Only a stale read could see this: the text changes in Redis, the version does not.
    redis_client.hset(f"{prefix}:{{CACHEB}}:state", "s", '{"code": "CACHEB", "marks": ["behind its back"]}')
    here.update("CACHEB", _add("second", []))
    assert here.load("CACHEB")["marks"] == ["first", "second"]


def test_a_refusal_made_on_a_stale_cached_state_is_never_given(two):
    here, there = two
    assert here.create("CACHEC", {"code": "CACHEC", "marks": [], "open": False}, EVENT)
    there.update("CACHEC", lambda s: ({**s, "open": True}, EVENT, None))
    seen = []

    def only_when_open(state):
        seen.append(state["version"])
        if not state["open"]:
            raise DomainError("wrong_step", "Not yet.")
        return {**state, "marks": ["in"]}, EVENT, "applied"

    state, changed, result = here.update("CACHEC", only_when_open)
    assert seen == [1, 2] and changed and result == "applied" and state["marks"] == ["in"]


def test_nothing_to_do_on_a_stale_cached_state_is_decided_again_on_the_fresh_one(two):
    here, there = two
    assert here.create("CACHEE", {"code": "CACHEE", "marks": [], "away": False}, EVENT)
    there.update("CACHEE", lambda s: ({**s, "away": True}, EVENT, None))
    seen = []

    def back_if_away(state):
        seen.append(state["version"])
        if not state["away"]:
            return state, None, None
        return {**state, "away": False}, EVENT, None

    state, changed, _ = here.update("CACHEE", back_if_away)
    assert seen == [1, 2] and changed and state["version"] == 3 and state["away"] is False


def test_a_cached_room_that_was_erased_and_made_again_under_its_code_is_not_mistaken_for_it(two):
    here, there = two
    assert here.create("CACHEF", {"code": "CACHEF", "marks": ["old room"]}, EVENT)
    there.erase("CACHEF")
    assert there.create("CACHEF", {"code": "CACHEF", "marks": ["new room"]}, EVENT)  # version 1 again
    seen = []
    state, _changed, _ = here.update("CACHEF", _add("here", seen))
    assert seen == [1, 1] and state["marks"] == ["new room", "here"]


def test_the_cache_holds_at_most_its_bytes_and_drops_the_least_recently_used_room(redis_client, prefix):
    store = RoomStore(redis_client, prefix=prefix, cache_bytes=2000)
    codes = [f"CACHL{n}" for n in range(6)]
    for code in codes:
        assert store.create(code, {"code": code, "pad": "x" * 500}, EVENT)
    assert store._cached_bytes <= 2000
    assert codes[0] not in store._cache and codes[-1] in store._cache
    # A room the cache dropped is read again and still updated exactly once.
    state, changed, _ = store.update(codes[0], lambda s: ({**s, "pad": "y"}, EVENT, None))
    assert changed and state["version"] == 2 and store.load(codes[0])["pad"] == "y"


# --- states kept decoded and shared ---------------------------------------------------------


def test_a_transition_starts_from_the_state_this_process_wrote_without_parsing_its_json(
        redis_client, prefix, monkeypatch):
    store = RoomStore(redis_client, prefix=prefix, check_shared=True)
    assert store.create("SHAREA", {"code": "SHAREA", "marks": []}, EVENT)
    parsed = []
    real_loads = store_module.fastjson.loads
    monkeypatch.setattr(store_module.fastjson, "loads", lambda text: parsed.append(1) or real_loads(text))
    for mark in ("one", "two", "three"):
        store.update("SHAREA", _add(mark, []))
    assert parsed == []  # each update started from the dict the previous write kept
    assert RoomStore(redis_client, prefix=prefix).load("SHAREA")["marks"] == ["one", "two", "three"]


def test_a_state_changed_in_place_by_a_caller_is_caught_before_it_is_used_again(redis_client, prefix):
    store = RoomStore(redis_client, prefix=prefix, check_shared=True)
    assert store.create("SHAREB", {"code": "SHAREB", "seats": {"a": {"name": "Ana"}}}, EVENT)
    state = store.load("SHAREB")
    state["version"] = 99  # a caller's own copy at the top: harmless
    state["note"] = "mine"
    assert store.load("SHAREB") == {"code": "SHAREB", "seats": {"a": {"name": "Ana"}}, "version": 1}
    store.load("SHAREB")["seats"]["a"]["name"] = "changed in place"
    with pytest.raises(AssertionError, match="changed in place"):
        store.update("SHAREB", lambda s: ({**s, "x": 1}, EVENT, None))


def test_only_the_most_recently_used_rooms_stay_decoded_and_the_others_read_the_same(redis_client, prefix):
    store = RoomStore(redis_client, prefix=prefix, shared_rooms=2, check_shared=True)
    for code in ("SHAREC", "SHARED", "SHAREE"):
        assert store.create(code, {"code": code, "marks": []}, EVENT)
    assert [code for code in store._shared] == ["SHARED", "SHAREE"]
    assert store._cached("SHAREC").shared is None  # let go: it is parsed again when next used
    state, changed, _ = store.update("SHAREC", _add("again", []))
    assert changed and state["marks"] == ["again"] and list(store._shared) == ["SHAREE", "SHAREC"]
    assert store._cached("SHARED").shared is None
    assert store.load("SHARED") == {"code": "SHARED", "marks": [], "version": 1}


def test_a_remembered_state_older_than_the_version_the_phone_saw_is_not_tried(two):
    here, there = two
    assert here.create("SEENA", {"code": "SEENA", "marks": []}, EVENT)
    there.update("SEENA", _add("there", []))
    there.update("SEENA", _add("there again", []))  # the phone saw version 3, pushed by the other process
    tried = []
    state, changed, _ = here.update("SEENA", _add("here", tried), seen=3)
    assert tried == [3]  # read first: the intent was never run on the version 1 this process remembered
    assert changed and state["version"] == 4 and state["marks"] == ["there", "there again", "here"]
    tried = []
    here.update("SEENA", _add("again", tried), seen=2)  # what this process remembers is newer: used as it is
    assert tried == [4]
