"""At 390 x 844: issue 12's first-evening fixes a couple meets on the home screen and in a session.

Joining as easy to find as starting, a mistyped code answered where the person is
looking, banners that never cover the page, a reveal that fades in once, and a
visible pulse for a turn on phones that cannot vibrate.
"""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE_390, SCREENS
from tests.e2e.flows import agree_on, box_of, join_session, start_session, turn
from tests.support import wait_for

pytestmark = pytest.mark.slow

HEIGHT = PHONE_390["viewport"]["height"]


def _in_first_screen(locator) -> bool:
    """Whether the element sits wholly inside the viewport, without scrolling."""
    box = box_of(locator)
    return box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT


def test_on_a_phone_joining_is_as_easy_to_find_as_starting(phones):
    home = phones("Home", size=PHONE_390)
    page = home.page
    start_tab = page.get_by_role("tab", name="New session")
    join_tab = page.get_by_role("tab", name="I have a code")
    expect(start_tab).to_be_visible()
    # Both ways in are on the first screen, side by side and the same size.
    assert _in_first_screen(start_tab) and _in_first_screen(join_tab)
    start_box, join_box = box_of(start_tab), box_of(join_tab)
    assert abs(start_box["y"] - join_box["y"]) < 1 and abs(start_box["height"] - join_box["height"]) < 1
    expect(start_tab).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("button", name="Start a session")).to_be_visible()
    home.shot("home-390")

    join_tab.click()
    expect(join_tab).to_have_attribute("aria-selected", "true")
    form = page.locator("form[data-action=join]")
    expect(page.locator("form[data-action=create]")).to_be_hidden()
    # One tap, and the whole join form is on the first screen.
    assert _in_first_screen(form.get_by_role("button", name="Join"))
    home.shot("home-join-tab-390")

    # A join link opens straight into joining: the join tab, the code filled in, all of it in view.
    linked = phones("Link", "/r/K7M2QX", size=PHONE_390)
    lp = linked.page
    expect(lp.get_by_role("tab", name="I have a code")).to_have_attribute("aria-selected", "true")
    expect(lp.get_by_label("Session code")).to_have_value("K7M2QX")
    expect(lp.get_by_role("heading", name="Join your partner")).to_be_visible()
    assert _in_first_screen(lp.locator("#join-name")) and _in_first_screen(lp.locator("#join-go"))
    linked.shot("join-link-390")


def test_a_mistyped_code_is_answered_beside_the_field_with_focus_on_it(phones):
    phone = phones("Ana", size=PHONE_390)
    page = phone.page
    page.get_by_role("tab", name="I have a code").click()
    form = page.locator("form[data-action=join]")
    form.get_by_label("Your name").fill("Ana")
    code = form.get_by_label("Session code")
    code.press_sequentially("k7m 2qx")
    join = form.get_by_role("button", name="Join")
    join.scroll_into_view_if_needed()
    join.click()

    error = page.locator("#join-error-code")
    expect(error).to_have_text("There's no session with that code. Check the letters and try again.")
    expect(code).to_be_focused()
    expect(code).to_have_attribute("aria-invalid", "true")
    assert "join-error-code" in code.get_attribute("aria-describedby")
    # Beside the field, in view where the person was looking, not at the top of the page.
    assert _in_first_screen(error)
    field = box_of(code)
    assert 0 <= box_of(error)["y"] - (field["y"] + field["height"]) < 24
    expect(page.locator(".notice")).to_have_count(0)
    # The heading is the one the person saw, whatever they typed.
    expect(page.get_by_role("heading", name="Join with a code")).to_be_visible()
    expect(page.get_by_role("heading", name="Join your partner")).to_have_count(0)
    phone.shot("mistyped-code")

    # A code of the wrong length is said in the same place, before anything is sent.
    code.fill("K7M")
    join.click()
    expect(error).to_have_text("A code has six letters and numbers, like K7M 2QX (ten if your therapist sent it).")
    expect(code).to_be_focused()
    expect(page.get_by_role("heading", name="Join with a code")).to_be_visible()

    # A missing name is said under the name field, and focus goes there.
    form.get_by_label("Your name").fill("   ")
    join.click()
    expect(page.locator("#join-error-name")).to_have_text("Please enter your name.")
    expect(form.get_by_label("Your name")).to_be_focused()
    expect(error).to_have_count(0)


