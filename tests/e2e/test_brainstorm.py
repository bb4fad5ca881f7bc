"""At phone size: two phones agree on one issue, brainstorm without judging, and agree what to try and when to check back."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import join_session, turn

pytestmark = pytest.mark.slow


def tap(phone, name):
    phone.page.get_by_role("button", name=name, exact=True).click()


def test_a_couple_brainstorms_and_agrees_what_to_try_on_two_phones(phones, therapist):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    join_session(ana, "Ana", therapist.code)
    join_session(ben, "Ben", therapist.code)
    therapist.wait_view(lambda v: v["full"], message="both partners seated")
    assert therapist.intent("set_mode", mode="remote")["ok"]
    assert therapist.intent("propose_plan", plan=[{"exercise": "a-real-disagreement"}])["ok"]
    assert therapist.intent("start_session")["ok"]
    for _ in range(2):  # past the gentle start and the listening round
        assert therapist.intent("advance_step")["ok"]

    # The agenda: Ana proposes, Ben words it his way, Ana agrees.
    expect(pa.locator(".step-title")).to_have_text("Solve it together")
    expect(turn(ana)).to_have_text("Your turn: propose one issue to work on")
    pa.get_by_label("The issue, in one sentence").fill("Weeknight cooking")
    tap(ana, "Propose this issue")
    expect(turn(ben)).to_have_text("Your turn: Ana proposed an issue — agree, or word it your way")
    expect(pb.locator(".step-body")).to_contain_text("Weeknight cooking")
    ben.shot("brainstorm-agenda")
    tap(ben, "Word it my way")
    pb.get_by_label("Your wording of the issue").fill("Who cooks on busy weeknights")
    tap(ben, "Suggest my wording")
    expect(turn(ana)).to_have_text("Your turn: Ben proposed an issue — agree, or word it your way")
    tap(ana, "Yes, let's work on this")

    # Ideas: typed on either phone, shown on both as they come, with no names and nothing to rate.
    expect(turn(ana)).to_have_text("Your turn: add ideas, no judging yet")
    for phone, idea in ((ana, "A rota on the fridge"), (ben, "Cook together on Fridays"), (ben, "Batch cook on Sundays")):
        phone.page.get_by_label("Add an idea").fill(idea)
        tap(phone, "Add this idea")
        expect(phone.page.get_by_label("Add an idea")).to_have_value("")
    for page in (pa, pb):
        expect(page.locator(".idea-list li")).to_have_count(3)
        expect(page.locator(".idea-list")).not_to_contain_text("Ana")
        expect(page.locator(".idea-list")).not_to_contain_text("Ben")
    pa.get_by_label("Add an idea").fill("x" * 301)
    tap(ana, "Add this idea")
    expect(pa.get_by_role("alert")).to_contain_text("That's a little long")
    ana.shot("brainstorm-ideas")
    tap(ana, "I've no more ideas for now")
    expect(turn(ana)).to_have_text("Waiting for Ben to finish their ideas. You can still add more.")
    tap(ben, "I've no more ideas for now")

    # Agree: Ana combines two ideas and picks a date; Ben agrees.
    expect(turn(ana)).to_have_text("Your turn: propose what to try and when to check back")
    tap(ana, "Propose this")
    expect(pa.get_by_role("alert")).to_contain_text("Pick an idea, or say in your own words what to try.")
    tap(ana, "Cook together on Fridays")
    tap(ana, "Batch cook on Sundays")
    expect(pa.get_by_role("button", name="Batch cook on Sundays")).to_have_attribute("aria-pressed", "true")
    tap(ana, "On a date")
    day = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    pa.get_by_label("Date").fill(day)
    pa.get_by_label("Time (optional)").fill("19:30")
    ana.shot("brainstorm-agree")
    tap(ana, "Propose this")
    expect(turn(ben)).to_have_text("Your turn: Ana proposed what to try — agree, or suggest something else")
    proposal = pb.locator(".proposal-try")
    expect(proposal).to_contain_text("Cook together on Fridays")
    expect(proposal).to_contain_text("Batch cook on Sundays")
    expect(proposal).to_contain_text("at 19:30")
    ben.shot("brainstorm-proposal")
    tap(ben, "Agreed, let's try it")

    # The summary holds the issue, every idea and what was agreed.
    for page in (pa, pb):
        summary = page.locator("main")
        expect(summary).to_contain_text("Who cooks on busy weeknights")
        expect(summary).to_contain_text("A rota on the fridge")
        expect(summary).to_contain_text(f"Cook together on Fridays; Batch cook on Sundays — check back on {day} at 19:30")
    ana.shot("brainstorm-summary")
