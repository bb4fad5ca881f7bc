"""Ways out in the browser: a cool-down both phones breathe in step with, the distress offer on one phone only,
and stopping an exercise together (nothing erased, the summary says it was stopped)."""

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS, Phone
from tests.e2e.flows import agree_on, join_session, start_session, turn

pytestmark = pytest.mark.slow

# Where the breath is on a page: its number and phase, and the seconds into the cool-down (by the
# server's clock as that page maps it) together with when, by the machine's clock, that was read.
BREATH = "() => { const b = document.querySelector('[data-breath]'); if (!b || !b.dataset.breathAt) return null;" \
         " return {count: Number(b.dataset.breathCount), phase: b.dataset.breathPhase," \
         " at: Number(b.dataset.breathAt), stamp: Number(b.dataset.breathStamp), now: Date.now() / 1000}; }"
CYCLE = 10.0  # one breath: in for 4 s, out for 6 s (the view's breath_in + breath_out)
IN_STEP_S = 0.5


def breath(phone):
    """The page's breath, with `read`: when (by this test's clock) it was read."""
    before = time.time()
    reading = phone.page.evaluate(BREATH)
    if reading is not None:
        reading["read"] = (before + time.time()) / 2
    return reading


def position_now(reading) -> float:
    """Seconds into the cool-down at the moment of reading (the page's own clock only measures how stale
    its attribute was, so a page whose clock is off still reads true)."""
    return reading["at"] + (reading["now"] - reading["stamp"])


def compare_breaths(a, b, over_s: float = CYCLE * 1.2) -> None:
    """Read the breath on `a` and `b` at the same moments for `over_s` of breathing: always within
    IN_STEP_S of each other, and the same breath and phase wherever neither is near a change."""
    gaps, phases, first = [], set(), None
    give_up = time.monotonic() + 60
    while first is None or position_now(breath(a)) - first < over_s:
        assert time.monotonic() < give_up, "the breath did not move on both screens"
        mine, theirs = breath(a), breath(b)
        if mine is None or theirs is None:
            continue
        first = first if first is not None else position_now(mine)
        gap = (position_now(theirs) - (theirs["read"] - mine["read"])) - position_now(mine)
        gaps.append(abs(gap))
        phases.add(mine["phase"])
        if abs(gap) < IN_STEP_S and 0.5 < position_now(mine) % CYCLE < 3.5:
            assert (mine["count"], mine["phase"]) == (theirs["count"], theirs["phase"]) == (mine["count"], "in")
    assert max(gaps) < IN_STEP_S, gaps
    assert phases == {"in", "out"}


def test_a_cool_down_breathes_in_step_on_both_phones_and_ends_only_when_both_are_ready(phones):
    ana, ben = phones("Ana"), phones("Ben")
    # Ben's phone keeps its own time, an hour and a bit ahead: the pace must come from the server's clock.
    ben.context.clock.install(time=time.time() + 3_700)
    ben.page.reload()
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 1})])
    pb.get_by_role("button", name="Agree and start").click()
    expect(turn(ana)).to_have_text("Your turn: share one small piece")

    pa.get_by_role("button", name="Cool down…").click()
    chooser = pa.locator("#cool-choose")
    expect(chooser).to_contain_text("20 minutes or more helps")
    ana.shot("cool-down-choose")
    chooser.get_by_role("button", name="20 min").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="Cooling down")).to_be_visible()
        expect(phone.page.locator("#cool-until")).to_contain_text("min to go")
        expect(phone.page.locator("[data-breath]")).to_be_visible()
    expect(pb.locator("#cooldown")).to_contain_text("Ana started a 20-minute cool-down")
    expect(pa.locator("#cool-choose")).to_have_count(0)

    # The same breath on both phones, from the server's clock: read at the same moment, the two pages are
    # less than half a second apart on a 10-second breath, over more than one breath.
    compare_breaths(ana, ben)
    ben.shot("cool-down")

    # The clock never ends it: one ready is not enough, both are.
    pa.get_by_role("button", name="I'm ready to go on").click()
    expect(pa.locator("#cooldown")).to_contain_text("You're ready. Waiting for Ben.")
    expect(pb.locator("#cooldown")).to_contain_text("Ana — ready to go on")
    pb.get_by_role("button", name="I'm ready to go on").click()
    for phone in (ana, ben):
        expect(phone.page.locator("#cooldown")).to_have_count(0)
    expect(turn(ana)).to_have_text("Your turn: share one small piece")


