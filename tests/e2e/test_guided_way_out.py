"""At phone size: in a guided room a partner leaves or erases their own words; a couple alone ends and erases."""

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, start_session

pytestmark = pytest.mark.slow

ERASE_WORDS = ("Your words in this session are erased from this room and from every export. "
               "Your partner's words and your therapist's notes stay.")
SHARED = "I felt alone at dinner."


def test_a_partner_in_a_guided_room_can_leave_or_erase_their_own_words_never_end_it(phones, therapist):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    join_session(ana, "Ana", therapist.code)
    join_session(ben, "Ben", therapist.code)
    therapist.wait_view(lambda v: v["full"], message="both partners seated")
    assert therapist.intent("set_mode", mode="remote")["ok"]
    assert therapist.intent("propose_plan", plan=[{"exercise": "take-the-floor"}])["ok"]
    assert therapist.intent("start_session")["ok"]
    assert therapist.intent("add_note", text="Ana seems tense")["ok"]

    form = pa.locator("form[data-type=share]")
    form.locator("textarea").fill(SHARED)
    form.get_by_role("button").click()
    expect(pb.locator(".step-body")).to_contain_text(SHARED)

    # No "End…" for a partner here: the room is the therapist's record.
    for page in (pa, pb):
        expect(page.get_by_role("button", name="End…")).to_have_count(0)
        expect(page.get_by_role("button", name="Leave this session")).to_be_visible()
        expect(page.get_by_role("button", name="Erase what I wrote…")).to_be_enabled()
    ana.shot("guided-exercise-way-out")

    pa.get_by_role("button", name="Erase what I wrote…").click()
    dialog = pa.get_by_role("dialog", name="Erase what you wrote?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(ERASE_WORDS)
    ana.shot("erase-confirm")
    dialog.get_by_role("button", name="Erase what I wrote").click()
    expect(dialog).to_be_hidden()
    expect(pa.get_by_role("alert")).to_contain_text("Your words in this session are erased.")
    expect(pb.locator(".step-body")).not_to_contain_text(SHARED)
    record = therapist.wait_view(lambda v: not v["session"]["shared"], message="the moderator's view without them")
    assert [n["text"] for n in record["session"]["notes"]] == ["Ana seems tense"]

    pb.get_by_role("button", name="Leave this session").click()
    dialog = pb.get_by_role("dialog", name="Leave this session?")
    expect(dialog).to_contain_text("Nothing is erased: your words, your partner's words and your therapist's notes stay.")
    ben.shot("leave-confirm")
    dialog.get_by_role("button", name="Stay").click()
    expect(dialog).to_be_hidden()
    pb.get_by_role("button", name="Leave this session").click()
    dialog.get_by_role("button", name="Leave this session").click()
    expect(pb.get_by_role("heading", name="Start a session")).to_be_visible()
    therapist.wait_view(lambda v: v["seats"]["partner_b"]["presence"] == "left", message="Ben to have left")
    assert therapist.call("get_timeline")["ok"], "the room and its record are still there"

    # The summary offers Ana the same two, never "End and erase".
    assert therapist.intent("end_session")["ok"]
    expect(pa.get_by_role("heading", name="What you shared")).to_be_visible()
    expect(pa.get_by_role("button", name="End and erase")).to_have_count(0)
    expect(pa.get_by_role("button", name="Erase what I wrote…")).to_be_enabled()
    expect(pa.get_by_role("button", name="Leave this session")).to_be_visible()
    ana.shot("guided-summary-way-out")


def test_a_couple_on_its_own_still_ends_and_erases(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {})])
    ben.page.get_by_role("button", name="Agree and start").click()
    pa = ana.page
    expect(pa.get_by_role("button", name="End…")).to_be_visible()
    expect(pa.get_by_role("button", name="Leave this session")).to_have_count(0)
    expect(pa.get_by_role("button", name="Erase what I wrote…")).to_have_count(0)
    pa.get_by_role("button", name="End…").click()
    dialog = pa.get_by_role("dialog", name="End and erase?")
    expect(dialog).to_contain_text("everything either of you wrote and the summary. Nothing is kept on the server; "
                                   "each phone remembers only which exercises and cards you did")
    expect(dialog.get_by_role("button", name="End and erase")).to_be_visible()
    dialog.get_by_role("button", name="Keep going").click()
    expect(dialog).to_be_hidden()
