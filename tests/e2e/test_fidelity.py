"""The steps do what the techniques ask, on two phones: a listener asks for an example before
paraphrasing and a share stays short (PREP); the Imago receiver asks to switch; one tap passes the
rest of a set of questions."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, pick, role, start_session, turn

pytestmark = pytest.mark.slow


def tap(phone, name):
    phone.page.get_by_role("button", name=name, exact=True).click()


def couple(phones, picks, apart=True):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=apart)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, picks)
    tap(ben, "Agree and start")
    return ana, ben


def test_the_listener_asks_for_an_example_before_paraphrasing_and_a_long_share_is_nudged(phones):
    ana, ben = couple(phones, [("take-the-floor", {"rounds": 1})])
    expect(role(ana)).to_have_text("Speaker")
    box = ana.page.get_by_label("What you want to say")
    expect(box).to_have_attribute("maxlength", "500")
    expect(ana.page.locator(".turn-form")).to_contain_text("up to 500 characters")
    nudge = ana.page.locator(".nudge")
    box.fill("I felt alone on Sunday. I missed you. I wanted to talk.")
    expect(nudge).to_have_text("")
    box.press_sequentially(" And I didn't say so.")
    expect(nudge).to_contain_text("more than three sentences")
    ana.shot("sl-speaker-nudged")
    box.fill("I felt alone on Sunday evening.")
    expect(nudge).to_have_text("")
    tap(ana, "Send to Ben")

    expect(turn(ben)).to_have_text("Your turn: paraphrase what Ana said")
    ben.shot("sl-listener-may-ask")
    tap(ben, "Ask for an example")
    expect(turn(ana)).to_have_text("Your turn: Ben asked you for an example")
    expect(turn(ben)).to_have_text("Ana is answering your question")
    ana.page.get_by_label("Your example").fill("You were on your phone while I talked about work.")
    tap(ana, "Send to Ben")

    expect(turn(ben)).to_have_text("Your turn: paraphrase what Ana said")
    expect(ben.page.locator("figure.quote").filter(has_text="Ana gave an example")).to_contain_text(
        "You were on your phone while I talked about work.")
    ben.page.get_by_label("What you heard Ana say").fill("You felt alone when I was on my phone.")
    tap(ben, "Send my paraphrase")
    expect(turn(ana)).to_have_text("Your turn: did Ben get it?")


def test_the_speaker_passes_the_floor_before_anything_is_heard_back(phones):
    ana, ben = couple(phones, [("take-the-floor", {"rounds": 1})], apart=False)
    tap(ana, "I said it aloud")
    expect(turn(ben)).to_have_text("Your turn: paraphrase what Ana said")
    # The floor is Ana's to give at any moment, not only after "that's it".
    tap(ana, "Pass the floor to Ben now")
    expect(role(ben)).to_have_text("Speaker")
    expect(turn(ben)).to_have_text("Your turn: share one small piece")
    expect(turn(ana)).to_have_text("Ben is sharing. Just listen.")


def test_the_receiver_names_a_later_time_asks_to_understand_and_asks_to_switch_at_the_close(phones):
    ana, ben = couple(phones, [("imago-dialogue", {"switches": 1})], apart=False)
    tap(ana, "Ask for a dialogue")
    tap(ben, "Later, please")
    tap(ben, "In an hour")
    for phone in (ana, ben):
        expect(turn(phone)).to_contain_text(re.compile(r"later at \d{1,2}:\d\d"))
    ana.shot("imago-later-with-a-time")
    tap(ben, "Now is good")
    moves = [
        (ana, "Your turn: send your message", "I said it aloud"),
        (ben, "Your turn: mirror what Ana said", "I mirrored it aloud"),
        (ana, "Your turn: did Ben get it?", "Yes, you got it"),
        (ana, "Your turn: is there more?", "That's all"),
        (ben, "Your turn: sum up all that Ana said", "I summed it up aloud"),
        (ana, "Your turn: is that a fair summary?", "That's fair"),
        (ben, "Your turn: tell Ana how it makes sense", "I asked “help me understand” aloud"),
        (ana, "Your turn: help Ben understand", "I explained it aloud"),
        (ben, "Your turn: tell Ana how it makes sense", "I said it aloud"),
        (ben, "Your turn: imagine how Ana might feel", "I said it aloud"),
        (ana, "Your turn: is that how you feel?", "Yes, that's how I feel"),
    ]
    for phone, line, button in moves:
        expect(turn(phone)).to_have_text(line)
        tap(phone, button)

    # At the close the receiver, not only the sender, may ask for a turn to send.
    expect(turn(ben)).to_have_text("Your turn: switch roles, or say you're finished")
    ben.shot("imago-receiver-asks-to-switch")
    tap(ben, "Ask to switch roles")
    expect(role(ben)).to_have_text("Sender")
    expect(role(ana)).to_have_text("Receiver")
    expect(turn(ben)).to_have_text("Your turn: ask Ana for a dialogue")


def test_one_tap_passes_the_rest_of_a_set_and_gentle_only_says_which_sets_it_leaves_out(phones):
    ana, ben = phones("Ana"), phones("Ben")
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    expect(ana.page.locator(".people")).to_contain_text("Ben")
    pick(ana, "closeness-36")
    depth = ana.page.locator("#opt-closeness-36-depth")
    expect(depth.locator("option[value='1']")).to_have_text("Gentle only — leaves out Set 2 of 3 and Set 3 of 3")
    expect(depth.locator("option[value='2']")).to_have_text("Up to deeper — leaves out Set 3 of 3")
    expect(depth.locator("option[value='3']")).to_have_text("All depths")
    ana.page.locator("#opt-closeness-36-clock_minutes").select_option("15")
    ana.shot("plan-gentle-only-says-what-it-leaves-out")
    ana.page.locator("#propose-plan").click()
    tap(ben, "Agree and start")

    expect(ana.page.locator(".step-title")).to_have_text("Set 1 of 3")
    for phone in (ana, ben):
        expect(phone.page.locator(".deck-clock [role=timer]")).to_have_text(re.compile(r"^1[45]:\d\d$"))
    ana.shot("cards-deck-clock")
    # Ben is listening to Ana's first answer; one tap still passes the rest of the set for both.
    expect(turn(ben)).to_have_text("Ana is answering. Listen.")
    tap(ben, "Pass the rest of these cards (12 left)")
    for phone in (ana, ben):
        expect(phone.page.locator(".step-title")).to_have_text("Set 2 of 3")
        expect(phone.page.locator(".card-count")).to_have_text("Card 1 of 12")
