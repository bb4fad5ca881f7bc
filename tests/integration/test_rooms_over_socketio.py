"""Rooms over Socket.IO (Flask-SocketIO's test client) against a real Redis."""

import json
import logging
import uuid

import pytest

from tests.support import ack, couple, create, intent, received, wait_for


def views(client):
    return received(client, "view")


class TestCreateAndJoin:
    def test_creating_a_room_seats_the_creator_as_partner_a_with_a_code_link_and_token(self, connect, store):
        reply = create(connect())
        assert reply["seat"] == "partner_a"
        assert len(reply["code"]) == 6 and reply["join_url"].endswith("/r/" + reply["code"])
        assert len(reply["token"]) >= 32  # 24 random bytes, url-safe base64
        assert store.load(reply["code"])["seats"]["partner_a"]["name"] == "Ana"

    def test_a_partner_joins_by_code_typed_in_lower_case_and_both_see_each_other(self, connect):
        a, b, made, joined = couple(connect)
        assert joined["seat"] == "partner_b"
        pushed = views(a)[-1]
        assert pushed["seats"]["partner_b"] == {"name": "Ben", "presence": "online", "role": "partner"}
        assert pushed["version"] == joined["view"]["version"]

    def test_a_name_reaches_the_other_phone_without_hidden_characters(self, connect, store):
        a, b = connect(), connect()
        made = create(a, "\u202eAna\u200b\x07")
        joined = ack(b, "join_room", {"code": made["code"], "name": "Ben \u200b\t Ray"})
        assert joined["ok"], joined
        assert joined["view"]["seats"]["partner_a"]["name"] == "Ana"
        assert views(a)[-1]["seats"]["partner_b"]["name"] == "Ben Ray"
        assert store.load(made["code"])["seats"]["partner_b"]["name"] == "Ben Ray"

    def test_a_name_of_only_hidden_characters_is_invalid_and_changes_nothing(self, connect, store):
        a, b = connect(), connect()
        refused = ack(a, "create_room", {"name": "\u200b\u202e"})
        assert refused["ok"] is False and refused["error"]["code"] == "invalid_name"
        made = create(a)
        before = store.load(made["code"])
        refused = ack(b, "join_room", {"code": made["code"], "name": "\ufeff\x07"})
        assert refused["ok"] is False and refused["error"]["code"] == "invalid_name"
        assert store.load(made["code"]) == before

    def test_a_third_partner_gets_room_full(self, connect):
        _, _, made, _ = couple(connect)
        reply = ack(connect(), "join_room", {"code": made["code"], "name": "Cy"})
        assert reply["error"]["code"] == "room_full"

    def test_an_unknown_code_gets_not_found(self, connect):
        reply = ack(connect(), "join_room", {"code": "ZZZZZZ", "name": "Cy"})
        assert reply["error"]["code"] == "not_found"

    def test_join_attempts_from_one_address_are_rate_limited_but_others_still_join(self, connect, app):
        app.config["JOIN_RATE_LIMIT"] = 3
        made = create(connect())
        guesser = connect("10.9.9.9")
        codes = [ack(guesser, "join_room", {"code": "ZZZZZZ", "name": "Cy"})["error"]["code"] for _ in range(4)]
        assert codes == ["not_found"] * 3 + ["rate_limited"]
        blocked = ack(guesser, "join_room", {"code": made["code"], "name": "Cy"})
        assert blocked["error"]["code"] == "rate_limited" and blocked["error"]["retry_after"] > 0
        assert ack(connect("10.1.1.1"), "join_room", {"code": made["code"], "name": "Ben"})["ok"]

    def test_one_connection_cannot_take_two_seats(self, connect):
        a, _, made, _ = couple(connect)
        assert ack(a, "join_room", {"code": made["code"], "name": "Ana"})["error"]["code"] == "already_joined"


class TestModerator:
    def test_a_moderated_room_seats_the_therapist_and_hands_out_a_separate_secret(self, connect):
        reply = create(connect(), name="Dr Lee", role="moderator")
        assert reply["seat"] == "moderator"
        assert reply["moderator_secret"] not in (reply["code"], reply["token"])
        assert reply["moderator_url"].endswith(reply["moderator_secret"])
        assert reply["view"]["moderated"] is True

    def test_the_moderator_seat_cannot_be_claimed_with_the_room_code_alone(self, connect):
        made = create(connect(), name="Dr Lee", role="moderator")
        wrong = ack(connect(), "join_room", {"code": made["code"], "name": "X", "moderator_secret": "guess"})
        assert wrong["error"]["code"] == "forbidden"
        partner = ack(connect(), "join_room", {"code": made["code"], "name": "Ana"})
        assert partner["seat"] == "partner_a"

    def test_the_moderator_secret_reclaims_the_seat_and_retires_the_old_token(self, connect):
        first = connect()
        made = create(first, name="Dr Lee", role="moderator")
        again = ack(connect(), "join_room", {"code": made["code"], "name": "Dr Lee",
                                             "moderator_secret": made["moderator_secret"]})
        assert again["ok"] and again["seat"] == "moderator" and again["token"] != made["token"]
        old = ack(connect(), "resume", {"code": made["code"], "token": made["token"]})
        assert old["error"]["code"] == "not_found"

    def test_a_room_made_by_a_partner_has_no_moderator_seat_to_claim(self, connect):
        made = create(connect())
        reply = ack(connect(), "join_room", {"code": made["code"], "name": "X", "moderator_secret": "x"})
        assert reply["error"]["code"] == "forbidden"


