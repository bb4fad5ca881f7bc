"""The first evening (issue 12): what the dashboard and the phones say when a therapist skips, swaps or adds a card."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, role, start_session
from tests.support import Phone as SocketPhone

pytestmark = pytest.mark.slow

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PIECE = "PIECE-12 I miss our Sunday walks."


def ok(reply):
    assert reply["ok"], reply
    return reply


def guided(phones, server, exercises):
    """A laptop opens a guided room, two socket partners join, the plan is set and started."""
    lee = phones("Dr Lee", "/", size=LAPTOP)
    dash = lee.page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    expect(dash.get_by_role("heading", name="Prepare the session")).to_be_visible()
    code = dash.locator("#room-code").get_attribute("data-code")
    ana, ben = SocketPhone(server.url).connect(), SocketPhone(server.url).connect()
    for phone, name in ((ana, "Ana"), (ben, "Ben")):
        ok(phone.call("join_room", {"code": code, "name": name}))
    for exercise in exercises:
        dash.locator(f"#add-{exercise}").click()
    dash.locator("#plan-set").click()
    expect(dash.locator("#start-session")).to_be_enabled()
    dash.locator("#start-session").click()
    return lee, ana, ben


def test_a_skipped_exercise_is_marked_skipped_not_done(phones, server):
    lee, ana, ben = guided(phones, server, ("tune-in", "name-it", "take-the-floor"))
    dash = lee.page
    try:
        progress = dash.locator("ol.progress > li")
        # Tune in has one step: moved on from it, it is done.
        dash.get_by_role("button", name="Next step →").click()
        expect(progress.nth(1)).to_have_attribute("aria-current", "step")
        expect(progress.nth(0)).to_contain_text("done")
        # Name it, skipped, is marked skipped and not done.
        dash.get_by_role("button", name="Skip this exercise").click()
        expect(progress.nth(2)).to_have_attribute("aria-current", "step")
        expect(progress.nth(1)).to_contain_text("skipped")
        expect(progress.nth(1)).not_to_contain_text("done")
        expect(progress.nth(0)).to_contain_text("done")
        lee.shot("dashboard-skipped")
    finally:
        ana.disconnect()
        ben.disconnect()


def test_a_swap_says_who_swapped_and_hands_back_a_piece_not_yet_said_back(phones, therapist):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    join_session(ana, "Ana", therapist.code)
    join_session(ben, "Ben", therapist.code)
    therapist.wait_view(lambda v: v["full"], message="both partners seated")
    ok(therapist.intent("set_mode", mode="remote"))
    ok(therapist.intent("propose_plan", plan=[{"exercise": "take-the-floor"}]))
    ok(therapist.intent("start_session"))

    expect(role(ana)).to_have_text("Speaker")
    form = pa.locator("form[data-type=share]")
    form.locator("textarea").fill(PIECE)
    form.get_by_role("button").click()
    expect(pb.locator(".step-body")).to_contain_text(PIECE)

    therapist.wait_view(lambda v: "swap_roles" in v["can"])
    ok(therapist.intent("swap_roles"))
    expect(role(ben)).to_have_text("Speaker")
    expect(role(ana)).to_have_text("Listener")
    # Both phones say who swapped.
    for page in (pa, pb):
        expect(page.locator("#swapped-note")).to_contain_text("Dr Lee swapped your roles")
    # Ana's piece was not said back: it is handed back to her, not dropped.
    expect(pa.locator(".step-body")).to_contain_text(PIECE)
    expect(pa.locator(".step-body")).to_contain_text("yours to bring again")
    expect(pb.locator(".step-body")).not_to_contain_text(PIECE)
    ana.shot("swap-ana-handed-back")
    ben.shot("swap-ben-speaks")


CARD = "CARD-7 What did you first notice about each other?"


def test_an_extra_card_is_answered_apart_and_stays_in_its_step(phones, therapist):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    join_session(ana, "Ana", therapist.code)
    join_session(ben, "Ben", therapist.code)
    therapist.wait_view(lambda v: v["full"], message="both partners seated")
    ok(therapist.intent("set_mode", mode="remote"))
    ok(therapist.intent("propose_plan", plan=[{"exercise": "tune-in"}, {"exercise": "take-the-floor"}]))
    ok(therapist.intent("start_session"))
    therapist.wait_view(lambda v: "send_prompt" in v["can"] and v["session"]["phase"] == "running")
    ok(therapist.call("intent", {"id": "card-7", "type": "send_prompt", "text": CARD, "kind": "card"}))

    for page in (pa, pb):
        expect(page.locator("#from-guide")).to_contain_text(CARD)
    # Apart, each partner types an answer to the card.
    pa.locator("#from-guide").get_by_label("Your answer").fill("ANSWER-ANA your laugh")
    pa.locator("#from-guide").get_by_role("button", name="Send my answer").click()
    expect(pa.locator("#from-guide")).to_contain_text("You answered")
    expect(pb.locator("#from-guide")).not_to_contain_text("ANSWER-ANA")
    pb.locator("#from-guide").get_by_label("Your answer").fill("ANSWER-BEN your scarf")
    pb.locator("#from-guide").get_by_role("button", name="Send my answer").click()
    expect(pb.locator("#from-guide")).to_contain_text("Ana answered")
    expect(pb.locator("#from-guide")).to_contain_text("ANSWER-ANA your laugh")
    expect(pa.locator("#from-guide")).to_contain_text("ANSWER-BEN your scarf")
    ana.shot("extra-card-answered")
    shared = therapist.wait_view(lambda v: len(v["session"]["shared"]) >= 2)["session"]["shared"]
    assert {e["text"] for e in shared} >= {"ANSWER-ANA your laugh", "ANSWER-BEN your scarf"}

    # The next exercise's step comes without the card.
    ok(therapist.intent("skip_exercise"))
    for phone in (ana, ben):
        expect(role(phone)).to_have_text(re.compile("Speaker|Listener"))
        expect(phone.page.locator("#from-guide")).to_have_count(0)
    ben.shot("extra-card-gone-next-step")


def test_a_guess_card_saves_answer_and_guess_at_once_and_shows_each_guess_by_its_answer(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("tune-in", {"draw": 1})])
    pb.get_by_role("button", name="Agree and start").click()
    for page, mine, guess in ((pa, "ANS-ANA tea", "GUESS-BY-ANA walk"), (pb, "ANS-BEN walk", "GUESS-BY-BEN coffee")):
        page.get_by_label("Your answer").fill(mine)
        page.get_by_label(re.compile("Your guess of")).fill(guess)
        # One save for both: no separate "Save my guess".
        expect(page.get_by_role("button", name="Save my guess")).to_have_count(0)
        if page is pa:
            ana.shot("guess-card-one-save")
        page.get_by_role("button", name="Save both").click()
    answers = pa.locator(".answers .answer")
    expect(answers).to_have_count(2)
    # Beside Ana's answer, Ben's guess of it; beside Ben's, Ana's guess of his.
    expect(answers.nth(0)).to_contain_text("ANS-ANA tea")
    expect(answers.nth(0)).to_contain_text("Ben guessed: GUESS-BY-BEN coffee")
    expect(answers.nth(1)).to_contain_text("ANS-BEN walk")
    expect(answers.nth(1)).to_contain_text("You guessed: GUESS-BY-ANA walk")
    ana.shot("guess-card-revealed")