_BANNER_LINES = """() => {
  const text = document.querySelector('[data-banner-text]');
  return Math.round(text.getBoundingClientRect().height / parseFloat(getComputedStyle(text).lineHeight));
}"""


def _first_line_top(page) -> float:
    """The top of the screen's first line (the safety link, or the screen itself), in viewport pixels."""
    return page.evaluate("document.querySelector('#app > *').getBoundingClientRect().top")


def test_banners_take_one_line_cover_nothing_and_never_say_reconnecting_when_it_will_not(phones):
    ana, ben = phones("Ana", size=PHONE_390), phones("Ben", size=PHONE_390)
    pa = ana.page
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    expect(pa.locator(".people")).to_contain_text("Ben")

    ana.context.set_offline(True)
    banner = pa.locator("[data-banner]")
    expect(banner).to_contain_text("Reconnecting")
    lines = pa.evaluate(_BANNER_LINES)
    assert lines == 1, f"the offline banner takes {lines} lines at 390 px"
    drawn = box_of(banner)
    bottom = drawn["y"] + drawn["height"]
    assert bottom <= _first_line_top(pa) + 0.5, "the banner covers the top of the screen"
    ana.shot("offline-banner-390")
    ana.context.set_offline(False)
    expect(banner).to_be_hidden()

    # Ana's seat opened on another device: this screen steps aside and does not reconnect, so it
    # must not say "Reconnecting…".
    seat = pa.evaluate("JSON.stringify(Object.fromEntries(Object.entries(localStorage)"
                       ".filter(([k]) => k.startsWith('attune:seat:') || k === 'attune:last')))")
    other = phones("Ana's tablet", "/", size=PHONE_390)
    other.page.evaluate("(kept) => { for (const [k, v] of Object.entries(JSON.parse(kept))) localStorage.setItem(k, v); }", seat)
    other.open(f"/r/{code}")
    expect(other.page.locator(".people")).to_contain_text("Ben")
    expect(pa.get_by_role("heading", name="Open on another device")).to_be_visible()
    expect(banner).to_be_hidden()
    ana.shot("replaced-no-banner")

    # With no seat at all, the offline banner is one line too.
    # (The browser's offline event alone: cutting the network in the middle of the socket's
    # upgrade would log the browser's own connection errors.)
    fresh = phones("Cleo", "/", size=PHONE_390)
    expect(fresh.page.get_by_role("tab", name="New session")).to_be_visible()
    fresh.page.evaluate("window.dispatchEvent(new Event('offline'))")
    expect(fresh.page.locator("[data-banner]")).to_have_text("Offline — check your connection.")
    assert fresh.page.evaluate(_BANNER_LINES) == 1
    bottom = box_of(fresh.page.locator("[data-banner]"))
    assert bottom["y"] + bottom["height"] <= _first_line_top(fresh.page) + 0.5


_WATCH_REVEALS = """() => {
  window.__sawReveal = false;
  new MutationObserver(() => {
    if (document.querySelector('.answers.reveal')) window.__sawReveal = true;
  }).observe(document.getElementById('app'), { childList: true, subtree: true });
}"""

# After each redraw of the screen, the answers' opacity 120 ms later.
_SAMPLE_OPACITY = """() => {
  window.__opacity = [];
  new MutationObserver(() => setTimeout(() => {
    const answers = [...document.querySelectorAll('.answers .answer')];
    if (answers.length) window.__opacity.push(Math.min(...answers.map((a) => Number(getComputedStyle(a).opacity))));
  }, 120)).observe(document.getElementById('app'), { childList: true });
}"""

_ANIMATIONS_DONE = ("() => Promise.all(document.getAnimations()"
                    ".filter(a => a.effect.getComputedTiming().iterations !== Infinity)"
                    ".map(a => a.finished.catch(() => null)))")


