"""The transport (issue 9 B): links from the server, the client as a static folder, a seat kept with
its connection, resuming in the handshake, and a stale refusal answered from the state at hand.

Flask-SocketIO's test client against a real Redis; tests/integration/test_real_server.py does the
handshake over real server processes and the message queue.
"""

import pytest
from flask import url_for

from server.store import RoomStore
from tests.support import ack, couple, create, intent, received


class TestLinks:
    def test_every_seat_ack_carries_the_join_link_and_its_same_origin_qr_code(self, connect):
        a, b, made, joined = couple(connect)
        code = made["code"]
        b.disconnect()
        back = ack(connect(), "resume", {"code": code, "token": joined["token"]})
        for reply in (made, joined, back):
            assert reply["join_url"] == f"http://localhost/r/{code}"
            assert reply["qr_url"] == f"/r/{code}/qr.svg"
            assert "moderator_url" not in reply

    def test_links_use_the_public_url_when_one_is_set(self, app, connect):
        app.config["PUBLIC_URL"] = "https://attune.example/"
        made = create(connect(), name="Dr Lee", role="moderator")
        assert made["join_url"] == f"https://attune.example/r/{made['code']}"
        assert made["moderator_url"] == f"https://attune.example/m/{made['code']}#{made['moderator_secret']}"
        assert made["qr_url"] == f"/r/{made['code']}/qr.svg"

    def test_a_moderator_who_joins_with_the_secret_gets_the_moderator_link_and_a_partner_does_not(self, connect):
        made = create(connect(), name="Dr Lee", role="moderator")
        code, secret = made["code"], made["moderator_secret"]
        again = ack(connect(), "join_room", {"code": code, "name": "Dr Lee", "moderator_secret": secret})
        assert again["ok"] and again["moderator_url"] == made["moderator_url"] == f"http://localhost/m/{code}#{secret}"
        assert "moderator_secret" not in again  # the phone that joined with it has it already
        partner = ack(connect(), "join_room", {"code": code, "name": "Ana"})
        assert partner["ok"] and "moderator_url" not in partner

    def test_the_qr_code_is_served_at_the_path_the_ack_names(self, app, connect):
        made = create(connect())
        qr = app.test_client().get(made["qr_url"])
        assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"


class TestStaticClient:
    def test_the_client_folder_is_the_apps_static_folder_at_the_root(self, app):
        with app.test_request_context():
            assert url_for("static", filename="js/main.js") == "/js/main.js"
        http = app.test_client()
        module = http.get("/js/main.js")
        assert module.status_code == 200 and "javascript" in module.mimetype
        assert module.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert module.headers["X-Content-Type-Options"] == "nosniff"
        assert http.get("/vendor/socket.io.esm.min.js").status_code == 200
        assert http.get("/styles/app.css").mimetype == "text/css"

    @pytest.mark.parametrize("path", ["/", "/r/ABCDEF", "/m/ABCDEF"])
    def test_the_page_is_never_cached_and_keeps_its_security_headers(self, app, path):
        page = app.test_client().get(path)
        assert page.status_code == 200 and b"<html" in page.data
        assert page.headers["Cache-Control"] == "no-store"
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["X-Frame-Options"] == "DENY"

    @pytest.mark.parametrize("path", [
        "/../server/app.py", "/%2e%2e/server/app.py", "/js/../../server/app.py", "/js/..%2f..%2fserver/app.py",
        "/..%5cserver%5capp.py", "/js/%2e%2e/%2e%2e/server/app.py", "/no-such-file.js", "/server/app.py",
    ])
    def test_nothing_outside_the_client_folder_is_served(self, app, path):
        reply = app.test_client().get(path)
        assert reply.status_code == 404
        assert b"create_app" not in reply.data


class TestSeatKeptWithTheConnection:
    def test_the_seat_lives_in_the_connections_environ_and_goes_with_it(self, app, connect):
        from server.transport import conn

        a, b, made, _ = couple(connect)
        held = dict(conn.holding())
        assert sorted(seat for _code, seat in held.values()) == ["partner_a", "partner_b"]
        sid_b = next(sid for sid, (_c, seat) in held.items() if seat == "partner_b")
        assert app.extensions["socketio"].server.get_environ(sid_b)[conn.SEAT] == (made["code"], "partner_b")
        b.disconnect()
        assert conn.held(sid_b) is None
        assert [seat for _c, seat in dict(conn.holding()).values()] == ["partner_a"]

    def test_ending_the_room_lets_go_of_this_processes_connections(self, connect):
        from server.transport import conn

        a, b, made, _ = couple(connect)
        assert ack(a, "end_room")["ok"]
        assert conn.holding() == []
        assert intent(b, mode="remote")["error"]["code"] == "not_joined"
        # The connection holds nothing, so it may seat itself anew.
        assert create(b)["seat"] == "partner_a"


