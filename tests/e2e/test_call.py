"""The call in the room, in Chromium with fake microphone and camera: two phones talk, the floor is kept."""

from playwright.sync_api import expect

from tests.support import wait_for

from .axe import assert_accessible
from .conftest import CALL_PROBE, Phone
from .flows import agree_on, join_session, start_session, turn

SL = "take-the-floor"


def join_call(phone):
    page = phone.page
    page.locator("#call-start").click()
    # What the browser is about to ask is said before it asks.
    expect(page.locator("#call-explain")).to_contain_text("nothing is recorded")
    phone.shot("call-explained")
    page.locator("#call-allow").click()
    expect(page.locator("#call-floor")).to_be_visible()


def couple_on_the_call(media_phones, exercise=SL):
    ana, ben = media_phones("Ana"), media_phones("Ben")
    code = start_session(ana, "Ana", apart=True)
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [(exercise, {})])
    ben.page.get_by_role("button", name="Agree and start").click()
    expect(ana.page.locator("#turn-line")).to_be_visible()
    join_call(ana)
    join_call(ben)
    for phone, other in ((ana, "partner_b"), (ben, "partner_a")):
        expect(phone.page.locator(f".call-tile[data-seat={other}]")).to_have_attribute("data-state", "connected",
                                                                                          timeout=30_000)
    return ana, ben


def inbound_audio_packets(phone) -> int:
    return phone.page.evaluate("""async () => {
      let total = 0;
      for (const pc of window.__callTest.pcs) {
        if (pc.connectionState !== 'connected') continue;
        (await pc.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'audio') total += r.packetsReceived; });
      }
      return total;
    }""")


def mic_enabled(phone):
    """The `enabled` of every microphone track this page was given that is still live."""
    return phone.page.evaluate("() => window.__callTest.tracks.filter((t) => t.kind === 'audio' && t.readyState === 'live')"
                               ".map((t) => t.enabled)")


def wait_mic(phone, enabled: bool):
    wait_for(lambda: mic_enabled(phone) == [enabled], timeout=10, message=f"{phone.label}'s microphone enabled={enabled}")


def test_two_phones_talk_and_the_listener_is_quiet_until_it_is_their_turn_to_say_it_back(media_phones):
    ana, ben = couple_on_the_call(media_phones)
    pa, pb = ana.page, ben.page
    for phone in (ana, ben):
        first = inbound_audio_packets(phone)
        wait_for(lambda: inbound_audio_packets(phone) > first + 20, timeout=15,
                 message=f"inbound audio packets rising at {phone.label}")

    # Ana holds the floor: Ben's microphone is off for him, and he is told why.
    wait_mic(ana, True)
    wait_mic(ben, False)
    expect(pb.locator("#call-floor")).to_have_text("Ana has the floor — your microphone is off while you listen.")
    expect(pa.locator("#call-floor")).to_have_text("Your turn to speak — your microphone is on.")
    assert_accessible(ben, "call-listening")
    ana.shot("call-speaking")

    # He can always turn it back on deliberately; the strip says so.
    pb.locator("#call-mic").click()
    wait_mic(ben, True)
    expect(pb.locator("#call-floor")).to_contain_text("You turned your microphone on while Ana has the floor")

    pa.get_by_label("What you want to say").fill("I felt calm on our walk today.")
    pa.get_by_role("button", name="Send to Ben").click()
    expect(turn(ben)).to_contain_text("paraphrase")
    # The step gives Ben the floor: his turn to say it back, Ana listens.
    expect(pb.locator("#call-floor")).to_have_text("Your turn to say it back — your microphone is on.")
    wait_mic(ben, True)
    wait_mic(ana, False)
    ben.shot("call-say-it-back")

    # Ana mutes herself, then turns her microphone on past the floor: both are her own choices.
    expect(pa.locator("#call-mic")).to_have_text("Unmute")
    pa.locator("#call-mic").click()
    wait_mic(ana, True)
    pa.locator("#call-mic").click()
    wait_mic(ana, False)
    expect(pa.locator("#call-floor")).to_have_text("You're muted.")


