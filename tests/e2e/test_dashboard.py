"""A therapist guides a couple from a laptop: plan, start, pause, prompt, swap, advance, notes, export."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS, Phone
from tests.e2e.flows import join_session, role

pytestmark = pytest.mark.slow

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
TABLET = {"width": 768, "height": 1024}
SHARED = "I felt seen when you made me tea this morning."
PROMPT = "Slow down and take one breath together."
NOTE = "NOTE-5 Ben softened after the swap"


@pytest.fixture
def laptop(browser, server, request):
    """A laptop-sized page for the therapist; any console error or page error fails the test."""
    problems: list[str] = []
    context = browser.new_context(**LAPTOP, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda msg: problems.append(f"laptop: console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(f"laptop: uncaught {err}"))
    yield Phone(context, page, "Dr Lee's laptop", request.node.name, server.url)
    context.close()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


def test_a_therapist_guides_a_couple_from_the_dashboard(laptop, phones, tmp_path, redis_client, prefix):
    lee = laptop.open("/")
    dash = lee.page

    # A third way in: a guided session, opened from the moderator seat.
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    expect(dash.get_by_role("heading", name="Prepare the session")).to_be_visible()
    code = dash.locator("#room-code").get_attribute("data-code")
    assert dash.url.endswith(f"/m/{code}"), "the dashboard's address carries no secret"

    # Two links, clearly apart: the therapist's own (secret) and the partners' invite.
    expect(dash.locator(".your-link")).to_contain_text("For you alone — don't share it.")
    expect(dash.locator("#mod-link")).to_have_value(re.compile(rf"/m/{code}#.+"))
    expect(dash.locator("#join-link")).to_have_value(re.compile(rf"/r/{code}$"))
    expect(dash.locator(".invite img.qr")).to_be_visible()

    # The plan: add, reorder, remove, set options, then set it.
    dash.locator("#add-tune-in").click()
    dash.locator("#add-take-the-floor").click()
    dash.locator("#add-name-it").click()
    dash.get_by_role("button", name="Move Take the floor up").click()
    dash.get_by_role("button", name="Remove Name it from the plan").click()
    items = dash.locator("#plan-items > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("1. Take the floor")
    expect(items.nth(1)).to_contain_text("2. Tune in")
    dash.locator("#plan-0-rounds").select_option("1")
    dash.locator("#plan-1-draw").select_option("2")
    dash.locator("#mode-remote").check()
    expect(dash.locator("#mode-remote")).to_be_checked()
    # The laptop reloads before the plan is set: the plan being made is still there.
    dash.reload()
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("1. Take the floor")
    expect(items.nth(1)).to_contain_text("2. Tune in")
    expect(dash.locator("#plan-0-rounds")).to_have_value("1")
    expect(dash.locator("#plan-1-draw")).to_have_value("2")
    dash.locator("#plan-set").click()
    expect(dash.get_by_role("heading", name="The plan", exact=True)).to_be_visible()
    plan = dash.locator("#plan-set-list > li")
    expect(plan.nth(0)).to_contain_text("Take the floor")
    expect(plan.nth(0)).to_contain_text("1 turn each")
    expect(plan.nth(1)).to_contain_text("Tune in")
    expect(plan.nth(1)).to_contain_text("2 cards")
    expect(dash.locator("#start-session")).to_be_disabled()
    expect(dash.locator("#start-why")).to_contain_text("both partners are here (0 of 2)")
    lee.shot("dashboard-before-the-couple")

    # A reload resumes the moderator seat from this browser's storage, and a set plan leaves no draft.
    dash.reload()
    expect(dash.get_by_role("heading", name="The plan", exact=True)).to_be_visible()
    expect(items).to_have_count(0)
    assert dash.evaluate("Object.keys(localStorage).filter(k => k.endsWith(':plan'))") == []
    expect(dash.locator("#mod-link")).to_have_value(re.compile(rf"/m/{code}#.+"))

    # The couple joins: one with the link, one by typing the code.
    ana = phones("Ana", f"/r/{code}")
    ana.page.locator("form[data-action=join]").get_by_label("Your name").fill("Ana")
    ana.page.get_by_role("button", name="Join").click()
    ben = phones("Ben")
    join_session(ben, "Ben", f"{code[:3].lower()} {code[3:].lower()}")
    for phone in (ana, ben):
        expect(phone.page.locator(".mod-badge")).to_contain_text("Dr Lee is with you")
        expect(phone.page.get_by_role("heading", name="Dr Lee's plan for you")).to_be_visible()
        expect(phone.page.locator(".proposal")).to_contain_text("Dr Lee will start the session.")
        # In a guided session the partners never propose a plan of their own.
        expect(phone.page.locator("#propose-plan, #suggest-other, #change-plan, #agree-plan")).to_have_count(0)
    ana.shot("partner-waiting-for-the-guide")

    couple = dash.locator(".couple")
    expect(couple.locator("[data-seat=partner_a]")).to_contain_text("Ana")
    expect(couple.locator("[data-seat=partner_b]")).to_contain_text("Ben")
    expect(dash.locator("#start-session")).to_be_enabled()
    dash.locator("#start-session").click()

    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="Take the floor")).to_be_visible()
    expect(role(ana)).to_have_text("Speaker")
    expect(role(ben)).to_have_text("Listener")
    expect(dash.get_by_role("heading", name="Guiding Ana and Ben")).to_be_visible()
    expect(dash.locator("#where-step")).to_contain_text("(1 of 1)")
    expect(couple.locator("[data-seat=partner_a]")).to_contain_text("Speaker")
    expect(couple.locator("[data-seat=partner_a]")).to_contain_text("their move")

    # What a partner sends appears on the dashboard as it is sent.
    ana.page.get_by_label("What you want to say").fill(SHARED)
    ana.page.get_by_role("button", name="Send to Ben").click()
    expect(dash.locator(".live")).to_contain_text(SHARED)
    expect(dash.locator("#shared-feed")).to_contain_text(SHARED)
    expect(ben.page.get_by_role("button", name="Send my paraphrase")).to_be_visible()

    # Pause: both phones show it and nobody can act; resume gives the turn back.
    dash.get_by_role("button", name="Pause for both").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="Paused", exact=True)).to_be_visible()
        expect(phone.page.locator(".pause")).to_contain_text("Dr Lee paused the session")
        expect(phone.page.locator(".step-body")).to_have_count(0)
        expect(phone.page.locator("form.turn-form, #ready")).to_have_count(0)
        expect(phone.page.locator("#timeout")).to_be_disabled()
    expect(dash.locator("#where-now")).to_have_text("Paused by you.")
    ben.shot("paused-by-the-guide")
    dash.get_by_role("button", name="Resume").click()
    expect(ben.page.get_by_role("button", name="Send my paraphrase")).to_be_visible()
    expect(ana.page.locator(".pause")).to_have_count(0)

    # A prompt reaches both phones; dismissing it on one leaves it on the other.
    dash.locator("#prompt-text").fill(PROMPT)
    dash.get_by_role("button", name="Send the prompt").click()
    for phone in (ana, ben):
        expect(phone.page.locator("#from-guide")).to_contain_text("From Dr Lee:")
        expect(phone.page.locator("#from-guide")).to_contain_text(PROMPT)
    expect(dash.locator("#prompt-text")).to_have_value("")
    ana.shot("prompt-from-the-guide")
    ana.page.get_by_role("button", name="Got it").click()
    expect(ana.page.locator("#from-guide")).to_have_count(0)
    expect(ben.page.locator("#from-guide")).to_contain_text(PROMPT)

    # Swap roles: the Listener's phone now says Speaker.
    dash.get_by_role("button", name="Swap roles").click()
    expect(role(ben)).to_have_text("Speaker")
    expect(role(ana)).to_have_text("Listener")
    expect(couple.locator("[data-seat=partner_b]")).to_contain_text("Speaker")

    # Advance: both phones move on to the next exercise.
    dash.get_by_role("button", name="Next step →").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="Tune in")).to_be_visible()
        expect(phone.page.locator(".eyebrow").first).to_contain_text("Exercise 2 of 2")
    expect(dash.locator(".live .card-count")).to_have_text("Card 1 of 2")

    # A private note: on the dashboard, never on either phone.
    dash.locator("#note-text").fill(NOTE)
    dash.get_by_role("button", name="Add note").click()
    expect(dash.locator("#notes-list")).to_contain_text(NOTE)
    expect(dash.locator("#note-text")).to_have_value("")
    for phone in (ana, ben):
        expect(phone.page.locator("body")).not_to_contain_text("NOTE-5")
        assert "NOTE-5" not in phone.page.content()

    # The timeline says who did what, never what anyone wrote.
    events = dash.locator("#timeline-list")
    for line in ("You paused", "You resumed", "You sent a prompt", "You swapped roles", "You moved on a step",
                 "You added a private note", "Ana shared a piece", "Ben joined"):
        expect(events).to_contain_text(line)
    expect(events).not_to_contain_text(SHARED)
    expect(events).not_to_contain_text(PROMPT)
    lee.shot("dashboard-during-the-session")

    # Export: the moderator's record holds the timeline and the note.
    with dash.expect_download() as md:
        dash.locator("#export-md").click()
    assert md.value.suggested_filename == f"attune-{code}-record.md"
    md_path = tmp_path / "record.md"
    md.value.save_as(md_path)
    markdown = md_path.read_text(encoding="utf-8")
    assert "## Timeline" in markdown and "Dr Lee: swapped roles" in markdown and "Dr Lee: sent a prompt" in markdown
    assert "## Private notes" in markdown and NOTE in markdown
    with dash.expect_download() as js:
        dash.locator("#export-json").click()
    json_path = tmp_path / "record.json"
    js.value.save_as(json_path)
    record = json.loads(json_path.read_text(encoding="utf-8"))
    assert [n["text"] for n in record["notes"]] == [NOTE]
    assert any(t["event"] == "swap_roles" and t["what"] == "swapped roles" for t in record["timeline"])
    assert SHARED not in json.dumps(record), "the partners did not both keep their words"

    # Still usable on a tablet.
    dash.set_viewport_size(TABLET)
    expect(dash.get_by_role("button", name="Swap roles")).to_be_visible()
    lee.shot("dashboard-on-a-tablet")
    dash.set_viewport_size(LAPTOP["viewport"])

    # Ending the exercises asks first, then sends both phones to the summary.
    dash.get_by_role("button", name="End the exercises…").click()
    expect(dash.get_by_role("dialog")).to_contain_text("End the exercises now?")
    dash.get_by_role("button", name="Keep going").click()
    expect(dash.get_by_role("dialog")).to_have_count(0)
    expect(ana.page.get_by_role("heading", name="Tune in")).to_be_visible()
    dash.get_by_role("button", name="End the exercises…").click()
    dash.locator("#end-session-confirm").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="What you shared")).to_be_visible()
        expect(phone.page.locator(".mod-badge")).to_contain_text("Dr Lee is with you")
    expect(dash.get_by_role("heading", name="The exercises are over")).to_be_visible()
    lee.shot("dashboard-after-the-exercises")

    # Having exported, the therapist erases the session: it ends on every screen.
    assert redis_client.keys(f"{prefix}:{{{code}}}:*")
    dash.get_by_role("button", name="End and erase…").click()
    dialog = dash.get_by_role("dialog", name="End and erase?")
    expect(dialog).to_contain_text("your notes and the timeline")
    lee.shot("dashboard-end-and-erase")
    dialog.get_by_role("button", name="End and erase").click()
    expect(dash.get_by_role("heading", name="The session has ended")).to_be_visible()
    expect(dash.get_by_text("your notes and its timeline have been erased")).to_be_visible()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="The session has ended")).to_be_visible()
        expect(phone.page.get_by_text("Everything you shared in it has been erased")).to_be_visible()
    assert redis_client.keys(f"{prefix}:{{{code}}}:*") == []
    assert dash.evaluate("Object.keys(localStorage).filter(k => k.startsWith('attune:seat:'))") == []


def test_a_partner_cannot_use_a_moderator_control(laptop, phones):
    """The server refuses; the phone says so in words, not a code."""
    dash = laptop.open("/").page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    code = dash.locator("#room-code").get_attribute("data-code")
    ana = phones("Ana")
    join_session(ana, "Ana", code)
    expect(ana.page.locator(".mod-badge")).to_contain_text("Dr Lee is with you")
    # No partner screen offers it; send it as the page's own code would.
    ana.page.evaluate("""() => {
      const b = document.createElement('button');
      b.id = 'forged'; b.dataset.action = 'intent'; b.dataset.type = 'add_note';
      b.dataset.fields = JSON.stringify({text: 'x'}); b.textContent = 'forged';
      document.body.appendChild(b);  // outside #app, which redraws
    }""")
    # Dispatched, not clicked: appended below the lobby, the button can end up
    # under the sticky footer (it did once a therapist's code grew to 10
    # characters), which would take the click.
    ana.page.locator("#forged").dispatch_event("click")
    expect(ana.page.get_by_role("alert")).to_contain_text("That isn't something you can do from this phone.")


def test_the_therapist_lengthens_and_shortens_a_running_turn_on_both_phones(laptop, phones):
    dash = laptop.open("/").page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    code = dash.locator("#room-code").get_attribute("data-code")
    dash.locator("#add-undivided-attention").click()
    dash.locator("#plan-0-seconds").select_option("60")
    dash.locator("#plan-set").click()
    ana, ben = phones("Ana"), phones("Ben")
    join_session(ana, "Ana", code)
    join_session(ben, "Ben", code)
    expect(dash.locator("#start-session")).to_be_enabled()
    dash.locator("#start-session").click()

    ana.page.get_by_role("button", name="Start my 1:00").click()
    one_minute = re.compile(r"^0:[0-5]\d$|^1:00$")
    for timer in (ana.page.get_by_role("timer"), ben.page.get_by_role("timer"), dash.locator("#dash-timer")):
        expect(timer).to_have_text(one_minute)

    # +60 s: every screen counts down from about two minutes.
    dash.locator("#ctl-timer-plus60").click()
    for timer in (ana.page.get_by_role("timer"), ben.page.get_by_role("timer"), dash.locator("#dash-timer")):
        expect(timer).to_have_text(re.compile(r"^1:[0-5]\d$|^2:00$"))
    # −30 s twice: back under a minute.
    dash.locator("#ctl-timer-minus30").click()
    expect(ana.page.get_by_role("timer")).to_have_text(re.compile(r"^1:[0-2]\d$|^1:30$"))
    dash.locator("#ctl-timer-minus30").click()
    for timer in (ana.page.get_by_role("timer"), ben.page.get_by_role("timer"), dash.locator("#dash-timer")):
        expect(timer).to_have_text(one_minute)
    changes = dash.locator("#timeline-list [data-type=adjust_timer]")
    expect(changes).to_have_count(3)
    expect(changes.first).to_contain_text("You changed the timer by −30 s")
    expect(changes.last).to_contain_text("You changed the timer by +60 s")
