"""At phone size: issue 12's first-evening fixes that a couple sees (the summary's keep choice, plain words)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import guided_room, join_session
from tests.support import Phone as SocketPhone

pytestmark = pytest.mark.slow


@pytest.fixture
def therapist(server):
    """The therapist's seat over Socket.IO, so the test can take a guided room straight to its summary."""
    ack = guided_room(server)
    mod = SocketPhone(server.url).connect()
    assert mod.call("resume", {"code": ack["code"], "token": ack["token"]})["ok"]
    mod.code = ack["code"]
    yield mod
    mod.disconnect()


def test_after_one_partner_says_dont_keep_the_other_is_not_asked_to_keep(phones, therapist):
    ana, ben = phones("Ana"), phones("Ben")
    pa, pb = ana.page, ben.page
    join_session(ana, "Ana", therapist.code)
    join_session(ben, "Ben", therapist.code)
    therapist.wait_view(lambda v: v["full"], message="both partners seated")
    assert therapist.intent("set_mode", mode="remote")["ok"]
    assert therapist.intent("propose_plan", plan=[{"exercise": "take-the-floor"}])["ok"]
    assert therapist.intent("start_session")["ok"]
    form = pa.locator("form[data-type=share]")
    form.locator("textarea").fill("I felt alone at dinner.")
    form.get_by_role("button").click()
    expect(pb.locator(".step-body")).to_contain_text("I felt alone at dinner.")
    assert therapist.intent("end_session")["ok"]

    for page in (pa, pb):
        expect(page.get_by_role("heading", name="What you shared")).to_be_visible()
    expect(pa.get_by_role("button", name="Keep it", exact=True)).to_be_visible()
    pb.get_by_role("button", name="Don't keep it").click()
    for page in (pa, pb):
        expect(page.get_by_text("Not kept: what you wrote has been erased.")).to_be_visible()
        expect(page.get_by_role("button", name="Keep it", exact=True)).to_have_count(0)
        expect(page.get_by_role("button", name="Don't keep it")).to_have_count(0)
        expect(page.get_by_role("heading", name="Keep this?")).to_have_count(0)
    ana.shot("summary-not-kept-other-phone")