class TestPresenceAndResume:
    def test_a_dropped_phone_shows_away_to_its_partner_and_keeps_its_seat(self, connect, store):
        a, b, made, joined = couple(connect)
        a.get_received()
        b.disconnect()
        assert views(a)[-1]["seats"]["partner_b"]["presence"] == "away"
        assert store.load(made["code"])["seats"]["partner_b"]["name"] == "Ben"

    def test_resuming_with_the_token_returns_the_exact_current_view(self, connect):
        a, b, made, joined = couple(connect)
        assert intent(a, mode="remote")["ok"]
        b.disconnect()
        b2 = connect()
        back = ack(b2, "resume", {"code": made["code"], "token": joined["token"]})
        assert back["ok"] and back["seat"] == "partner_b"
        assert back["view"]["mode"] == "remote"
        assert back["view"]["seats"]["partner_b"]["presence"] == "online"
        assert views(a)[-1]["version"] == back["view"]["version"]

    def test_a_resumed_connection_receives_the_partners_changes(self, connect):
        a, b, made, joined = couple(connect)
        b.disconnect()
        b2 = connect()
        ack(b2, "resume", {"code": made["code"], "token": joined["token"]})
        b2.get_received()
        intent(a, mode="remote")
        assert views(b2)[-1]["mode"] == "remote"

    def test_opening_the_seat_on_a_second_device_lets_go_of_the_first(self, connect):
        a, b, made, joined = couple(connect)
        b2 = connect()
        assert ack(b2, "resume", {"code": made["code"], "token": joined["token"]})["ok"]
        assert not b.is_connected()
        assert views(a)[-1]["seats"]["partner_b"]["presence"] == "online"

    def test_a_wrong_token_and_a_gone_room_get_the_same_answer(self, connect):
        _, _, made, _ = couple(connect)
        wrong = ack(connect(), "resume", {"code": made["code"], "token": "x" * 32})
        gone = ack(connect(), "resume", {"code": "ZZZZZZ", "token": "x" * 32})
        assert wrong == gone
        assert wrong["error"]["code"] == "not_found"

    def test_check_seat_answers_for_a_held_seat_without_bringing_it_online(self, connect, store):
        a, b, made, joined = couple(connect)
        b.disconnect()
        before = store.load(made["code"])
        a.get_received()
        assert ack(connect(), "check_seat", {"code": made["code"], "token": joined["token"]}) == {"ok": True}
        assert store.load(made["code"]) == before  # still away, same version: nothing was written
        assert views(a) == []

    def test_check_seat_says_not_found_alike_for_a_wrong_token_an_unknown_code_and_an_erased_room(self, connect):
        a, _, made, joined = couple(connect)
        wrong = ack(connect(), "check_seat", {"code": made["code"], "token": "x" * 32})
        unknown = ack(connect(), "check_seat", {"code": "ZZZZZZ", "token": joined["token"]})
        assert wrong["error"] == unknown["error"] and wrong["error"]["code"] == "not_found"
        assert ack(a, "end_room")["ok"]
        gone = ack(connect(), "check_seat", {"code": made["code"], "token": joined["token"]})
        assert gone["error"] == wrong["error"]

    def test_leaving_shows_left_to_the_partner(self, connect):
        a, b, made, _ = couple(connect)
        a.get_received()
        assert ack(b, "leave_room")["ok"]
        assert views(a)[-1]["seats"]["partner_b"]["presence"] == "left"


class TestIntents:
    def test_an_applied_intent_is_acked_with_the_new_version_and_pushed_to_both(self, connect):
        a, b, made, joined = couple(connect)
        b.get_received()
        reply = intent(a, mode="remote", version=joined["view"]["version"])
        assert reply == {"ok": True, "version": joined["view"]["version"] + 1, "duplicate": False}
        assert views(b)[-1]["mode"] == "remote"

    def test_an_intent_against_an_old_version_is_stale_and_carries_the_fresh_view(self, connect):
        a, b, made, joined = couple(connect)
        intent(a, mode="remote")
        reply = intent(b, mode="same_room", version=joined["view"]["version"])
        assert reply["error"]["code"] == "stale"
        assert reply["view"]["mode"] == "remote" and reply["view"]["you"]["seat"] == "partner_b"

    def test_a_retried_intent_id_is_applied_once(self, connect, store):
        a, _, made, _ = couple(connect)
        payload = {"id": "retry-1", "type": "set_mode", "mode": "remote"}
        first, second = ack(a, "intent", payload), ack(a, "intent", payload)
        assert first["duplicate"] is False and second["duplicate"] is True
        assert second["version"] == first["version"] == store.load(made["code"])["version"]


