"""On the therapist's laptop, a couple in one room: a brainstorm, a look back and a moment together, followed live."""

import pytest
from playwright.sync_api import expect

from tests.support import Phone as SocketPhone

pytestmark = pytest.mark.slow

LAPTOP = {"viewport": {"width": 1280, "height": 800}}


def ok(reply):
    assert reply["ok"], reply
    return reply


def test_the_dashboard_follows_the_new_step_kinds_live(phones, server):
    lee = phones("Dr Lee", "/", size=LAPTOP)
    dash = lee.page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    expect(dash.get_by_role("heading", name="Prepare the session")).to_be_visible()
    code = dash.locator("#room-code").get_attribute("data-code")
    ana, ben = SocketPhone(server.url).connect(), SocketPhone(server.url).connect()
    try:
        for phone, name in ((ana, "Ana"), (ben, "Ben")):
            ok(phone.call("join_room", {"code": code, "name": name}))
        ok(ana.intent("offer_promises", promises=[{"text": "PROMISE-WALKS", "made_on": "2026-11-24"}]))
        for exercise in ("a-real-disagreement", "trust-small-promises", "eyes-and-mirrors"):
            dash.locator(f"#add-{exercise}").click()
        dash.locator("#plan-set").click()
        expect(dash.locator("#start-session")).to_be_enabled()
        dash.locator("#start-session").click()
        for _ in range(2):
            dash.get_by_role("button", name="Next step →").click()
        expect(dash.locator("#where-step")).to_contain_text("Solve it together")

        # The brainstorm: the issue, each idea and the proposal show live, and "Now" says which part it is in.
        ana.wait_view(lambda v: "propose_issue" in v["can"])
        ok(ana.intent("propose_issue", text="ISSUE-EVENINGS"))
        ben.wait_view(lambda v: "agree_issue" in v["can"])
        ok(ben.intent("agree_issue"))
        ben.wait_view(lambda v: "add_idea" in v["can"])
        ok(ben.intent("add_idea", text="IDEA-ONE-NIGHT-OFF"))
        expect(dash.locator("#where-now")).to_contain_text("Brainstorming ideas, no judging yet.")
        expect(dash.locator(".live")).to_contain_text("ISSUE-EVENINGS")
        expect(dash.locator(".live")).to_contain_text("IDEA-ONE-NIGHT-OFF")
        lee.shot("dashboard-brainstorm")
        ok(ana.intent("ideas_done"))
        ok(ben.intent("ideas_done"))
        ana.wait_view(lambda v: "propose_try" in v["can"])
        ok(ana.intent("propose_try", ideas=[1], check_back="next_checkin"))
        expect(dash.locator(".live")).to_contain_text("check back at your next weekly check-in")
        ben.wait_view(lambda v: "agree_try" in v["can"])
        ok(ben.intent("agree_try"))

        # The look back opens the next exercise with the promise Ana's phone brought.
        expect(dash.locator("#where-step")).to_contain_text("Last time's promises")
        expect(dash.locator("#where-now")).to_contain_text("Looking back at 1 promise from last time.")
        expect(dash.locator(".live")).to_contain_text("PROMISE-WALKS (Ana)")
        ok(ben.intent("mark_promise", promise=1, mark="kept"))
        expect(dash.locator(".live")).to_contain_text("PROMISE-WALKS (Ana) — kept")
        lee.shot("dashboard-look-back")
        dash.get_by_role("button", name="Skip this exercise").click()

        # The moment together, in one room: its clock shows once both are ready; a Stop moves on to mirroring.
        expect(dash.locator("#where-step")).to_contain_text("Eyes only")
        expect(dash.locator("#where-now")).to_contain_text("Getting ready for a quiet moment together.")
        for phone in (ana, ben):
            phone.wait_view(lambda v: "together_ready" in v["can"])
            ok(phone.intent("together_ready"))
        expect(dash.locator("#where-now")).to_contain_text("A quiet moment together, without words.")
        expect(dash.locator("#dash-timer")).to_be_visible()
        ok(ben.intent("together_stop"))
        expect(dash.locator("#where-step")).to_contain_text("Mirror me")
        expect(dash.locator("[data-seat=partner_a]")).to_contain_text("Leader")
        expect(dash.locator("[data-seat=partner_b]")).to_contain_text("Mirror")
        lee.shot("dashboard-mirroring")
    finally:
        ana.disconnect()
        ben.disconnect()
