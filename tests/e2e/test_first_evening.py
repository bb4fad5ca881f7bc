"""At phone size: issue 12's first-evening fixes that a couple sees (the summary's keep choice, plain words)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, start_session, turn

pytestmark = pytest.mark.slow


def test_after_one_partner_says_dont_keep_the_other_is_not_asked_to_keep(phones, therapist):
    # A guided room's join link says the code comes from the therapist, not from a partner's phone.
    linked = phones("Link", f"/r/{therapist.code}")
    expect(linked.page.locator("#join-code-hint")).to_have_text("Ten letters and numbers from your therapist.")
    linked.shot("guided-join-link")
    linked.context.close()

    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    join_session(ana, "Ana", therapist.code)
    join_session(ben, "Ben", therapist.code)
    therapist.wait_view(lambda v: v["full"], message="both partners seated")
    assert therapist.intent("set_mode", mode="remote")["ok"]
    assert therapist.intent("propose_plan", plan=[{"exercise": "take-the-floor"}])["ok"]
    assert therapist.intent("start_session")["ok"]
    form = pa.locator("form[data-type=share]")
    form.locator("textarea").fill("I felt alone at dinner.")
    form.get_by_role("button").click()
    expect(pb.locator(".step-body")).to_contain_text("I felt alone at dinner.")
    assert therapist.intent("end_session")["ok"]

    for page in (pa, pb):
        expect(page.get_by_role("heading", name="What you shared")).to_be_visible()
    expect(pa.get_by_role("button", name="Keep it", exact=True)).to_be_visible()
    pb.get_by_role("button", name="Don't keep it").click()
    for page in (pa, pb):
        expect(page.get_by_text("Not kept: what you wrote has been erased.")).to_be_visible()
        expect(page.get_by_role("button", name="Keep it", exact=True)).to_have_count(0)
        expect(page.get_by_role("button", name="Don't keep it")).to_have_count(0)
        expect(page.get_by_role("heading", name="Keep this?")).to_have_count(0)
    ana.shot("summary-not-kept-other-phone")


def test_turn_lengths_say_seconds_and_turns_are_counted_each_as_the_lobby_does(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 2}), ("undivided-attention", {"seconds": 30, "draw": 1})])
    proposal = ben.page.locator(".proposal")
    expect(proposal).to_contain_text("30 s turns")
    expect(proposal).not_to_contain_text("0.5 min")
    expect(proposal).to_contain_text("2 turns each")
    ben.shot("lobby-seconds-turns")
    ben.page.get_by_role("button", name="Agree and start").click()
    # Four floors in all, two each: the count is per partner, as the lobby said it.
    expect(ana.page.locator(".meta").first).to_contain_text("turn 1 of 2 each")
    ana.shot("floor-count")


def test_after_a_pass_the_card_does_not_say_change_yours(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("tune-in", {"draw": 1})])
    ben.page.get_by_role("button", name="Agree and start").click()
    ana.page.get_by_role("button", name="Pass this card").click()
    expect(turn(ana)).to_have_text("Waiting for Ben to answer. You passed; you can still answer this card.")
    ana.shot("card-passed")


def test_timed_turns_count_each_partners_turns(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("undivided-attention", {"seconds": 60, "draw": 1})])
    ben.page.get_by_role("button", name="Agree and start").click()
    for phone in (ana, ben):
        expect(phone.page.locator(".meta").first).to_have_text("Turn 1 of 1 each")
    ana.shot("timed-turn-count")
