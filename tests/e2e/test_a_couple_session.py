"""Two phones, one session, from the first tap to "end and erase"."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import agree_on, join_session, role, start_session, turn

pytestmark = pytest.mark.slow


def speaker_listener_floor(speaker, listener, s_name, l_name, share, paraphrase, *, shots=None,
                           clarify=None, second_paraphrase=None, last=False):
    """One partner holds the floor: share, paraphrase, (not quite, clarify, paraphrase again,) that's it, pass."""
    ps, pl = speaker.page, listener.page
    expect(role(speaker)).to_have_text("Speaker")
    expect(role(listener)).to_have_text("Listener")
    expect(turn(speaker)).to_have_text("Your turn: share one small piece")
    expect(turn(listener)).to_have_text(f"{s_name} is sharing. Just listen.")
    ps.get_by_label("What you want to say").fill(share)
    if shots:
        speaker.shot(f"{shots}-speaker-share")
        listener.shot(f"{shots}-listener-waits")
    ps.get_by_role("button", name=f"Send to {l_name}").click()

    expect(turn(listener)).to_have_text(f"Your turn: paraphrase what {s_name} said")
    expect(pl.locator(".quote").first).to_contain_text(share)
    pl.get_by_label(f"What you heard {s_name} say").fill(paraphrase)
    if shots:
        listener.shot(f"{shots}-listener-paraphrase")
    pl.get_by_role("button", name="Send my paraphrase").click()

    expect(turn(speaker)).to_have_text(f"Your turn: did {l_name} get it?")
    expect(ps.get_by_text(paraphrase)).to_be_visible()
    if clarify:
        if shots:
            speaker.shot(f"{shots}-speaker-check")
        ps.get_by_role("button", name="Not quite").click()
        ps.get_by_label("What you meant").fill(clarify)
        ps.get_by_role("button", name="Send my clarification").click()
        expect(turn(listener)).to_have_text(f"Your turn: paraphrase what {s_name} said")
        expect(pl.get_by_text(clarify)).to_be_visible()
        if shots:
            listener.shot(f"{shots}-listener-after-clarification")
        pl.get_by_label(f"What you heard {s_name} say").fill(second_paraphrase)
        pl.get_by_role("button", name="Send my paraphrase").click()
        expect(ps.get_by_text(second_paraphrase)).to_be_visible()
    ps.get_by_role("button", name="That's it").click()

    expect(turn(speaker)).to_have_text("Your turn: say more, or pass the floor")
    ps.get_by_role("button", name="I'm done — finish" if last else f"Pass the floor to {l_name}").click()


