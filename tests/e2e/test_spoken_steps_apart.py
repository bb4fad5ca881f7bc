"""Two phones apart and a plan with spoken steps (timed turns, aloud cards): the couple chooses in the lobby
how they'll talk, and the steps are typed, or done on the call, as they chose (issue 12, item 8)."""

import re

from playwright.sync_api import expect

from .axe import assert_accessible
from .flows import agree_on, join_session, start_session, turn
from .test_dashboard import laptop  # noqa: F401 (the therapist's laptop page, a fixture)

# Timed turns (one each) and a deck of aloud cards; half a minute a turn and one card keep it short.
PLAN = [("undivided-attention", {"seconds": 30, "draw": 1})]
SPOKEN_WORDS = re.compile(r"Listen to|aloud|Listen\.", re.I)


def apart_with_a_spoken_plan(phone_factory):
    ana, ben = phone_factory("Ana"), phone_factory("Ben")
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, PLAN)
    return ana, ben


def checked(phone, screen):
    """Screenshot and axe-check `screen` from the top of the page (the call strip sticks there)."""
    phone.page.evaluate("() => window.scrollTo(0, 0)")
    assert_accessible(phone, screen)


def assert_no_spoken_words(phone):
    """The exercise screen (but the folded "How this step works", the exercise's own text) asks nobody
    to listen or say anything aloud."""
    said = " ".join(phone.page.locator(".role-card, .step-body, #voice-note").all_inner_texts())
    assert said.strip() and not SPOKEN_WORDS.search(said), f"{phone.label}: {said}"


def test_apart_they_choose_typing_and_the_spoken_steps_run_typed(phones):
    ana, ben = apart_with_a_spoken_plan(phones)
    pa, pb = ana.page, ben.page

    # The lobby asks how they'll talk; the plan cannot start until one of them chooses.
    expect(pb.locator("#voice-choice")).to_contain_text("How will you two talk?")
    expect(pb.locator("#agree-plan")).to_have_count(0)
    expect(pb.locator(".proposal")).to_contain_text("Choose above how you'll talk, then you can agree and start.")
    expect(pb.locator("#voice-status")).to_have_text("Choose one to start.")
    checked(ben, "lobby-voice-asked")
    pb.get_by_label("By typing").check()
    expect(pa.locator("#voice-status")).to_have_text("Ben chose typing.")
    expect(pa.get_by_label("By typing")).to_be_checked()
    checked(ana, "lobby-voice-chosen")
    pb.locator("#agree-plan").click()

    # Timed turns, typed: Ana writes in her turn, Ben reads it as it comes.
    expect(turn(ana)).to_have_text("Your turn: start writing when you're ready")
    expect(turn(ben)).to_have_text("Ana will start writing soon")
    expect(pa.locator("#voice-note")).to_contain_text("You're typing this step")
    pa.get_by_role("button", name=re.compile("^Start my")).click()
    expect(turn(ben)).to_have_text("Read what Ana writes")
    pa.get_by_label("Write what you'd say").fill("Today I finally finished the shelf.")
    pa.get_by_role("button", name="Send", exact=True).click()
    expect(pb.locator("#turn-written")).to_contain_text("Today I finally finished the shelf.")
    expect(pb.locator("#turn-written")).to_contain_text("Ana wrote")
    expect(pa.locator("#turn-written")).to_contain_text("You wrote")
    for phone in (ana, ben):
        assert_no_spoken_words(phone)
    checked(ben, "typed-turn-reading")
    checked(ana, "typed-turn-writing")
    pa.get_by_role("button", name="I'm done — end my turn").click()

    expect(turn(ben)).to_have_text("Your turn: start writing when you're ready")
    pb.get_by_role("button", name=re.compile("^Start my")).click()
    pb.get_by_label("Write what you'd say").fill("I missed you at lunch.")
    pb.get_by_role("button", name="Send", exact=True).click()
    expect(pa.locator("#turn-written")).to_contain_text("I missed you at lunch.")
    pb.get_by_role("button", name="I'm done — end my turn").click()

    # The aloud card comes typed: each writes privately, both are shown together.
    expect(pa.get_by_label("Your private answer")).to_be_visible()
    for phone in (ana, ben):
        assert_no_spoken_words(phone)
    checked(ana, "typed-aloud-card")
    pa.get_by_label("Your private answer").fill("When you made me tea without asking.")
    pa.get_by_role("button", name="Save my answer").click()
    pb.get_by_label("Your private answer").fill("Your note on the fridge.")
    pb.get_by_role("button", name="Save my answer").click()
    expect(pa.locator(".answers")).to_contain_text("Your note on the fridge.")
    for phone in (ana, ben):
        phone.page.get_by_role("button", name="Go on").click()

    # The summary holds what each wrote in their turn and on the card.
    expect(pa.locator(".screen.summary")).to_contain_text("Today I finally finished the shelf.")
    expect(pa.locator(".screen.summary")).to_contain_text("I missed you at lunch.")
    ana.shot("summary-after-typed-spoken-steps")


