"""A therapist moves the dashboard between a laptop and a tablet, both ways (issue 12, item 2).

Opening the moderator link on a second device takes the seat; "Use it on this
device" on the first takes it back. Each device says truthfully where the
session is, and "The session has ended" only once it has.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True}


def _holds_the_dashboard(page):
    expect(page.get_by_role("heading", name="Prepare the session")).to_be_visible()
    expect(page.locator("[data-banner]")).to_be_hidden()


def _stepped_aside(page):
    expect(page.get_by_role("heading", name="Open on another device")).to_be_visible()
    # It does not reconnect, so it does not say it is reconnecting (item 4).
    expect(page.locator("[data-banner]")).to_be_hidden()
    expect(page.get_by_role("heading", name="The session has ended")).to_have_count(0)


def test_a_therapist_takes_the_dashboard_back_and_forth_between_two_devices(phones):
    laptop = phones("Laptop", "/", size=LAPTOP)
    lp = laptop.page
    lp.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    lp.get_by_role("button", name="Open a guided session").click()
    _holds_the_dashboard(lp)
    link = lp.locator("#mod-link").input_value()
    assert "#" in link

    # The moderator link on the tablet: the tablet takes the seat, the laptop is told.
    tablet = phones("Tablet", link[len(laptop.base_url):], size=TABLET)
    tp = tablet.page
    tp.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    tp.get_by_role("button", name="Join as moderator").click()
    _holds_the_dashboard(tp)
    _stepped_aside(lp)
    laptop.shot("laptop-stepped-aside")

    # Back on the laptop: it takes over, and the tablet is told.
    lp.get_by_role("button", name="Use it on this device").click()
    _holds_the_dashboard(lp)
    _stepped_aside(tp)
    tablet.shot("tablet-stepped-aside")
    lp.locator("#note-text").fill("Back on the laptop")
    lp.get_by_role("button", name="Add note").click()
    expect(lp.locator(".notes")).to_contain_text("Back on the laptop")

    # A reload of the laptop keeps the seat it took back; a reload of the tablet still says where it is.
    lp.reload()
    _holds_the_dashboard(lp)
    tp.reload()
    _stepped_aside(tp)

    # And the other way again: the tablet takes it back, with the laptop's note there.
    tp.get_by_role("button", name="Use it on this device").click()
    _holds_the_dashboard(tp)
    expect(tp.locator(".notes")).to_contain_text("Back on the laptop")
    _stepped_aside(lp)
    tablet.shot("tablet-took-it-back")

    # The laptop opened at the start page is offered its session, not told it ended.
    laptop.open("/")
    expect(lp.get_by_role("heading", name="Your session is still open")).to_be_visible()
    expect(lp.get_by_role("heading", name="The session has ended")).to_have_count(0)
    lp.get_by_role("button", name="Continue").click()
    _stepped_aside(lp)

    # Only a session that has ended is called ended: the tablet ends and erases it,
    # and the laptop, asking for it back, is told so.
    tp.locator("#mod-end-open").click()
    tp.locator("#end-confirm").click()
    expect(tp.get_by_role("heading", name="The session has ended")).to_be_visible()
    lp.get_by_role("button", name="Use it on this device").click()
    expect(lp.get_by_role("heading", name="The session has ended")).to_be_visible()
    laptop.shot("laptop-ended")
