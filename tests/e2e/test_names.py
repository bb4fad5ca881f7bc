"""Names on the phones: no hidden characters, and nobody but the moderator wears the moderator's badge."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import join_session
from tests.support import Phone as SocketPhone

pytestmark = pytest.mark.slow

FAKE = "Moderator (therapist)"

# Every badge on the page, with the text of the line it sits on.
_BADGES = "els => els.map(el => ({badge: el.textContent, line: el.parentElement.textContent}))"


def badges(phone):
    return phone.page.locator(".badge").evaluate_all(_BADGES)


def only_the_moderator_wears_the_badge(phone):
    found = badges(phone)
    assert found, f"{phone.label}: no moderator badge at all"
    for b in found:
        assert b["badge"] == "Moderator" and "Dr Lee" in b["line"] and FAKE not in b["line"], (phone.label, found)


@pytest.fixture
def therapist(server):
    """The moderator on a plain Socket.IO connection, kept online for the whole test."""
    mod = SocketPhone(server.url).connect()
    made = mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})
    assert made["ok"], made
    yield mod, made["code"]
    mod.disconnect()


def test_the_phones_show_the_badge_on_the_real_moderator_and_not_on_a_partner_named_moderator(phones, therapist):
    mod, code = therapist
    ana, ben = phones("Ana"), phones("Ben")
    join_session(ana, FAKE, code)
    # Hidden characters in a name (a right-to-left override, zero-width spaces) never reach a screen.
    join_session(ben, "\u202eBen\u200b \u200b", code)

    for phone in (ana, ben):
        page = phone.page
        people = page.locator(".people")
        expect(people.locator("li[data-seat=moderator]")).to_contain_text("Dr Lee")
        expect(people.locator("li[data-seat=moderator] .badge")).to_have_text("Moderator")
        expect(people.locator("li[data-seat=partner_a]")).to_contain_text(FAKE)
        expect(people.locator("li[data-seat=partner_a] .badge")).to_have_count(0)
        expect(people.locator("li[data-seat=partner_b] .who")).to_have_text("Ben (you)" if phone is ben else "Ben")
        expect(page.locator(".mod-badge .who")).to_have_text("Dr Lee")
        only_the_moderator_wears_the_badge(phone)
    ben.shot("lobby-with-a-partner-named-moderator")

    plan = [{"exercise": "undivided-attention", "options": {"seconds": 60}}]
    assert mod.intent("propose_plan", plan=plan)["ok"]
    assert mod.intent("start_session")["ok"]
    for phone in (ana, ben):
        expect(phone.page.locator("#turn-line")).to_be_visible()
        expect(phone.page.locator(".mod-badge .who")).to_have_text("Dr Lee")
        only_the_moderator_wears_the_badge(phone)
    # The partner's chosen name shows on the other phone, without a badge.
    expect(ben.page.locator(".screen.exercise")).to_contain_text(FAKE)
    ben.shot("exercise-with-a-partner-named-moderator")

    # The moderator's pause names the real moderator, with the badge.
    assert mod.call("intent", {"id": uuid.uuid4().hex, "type": "pause"})["ok"]
    for phone in (ana, ben):
        expect(phone.page.locator(".pause .badge")).to_have_text("Moderator")
        expect(phone.page.locator(".pause")).to_contain_text("Dr Lee paused the session")
        only_the_moderator_wears_the_badge(phone)
