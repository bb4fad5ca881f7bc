"""What the phones remember (offer_seen), over the real server: the deck avoids cards either phone has seen,
and once the room ends nothing of the lists is left in Redis."""

import pytest

from tests.integration.test_new_kinds_on_the_real_server import ok, settled
from tests.support import Phone, ServerProcess, unique_prefix

pytestmark = pytest.mark.slow

TUNE_IN = ["evening-wish", "energy-level", "on-your-mind", "comfort", "week-feeling", "small-gift",
           "quietly-hoping", "replay-moment"]
DAY = "2026-11-03"


@pytest.fixture(scope="module")
def prefix():
    return unique_prefix()


@pytest.fixture(scope="module")
def server(redis_url, prefix):
    process = ServerProcess(redis_url, prefix, extra_env={"JOIN_RATE_LIMIT": "0"}).start()
    yield process
    process.stop()


def contents(client, key) -> str:
    """Everything a key holds, as text, whatever its type."""
    kind = client.type(key)
    if kind == "string":
        return client.get(key) or ""
    if kind == "hash":
        return str(client.hgetall(key))
    if kind == "list":
        return str(client.lrange(key, 0, -1))
    if kind == "zset":
        return str(client.zrange(key, 0, -1, withscores=True))
    if kind == "set":
        return str(client.smembers(key))
    if kind == "stream":
        return str(client.xrange(key))
    return ""


def everything(client, prefix) -> str:
    return " ".join(f"{key}={contents(client, key)}" for key in client.scan_iter(f"{prefix}:*"))


def test_the_deck_deals_cards_neither_phone_has_seen_and_the_room_keeps_none_of_the_lists(server, prefix,
                                                                                          redis_client):
    a, b = Phone(server.url).connect(), Phone(server.url).connect()
    try:
        made = a.call("create_room", {"name": "Ana"})
        ok(b.call("join_room", {"code": made["code"], "name": "Ben"}))
        bad = a.intent("offer_seen", seen=[{"id": "tune-in/comfort", "on": "3 Nov"}])
        assert bad["error"]["code"] == "bad_value" and bad["error"].get("field") == "seen", bad
        assert a.intent("offer_seen", seen=[{"id": f"tune-in/c{i}", "on": DAY} for i in range(501)])["error"]
        # Three of tune-in's eight cards seen, split over the phones: its draw of five is the other five.
        ok(a.intent("offer_seen", seen=[{"id": "tune-in", "on": DAY}, {"id": "tune-in/evening-wish", "on": DAY},
                                        {"id": "tune-in/energy-level", "on": "2026-10-20"}]))
        ok(b.intent("offer_seen", seen=[{"id": "tune-in/on-your-mind", "on": DAY}]))
        b.wait_view(lambda v: v["session"]["seen_offered"] == {"partner_a": 3, "partner_b": 1})
        assert "evening-wish" not in str(b.view) and "on-your-mind" not in str(a.view)
        assert "evening-wish" in everything(redis_client, prefix)  # the room holds it while it lives
        ok(a.intent("propose_plan", plan=[{"exercise": "tune-in"}]))
        settled(a, b)
        ok(b.intent("agree_plan", version=b.view["version"]))
        assert a.intent("offer_seen", seen=[])["error"]["code"] == "wrong_step"
        dealt = []
        # Card by card: both pass it, both go on (not play_until, whose first move may pass the rest).
        while a.view["session"]["phase"] == "running":
            dealt.append(a.view["session"]["exercise"]["step"]["card"]["id"])
            for move in ("pass_card", "advance"):
                for phone in (a, b):
                    settled(a, b)
                    ok(phone.intent(move, version=phone.view["version"]))
            settled(a, b)
        assert sorted(dealt) == sorted(TUNE_IN[3:])
        ok(a.call("end_room"))
        left = everything(redis_client, prefix)
        for card in ("evening-wish", "energy-level", "on-your-mind", "2026-10-20"):
            assert card not in left
        assert made["code"] not in left
    finally:
        a.disconnect()
        b.disconnect()
