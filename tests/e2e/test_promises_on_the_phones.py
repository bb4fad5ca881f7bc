"""Promises remembered on the phone (issue 13): the same two phones across sessions. In the first, each
writes a promise and only Ana keeps hers; in the next, the weekly check-in's look back shows it on both
phones (and Ben's, never kept, nowhere); its mark decides what Ana's phone keeps; "Forget our history"
clears it."""

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import SCREENS
from tests.e2e.flows import agree_on, join_session, pick, show, start_session
from tests.support import wait_for

pytestmark = pytest.mark.slow

ANAS = "Cook dinner on Thursday, phones away."
BENS = "Call my sister about the holidays."
KEEP = "Keep this for our next check-in"


def kept_on(phone) -> list:
    """Every promise this phone keeps, whatever the pair (read from its storage as the page sees it)."""
    return phone.page.evaluate("""() => Object.keys(localStorage).filter((k) => k.startsWith('attune:promises:'))
        .flatMap((k) => JSON.parse(localStorage.getItem(k)))""")


def tap_where(phones, selector):
    """Tap `selector` on whichever phone shows it now (the move belongs to one of them)."""
    for phone in phones:
        button = phone.page.locator(f"{selector}:not([disabled])")
        if button.count():
            button.first.click()
            return phone
    return None


def sent_frames(phone) -> list[str]:
    """Record every Socket.IO frame this phone's page sends from now on."""
    frames: list[str] = []
    phone.page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(str(payload))))
    return frames


def offers(frames) -> list[list]:
    """The promise lists sent with offer_promises, in order."""
    out = []
    for frame in frames:
        match = re.match(r"^42\d*(\[.*\])$", frame)
        if match:
            event, *args = json.loads(match.group(1))
            if event == "intent" and args and args[0].get("type") == "offer_promises":
                out.append(args[0]["promises"])
    return out


def until(phone, predicate, what: str, within_ms: int = 10_000):
    """Wait for `predicate` with a deadline, letting Playwright deliver the page's events meanwhile."""
    for _ in range(within_ms // 50):
        if predicate():
            return
        phone.page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting for {what}")


def close_up(phone, locator, screen: str) -> None:
    """A picture of one part of a long screen (the lobby's full page is many screens tall)."""
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=os.path.join(SCREENS, f"{phone.test}-{screen}.png"))


def new_room(ana, ben):
    for phone in (ana, ben):
        phone.open("/")
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    expect(ana.page.locator(".people")).to_contain_text("Ben")


