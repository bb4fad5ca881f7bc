"""A moderator link seats the therapist as a read-only observer the couple can see."""

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import guided_room, join_session

pytestmark = pytest.mark.slow


def test_a_moderator_link_joins_as_an_observer_that_partners_see(phones, server):
    ack = guided_room(server)
    code = ack["code"]
    path = ack["moderator_url"][len(server.url):]

    lee = phones("Lee", path)
    expect(lee.page.get_by_role("heading", name="Join as moderator")).to_be_visible()
    lee.page.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    lee.page.get_by_role("button", name="Join as moderator").click()
    expect(lee.page.get_by_role("heading", name="Observing")).to_be_visible()
    assert lee.page.url == f"{server.url}/m/{code}", "the secret stays out of the address bar"

    ana = phones("Ana")
    join_session(ana, "Ana", code)
    expect(ana.page.locator(".mod-badge")).to_contain_text("Dr Lee is with you")
    expect(ana.page.get_by_text("Dr Lee is preparing your plan.")).to_be_visible()
    ana.shot("partner-in-guided-lobby")
    expect(lee.page.locator(".people")).to_contain_text("Ana")
    lee.shot("observer")

    lee.page.reload()
    expect(lee.page.get_by_role("heading", name="Observing")).to_be_visible()