class TestEndAndErase:
    def test_end_and_erase_deletes_every_key_of_the_room_and_tells_both(self, connect, store, redis_client, prefix):
        a, b, made, _ = couple(connect)
        intent(a, mode="remote")
        assert redis_client.keys(f"{prefix}:{{{made['code']}}}:*")
        b.get_received()
        assert ack(a, "end_room")["ok"]
        assert redis_client.keys(f"{prefix}:{{{made['code']}}}:*") == []
        assert any(p["name"] == "room_ended" for p in b.get_received())
        assert ack(b, "intent", {"id": "x", "type": "set_mode", "mode": "remote"})["error"]["code"] == "not_joined"

    def test_after_room_ended_the_connections_stay_open_unseated_and_may_open_another_room(self, connect):
        a, b, _, _ = couple(connect)
        assert ack(a, "end_room")["ok"]
        assert b.is_connected()
        assert ack(b, "get_timeline")["error"]["code"] == "not_joined"
        assert create(b, name="Ben")["seat"] == "partner_a"

    def test_an_unseated_connection_asking_for_the_timeline_gets_not_joined(self, connect):
        assert ack(connect(), "get_timeline")["error"]["code"] == "not_joined"

    def test_every_room_key_has_the_inactivity_ttl_and_shares_the_code_hash_tag(self, connect, store, redis_client):
        mod = connect()
        made = create(mod, "Dr Lee", role="moderator")
        assert intent(mod, "add_note", text="creates the notes key")["ok"]
        keys = store.keys_of(made["code"])
        assert len(keys) == 3 and all(redis_client.exists(k) for k in keys)
        assert all(f"{{{made['code']}}}" in k for k in keys)
        assert all(0 < redis_client.ttl(k) <= 24 * 3600 for k in keys)

    def test_end_and_erase_deletes_the_moderators_notes_too(self, connect, store, redis_client, prefix):
        mod = connect()
        made = create(mod, "Dr Lee", role="moderator")
        assert intent(mod, "add_note", text="ERASE-ME")["ok"]
        assert store.notes(made["code"])
        assert ack(mod, "end_room")["ok"]
        assert [k for k in store.keys_of(made["code"]) if redis_client.exists(k)] == []
        assert redis_client.keys(f"{prefix}:{{{made['code']}}}:*") == []


BAD_INPUTS = [
    ("malformed JSON", "intent", '{"id": "1", "type":', "malformed_json"),
    ("a list instead of an object", "intent", [1, 2], "bad_payload"),
    ("a number instead of an object", "join_room", 42, "bad_payload"),
    ("a missing field", "join_room", {"code": "ABCDEF"}, "missing_field"),
    ("an extra field", "create_room", {"name": "Ana", "admin": True}, "unknown_field"),
    ("a wrong type", "create_room", {"name": 5}, "wrong_type"),
    ("an overlong name", "create_room", {"name": "x" * 41}, "text_too_long"),
    ("an oversized payload", "create_room", {"name": "Ana", "pad": "x" * 20000}, "payload_too_large"),
    ("an unknown role", "create_room", {"name": "Ana", "role": "admin"}, "bad_value"),
    ("an intent before joining", "intent", {"id": "1", "type": "set_mode", "mode": "remote"}, "not_joined"),
]


