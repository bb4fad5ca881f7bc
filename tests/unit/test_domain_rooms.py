"""Rooms, seats, presence and versioning, without Flask or Redis."""

import copy
import unicodedata

import pytest

from server.domain import intents, rooms
from server.domain.context import Ctx
from server.domain.errors import DomainError

NOW = 1_800_000_000.0
CTX = Ctx(now=NOW)


def room(**kw):
    state = rooms.new_room(code="ABCDEF", now=NOW, seed=7, **kw)
    state["version"] = 1
    return state


def seated(*names):
    state = room()
    for i, name in enumerate(names):
        state, _ = rooms.claim_seat(state, None, name=name, token_hash=f"hash-{i}", conn=f"c{i}", now=NOW)
        state["version"] += 1  # what the store writes for each change
    return state


def intent(kind="set_mode", **fields):
    fields.setdefault("mode", "remote")
    return {"id": fields.pop("id", "i1"), "type": kind, **fields}


class TestCodes:
    def test_a_typed_code_is_read_without_case_spaces_or_dashes(self):
        assert rooms.normalize_code(" abc-def ") == "ABCDEF"

    def test_a_therapists_ten_character_code_is_read_the_same_way(self):
        assert rooms.normalize_code("abcde-fghjk") == "ABCDEFGHJK"
        assert rooms.normalize_code("ABCDE FGHJK") == "ABCDEFGHJK"

    @pytest.mark.parametrize("raw", ["ABCDE0", "ABCDEO", "ABCDE1", "ABCDEI", "ABCDEL", "ABC", "ABCDEFG",
                                     "ABCDEFGH", "ABCDEFGHJ", "ABCDEFGHJKM", "ABCDEFGHJ0", 7, None])
    def test_a_code_with_confusable_characters_or_wrong_length_is_refused(self, raw):
        assert rooms.normalize_code(raw) is None

    def test_the_alphabet_has_no_confusable_characters(self):
        assert not set("0O1IL") & set(rooms.CODE_ALPHABET)


class TestSeats:
    def test_partners_take_seat_a_then_seat_b(self):
        state = seated("Ana", "Ben")
        assert state["seats"]["partner_a"]["name"] == "Ana"
        assert state["seats"]["partner_b"]["name"] == "Ben"

    def test_a_third_partner_is_refused_with_room_full(self):
        state = seated("Ana", "Ben")
        with pytest.raises(DomainError) as err:
            rooms.claim_seat(state, None, name="Cy", token_hash="h", conn="c", now=NOW)
        assert err.value.code == "room_full"

    def test_claiming_a_seat_does_not_change_the_state_it_was_given(self):
        state = seated("Ana")
        before = copy.deepcopy(state)
        rooms.claim_seat(state, None, name="Ben", token_hash="h", conn="c", now=NOW)
        assert state == before

    @pytest.mark.parametrize("name", ["", "   ", "x" * 41])
    def test_an_empty_or_overlong_name_is_refused(self, name):
        with pytest.raises(DomainError) as err:
            rooms.claim_seat(room(), None, name=name, token_hash="h", conn="c", now=NOW)
        assert err.value.code in ("invalid_name", "text_too_long")

    @pytest.mark.parametrize("raw,clean", [
        ("Ana\u202eneB", "AnaneB"),               # right-to-left override: would show "Ana" + "Ben" reversed
        ("\u200bDr\u200b Lee\u200d", "Dr Lee"),   # zero-width space and joiner
        ("Ana\x07", "Ana"),                       # BEL
        ("Ben\x1b[31m", "Ben[31m"),               # an escape sequence loses its ESC
        ("  Ana \t\n  Ben ", "Ana Ben"),          # whitespace of any kind collapses to one space
        ("Ana \u200b Ben", "Ana Ben"),             # no double space where a hidden character was
        ("Ana\u2066Ben\u2069\ufeff", "AnaBen"),   # isolates and a byte-order mark
        ("Zoë 😊", "Zoë 😊"),                     # letters and emoji stay
    ])
    def test_a_name_loses_control_and_format_characters_and_extra_space(self, raw, clean):
        assert rooms.clean_name(raw) == clean
        assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in rooms.clean_name(raw))

    @pytest.mark.parametrize("raw", ["\u200b", "\u202e\u200d \x07", "\t\n", "\ufeff\u2060"])
    def test_a_name_of_nothing_visible_is_invalid(self, raw):
        with pytest.raises(DomainError) as err:
            rooms.clean_name(raw)
        assert err.value.code == "invalid_name"

    def test_hidden_characters_do_not_count_against_the_name_length(self):
        name = "x" * rooms.MAX_NAME
        assert rooms.clean_name("\u200b".join(name[:20]) + name[20:]) == name
        with pytest.raises(DomainError) as err:
            rooms.clean_name("y" * (rooms.MAX_NAME + 1))
        assert err.value.code == "text_too_long"

    def test_a_seat_is_stored_under_its_clean_name(self):
        state, _ = rooms.claim_seat(room(), None, name="\u202eAna\u200b", token_hash="h", conn="c", now=NOW)
        assert state["seats"]["partner_a"]["name"] == "Ana"

    def test_a_token_hash_finds_its_seat_and_nothing_else(self):
        state = seated("Ana", "Ben")
        assert rooms.seat_for_token(state, "hash-1") == "partner_b"
        assert rooms.seat_for_token(state, "hash-9") is None


