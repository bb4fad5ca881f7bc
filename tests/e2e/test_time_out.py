"""A time-out stops the exercise on both phones until both partners are ready."""

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, start_session, turn

pytestmark = pytest.mark.slow


def test_a_time_out_pauses_both_phones_until_both_say_they_are_ready(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 1})])
    pb.get_by_role("button", name="Agree and start").click()

    # In the same room, turns are said aloud and marked with one tap.
    expect(turn(ana)).to_have_text("Your turn: share one small piece")
    expect(pa.get_by_role("button", name="I said it aloud")).to_be_visible()
    expect(pa.get_by_role("textbox")).to_have_count(0)
    ana.shot("same-room-speaker")

    pb.get_by_role("button", name="Time-out").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="Time-out")).to_be_visible()
        expect(turn(phone)).to_have_text("Time-out. Say you're ready when you are.")
        expect(phone.page.locator("#timeout")).to_be_disabled()
    expect(pa.locator(".pause")).to_contain_text("Ben called a time-out.")
    expect(pa.get_by_role("button", name="I said it aloud")).to_have_count(0)
    ana.shot("time-out")

    pa.get_by_role("button", name="I'm ready to go on").click()
    expect(pa.locator(".pause")).to_contain_text("You're ready. Waiting for Ben.")
    expect(pb.locator(".pause")).to_contain_text("Ana — ready to go on")
    expect(pb.get_by_role("button", name="I'm ready to go on")).to_be_visible()
    ben.shot("time-out-partner-ready")

    pb.get_by_role("button", name="I'm ready to go on").click()
    for phone in (ana, ben):
        expect(phone.page.locator(".pause")).to_have_count(0)
        expect(phone.page.locator("#timeout")).to_be_enabled()
    expect(turn(ana)).to_have_text("Your turn: share one small piece")
    pa.get_by_role("button", name="I said it aloud").click()
    expect(turn(ben)).to_have_text("Your turn: paraphrase what Ana said")
    expect(pb.get_by_role("button", name="I said it back aloud")).to_be_visible()