class TestBadInput:
    @pytest.mark.parametrize("label,event,payload,code", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
    def test_bad_input_gets_a_clear_error_ack_and_the_connection_stays_usable(self, connect, label, event,
                                                                               payload, code):
        client = connect()
        reply = client.emit(event, payload, callback=True)
        assert reply["ok"] is False and reply["error"]["code"] == code and reply["error"]["message"]
        assert client.is_connected()
        assert create(client)["ok"]

    SEATED_BAD = [
        ("an unknown intent type", {"id": "1", "type": "teleport"}, "unknown_intent"),
        ("an intent without id", {"type": "set_mode", "mode": "remote"}, "missing_field"),
        ("an intent with a string version", {"id": "1", "type": "set_mode", "mode": "remote", "version": "3"},
         "wrong_type"),
        ("a value outside the allowed set", {"id": "1", "type": "set_mode", "mode": "moon"}, "bad_value"),
        ("an intent without type", {"id": "1"}, "missing_field"),
    ]

    @pytest.mark.parametrize("label,payload,code", SEATED_BAD, ids=[b[0] for b in SEATED_BAD])
    def test_a_bad_intent_changes_nothing(self, connect, store, label, payload, code):
        a, _, made, _ = couple(connect)
        before = store.load(made["code"])
        reply = ack(a, "intent", payload)
        assert reply["error"]["code"] == code
        assert store.load(made["code"]) == before
        assert intent(a, mode="remote")["ok"]

    def test_an_unknown_event_gets_unknown_event(self, connect):
        client = connect()
        assert ack(client, "fly_to_moon", {"x": 1})["error"]["code"] == "unknown_event"
        assert create(client)["ok"]

    def test_two_arguments_to_one_event_are_refused(self, connect):
        client = connect()
        reply = client.emit("create_room", {"name": "Ana"}, {"name": "Ben"}, callback=True)
        assert reply["error"]["code"] == "bad_payload"


def test_no_name_or_refused_text_ever_reaches_the_logs(connect, caplog):
    caplog.set_level(logging.DEBUG)
    secret_name = "Zyxwvut-" + uuid.uuid4().hex[:6]
    a = connect()
    made = create(a, name=secret_name)
    b = connect()
    ack(b, "join_room", {"code": made["code"], "name": secret_name + "x" * 50})
    ack(b, "intent", json.dumps({"id": "1", "type": "set_mode", "mode": secret_name}))
    ack(b, "join_room", {"code": made["code"], "name": secret_name})
    ack(b, "intent", {"id": "2", "type": "set_mode", "mode": secret_name})
    assert caplog.records, "the handlers log refusals, so something must be logged"
    assert secret_name not in caplog.text and made["token"] not in caplog.text


def test_a_deeply_nested_json_string_is_malformed_json_not_a_crash(connect):
    client = connect()
    reply = client.emit("intent", "[" * 5000 + "]" * 5000, callback=True)
    assert reply["error"]["code"] == "malformed_json"


def test_an_unknown_field_name_is_never_repeated_back(connect):
    a, _, _, _ = couple(connect)
    reply = ack(a, "intent", {"id": "1", "type": "set_mode", "mode": "remote", "my secret words": 1})
    assert reply["error"]["code"] == "unknown_field" and "secret" not in json.dumps(reply)


def test_moving_a_connection_to_another_seat_marks_the_old_one_away(connect):
    a, b, made, _ = couple(connect)
    other = create(connect(), name="Cy")
    back = ack(a, "resume", {"code": other["code"], "token": other["token"]})
    assert back["ok"]
    assert views(b)[-1]["seats"]["partner_a"]["presence"] == "away"


class TestEventBudget:
    def test_a_connection_past_its_burst_is_refused_rate_limited_with_retry_after_and_nothing_changes(
            self, connect, app, store):
        from server.transport.throttle import Buckets

        app.extensions["attune.buckets"] = Buckets(burst=4, rate=0.01)
        a, b, made, _ = couple(connect)  # one event from a (create), one from b (join)
        assert all(intent(a, mode=m)["ok"] for m in ("remote", "same_room", "remote"))
        before = store.load(made["code"])["version"]
        blocked = intent(a, mode="same_room")
        assert blocked["error"]["code"] == "rate_limited" and 0 < blocked["error"]["retry_after"] <= 100
        assert store.load(made["code"])["version"] == before and store.load(made["code"])["mode"] == "remote"
        # The partner's own budget is untouched by a's.
        assert intent(b, mode="same_room")["ok"]


class TestPresenceLease:
    def test_seats_of_a_run_out_lease_are_swept_away_and_a_live_process_that_finds_it_ran_out_takes_them_back(
            self, connect, app, store):
        import time

        from server.transport import conn, presence

        a, b, made, _ = couple(connect)
        lease = app.extensions["attune.presence"]["lease"]
        # The process writes what it holds in batches, a moment after each bind.
        wait_for(lambda: {(c, s) for c, s, _conn in store.held(lease)} == {(made["code"], "partner_a"),
                                                                             (made["code"], "partner_b")},
                 message="both seats recorded under the lease")
        store.end_lease(lease)  # as if this process had stalled past its lease
        with app.app_context():
            (gone, seen), = [(l, s) for l, s in store.lapsed_leases(time.time()) if l == lease]
            assert presence.sweep_lease(app, gone, seen) == 2
            seats = store.load(made["code"])["seats"]
            assert seats["partner_a"]["presence"] == seats["partner_b"]["presence"] == "away"
            presence._renew(app, app.extensions["attune.presence"], conn.holding)
        assert app.extensions["attune.presence"]["lease"] != lease
        seats = store.load(made["code"])["seats"]
        assert seats["partner_a"]["presence"] == seats["partner_b"]["presence"] == "online"
        assert intent(a, mode="remote")["ok"]