class TestPresence:
    def test_a_dropped_connection_marks_its_seat_away_but_keeps_it(self):
        state, event = rooms.detach(seated("Ana"), "partner_a", "c0", NOW)
        assert state["seats"]["partner_a"]["presence"] == "away"
        assert state["seats"]["partner_a"]["token_hash"] == "hash-0"
        assert event["presence"] == "away"

    def test_an_old_connection_dropping_after_a_reconnect_changes_nothing(self):
        state, _ = rooms.attach(seated("Ana"), "partner_a", "new-conn", NOW)
        after, event = rooms.detach(state, "partner_a", "c0", NOW)
        assert event is None and after["seats"]["partner_a"]["presence"] == "online"

    def test_reattaching_marks_the_seat_online_with_the_new_connection(self):
        state, _ = rooms.detach(seated("Ana"), "partner_a", "c0", NOW)
        state, event = rooms.attach(state, "partner_a", "c9", NOW)
        assert state["seats"]["partner_a"]["presence"] == "online"
        assert state["seats"]["partner_a"]["conn"] == "c9"

    def test_leaving_marks_the_seat_left_and_a_resume_brings_it_back(self):
        state, _ = rooms.leave(seated("Ana"), "partner_a", NOW)
        assert state["seats"]["partner_a"]["presence"] == "left"
        state, _ = rooms.attach(state, "partner_a", "c1", NOW)
        assert state["seats"]["partner_a"]["presence"] == "online"


class TestIntents:
    def test_an_intent_on_the_current_version_applies(self):
        state = seated("Ana", "Ben")
        state, event = intents.apply_intent(state, "partner_a", intent(version=state["version"]), CTX)
        assert state["mode"] == "remote" and event["type"] == "mode_set"

    def test_a_retried_intent_id_applies_once(self):
        state, _ = intents.apply_intent(seated("Ana"), "partner_a", intent(id="x"), CTX)
        again, event = intents.apply_intent(state, "partner_a", intent(id="x", mode="same_room"), CTX)
        assert event is None and again["mode"] == "remote"

    def test_the_same_intent_id_from_the_other_partner_is_a_different_intent(self):
        state, _ = intents.apply_intent(seated("Ana", "Ben"), "partner_a", intent(id="x"), CTX)
        _, event = intents.apply_intent(state, "partner_b", intent(id="x", mode="same_room"), CTX)
        assert event is not None

    def test_an_unknown_intent_type_is_refused(self):
        with pytest.raises(DomainError) as err:
            intents.apply_intent(seated("Ana"), "partner_a", intent("fly"), CTX)
        assert err.value.code == "unknown_intent"

    def test_an_empty_seat_may_not_act(self):
        with pytest.raises(DomainError) as err:
            intents.apply_intent(seated("Ana"), "partner_b", intent(), CTX)
        assert err.value.code == "not_joined"

    def test_only_a_bounded_number_of_intent_ids_is_remembered(self):
        state = seated("Ana")
        for i in range(rooms.RECENT_INTENTS + 10):
            state, _ = intents.apply_intent(state, "partner_a", intent(id=f"i{i}"), CTX)
        assert len(state["recent"]) == rooms.RECENT_INTENTS