def test_a_couple_agrees_on_a_plan_and_goes_through_reflection_cards_and_a_check_in(phones):
    ana = phones("Ana")
    ben = phones("Ben", dark=True)
    pa, pb = ana.page, ben.page
    ana.shot("home")

    code = start_session(ana, "Ana", apart=True)
    ana.shot("lobby-invite")
    expect(pa.locator("img.qr")).to_have_attribute("src", f"/r/{code}/qr.svg")
    assert pa.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(pa.locator("#join-link")).to_have_value(f"{ana.base_url}/r/{code}")
    ana.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ana.base_url)
    pa.get_by_role("button", name="Copy").click()
    expect(pa.get_by_role("button", name="Copied")).to_be_visible()
    assert pa.evaluate("navigator.clipboard.readText()") == f"{ana.base_url}/r/{code}"

    # Ben types the code as it is read aloud: lower case, with the space.
    join_session(ben, "Ben", f"{code[:3].lower()} {code[3:].lower()}")
    expect(pb.locator(".people")).to_contain_text("Ana")
    expect(pa.locator(".person[data-seat=partner_b]")).to_contain_text("here")

    agree_on(ana, ben, [("take-the-floor", {"rounds": 1}), ("look-inward-first", {}), ("name-it", {"draw": 1})])
    ana.shot("lobby-plan-suggested")
    ben.shot("lobby-plan-to-agree")
    expect(pb.locator(".plan-list li")).to_have_count(3)
    # Apart, with an aloud deck in the plan: they'll type it.
    pb.get_by_label("By typing").check()
    pb.get_by_role("button", name="Agree and start").click()

    # 1. Take the floor: Ana holds the floor first, with one "not quite"; then Ben.
    expect(pa.get_by_role("heading", name="Take the floor")).to_be_visible()
    expect(pb.get_by_role("heading", name="Take the floor")).to_be_visible()
    speaker_listener_floor(ana, ben, "Ana", "Ben",
                           "I felt calm on our walk today.", "You felt relaxed on the walk.",
                           clarify="Calm, and also close to you.",
                           second_paraphrase="You felt calm and close to me.", shots="floor")
    speaker_listener_floor(ben, ana, "Ben", "Ana", "I liked cooking together.",
                           "You enjoyed making dinner with me.", last=True)

    # 2. Look inward first: a private answer on each phone, then the reveal.
    expect(pa.get_by_role("heading", name="Look inward first")).to_be_visible()
    expect(pa.locator(".card-text")).to_be_visible()
    card = pa.locator(".card-text").inner_text()
    expect(pb.locator(".card-text")).to_have_text(card)
    expect(turn(ana)).to_have_text("Your turn: write your private answer")
    pa.get_by_label("Your private answer").fill("Ana's secret: more quiet mornings.")
    ana.shot("card-private-answer")
    pa.get_by_role("button", name="Save my answer").click()
    expect(pb.locator(".statuses")).to_contain_text("Ana has answered")
    expect(pb.get_by_text("Ana's secret")).to_have_count(0)
    ben.shot("card-partner-has-answered")
    expect(turn(ana)).to_contain_text("Waiting for Ben to answer")
    pb.get_by_label("Your private answer").fill("Ben's secret: more time outdoors.")
    pb.get_by_role("button", name="Save my answer").click()
    for phone in (ana, ben):
        answers = phone.page.locator(".answers")
        expect(answers).to_contain_text("Ana's secret: more quiet mornings.")
        expect(answers).to_contain_text("Ben's secret: more time outdoors.")
    ana.shot("card-revealed")
    pa.get_by_role("button", name="Go on").click()
    expect(turn(ana)).to_have_text("Waiting for Ben to go on")
    pb.get_by_role("button", name="Go on").click()

    # ... and its sharing step: Ben holds the floor first in the second exercise.
    expect(pa.locator(".step-title")).to_have_text("Sharing what you found")
    speaker_listener_floor(ben, ana, "Ben", "Ana", "I wrote about the outdoors.", "You want more time outside.")
    speaker_listener_floor(ana, ben, "Ana", "Ben", "I wrote about mornings.", "You'd like slower mornings.", last=True)

    # 3. Name it: a check-in with feelings from families, revealed together.
    expect(pa.get_by_role("heading", name="Name it")).to_be_visible()
    expect(role(ana)).to_have_text("Together")
    expect(turn(ana)).to_have_text("Your turn: name what you feel")
    pa.get_by_role("button", name="Calm", exact=True).click()
    pa.get_by_role("button", name="relaxed", exact=True).click()
    pa.get_by_role("button", name="relaxed: 4 of 5, strongly").click()
    pa.get_by_role("button", name="Joy", exact=True).click()
    pa.get_by_role("button", name="grateful", exact=True).click()
    pa.get_by_label("Anything to add? (optional)").fill("Glad we made time.")
    ana.shot("checkin-picking")
    pa.get_by_role("button", name="Share my words").click()
    expect(pb.locator(".statuses")).to_contain_text("Ana has checked in")
    expect(pb.get_by_text("relaxed")).to_have_count(0)
    pb.get_by_role("button", name="Tiredness").click()
    pb.get_by_role("button", name="tired", exact=True).click()
    ben.shot("checkin-one-word")
    pb.get_by_role("button", name="Share my words").click()
    for phone in (ana, ben):
        revealed = phone.page.locator(".answers")
        expect(revealed).to_contain_text("relaxed")
        expect(revealed).to_contain_text("4 of 5")
        expect(revealed).to_contain_text("Glad we made time.")
        expect(revealed).to_contain_text("tired")
    ben.shot("checkin-revealed")
    pa.get_by_role("button", name="Go on").click()
    pb.get_by_role("button", name="Go on").click()

    # ... the aloud card (one, by the plan's option), typed as they chose: each writes, both shown together ...
    expect(pa.locator(".step-title")).to_have_text("Looking closer")
    expect(role(ana)).to_have_text("Together")
    pa.get_by_label("Your private answer").fill("In my shoulders.")
    pa.get_by_role("button", name="Save my answer").click()
    expect(pb.locator(".statuses")).to_contain_text("Ana has answered")
    pb.get_by_label("Your private answer").fill("In my chest.")
    pb.get_by_role("button", name="Save my answer").click()
    expect(pb.get_by_text("In my shoulders.")).to_be_visible()
    expect(pa.get_by_text("In my chest.")).to_be_visible()
    pa.get_by_role("button", name="Go on").click()
    pb.get_by_role("button", name="Go on").click()

    # ... and the closing check-in.
    expect(pa.locator(".step-title")).to_have_text("After naming")
    for phone, family, word in ((ana, "Calm", "peaceful"), (ben, "Tenderness", "warm")):
        phone.page.get_by_role("button", name=family).click()
        phone.page.get_by_role("button", name=word, exact=True).click()
        phone.page.get_by_role("button", name="Share my words").click()
    for phone in (ana, ben):
        expect(phone.page.locator(".answers")).to_contain_text("peaceful")
        phone.page.get_by_role("button", name="Go on").click()

    # The summary: both keep it, Ana saves it, then ends and erases.
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="What you shared")).to_be_visible()
    expect(pa.locator(".entries").first).to_contain_text("I felt calm on our walk today.")
    ana.shot("summary")
    pa.get_by_role("button", name="Keep it", exact=True).click()
    expect(pa.locator(".waiting")).to_contain_text("Waiting for Ben")
    pb.get_by_role("button", name="Keep it", exact=True).click()
    with pa.expect_download() as md:
        pa.get_by_role("button", name="Save as text (.md)").click()
    text = open(md.value.path(), encoding="utf-8").read()
    assert md.value.suggested_filename == f"attune-{code}.md"
    assert "I felt calm on our walk today." in text and "Ben" in text
    with pa.expect_download() as js:
        pa.get_by_role("button", name="Save for an app (.json)").click()
    data = json.loads(open(js.value.path(), encoding="utf-8").read())
    assert data["room"] == code and data["partners"] == {"partner_a": "Ana", "partner_b": "Ben"}
    ana.shot("summary-kept")

    pa.get_by_role("button", name="End and erase").click()
    dialog = pa.get_by_role("dialog", name="End and erase?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("everything either of you wrote and the summary. Nothing is kept on the server; "
                                   "each phone remembers only which exercises and cards you did")
    ana.shot("end-confirm")
    dialog.get_by_role("button", name="End and erase").click()
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="The session has ended")).to_be_visible()
    ben.shot("ended")
    # The room's seat and drafts go; what the couple has done (ids and days, docs/client.md) stays
    # until "Forget our history".
    assert pb.evaluate("Object.keys(localStorage).filter(k => k.startsWith('attune:')"
                       " && !k.startsWith('attune:history:'))") == []
