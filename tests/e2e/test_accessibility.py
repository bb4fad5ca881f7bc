"""axe-core finds no WCAG 2.2 AA violation on the main screens, light and dark (issue 12)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible, violations
from tests.e2e.conftest import PHONE_390
from tests.e2e.flows import agree_on, join_session, start_session, turn
from tests.support import Phone as SocketPhone

pytestmark = pytest.mark.slow

LAPTOP = {"viewport": {"width": 1280, "height": 800}}


def test_axe_itself_catches_a_violation(phones):
    """The check can fail: an unlabelled field on the page is reported."""
    phone = phones("Probe", size=PHONE_390)
    expect(phone.page.get_by_role("tab", name="New session")).to_be_visible()
    # Outside <main>, so no redraw of the screen takes it away before axe looks.
    phone.page.evaluate("document.body.append(Object.assign(document.createElement('input'), { id: 'probe' }))")
    assert "label" in [v["id"] for v in violations(phone.page)]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_couples_screens_have_no_wcag_22_aa_violations(phones, dark):
    ana = phones("Ana", size=PHONE_390, dark=dark)
    ben = phones("Ben", size=PHONE_390, dark=dark)
    pa, pb = ana.page, ben.page
    expect(pa.get_by_role("tab", name="New session")).to_be_visible()
    assert_accessible(ana, "start")

    # The join form, with a mistyped code's error beside the field.
    pb.get_by_role("tab", name="I have a code").click()
    pb.get_by_label("Your name").nth(1).fill("Ben")
    pb.locator("#join-code").fill("K7M")
    pb.get_by_role("button", name="Join").click()
    expect(pb.locator("#join-error-code")).to_be_visible()
    assert_accessible(ben, "join-with-error")

    code = start_session(ana, "Ana", apart=True)
    assert_accessible(ana, "lobby-waiting")
    pb.locator("#join-code").fill("")
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("tune-in", {"draw": 1})])
    assert_accessible(ben, "lobby-proposal")
    pb.get_by_role("button", name="Agree and start").click()

    expect(turn(ana)).to_contain_text("Your turn")
    assert_accessible(ana, "step-card")
    for page, answer, guess in ((pa, "A walk.", "Cooking."), (pb, "Cooking.", "A walk.")):
        page.get_by_label("Your answer").fill(answer)
        page.get_by_label("Your guess").fill(guess)
        page.get_by_role("button", name="Save both").click()
    expect(pa.locator(".answers .answer")).to_have_count(2)
    assert_accessible(ana, "step-revealed")

    for page in (pa, pb):
        page.get_by_role("button", name="Go on").click()
    for page in (pa, pb):
        expect(page.get_by_role("heading", name="What you shared")).to_be_visible()
    assert_accessible(ana, "summary")


def test_the_dashboard_has_no_wcag_22_aa_violations(phones, server):
    lee = phones("Dr Lee", size=LAPTOP)
    dash = lee.page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    expect(dash.get_by_role("heading", name="Prepare the session")).to_be_visible()
    assert_accessible(lee, "dashboard-prepare")

    code = dash.locator("#room-code").get_attribute("data-code")
    dash.locator("#add-tune-in").click()
    dash.locator("#plan-set").click()
    expect(dash.get_by_role("heading", name="The plan", exact=True)).to_be_visible()
    couple = []
    try:
        for name in ("Ana", "Ben"):
            partner = SocketPhone(server.url).connect()
            couple.append(partner)
            assert partner.call("join_room", {"code": code, "name": name})["ok"]
        for name in ("Ana", "Ben"):
            expect(dash.locator(".couple")).to_contain_text(name)
        expect(dash.locator("#start-session")).to_be_enabled()
        dash.locator("#start-session").click()
        expect(dash.get_by_role("heading", name="Guiding Ana and Ben")).to_be_visible()
        assert_accessible(lee, "dashboard-running")
    finally:
        for partner in couple:
            partner.disconnect()