class TestViews:
    def test_a_view_shows_names_and_presence_but_never_tokens_or_secrets(self):
        state = room(moderated=True, moderator_secret_hash="secret-hash")
        state, _ = rooms.claim_seat(state, None, name="Ana", token_hash="token-hash", conn="c", now=NOW)
        view = intents.view_for(state, "partner_a")
        text = repr(view)
        assert "token-hash" not in text and "secret-hash" not in text and "c" != view["seats"]["partner_a"].get("conn")
        assert view["seats"]["partner_a"] == {"name": "Ana", "presence": "online", "role": "partner"}
        assert view["you"] == {"seat": "partner_a", "name": "Ana", "role": "partner", "may_end": False}
        assert view["version"] == 1 and view["full"] is False  # built without the store: no bump

    def test_every_seat_says_its_role_so_a_partner_cannot_pass_for_the_moderator(self):
        state = room(moderated=True)
        state, _ = rooms.claim_seat(state, rooms.MODERATOR, name="Dr Lee", token_hash="m", conn="m", now=NOW)
        state, _ = rooms.claim_seat(state, None, name="Moderator (therapist)", token_hash="a", conn="a", now=NOW)
        for seat in rooms.SEATS:
            seats = intents.view_for(state, seat)["seats"]
            assert seats["moderator"]["role"] == "moderator"
            assert seats["partner_a"] == {"name": "Moderator (therapist)", "presence": "online", "role": "partner"}
            assert seats["partner_b"] is None


class TestStaleness:
    def test_a_presence_change_since_the_view_does_not_make_an_intent_stale(self):
        state = seated("Ana", "Ben")
        seen = state["version"]
        state, _ = intents.apply_intent(state, "partner_a", intent(id="a", version=seen), CTX)
        state["version"] += 1  # what the store wrote
        seen = state["version"]
        state, _ = rooms.detach(state, "partner_b", "c1", NOW)
        state["version"] += 1  # a presence write
        state, event = intents.apply_intent(state, "partner_a", intent(id="b", version=seen, mode="same_room"), CTX)
        assert event is not None and state["mode"] == "same_room"

    def test_an_intent_made_before_the_room_last_moved_is_stale(self):
        state = seated("Ana", "Ben")
        seen = state["version"]
        state, _ = intents.apply_intent(state, "partner_a", intent(id="a", version=seen), CTX)
        state["version"] += 1
        with pytest.raises(DomainError) as err:
            intents.apply_intent(state, "partner_b", intent(id="b", version=seen), CTX)
        assert err.value.code == "stale"

    def test_someone_taking_a_seat_makes_a_lobby_view_stale(self):
        state = seated("Ana")
        seen = state["version"]
        state, _ = rooms.claim_seat(state, None, name="Ben", token_hash="h", conn="c", now=NOW)
        state["version"] += 1
        with pytest.raises(DomainError) as err:
            intents.apply_intent(state, "partner_a", intent(version=seen), CTX)
        assert err.value.code == "stale"

    def test_a_version_from_the_future_is_stale(self):
        with pytest.raises(DomainError) as err:
            intents.apply_intent(seated("Ana"), "partner_a", intent(version=9), CTX)
        assert err.value.code == "stale"


def test_reattach_brings_a_swept_seat_back_online_for_the_connection_still_open():
    from server.domain import rooms as r

    state = r.new_room(code="ABCDEF", now=0.0, seed=1)
    state, _ = r.claim_seat(state, "partner_a", name="Ana", token_hash="t", conn="c1", now=0.0)
    swept, _ = r.detach(state, "partner_a", "c1", 1.0)
    back, event = r.reattach(swept, "partner_a", "c1", 2.0)
    assert back["seats"]["partner_a"]["presence"] == "online" and back["seats"]["partner_a"]["conn"] == "c1"
    assert event["presence"] == "online"


def test_reattach_never_takes_a_seat_another_connection_holds_or_one_that_left():
    from server.domain import rooms as r

    state = r.new_room(code="ABCDEF", now=0.0, seed=1)
    state, _ = r.claim_seat(state, "partner_a", name="Ana", token_hash="t", conn="c2", now=0.0)
    assert r.reattach(state, "partner_a", "c1", 1.0) == (state, None)  # the phone moved to c2
    left, _ = r.leave(state, "partner_a", 1.0)
    assert r.reattach(left, "partner_a", "c2", 2.0) == (left, None)
