"""What the phones remember of a couple (issue 13): across two sessions of the same two phones, the lobby
marks what they have done "Done on" and the rest "New", and "Forget our history" clears it on that phone."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, start_session

pytestmark = pytest.mark.slow

DONE = "turning-towards-daily"
MOVES = ("#b-pass_card-go", "#b-advance-go")


def play_to_the_summary(*phones, within: float = 90):
    """Pass every card and go on, on whichever phone has the move, until both show the summary."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(p.page.locator(".screen.summary").count() for p in phones):
            return
        for phone in phones:
            for move in MOVES:
                button = phone.page.locator(f"{move}:not([disabled])")
                if button.count():
                    try:
                        button.first.click(timeout=2000)
                    except Exception:  # redrawn under the tap: the next round looks again
                        pass
                    break
        phones[0].page.wait_for_timeout(100)
    raise AssertionError("the phones never reached the summary")


def memo(phone, exercise):
    return phone.page.locator(f".memo[data-memo='{exercise}']")


def test_the_second_evening_marks_what_was_done_and_forgetting_clears_one_phone(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    expect(ana.page.locator(".people")).to_contain_text("Ben")
    for phone in (ana, ben):
        expect(memo(phone, DONE)).to_have_text("New")
    expect(ben.page.locator("#forget-history")).to_have_count(0)  # nothing to forget yet

    agree_on(ana, ben, [(DONE, {})])
    ben.page.locator("#agree-plan").click()
    play_to_the_summary(ana, ben)

    # A new room, the same two phones (same browser contexts, so the same storage).
    for phone in (ana, ben):
        phone.open("/")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    expect(ana.page.locator(".people")).to_contain_text("Ben")
    for phone in (ana, ben):
        expect(memo(phone, DONE)).to_have_text(re.compile(r"^Done on \S+ \S+$"))
        expect(memo(phone, "tune-in")).to_have_text("New")
    ana.shot("lobby-with-memory")

    ana.page.locator("#forget-history").click()
    expect(memo(ana, DONE)).to_have_text(re.compile("^Done on"))  # nothing goes before the confirmation
    ana.page.locator("#forget-confirm").click()
    expect(memo(ana, DONE)).to_have_text("New")
    expect(ana.page.locator("#forget-history")).to_have_count(0)
    expect(memo(ben, DONE)).to_have_text(re.compile("^Done on"))  # only that phone forgets
    ana.page.reload()
    expect(memo(ana, DONE)).to_have_text("New")