def test_revealed_answers_fade_in_once_and_not_again_on_later_redraws(phones):
    ana, ben = phones("Ana", size=PHONE_390), phones("Ben", size=PHONE_390)
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("know-yourself", {"draw": 1})])
    pb.get_by_role("button", name="Agree and start").click()
    pa.get_by_label("Your private answer").fill("A quiet walk by the river.")
    pa.get_by_role("button", name="Save my answer").click()
    pb.evaluate(_WATCH_REVEALS)
    pb.get_by_label("Your private answer").fill("Cooking together on a Sunday.")
    pb.get_by_role("button", name="Save my answer").click()
    expect(pb.locator(".answers .answer")).to_have_count(2)
    expect(pb.locator(".answers")).to_contain_text("A quiet walk by the river.")
    # The moment of the reveal is animated...
    assert pb.evaluate("window.__sawReveal"), "the reveal was never animated"
    pb.evaluate(_ANIMATIONS_DONE)

    # ...and a later redraw (Ana's phone reloads: away, then back) does not fade the answers again.
    pb.evaluate(_SAMPLE_OPACITY)
    pa.reload()
    expect(pa.locator(".answers .answer")).to_have_count(2)
    # The page's CSP forbids wait_for_function: poll from here.
    samples = wait_for(lambda: pb.evaluate("window.__opacity.length >= 1 && window.__opacity"),
                       interval=0.05, message="a redraw on Ben's phone")
    assert min(samples) > 0.95, f"the answers faded again on a redraw: opacity {samples}"
    ben.shot("revealed-answers")


def test_a_phone_that_cannot_vibrate_shows_a_pulse_when_it_becomes_its_turn(phones):
    no_vibrate = "delete Navigator.prototype.vibrate;"
    ana = phones("Ana", size=PHONE_390, script=no_vibrate)
    ben = phones("Ben", size=PHONE_390)
    pa, pb = ana.page, ben.page
    assert pa.evaluate("typeof navigator.vibrate") == "undefined"
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 1})])
    pb.get_by_role("button", name="Agree and start").click()

    # Ana speaks first: her screen pulses.
    expect(turn(ana)).to_have_text("Your turn: share one small piece")
    expect(pa.locator("[data-turn-pulse]")).to_be_visible()
    # The pulse itself, as it shows (shot() would wait for it to end).
    os.makedirs(SCREENS, exist_ok=True)
    pa.screenshot(path=os.path.join(SCREENS, "test_a_phone_that_cannot_vibrate-pulse-showing.png"))
    ana.shot("turn-pulse")
    expect(pa.locator("[data-turn-pulse]")).to_be_hidden()
    pa.get_by_label("What you want to say").fill("I liked our walk today.")
    pa.get_by_role("button", name="Send to Ben").click()

    # Ben's phone can vibrate: no pulse for him.
    expect(turn(ben)).to_contain_text("Your turn")
    expect(pb.locator("[data-turn-pulse]")).to_be_hidden()
    pb.get_by_label("What you heard Ana say").fill("You liked our walk today.")
    pb.get_by_role("button", name="Send my paraphrase").click()

    # Ana's turn again: another pulse.
    expect(turn(ana)).to_have_text("Your turn: did Ben get it?")
    expect(pa.locator("[data-turn-pulse]")).to_be_visible()


def test_the_reconnecting_banner_and_the_call_strip_never_cover_each_other(phones):
    ana, ben = phones("Ana", size=PHONE_390), phones("Ben", size=PHONE_390)
    pa = ana.page
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 1})])
    ben.page.get_by_role("button", name="Agree and start").click()
    strip = pa.locator("[data-call]")
    expect(strip).to_be_visible()

    ana.context.set_offline(True)
    banner = pa.locator("[data-banner]")
    expect(banner).to_contain_text("Reconnecting")
    # Both stay at the top while the page scrolls: the strip sits under the banner, never beneath it.
    pa.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    wait_for(lambda: pa.evaluate("window.scrollY > 0"), interval=0.05, message="the page to scroll")
    over = box_of(banner)
    assert box_of(strip)["y"] >= over["y"] + over["height"] - 0.5, "the banner covers the call strip"
    ana.context.set_offline(False)
    expect(banner).to_be_hidden()
    wait_for(lambda: pa.evaluate("document.querySelector('[data-call]').getBoundingClientRect().top === 0"),
             interval=0.05, message="the call strip back at the top")
