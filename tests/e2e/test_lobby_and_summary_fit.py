"""At 390 x 844: the lobby and the summary fit a phone (issue 12, item 10).

The lobby groups the library by what each exercise is for and folds long care
notes behind a tap; the other phone sees who is choosing; the summary puts
Keep / Don't keep in the first screen and asks nothing when nothing was written.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import PHONE_390, SCREENS
from tests.e2e.flows import box_of, join_session, pick, show, start_session

pytestmark = pytest.mark.slow

HEIGHT = PHONE_390["viewport"]["height"]
# How many screens (of 390 x 844) each may take at most; main had about 6.7 and 4.
LOBBY_SCREENS = 3.0
SUMMARY_SCREENS = 2.0

_SCREENS = "document.scrollingElement.scrollHeight / window.innerHeight"


def _screens(page) -> float:
    page.evaluate("() => document.querySelectorAll('.dock').forEach(d => { d.style.position = 'static'; })")
    try:
        return round(page.evaluate(_SCREENS), 2)
    finally:
        page.evaluate("() => document.querySelectorAll('.dock').forEach(d => { d.style.position = ''; })")


def _in_first_screen(page, locator) -> bool:
    """Whether the element sits wholly inside the viewport of a page scrolled to its top."""
    page.evaluate("window.scrollTo(0, 0)")
    box = box_of(locator)
    return box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT


def _couple(phones):
    ana, ben = phones("Ana", size=PHONE_390), phones("Ben", size=PHONE_390)
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    expect(ana.page.locator(".people")).to_contain_text("Ben")
    expect(ben.page.get_by_role("heading", name="Choose together")).to_be_visible()
    return ana, ben


def test_the_lobby_fits_in_three_screens_with_every_exercise_one_tap_away(phones):
    ana, ben = _couple(phones)
    pa = ana.page
    expect(pa.locator("li[data-exercise]")).not_to_have_count(0)
    lobby = _screens(pa)
    print(f"\nlobby at 390x844: {lobby} screens")
    ana.shot("lobby-390")
    assert lobby <= LOBBY_SCREENS, f"the lobby is {lobby} screens long"

    # Nothing is lost: every exercise of the library sits under one group's heading, one tap away.
    library = pa.evaluate("fetch('/api/exercises').then(r => r.json()).then(b => b.exercises)")
    groups = pa.locator(".exercise-group")
    headings = groups.locator("h3 button")
    assert headings.count() >= 4
    listed = []
    for i in range(headings.count()):
        heading = headings.nth(i)
        expect(heading).to_have_attribute("aria-expanded", "false")
        heading.click()
        expect(heading).to_have_attribute("aria-expanded", "true")
        panel = pa.locator("#" + heading.get_attribute("aria-controls"))
        expect(panel).to_be_visible()
        listed += panel.locator("li[data-exercise]").evaluate_all("els => els.map(e => e.dataset.exercise)")
    assert sorted(listed) == sorted(ex["id"] for ex in library)
    opened = _screens(pa)
    print(f"lobby with every group open: {opened} screens")
    # Each exercise keeps its purpose, its length and its depth.
    first = pa.locator("li[data-exercise=tune-in]")
    expect(first).to_contain_text("Guess what your partner feels and wants right now")
    expect(first).to_contain_text("15 min")
    assert_accessible(ana, "lobby-390-groups-open")


def test_a_long_care_note_is_folded_and_its_whole_text_is_one_tap_away(phones):
    ana, _ben = _couple(phones)
    pa = ana.page
    library = pa.evaluate("fetch('/api/exercises').then(r => r.json()).then(b => b.exercises)")
    note = next(ex for ex in library if ex["id"] == "past-hurts")["care_note"]
    show(pa, "past-hurts")
    card = pa.locator("li[data-exercise=past-hurts]")
    care = card.locator("details.care")
    toggle = care.locator("summary")
    expect(toggle).to_be_visible()
    expect(toggle).to_contain_text("Take care")
    # Folded: the note's words are not on the screen until the tap.
    expect(care.locator(".care-text")).to_be_hidden()
    toggle.click()
    expect(care).to_have_attribute("open", "")
    expect(care.locator(".care-text")).to_have_text(note)
    # A redraw (the partner's phone changes something) keeps it open.
    ana_mode = pa.get_by_role("radio", name=re.compile("We're in the same room"))
    ana_mode.check()
    expect(pa.get_by_role("radio", name=re.compile("We're in the same room"))).to_be_checked()
    expect(care.locator(".care-text")).to_be_visible()
    assert_accessible(ana, "lobby-care-note-open")
    # The card itself at full size, as the person sees it.
    card.screenshot(path=os.path.join(SCREENS, "test_a_long_care_note-card-open.png"))


def test_the_other_phone_says_who_is_choosing(phones):
    ana, ben = _couple(phones)
    pa, pb = ana.page, ben.page
    choosing = pb.locator("#partner-choosing")
    expect(choosing).to_have_count(0)
    show(pa, "tune-in")
    expect(choosing).to_have_count(0)  # looking is not choosing yet
    pa.locator("#pick-tune-in").click()
    expect(choosing).to_have_text("Ana is choosing…")
    expect(choosing).to_have_attribute("role", "status")
    # Ana's own phone says nothing of the kind about her.
    expect(pa.locator("#partner-choosing")).to_have_count(0)
    assert_accessible(ben, "lobby-ana-is-choosing")
    # Ben's taps are not refused while Ana chooses (her choosing moves nothing).
    pb.get_by_role("radio", name=re.compile("We're in the same room")).check()
    expect(pa.get_by_role("radio", name=re.compile("We're in the same room"))).to_be_checked()
    expect(pb.locator(".notice")).to_have_count(0)
    # Taking the exercise out again ends it; so does suggesting the plan.
    pa.locator("#pick-tune-in").click()
    expect(choosing).to_have_count(0)
    pa.locator("#pick-tune-in").click()
    expect(choosing).to_have_text("Ana is choosing…")
    pa.locator("#propose-plan").click()
    expect(pb.get_by_role("heading", name="Ana suggests")).to_be_visible()
    expect(choosing).to_have_count(0)


def _to_summary_written(ana, ben):
    """Tune in, three cards, each answered and guessed on both phones: twelve entries to keep or not."""
    pa, pb = ana.page, ben.page
    pick(ana, "tune-in")
    pa.locator("#opt-tune-in-draw").select_option("3")
    pa.locator("#propose-plan").click()
    pb.get_by_role("button", name="Agree and start").click()
    for n in range(3):
        for page, answer, guess in ((pa, f"A long walk by the river, card {n}.", f"Cooking, card {n}."),
                                    (pb, f"Cooking something new, card {n}.", f"A walk, card {n}.")):
            page.get_by_label("Your answer").fill(answer)
            page.get_by_label("Your guess").fill(guess)
            page.get_by_role("button", name="Save both").click()
        for page in (pa, pb):
            page.get_by_role("button", name=re.compile("^(Go on|Next card)$")).click()
    for page in (pa, pb):
        expect(page.get_by_role("heading", name="What you shared")).to_be_visible()


def test_the_summary_asks_keep_or_not_in_its_first_screen_and_fits_two(phones):
    ana, ben = _couple(phones)
    pa = ana.page
    _to_summary_written(ana, ben)
    keep, drop = pa.get_by_role("button", name="Keep it", exact=True), pa.get_by_role("button", name="Don't keep it")
    expect(keep).to_be_visible()
    summary = _screens(pa)
    print(f"\nsummary at 390x844 (tune-in, 3 cards answered and guessed): {summary} screens")
    assert_accessible(ana, "summary-390")
    assert _in_first_screen(pa, keep) and _in_first_screen(pa, drop)
    # Nothing is lost: every answer and guess is there, each card's question whole.
    texts = pa.locator(".summary").inner_text()
    for n in range(3):
        for said in (f"A long walk by the river, card {n}.", f"Cooking, card {n}.",
                     f"Cooking something new, card {n}.", f"A walk, card {n}."):
            assert said in texts
    expect(pa.locator(".entry-question")).to_have_count(3)
    assert summary <= SUMMARY_SCREENS, f"the summary is {summary} screens long"


def test_with_nothing_written_the_summary_asks_nothing_about_keeping(phones):
    ana, ben = _couple(phones)
    pa, pb = ana.page, ben.page
    pa.get_by_role("radio", name=re.compile("We're in the same room")).check()
    expect(pb.get_by_role("radio", name=re.compile("We're in the same room"))).to_be_checked()
    pick(ana, "eyes-and-mirrors")
    pa.locator("#propose-plan").click()
    pb.get_by_role("button", name="Agree and start").click()
    # Either may stop a moment together before it starts: two stops, and the session is over, unwritten.
    pa.get_by_role("button", name="Stop", exact=True).click()
    expect(pa.locator(".step-title")).to_have_text("Mirror me")
    pb.get_by_role("button", name="Stop", exact=True).click()
    for page in (pa, pb):
        expect(page.get_by_role("heading", name="What you shared")).to_be_visible()
        expect(page.locator("#nothing-written")).to_have_text(
            "Nothing was written down; everything was said aloud, so there is nothing to keep.")
        expect(page.get_by_role("heading", name="Keep this?")).to_have_count(0)
        expect(page.get_by_role("button", name="Keep it", exact=True)).to_have_count(0)
        expect(page.get_by_role("button", name="Don't keep it")).to_have_count(0)
    assert_accessible(ana, "summary-nothing-written")
    print(f"\nsummary with nothing written: {_screens(pa)} screens")
