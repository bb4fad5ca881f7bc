"""A phone forgets a room that is gone: it says so, hands back the unsent words, keeps no token or draft."""

import json
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, start_session, turn

pytestmark = pytest.mark.slow

UNSENT = "I never got to say this"
# Every localStorage key and value, to look for what the phone still holds of a room.
STORAGE = "Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))"


def mid_share(phones):
    """Ana and Ben (apart) in take-the-floor; Ana has typed UNSENT but not sent it. Returns (ana, ben, code)."""
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 1})])
    ben.page.get_by_role("button", name="Agree and start").click()
    expect(turn(ana)).to_have_text("Your turn: share one small piece")
    ana.page.get_by_label("What you want to say").press_sequentially(UNSENT)
    return ana, ben, code


def held_of(page, code: str) -> dict:
    """The localStorage entries that name room `code`, or point at it as the last seat."""
    stored = page.evaluate(STORAGE)
    return {k: v for k, v in stored.items() if code in k or code in v}


def test_a_phone_whose_room_was_erased_while_away_is_told_and_given_its_unsent_words(
        phones, redis_client, prefix, server):
    ana, _ben, code = mid_share(phones)
    pa = ana.page
    assert any(UNSENT in v for v in held_of(pa, code).values())

    # The room goes behind the phone's back (as when it expires); then the page is opened again.
    keys = redis_client.keys(f"{prefix}:{{{code}}}:*")
    assert keys
    redis_client.delete(*keys)
    pa.reload()

    expect(pa.get_by_role("heading", name="The session has ended")).to_be_visible()
    expect(pa.locator(".screen.ended")).to_contain_text("while this phone was away")
    words = pa.get_by_role("textbox", name="Something you hadn't sent")
    expect(words).to_have_value(UNSENT)
    ana.shot("ended-with-unsent-words")

    ana.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    pa.get_by_role("button", name="Copy my words").click()
    expect(pa.get_by_role("button", name="Copied")).to_be_visible()
    assert pa.evaluate("navigator.clipboard.readText()") == UNSENT

    # Nothing of the room is left on the phone: no token, no draft, no "last seat".
    assert held_of(pa, code) == {}
    pa.get_by_role("button", name="Back to the start").click()
    expect(pa.get_by_role("heading", name="Start a session")).to_be_visible()
    expect(pa.get_by_role("heading", name="Your session is still open")).to_have_count(0)
    expect(pa.get_by_text(UNSENT)).to_have_count(0)
    pa.reload()
    expect(pa.get_by_role("heading", name="Start a session")).to_be_visible()
    expect(pa.get_by_role("heading", name="Your session is still open")).to_have_count(0)


def test_the_home_screen_does_not_offer_a_session_the_other_phone_ended_while_this_one_was_closed(phones, server):
    ana, ben, code = mid_share(phones)
    pa, pb = ana.page, ben.page
    problems = []

    pa.close()  # the phone's browser let the page go; its localStorage stays
    pb.get_by_role("button", name="End…").click()
    pb.get_by_role("dialog", name="End and erase?").get_by_role("button", name="End and erase").click()
    expect(pb.get_by_role("heading", name="The session has ended")).to_be_visible()

    # Ana opens the app from its home address: it asks before offering to continue.
    pa = ana.page = ana.context.new_page()
    pa.on("pageerror", lambda err: problems.append(str(err)))
    ana.open("/")
    expect(pa.get_by_role("heading", name="The session has ended")).to_be_visible()
    expect(pa.get_by_role("textbox", name="Something you hadn't sent")).to_have_value(UNSENT)
    assert held_of(pa, code) == {}
    pa.get_by_role("button", name="Back to the start").click()
    expect(pa.get_by_role("heading", name="Start a session")).to_be_visible()
    expect(pa.get_by_role("heading", name="Your session is still open")).to_have_count(0)
    assert problems == []


def test_the_home_screen_still_offers_a_session_that_is_open(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    bens_seat = ana.page.locator(".person[data-seat=partner_b]")
    ben.page.get_by_role("button", name="Leave for now").click()
    expect(bens_seat).to_contain_text("left")
    expect(ben.page.get_by_role("heading", name="Your session is still open")).to_be_visible()
    assert ben.page.url == f"{ben.base_url}/"
    ben.page.reload()
    expect(ben.page.get_by_role("heading", name="Your session is still open")).to_be_visible()
    # Asking changed nothing in the room: Ben still shows as having left.
    expect(bens_seat).to_contain_text("left")
    ben.page.get_by_role("button", name="Continue").click()
    expect(bens_seat).to_contain_text("here")


def test_a_draft_older_than_a_room_can_live_is_dropped_when_the_page_starts(phones):
    ana = phones("Ana")
    pa = ana.page
    now_ms = time.time() * 1000
    kept = {
        "attune:draft:ABCDEF:old.share": {"text": "from two days ago", "at": now_ms - 48 * 3600 * 1000},
        "attune:draft:ABCDEF:new.share": {"text": "from this morning", "at": now_ms - 3600 * 1000},
    }
    pa.evaluate("(drafts) => { for (const [k, v] of Object.entries(drafts)) localStorage.setItem(k, JSON.stringify(v)); "
                "localStorage.setItem('attune:draft:ABCDEF:legacy', JSON.stringify('unstamped')); }", kept)
    pa.reload()
    expect(pa.get_by_role("heading", name="Start a session")).to_be_visible()
    stored = pa.evaluate(STORAGE)
    assert "attune:draft:ABCDEF:old.share" not in stored
    assert json.loads(stored["attune:draft:ABCDEF:new.share"])["text"] == "from this morning"
    # A draft from before drafts were stamped is stamped now, not lost.
    legacy = json.loads(stored["attune:draft:ABCDEF:legacy"])
    assert legacy["text"] == "unstamped" and abs(legacy["at"] - time.time() * 1000) < 60_000

    # What is typed now is stamped as it is saved.
    pa.get_by_label("Your name").first.fill("Ana")
    typed = json.loads(pa.evaluate("localStorage.getItem('attune:draft:home:name')"))
    assert typed["text"] == "Ana" and abs(typed["at"] - time.time() * 1000) < 60_000