def test_a_time_out_quiets_both_until_both_are_ready(media_phones):
    ana, ben = couple_on_the_call(media_phones)
    pa, pb = ana.page, ben.page
    wait_mic(ana, True)
    pb.get_by_role("button", name="Time-out").click()
    for phone in (ana, ben):
        expect(phone.page.locator("#call-floor")).to_have_text(
            "Time-out: everyone's microphone is off until you're both ready.")
        wait_mic(phone, False)
    ana.shot("call-time-out")
    pa.get_by_role("button", name="I'm ready to go on").click()
    expect(pa.locator(".pause")).to_contain_text("Waiting for Ben")
    wait_mic(ana, False)
    pb.get_by_role("button", name="I'm ready to go on").click()
    wait_mic(ana, True)
    wait_mic(ben, False)


def test_video_is_each_persons_choice_and_leaving_stops_every_track(media_phones):
    ana, ben = couple_on_the_call(media_phones)
    pa, pb = ana.page, ben.page
    pa.locator("#call-camera").click()
    expect(pa.locator("#call-camera")).to_have_attribute("aria-pressed", "true")
    expect(pb.locator(".call-tile[data-seat=partner_a]")).to_have_attribute("data-video", "on", timeout=15_000)
    expect(pa.locator(".call-tile.self")).to_be_visible()
    ben.shot("call-partner-video")
    ana.shot("call-own-video")
    live = pa.evaluate("() => window.__callTest.tracks.filter((t) => t.readyState === 'live').map((t) => t.kind).sort()")
    assert live == ["audio", "video"]

    pa.locator("#call-leave").click()
    wait_for(lambda: pa.evaluate("() => window.__callTest.tracks.every((t) => t.readyState === 'ended')"
                                 " && window.__callTest.pcs.every((pc) => pc.connectionState === 'closed')"),
             message="every track of Ana's ended and her connections closed")
    expect(pa.locator("#call-start")).to_be_visible()
    expect(pb.locator(".call-tile[data-seat=partner_a]")).to_have_count(0)
    expect(pb.locator(".call-line")).to_have_count(0)

    # Ending the room (not only the call) stops Ben's tracks too.
    pb.locator("#end-open").click()
    pb.locator("#end-confirm").click()
    wait_for(lambda: pb.evaluate("() => window.__callTest.tracks.every((t) => t.readyState === 'ended')"
                                 " && window.__callTest.pcs.every((pc) => pc.connectionState === 'closed')"),
             message="every track of Ben's ended with the room")


def test_the_therapist_joins_the_call_from_the_dashboard(media_browser, media_phones, call_server, request):
    context = media_browser.new_context(viewport={"width": 1280, "height": 800}, permissions=["microphone", "camera"])
    context.add_init_script(CALL_PROBE)
    problems = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda err: problems.append(str(err)))
        lee = Phone(context, page, "Dr Lee's laptop", request.node.name, call_server.url).open("/")
        page.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
        page.get_by_role("button", name="Open a guided session").click()
        code = page.locator("#room-code").get_attribute("data-code")
        ana, ben = media_phones("Ana"), media_phones("Ben")
        join_session(ana, "Ana", code)
        join_session(ben, "Ben", code)
        expect(page.locator(".person[data-seat=partner_b]")).to_contain_text("Ben")
        for person in (lee, ana, ben):
            join_call(person)
        for person, others in ((lee, ("partner_a", "partner_b")), (ana, ("partner_b", "moderator")),
                               (ben, ("partner_a", "moderator"))):
            for seat in others:
                expect(person.page.locator(f".call-tile[data-seat={seat}]")).to_have_attribute(
                    "data-state", "connected", timeout=30_000)
        expect(ana.page.locator(".call-tile[data-seat=moderator]")).to_contain_text("Dr Lee")
        lee.shot("dashboard-on-the-call")
        assert_accessible(ana, "call-with-the-therapist")
        assert inbound_audio_packets(lee) > 0
    finally:
        context.close()
    assert not problems, problems
