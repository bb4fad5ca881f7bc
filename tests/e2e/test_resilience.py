"""A dropped network or a lost page costs nothing: not the seat, not the step, not a typed word."""

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, guided_room, join_session, pick, start_session, turn

pytestmark = pytest.mark.slow

DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('attune:draft:'))"


def test_a_phone_that_goes_offline_mid_step_keeps_its_typed_words_and_its_place(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {"rounds": 1})])
    pb.get_by_role("button", name="Agree and start").click()
    expect(turn(ana)).to_have_text("Your turn: share one small piece")

    # Ana types, but the network drops before she sends.
    pa.get_by_label("What you want to say").press_sequentially("I was nervous about today")
    ana.context.set_offline(True)
    expect(pa.locator("[data-banner]")).to_contain_text("Reconnecting")
    ana.shot("offline-banner")
    expect(turn(ben)).to_have_text("Ana is sharing. Just listen.")

    # The network comes back, and the locked phone had lost its page: reload.
    ana.context.set_offline(False)
    expect(pa.locator("[data-banner]")).to_be_hidden()
    pa.reload()
    expect(turn(ana)).to_have_text("Your turn: share one small piece")
    expect(pa.get_by_label("What you want to say")).to_have_value("I was nervous about today")
    expect(turn(ben)).to_have_text("Ana is sharing. Just listen.")
    ana.shot("after-reload-draft-kept")

    pa.get_by_role("button", name="Send to Ben").click()
    expect(pb.locator(".quote").first).to_contain_text("I was nervous about today")
    expect(turn(ana)).to_have_text("Ben is saying back what they heard")
    assert pa.evaluate(DRAFTS) == []

    # Ben taps send while offline: it waits, then lands exactly once.
    pb.get_by_label("What you heard Ana say").fill("You felt nervous about today.")
    ben.context.set_offline(True)
    expect(pb.locator("[data-banner]")).to_be_visible()
    pb.get_by_role("button", name="Send my paraphrase").click()
    expect(pb.get_by_role("button", name="Will send when you're back online")).to_be_disabled()
    ben.shot("offline-sending")
    ben.context.set_offline(False)
    expect(turn(ana)).to_have_text("Your turn: did Ben get it?")
    expect(pa.locator(".quote.echo")).to_have_count(1)
    expect(pa.locator(".quote.echo")).to_contain_text("You felt nervous about today.")
    expect(turn(ben)).to_have_text("Ana is checking your paraphrase")
    assert pb.evaluate(DRAFTS) == []

    # Both phones agree on where they are after all that.
    pa.get_by_role("button", name="That's it").click()
    expect(turn(ana)).to_have_text("Your turn: say more, or pass the floor")
    expect(turn(ben)).to_have_text("Ana is deciding whether to say more")


def test_a_third_phone_cannot_join_a_full_session_and_is_told_why(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    expect(ana.page.locator(".people")).to_contain_text("Ben")

    # Cleo opens the join link: the code is filled in for her.
    cleo = phones("Cleo", f"/r/{code}")
    form = cleo.page.locator("form[data-action=join]")
    expect(form.get_by_label("Session code")).to_have_value(code)
    form.get_by_label("Your name").fill("Cleo")
    form.get_by_role("button", name="Join").click()
    expect(cleo.page.locator("#join-error-code")).to_have_text(
        "This session already has two partners. Check the code, or ask for a new one.")
    cleo.shot("room-full")
    expect(form).to_be_visible()
    expect(form.get_by_label("Your name")).to_have_value("Cleo")
    expect(ana.page.locator(".people")).not_to_contain_text("Cleo")


def test_a_partner_who_leaves_for_now_can_continue_from_the_home_screen(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    bens_seat = ana.page.locator(".person[data-seat=partner_b]")
    expect(bens_seat).to_contain_text("here")

    ben.page.get_by_role("button", name="Leave for now").click()
    expect(bens_seat).to_contain_text("left")
    expect(ben.page.get_by_role("heading", name="Your session is still open")).to_be_visible()
    assert ben.page.url == f"{ben.base_url}/"
    ben.shot("home-continue")

    ben.page.get_by_role("button", name="Continue").click()
    expect(ben.page.locator(".people")).to_contain_text("Ben (you)")
    expect(bens_seat).to_contain_text("here")


def _hold_socket_requests(phone, path):
    """Open `path` with the page's Socket.IO requests held unanswered; return the held routes."""
    held = []

    def hold(route):  # a function of our own: Playwright cannot register a bound builtin like held.append
        held.append(route)

    phone.page.route("**/socket.io/**", hold)
    with phone.page.expect_request(lambda request: "/socket.io/" in request.url):
        phone.open(path)
    assert held, "the page's first Socket.IO request was held back"
    return held


def _release(phone, held):
    for route in held:
        route.continue_()
    phone.page.unroute("**/socket.io/**")


def test_joining_by_code_before_the_connection_is_up_waits_for_it(phones):
    ana = phones("Ana")
    code = start_session(ana, "Ana", apart=False)

    ben = phones("Ben")
    held = _hold_socket_requests(ben, "/")
    join_session(ben, "Ben", code)
    # The tap is taken while the socket is still connecting: it waits, it does not fail.
    expect(ben.page.get_by_role("button", name="Joining…")).to_be_disabled()
    expect(ben.page.get_by_role("alert")).to_have_count(0)
    _release(ben, held)
    expect(ben.page.locator(".people")).to_contain_text("Ana")
    expect(ana.page.locator(".people")).to_contain_text("Ben")


def test_a_moderator_link_tapped_before_the_connection_is_up_still_seats_the_therapist(phones, server):
    ack = guided_room(server)

    lee = phones("Lee", "/")
    held = _hold_socket_requests(lee, ack["moderator_url"][len(server.url):])
    lee.page.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    lee.page.get_by_role("button", name="Join as moderator").click()
    expect(lee.page.get_by_role("button", name="Joining…")).to_be_disabled()
    expect(lee.page.get_by_role("alert")).to_have_count(0)
    _release(lee, held)
    expect(lee.page.get_by_role("heading", name="Observing")).to_be_visible()


def test_a_plan_being_picked_survives_a_reload_until_it_is_suggested(phones):
    ana = phones("Ana")
    pa = ana.page
    start_session(ana, "Ana", apart=False)
    pick(ana, "tune-in")
    pick(ana, "take-the-floor")
    pa.locator("#opt-take-the-floor-rounds").select_option("1")

    pa.reload()
    expect(pa.locator("#pick-tune-in")).to_have_text("In the plan (1) — remove")
    expect(pa.locator("#pick-take-the-floor")).to_have_text("In the plan (2) — remove")
    expect(pa.locator("#opt-take-the-floor-rounds")).to_have_value("1")
    expect(pa.locator("#propose-plan")).to_contain_text("Suggest this plan (2")


def test_a_kept_plan_with_an_option_that_does_not_apply_is_suggested_without_it(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    expect(pa.locator(".people")).to_contain_text("Ben")
    # A plan draft from an older page: take-the-floor has no cards, so `draw` means nothing to it.
    kept = {"plan": [{"exercise": "take-the-floor", "options": {"rounds": 2, "draw": 3}}], "builder": False}
    pa.evaluate("([key, value]) => localStorage.setItem(key, JSON.stringify(value))",
                [f"attune:draft:{code}:plan", kept])
    pa.reload()
    pa.locator("#propose-plan").click()
    expect(pb.get_by_role("heading", name="Ana suggests")).to_be_visible()
    expect(pb.locator(".proposal")).to_contain_text("2 turns each")
