"""The other step kinds in the same room: an Imago dialogue, timed turns, cards answered aloud."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, role, start_session, turn

pytestmark = pytest.mark.slow


def tap(phone, name):
    phone.page.get_by_role("button", name=name, exact=True).click()


def test_an_imago_dialogue_and_timed_turns_tell_each_phone_its_role_and_its_one_move(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("imago-dialogue", {"switches": 0}), ("undivided-attention", {"seconds": 60, "draw": 1})])
    expect(ben.page.locator(".plan-list")).to_contain_text("no switch")
    tap(ben, "Agree and start")

    # Imago: Ana sends, Ben receives; every move is said aloud and marked with a tap.
    expect(role(ana)).to_have_text("Sender")
    expect(role(ben)).to_have_text("Receiver")
    expect(turn(ana)).to_have_text("Your turn: ask Ben for a dialogue")
    expect(turn(ben)).to_have_text("Ana will ask you for a dialogue")
    tap(ana, "Ask for a dialogue")
    expect(turn(ben)).to_have_text("Your turn: Ana asks for a dialogue — is now good?")
    ben.shot("imago-receiver-appointment")
    tap(ben, "Now is good")
    moves = [
        (ana, "Your turn: send your message", "I said it aloud"),
        (ben, "Your turn: mirror what Ana said", "I mirrored it aloud"),
        (ana, "Your turn: did Ben get it?", "Yes, you got it"),
        (ana, "Your turn: is there more?", "That's all"),
        (ben, "Your turn: sum up all that Ana said", "I summed it up aloud"),
        (ana, "Your turn: is that a fair summary?", "That's fair"),
        (ben, "Your turn: tell Ana how it makes sense", "I said it aloud"),
        (ben, "Your turn: imagine how Ana might feel", "I said it aloud"),
        (ana, "Your turn: is that how you feel?", "Yes, that's how I feel"),
        (ana, "Your turn: close the dialogue", "Finish the dialogue"),
    ]
    for phone, line, button in moves:
        expect(turn(phone)).to_have_text(line)
        if button == "That's all":
            phone.shot("imago-sender-is-there-more")
        tap(phone, button)

    # Its closing check-in, one word each.
    expect(ana.page.locator(".step-title")).to_have_text("How are you now?")
    for phone, family, word in ((ana, "Calm", "relieved"), (ben, "Tenderness", "close")):
        tap(phone, family)
        tap(phone, word)
        tap(phone, "Share my words")
    for phone in (ana, ben):
        expect(phone.page.locator(".answers")).to_contain_text("relieved")
        tap(phone, "Go on")

    # Timed turns: Ben speaks first in the second exercise; the phones count down to the server's deadline.
    expect(ana.page.get_by_role("heading", name="Undivided attention")).to_be_visible()
    expect(role(ben)).to_have_text("Speaker")
    expect(turn(ben)).to_have_text("Your turn: start speaking when you're ready")
    tap(ben, "Start my 1:00")
    for phone in (ana, ben):
        expect(phone.page.get_by_role("timer")).to_have_text(re.compile(r"^[01]:\d\d$"))
    expect(turn(ana)).to_have_text("Listen to Ben")
    ana.shot("timed-turn-listener")
    tap(ben, "I'm done — end my turn")
    expect(turn(ana)).to_have_text("Your turn: start speaking when you're ready")
    tap(ana, "Start my 1:00")
    tap(ana, "I'm done — end my turn")

    # One card answered aloud, Ben first as in the rest of this exercise.
    expect(ana.page.locator(".card-text")).to_be_visible()
    expect(role(ben)).to_have_text("Answerer")
    expect(turn(ana)).to_have_text("Ben is answering. Listen.")
    tap(ben, "I answered aloud")
    expect(role(ana)).to_have_text("Answerer")
    tap(ana, "I answered aloud")
    for phone in (ana, ben):
        tap(phone, "Go on")

    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="What you shared")).to_be_visible()
    tap(ana, "Don't keep it")
    expect(ana.page.get_by_text("Not kept: what you wrote has been erased.")).to_be_visible()
    expect(ben.page.get_by_text("Not kept: what you wrote has been erased.")).to_be_visible()
    ben.shot("summary-not-kept")