def test_apart_one_chooses_the_call_and_the_steps_say_so_with_a_way_onto_it(media_phones):
    ana, ben = apart_with_a_spoken_plan(media_phones)
    pa, pb = ana.page, ben.page
    pa.get_by_label("On a call in Attune").check()
    expect(pb.locator("#voice-status")).to_have_text("Ana chose a call in Attune.")
    pb.locator("#agree-plan").click()

    # Neither phone is on the call yet: the step offers it, and says nothing waits for it.
    expect(pb.locator("#voice-note")).to_contain_text("this phone isn't on it yet")
    expect(pb.locator("#voice-note")).to_contain_text("If the call drops, you can still go on.")
    pa.locator("#voice-join").click()
    expect(pa.locator("#call-explain")).to_contain_text("nothing is recorded")
    pa.locator("#call-allow").click()
    expect(pa.locator("#voice-note")).to_have_text("You're doing this step on your call.")

    pa.get_by_role("button", name=re.compile("^Start my")).click()
    expect(turn(ben)).to_have_text("On your call: listen to Ana")
    expect(turn(ana)).to_have_text("On your call: your turn to speak — this time is yours")
    expect(pa.locator("textarea")).to_have_count(0)  # said on the call, nothing to type
    checked(ben, "call-turn-listening-not-on-call")
    checked(ana, "call-turn-speaking")

    # Ben never joined: the plan goes on all the same.
    pa.get_by_role("button", name="I'm done — end my turn").click()
    pb.get_by_role("button", name=re.compile("^Start my")).click()
    expect(turn(ana)).to_have_text("On your call: listen to Ben")
    pb.get_by_role("button", name="I'm done — end my turn").click()

    # The aloud card on the call: one tap once it's said.
    expect(turn(ana)).to_have_text("On your call: your turn to answer aloud")
    expect(turn(ben)).to_have_text("On your call: listen to Ana")
    checked(ana, "call-aloud-card")
    pa.get_by_role("button", name="I answered on the call").click()
    expect(turn(ben)).to_have_text("On your call: your turn to answer aloud")


def test_the_dashboard_shows_what_the_couple_chose_and_starts_only_once_they_have(laptop, phones):  # noqa: F811
    dash = laptop.open("/").page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    code = dash.locator("#room-code").get_attribute("data-code")
    dash.locator("#mode-remote").check()
    dash.locator("#add-undivided-attention").click()
    dash.locator("#plan-set").click()
    ana, ben = phones("Ana"), phones("Ben")
    join_session(ana, "Ana", code)
    join_session(ben, "Ben", code)

    expect(dash.locator("#start-why")).to_contain_text("once the couple has chosen")
    expect(dash.locator("#start-session")).to_be_disabled()
    expect(dash.locator("#dash-voice")).to_contain_text("They haven't chosen yet")
    expect(ben.page.locator("#voice-choice")).to_be_visible()
    checked(ben, "guided-lobby-voice-asked")
    ben.page.get_by_label("By typing").check()
    expect(dash.locator("#dash-voice")).to_have_text("Spoken steps: by typing (Ben chose).")
    expect(dash.locator("#start-session")).to_be_enabled()
    checked(laptop, "dashboard-voice-chosen")
    dash.locator("#start-session").click()
    expect(turn(ana)).to_be_visible()
    expect(dash.locator("#dash-voice")).to_have_text("Spoken steps: by typing (Ben chose).")
    expect(turn(ana)).to_have_text("Your turn: start writing when you're ready")
    checked(laptop, "dashboard-observing-typed-turns")