def test_the_distress_offer_is_seen_by_one_phone_only_and_stopping_together_erases_nothing(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("name-it", {})])
    pb.get_by_label("By typing").check()  # its aloud deck, apart
    pb.get_by_role("button", name="Agree and start").click()
    expect(turn(ana)).to_have_text("Your turn: name what you feel")

    pa.get_by_role("button", name="Fear", exact=True).click()
    pa.get_by_role("button", name="scared", exact=True).click()
    pa.get_by_role("button", name="scared: 5 of 5, very strongly").click()
    pa.get_by_label("Anything to add? (optional)").fill("It has been a hard week.")
    pa.get_by_role("button", name="Share my words").click()

    offer = pa.locator("#care-offer")
    expect(offer).to_contain_text("Nothing is shown to Ben yet")
    for label in ("Take a pause", "Cool down together (20 min)", "Stop this exercise", "Go on and share my words"):
        expect(offer.get_by_role("button", name=label)).to_be_visible()
    ana.shot("distress-offer")
    # Ben's phone: no offer, no words, and Ana is still choosing.
    expect(pb.locator(".statuses")).to_contain_text("Ana is choosing words…")
    expect(pb.locator("#care-offer")).to_have_count(0)
    expect(pb.get_by_text("scared")).to_have_count(0)
    expect(pb.get_by_text("hard week")).to_have_count(0)
    ben.shot("distress-partner")

    offer.get_by_role("button", name="Stop this exercise").click()
    request = pb.locator("#stop-request")
    expect(request).to_contain_text("Ana would like to stop this exercise here. Nobody needs to explain")
    expect(pa.locator("#stop-request")).to_contain_text("You asked to stop this exercise. Waiting for Ben.")
    ben.shot("stop-asked")
    request.get_by_role("button", name="Stop here").click()

    for phone in (ana, ben):
        stopped = phone.page.locator("#stopped")
        expect(stopped).to_contain_text("Name it (stopped, not finished)")
        expect(stopped).to_contain_text("Stopping erased nothing")
    # The held check-in was never revealed, not even in the summary.
    expect(pb.get_by_text("scared")).to_have_count(0)
    expect(pb.get_by_text("hard week")).to_have_count(0)
    ana.shot("summary-stopped")


def test_leave_for_now_keeps_the_seat_and_says_so(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 1})])
    pb.get_by_role("button", name="Agree and start").click()
    expect(turn(ana)).to_have_text("Your turn: share one small piece")
    pa.get_by_role("button", name="Leave for now").click()
    expect(pa.get_by_role("alert")).to_contain_text("Your seat and your words are kept")
    expect(pb.locator(".away-line")).to_contain_text("Ana has left the session.")
    pa.get_by_role("button", name="Continue").click()
    expect(turn(ana)).to_have_text("Your turn: share one small piece")


@pytest.fixture
def laptop(browser, server, request):
    """The therapist's laptop-sized page; any console error or page error fails the test."""
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda msg: problems.append(f"laptop: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(f"laptop: uncaught {err}"))
    yield Phone(context, page, "Dr Lee's laptop", request.node.name, server.url)
    context.close()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


def test_a_therapist_sees_distress_flagged_and_starts_a_cool_down_both_phones_share(laptop, phones):
    lee = laptop.open("/")
    dash = lee.page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    code = dash.locator("#room-code").get_attribute("data-code")
    dash.locator("#add-name-it").click()
    dash.locator("#add-take-the-floor").click()
    dash.locator("#mode-remote").check()
    dash.locator("#plan-set").click()
    ana, ben = phones("Ana"), phones("Ben")
    join_session(ana, "Ana", code)
    join_session(ben, "Ben", code)
    ben.page.get_by_label("On a call in Attune").check()  # apart, name-it's aloud deck
    expect(dash.locator("#start-session")).to_be_enabled()
    dash.locator("#start-session").click()
    pa, pb = ana.page, ben.page
    expect(turn(ana)).to_have_text("Your turn: name what you feel")

    pa.get_by_role("button", name="Fear", exact=True).click()
    pa.get_by_role("button", name="scared", exact=True).click()
    pa.get_by_role("button", name="scared: 5 of 5, very strongly").click()
    pa.get_by_role("button", name="Share my words").click()
    expect(pa.locator("#care-offer")).to_be_visible()
    expect(dash.locator("#distress-partner_a")).to_contain_text("Named a hard feeling strongly")
    expect(dash.get_by_text("scared")).to_have_count(0)
    expect(pb.locator("#care-offer")).to_have_count(0)
    expect(pb.locator(".distress-flag")).to_have_count(0)
    lee.shot("dashboard-distress")

    dash.locator("#ctl-cool-20").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="Cooling down")).to_be_visible()
        expect(phone.page.locator("#cooldown")).to_contain_text("Dr Lee started a 20-minute cool-down")
    expect(dash.locator("[data-breath]")).to_be_visible()
    compare_breaths(ana, ben, over_s=CYCLE * 0.75)
    compare_breaths(lee, ana, over_s=CYCLE * 0.75)
    lee.shot("dashboard-cool-down")
    for phone in (ana, ben):
        phone.page.get_by_role("button", name="I'm ready to go on").click()
    for phone in (ana, ben):
        expect(phone.page.locator("#cooldown")).to_have_count(0)
    # Back where Ana was: her check-in still held for her, still not shown to Ben.
    expect(pa.locator("#care-offer")).to_be_visible()
    expect(pb.get_by_text("scared")).to_have_count(0)
