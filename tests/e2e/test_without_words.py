"""At phone size, in the same room: a timed gaze both start together, then mirroring, each with a Stop for either."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, role, start_session, turn

pytestmark = pytest.mark.slow


def tap(phone, name):
    phone.page.get_by_role("button", name=name, exact=True).click()


def test_a_gaze_and_mirroring_start_when_both_are_ready_and_either_can_stop(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("eyes-and-mirrors", {"together_seconds": 60})])
    expect(ben.page.locator(".plan-list")).to_contain_text("1 min together")
    tap(ben, "Agree and start")

    # The gaze: nobody's clock runs until both are ready; the phones then count down to the server's deadline.
    expect(ana.page.locator(".step-title")).to_have_text("Eyes only")
    expect(turn(ana)).to_have_text("Your turn: say when you're ready")
    expect(ana.page.locator(".timer")).to_have_text("1:00")
    tap(ana, "I'm ready")
    expect(turn(ana)).to_have_text("Waiting for Ben to be ready")
    expect(ben.page.locator(".step-body")).to_contain_text("Ana is ready.")
    tap(ben, "I'm ready")
    for phone in (ana, ben):
        expect(phone.page.get_by_role("timer")).to_have_text(re.compile(r"^0:[0-5]\d$|^1:00$"))
        expect(turn(phone)).to_have_text("Stay with each other, without words")
        expect(phone.page.get_by_role("button", name="Stop", exact=True)).to_be_visible()
    ana.shot("gaze-running")

    # Ben stops early: the next step opens at once, with no question about the gaze.
    tap(ben, "Stop")
    expect(ana.page.locator(".step-title")).to_have_text("Mirror me")
    expect(role(ana)).to_have_text("Leader")
    expect(role(ben)).to_have_text("Mirror")
    ben.shot("mirror-ready")
    tap(ana, "Stop")
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="What you shared")).to_be_visible()
