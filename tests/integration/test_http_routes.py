"""The HTTP side: the page, join links, the library and feelings lists, the QR code, health."""

import yaml


def test_the_page_and_join_links_serve_the_client_without_referrer_leaks(app):
    http = app.test_client()
    for path in ("/", "/r/ABCDEF", "/m/ABCDEF"):
        page = http.get(path)
        assert page.status_code == 200 and b"<html" in page.data
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_the_feelings_list_is_the_one_in_the_exercise_library(app):
    with open("exercises/feelings.yaml", encoding="utf-8") as f:
        families = yaml.safe_load(f)["families"]
    assert app.test_client().get("/api/feelings").json["families"] == families


def test_the_exercise_list_names_every_exercise_with_its_steps(app):
    listed = app.test_client().get("/api/exercises").json["exercises"]
    ids = {item["id"] for item in listed}
    assert ids == set(app.extensions["attune.library"].exercises)
    assert all(item["steps"] and item["minutes"] > 0 for item in listed)


def test_each_listed_exercise_names_the_plan_options_its_step_kinds_read_with_their_ranges(app):
    listed = {item["id"]: item for item in app.test_client().get("/api/exercises").json["exercises"]}
    assert listed["take-the-floor"]["options"] == {"rounds": {"type": "integer", "minimum": 1, "maximum": 6}}
    cards_and_turns = listed["undivided-attention"]["options"]
    assert {"draw", "depth", "seconds"} <= set(cards_and_turns) and "rounds" not in cards_and_turns
    assert cards_and_turns["seconds"] == {"type": "integer", "minimum": 30, "maximum": 1800}



def test_each_deck_says_the_depths_its_cards_have_so_a_depth_option_can_say_what_it_leaves_out(app):
    listed = {item["id"]: item for item in app.test_client().get("/api/exercises").json["exercises"]}
    sets = listed["closeness-36"]["steps"]
    assert [(s["title"], s["depths"]) for s in sets] == [("Set 1 of 3", [1]), ("Set 2 of 3", [2]), ("Set 3 of 3", [3])]
    assert "depths" not in listed["take-the-floor"]["steps"][0]
    assert listed["closeness-36"]["options"]["clock_minutes"] == {"type": "integer", "minimum": 5, "maximum": 30}


def test_a_join_link_has_a_qr_code_and_a_malformed_code_has_none(app):
    http = app.test_client()
    qr = http.get("/r/abcdef/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert http.get("/r/AB0DEF/qr.svg").status_code == 404


def test_the_health_check_reports_redis(app):
    body = app.test_client().get("/healthz").json
    assert body["ok"] is True and body["redis_ms"] >= 0


def test_a_socketio_handshake_from_another_sites_page_is_refused_and_the_same_origin_is_not(app):
    http = app.test_client()
    handshake = "/socket.io/?EIO=4&transport=polling"
    foreign = http.get(handshake, headers={"Origin": "https://elsewhere.example"}, base_url="http://localhost")
    assert foreign.status_code == 400
    same = http.get(handshake, headers={"Origin": "http://localhost"}, base_url="http://localhost")
    assert same.status_code == 200 and b'"sid"' in same.data