class TestHandshakeResume:
    def test_a_connection_offering_its_seat_in_the_handshake_is_resumed_and_told_before_anything_else(
            self, connect):
        a, b, made, joined = couple(connect)
        assert intent(a, mode="remote")["ok"]
        b.disconnect()
        a.get_received()
        b2 = connect(auth={"code": made["code"], "token": joined["token"]})
        assert b2.is_connected()
        first = b2.get_received()
        # Sent from the connect handler, so ahead of the handshake's CONNECT: its answer, which carries
        # its view (no `view` event besides: the view is built and sent once).
        assert [p["name"] for p in first] == ["resumed"]
        answer = first[0]["args"][0]
        assert answer["ok"] and answer["seat"] == "partner_b" and answer["code"] == made["code"]
        assert answer["view"]["mode"] == "remote" and answer["qr_url"] == f"/r/{made['code']}/qr.svg"
        assert "token" not in answer  # a resume hands out no new token
        assert received(a, "view")[-1]["seats"]["partner_b"]["presence"] == "online"
        # Seated by the handshake alone: no `resume` event needed.
        assert intent(b2, mode="same_room")["ok"]

    def test_a_code_typed_in_lower_case_resumes_too(self, connect):
        a, b, made, joined = couple(connect)
        b.disconnect()
        b2 = connect(auth={"code": made["code"].lower(), "token": joined["token"]})
        assert received(b2, "resumed")[0]["ok"]

    @pytest.mark.parametrize("auth", [
        {"code": "ZZZZZZ", "token": "not-a-token"}, {"code": 5, "token": "x"}, {"token": "x"}, {"nonsense": True},
    ])
    def test_a_failed_handshake_resume_is_answered_and_the_connection_stays_to_create_or_join(
            self, connect, auth):
        phone = connect(auth=auth)
        assert phone.is_connected()
        answer, = received(phone, "resumed")
        assert answer["ok"] is False
        assert answer["error"]["code"] in ("not_found", "wrong_type", "missing_field", "unknown_field")
        assert intent(phone, mode="remote")["error"]["code"] == "not_joined"
        assert create(phone)["seat"] == "partner_a"

    def test_a_wrong_token_for_a_live_room_gets_the_same_answer_as_a_room_that_does_not_exist(self, connect):
        _a, _b, made, _ = couple(connect)
        wrong = received(connect(auth={"code": made["code"], "token": "guess"}), "resumed")[0]
        nowhere = received(connect(auth={"code": "ZZZZZZ", "token": "guess"}), "resumed")[0]
        assert wrong["error"] == nowhere["error"]
        assert wrong["error"]["code"] == "not_found"

    def test_failed_handshake_resumes_count_against_the_resume_limit(self, app, connect):
        app.config["RESUME_RATE_LIMIT"] = 2
        codes = [received(connect("10.7.7.7", auth={"code": "ZZZZZZ", "token": "x"}), "resumed")[0]["error"]["code"]
                 for _ in range(3)]
        assert codes == ["not_found", "not_found", "rate_limited"]
        # The same limit as the `resume` event's: one more failure there is refused too.
        assert ack(connect("10.7.7.7"), "resume", {"code": "ZZZZZZ", "token": "x"})["error"]["code"] == "rate_limited"

    def test_without_an_offer_nothing_is_sent_and_the_old_resume_event_still_works(self, connect):
        a, b, made, joined = couple(connect)
        b.disconnect()
        for auth in (None, {}):
            phone = connect(auth=auth)
            assert phone.is_connected() and received(phone, "resumed") == []
        old = connect()
        back = ack(old, "resume", {"code": made["code"], "token": joined["token"]})
        assert back["ok"] and back["seat"] == "partner_b" and back["join_url"].endswith(made["code"])
        assert intent(old, mode="remote")["ok"]

    def test_a_handshake_resume_lets_go_of_the_seats_older_connection(self, connect):
        a, b, made, joined = couple(connect)
        b.get_received()
        b2 = connect(auth={"code": made["code"], "token": joined["token"]})
        assert received(b2, "resumed")[0]["ok"]
        assert not b.is_connected()
        replaced = [p for p in b.queue if p["name"] == "seat_replaced"]  # the test client keeps them after a disconnect
        assert replaced and replaced[0]["args"][0] == {"code": made["code"], "seat": "partner_b"}
        assert intent(b2, mode="remote")["ok"]

    def test_a_bug_in_the_handshake_resume_is_answered_as_internal_and_the_connection_stays(
            self, connect, monkeypatch):
        from server import services

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(services, "resume", broken)
        phone = connect(auth={"code": "ABCDEF", "token": "x"})
        assert phone.is_connected()
        assert received(phone, "resumed")[0]["error"]["code"] == "internal"


class TestStaleAnsweredFromTheHeldState:
    def test_a_stale_intent_reads_the_room_once_and_its_view_is_the_current_one(self, connect, monkeypatch):
        a, b, made, _ = couple(connect)
        version = received(a, "view")[-1]["version"]
        assert intent(a, mode="remote", version=version)["ok"]
        reads = []
        real_read = RoomStore._fetch

        def counting_read(self, code):
            reads.append(code)
            return real_read(self, code)

        monkeypatch.setattr(RoomStore, "_fetch", counting_read)
        refused = intent(b, mode="same_room", version=version)
        assert refused["error"]["code"] == "stale"
        assert reads == [made["code"]]
        assert refused["view"]["version"] == version + 1 and refused["view"]["mode"] == "remote"
        assert "state" not in refused["error"]