def test_a_kept_promise_comes_back_in_the_next_weekly_check_in_on_both_phones_and_forget_clears_it(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page

    # Session 1: small promises. Nothing to look back at yet, the floor passed on, then one card each.
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    expect(pa.locator(".promises-line")).to_have_count(0)
    agree_on(ana, ben, [("trust-small-promises", {"draw": 1})])
    pb.locator("#agree-plan").click()
    for phone in (ana, ben):
        expect(phone.page.locator(".step-body")).to_contain_text("Nothing was brought back from last time.")
        phone.page.locator("#b-advance-go").click()
    passed = []  # each partner passes the floor once, whoever holds it first

    def pass_one():
        who = tap_where((ana, ben), "#b-pass_floor-any")
        if who:
            passed.append(who.label)
        return len(passed) == 2
    until(ana, pass_one, "both floors passed")
    assert sorted(passed) == ["Ana", "Ben"]
    for phone, words in ((ana, ANAS), (ben, BENS)):
        form = phone.page.locator("form[data-type=answer]")
        form.locator("textarea").fill(words)
        form.locator("button[type=submit]").click()
    for phone in (ana, ben):
        expect(phone.page.locator(".answers")).to_contain_text(BENS)
        phone.page.locator("#b-advance-go").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="What you shared")).to_be_visible()

    # Only the author's phone offers to keep a promise, under their own words; off until they choose.
    for phone, mine, theirs in ((ana, ANAS, BENS), (ben, BENS, ANAS)):
        own = phone.page.locator(".entries li", has_text=mine)
        expect(own.get_by_role("button", name=KEEP)).to_have_attribute("aria-pressed", "false")
        expect(phone.page.locator(".entries li", has_text=theirs).get_by_role("button", name=KEEP)).to_have_count(0)
    pa.locator(".entries li", has_text=ANAS).get_by_role("button", name=KEEP).click()
    expect(pa.get_by_role("button", name=KEEP)).to_have_attribute("aria-pressed", "true")
    assert [(p["text"], bool(re.match(r"^\d{4}-\d{2}-\d{2}$", p["made_on"]))) for p in kept_on(ana)] == [(ANAS, True)]
    assert kept_on(ben) == []
    assert_accessible(ana, "summary-promise-kept")

    # End and erase says what stays on each phone; the kept promise outlives the room.
    pa.get_by_role("button", name="End and erase").click()
    dialog = pa.get_by_role("dialog", name="End and erase?")
    expect(dialog).to_contain_text("the promises you each chose to keep on your own phone for your next check-in")
    dialog.get_by_role("button", name="End and erase").click()
    expect(pa.get_by_role("heading", name="The session has ended")).to_be_visible()
    assert [p["text"] for p in kept_on(ana)] == [ANAS]

    # Session 2, the same two phones: the words go to the server only once the plan looks back.
    frames = sent_frames(ana)
    new_room(ana, ben)
    show(pa, "weekly-check-in")
    expect(pa.locator(".promises-line")).to_have_count(0)
    assert not any(ANAS in f for f in frames), "the promise left the phone before the plan looked back"
    pa.locator("#pick-weekly-check-in").click()
    expect(pa.locator(".promises-line h2")).to_have_text("You're bringing back 1 promise")
    expect(pa.locator(".promises-line .promise-text")).to_have_text(ANAS)
    until(ana, lambda: offers(frames), "Ana's offer_promises")
    # (sent again, the same, if it crossed another lobby change and came back stale)
    assert {json.dumps(o) for o in offers(frames)} == {json.dumps([{"text": ANAS, "made_on": kept_on(ana)[0]["made_on"]}])}
    assert [f for f in frames if ANAS in f and "offer_promises" not in f] == []
    assert_accessible(ana, "lobby-bringing-back")
    close_up(ana, pa.locator(".promises-line"), "close-up-bringing-back")
    pa.locator("#propose-plan").click()
    expect(pb.get_by_role("heading", name="Ana suggests")).to_be_visible()
    expect(pb.locator(".promises-line")).to_have_count(0)  # Ben kept nothing
    # The check-in's cards are spoken, and these two are apart: they say how they'll talk first.
    pb.get_by_label("By typing").check()
    expect(pa.locator("#voice-status")).to_have_text("Ben chose typing.")
    pb.locator("#agree-plan").click()

    # How you're arriving, then the appreciations passed, to the look back.
    for phone in (ana, ben):
        page = phone.page
        page.get_by_role("button", name="Calm").click()
        page.get_by_role("button", name="relieved").click()
        page.get_by_role("button", name="Share my words").click()
    for phone in (ana, ben):
        phone.page.get_by_role("button", name="Go on").click()
    expect(pa.locator("#b-pass_rest-go")).to_be_visible()
    pa.locator("#b-pass_rest-go").click()
    for phone, who in ((ana, "You brought this back"), (ben, "Ana brought this back")):
        promise = phone.page.locator(".promise-list .promise")
        expect(promise).to_have_count(1)
        expect(promise.locator(".promise-text")).to_have_text(ANAS)
        expect(promise.locator(".meta")).to_contain_text(who)
        expect(phone.page.locator(".step-body")).not_to_contain_text(BENS)
    assert_accessible(ben, "look-back-partner")

    # Kept: the phone lets it go; the last mark counts, so "Not yet" keeps it for next time.
    pb.locator("#mark-1-kept").click()
    expect(pa.locator("#mark-1-kept")).to_have_attribute("aria-pressed", "true")
    assert kept_on(ana) == []
    pa.locator("#mark-1-not_yet").click()
    expect(pb.locator("#mark-1-not_yet")).to_have_attribute("aria-pressed", "true")
    # Ben's phone is pushed the change before Ana's own ack brings it back to hers.
    wait_for(lambda: [p["text"] for p in kept_on(ana)] == [ANAS], message="Ana's phone to keep her promise again")
    ana.shot("look-back-not-yet")
    for phone in (ana, ben):
        phone.page.locator("#b-advance-go").click()
    expect(pa.locator(".step-title")).to_have_text("Our week")
    assert [p["text"] for p in kept_on(ana)] == [ANAS]

    # Session 3: "Not this time" takes the promise back out of the room; "Forget our history" clears it.
    frames.clear()
    new_room(ana, ben)
    pick(ana, "weekly-check-in")
    expect(pa.locator(".promises-line h2")).to_have_text("You're bringing back 1 promise")
    pa.locator("#promises-hold").click()
    expect(pa.locator(".promises-line h2")).to_have_text("Your promise stays on this phone")
    close_up(ana, pa.locator(".promises-line"), "close-up-not-this-time")
    until(ana, lambda: offers(frames) and offers(frames)[-1] == [], "an empty offer_promises")
    pa.locator("#promises-bring").click()
    expect(pa.locator(".promises-line h2")).to_have_text("You're bringing back 1 promise")
    forget = pa.locator(".forget")
    expect(forget).to_contain_text("so you get new ones first, and the promise you chose to keep for your next check-in.")
    pa.locator("#forget-history").click()
    expect(forget).to_contain_text("you two have done, and the promise you chose to keep for your next check-in? "
                                   "This can't be undone.")
    ana.shot("forget-with-promise")
    close_up(ana, forget, "close-up-forget")
    pa.locator("#forget-confirm").click()
    expect(pa.locator(".promises-line")).to_have_count(0)
    assert kept_on(ana) == []
    pa.reload()
    show(pa, "weekly-check-in")
    expect(pa.locator(".promises-line")).to_have_count(0)
