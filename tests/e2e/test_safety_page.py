"""At phone size: "Not feeling safe?" on every screen, the safety page with a deployer's lines, and
"Leave quickly", which leaves no way back to Attune in the history and ends nothing for the other phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, TIMEOUT_MS, Phone
from tests.e2e.flows import agree_on, guided_room, join_session, start_session
from tests.support import Phone as SocketPhone
from tests.support import ServerProcess

pytestmark = pytest.mark.slow

SIZE = {"width": 390, "height": 844}
BEFORE = "https://before.example/"
EXIT = "https://exit.example/today"
LINES = """\
note: Riverside Counselling can also see either of you on your own; call the front desk.
countries:
  - name: Testland
    region: TL
    emergency: "112"
    lines:
      - name: Testland Helpline
        phone: "0800 111 222"
  - name: United Kingdom
    region: GB
    emergency: "999"
    lines:
      - name: National Domestic Abuse Helpline
        phone: "0808 2000 247"
        url: https://www.nationaldahelpline.org.uk/
        hours: 24 hours, every day
"""


@pytest.fixture
def server(redis_url, prefix, redis_client, tmp_path):
    """The real server, told where the deployer's lines are and where "Leave quickly" goes."""
    lines = tmp_path / "safety.yaml"
    lines.write_text(LINES, encoding="utf-8")
    started = ServerProcess(redis_url, prefix, async_mode="eventlet",
                            extra_env={"SAFETY_RESOURCES": str(lines), "SAFETY_EXIT_URL": EXIT}).start()
    yield started
    started.stop()


def everyday_page(title):
    """A route handler answering with a plain page of this title (the browser reaches no real site)."""
    body = f"<!doctype html><title>{title}</title><h1>{title}</h1>"
    return lambda route: route.fulfill(content_type="text/html", body=body)


@pytest.fixture
def phone_in(browser, server, request):
    """A phone of this size in a given locale, with everyday sites stubbed; page errors fail the test."""
    made, problems = [], []

    def open_phone(label, locale="en-US", laptop=False):
        options = {"viewport": {"width": 1280, "height": 800}} if laptop else {**PHONE, "viewport": SIZE}
        context = browser.new_context(**options, locale=locale)
        context.set_default_timeout(TIMEOUT_MS)
        for url, title in ((BEFORE, "Recipes"), (EXIT, "Weather today")):
            context.route(url + "**", everyday_page(title))
        page = context.new_page()
        page.on("console", lambda msg: problems.append(f"{label}: console {msg.type}: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda err: problems.append(f"{label}: uncaught {err}"))
        phone = Phone(context, page, label, request.node.name, server.url)
        made.append(phone)
        return phone

    yield open_phone
    for phone in made:
        phone.context.close()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


def link_in_reach(phone, screen):
    """The link is on this screen without scrolling; it opens the safety page, and Back returns here."""
    page = phone.page
    link = page.get_by_role("button", name="Not feeling safe?")
    expect(link).to_have_count(1)
    # Wholly on screen as it opens, without scrolling (asked again until it holds: views redraw it).
    expect(link, f"{screen}: not in reach").to_be_in_viewport(ratio=1)
    shown = page.locator("#app").get_attribute("data-screen")
    link.click()
    expect(page.get_by_role("heading", name="Not feeling safe?", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Leave quickly").first).to_be_visible()
    page.get_by_role("button", name="Back to Attune").click()
    expect(page.locator("#app")).to_have_attribute("data-screen", shown)
    expect(page.locator("#safety-open")).to_be_focused()


def test_not_feeling_safe_is_in_reach_on_every_screen_of_a_couple_and_of_a_therapist(phone_in, server):
    ana, ben = phone_in("Ana"), phone_in("Ben")
    ana.open("/")
    link_in_reach(ana, "home")
    ana.shot("home")
    code = start_session(ana, "Ana", apart=True)
    link_in_reach(ana, "lobby")
    ben.open(f"/r/{code}")
    expect(ben.page.get_by_role("heading", name="Join your partner")).to_be_visible()
    link_in_reach(ben, "join")
    form = ben.page.locator("form[data-action=join]")  # the code is filled in from the link
    form.get_by_label("Your name").fill("Ben")
    form.get_by_role("button", name="Join").click()
    agree_on(ana, ben, [("take-the-floor", {})])
    ben.page.get_by_role("button", name="Agree and start").click()
    for phone in (ana, ben):
        expect(phone.page.locator("#turn-line")).to_be_visible()
    # On the exercise screen it sits in the dock, beside the time-out.
    dock = ana.page.locator(".dock")
    expect(dock.get_by_role("button", name="Time-out")).to_be_visible()
    expect(dock.get_by_role("button", name="Not feeling safe?")).to_be_visible()
    link_in_reach(ana, "exercise")
    ana.shot("exercise-dock")
    ana.page.get_by_role("button", name="End…").click()
    ana.page.locator("#end-confirm").click()
    expect(ben.page.get_by_role("heading", name="The session has ended")).to_be_visible()
    link_in_reach(ben, "ended")

    # A guided room: the therapist's join form and dashboard.
    made = guided_room(server)
    dr = phone_in("Dr Lee", laptop=True)
    dr.open(made["moderator_url"][len(server.url):])
    expect(dr.page.get_by_role("heading", name="Join as moderator")).to_be_visible()
    link_in_reach(dr, "moderator-join")
    dr.page.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dr.page.get_by_role("button", name="Join as moderator").click()
    expect(dr.page.locator("#app")).to_have_attribute("data-screen", "dashboard")
    link_in_reach(dr, "dashboard")
    dr.shot("dashboard")

    # Another, run by a therapist over Socket.IO: a partner's lobby and summary.
    guided = guided_room(server)
    lee = SocketPhone(server.url).connect()
    dee = SocketPhone(server.url).connect()
    try:
        assert lee.call("resume", {"code": guided["code"], "token": guided["token"]})["ok"]
        cara = phone_in("Cara")
        cara.open("/")
        join_session(cara, "Cara", guided["code"])
        expect(cara.page.locator("#app")).to_have_attribute("data-screen", "lobby")
        link_in_reach(cara, "guided lobby")
        assert dee.call("join_room", {"code": guided["code"], "name": "Dee"})["ok"]
        lee.wait_view(lambda v: v["full"], message="both partners seated")
        assert lee.intent("propose_plan", plan=[{"exercise": "take-the-floor"}])["ok"]
        assert lee.intent("start_session")["ok"]
        assert lee.intent("end_session")["ok"]
        expect(cara.page.get_by_role("heading", name="What you shared")).to_be_visible()
        link_in_reach(cara, "summary")
        cara.shot("summary")
    finally:
        dee.disconnect()
        lee.disconnect()


def test_the_safety_page_lists_the_deployers_lines_with_this_phones_country_first(phone_in):
    ana = phone_in("Ana", locale="en-GB")
    ana.open("/")
    page = ana.page
    page.get_by_role("button", name="Not feeling safe?").click()
    expect(page.get_by_role("heading", name="Not feeling safe?")).to_be_visible()
    expect(page.get_by_text("They are not the right tool if you are afraid of your partner")).to_be_visible()
    expect(page.get_by_text("Riverside Counselling can also see either of you")).to_be_visible()
    # The phone says en-GB: the United Kingdom comes first, its emergency number in the first advice.
    countries = page.locator(".country h3")
    expect(countries.first).to_have_text("United Kingdom")
    expect(page.locator(".safety-steps")).to_contain_text("call your local emergency number (999 here).")
    expect(page.get_by_role("link", name="Call 0808 2000 247")).to_have_attribute("href", "tel:08082000247")
    expect(page.get_by_role("link", name="Website: www.nationaldahelpline.org.uk")).to_have_attribute(
        "rel", "noopener noreferrer")
    # The other countries wait behind one tap.
    expect(page.get_by_text("Testland Helpline")).to_be_hidden()
    page.get_by_text("Other countries").click()
    expect(page.get_by_role("link", name="Call 0800 111 222")).to_be_visible()
    ana.shot("safety-page")


def test_leave_quickly_leaves_no_way_back_and_the_other_phones_session_goes_on(phone_in, server):
    ana, ben = phone_in("Ana"), phone_in("Ben")
    pa, pb = ana.page, ben.page
    pa.goto(BEFORE)  # where Ana was before opening Attune
    ana.open("/")
    code = start_session(ana, "Ana", apart=True)
    ben.open("/")
    join_session(ben, "Ben", code)
    agree_on(ana, ben, [("take-the-floor", {})])
    pb.get_by_role("button", name="Agree and start").click()
    expect(pa.locator("#turn-line")).to_be_visible()
    title = pa.get_by_role("heading", level=1).text_content()

    # Opening the safety page tells nobody: no event leaves the phone, no request is made.
    said = []
    pa.on("request", lambda request: said.append(request.url) if request.resource_type != "websocket" else None)
    ws_frames = []
    pa.on("websocket", lambda ws: ws.on("framesent", lambda frame: ws_frames.append(frame)))
    pa.get_by_role("button", name="Not feeling safe?").click()
    expect(pa.get_by_role("heading", name="Not feeling safe?")).to_be_visible()
    expect(pa.locator(".country").first).to_be_visible()
    assert said == [] and ws_frames == []

    pa.get_by_role("button", name="Leave quickly").first.click()
    pa.wait_for_url(EXIT)
    expect(pa.get_by_role("heading", name="Weather today")).to_be_visible()
    # Back goes to where Ana was before, never to Attune.
    pa.go_back()
    pa.wait_for_url(BEFORE)
    pa.go_back()  # the new tab's first, blank entry
    assert not pa.url.startswith(server.url), pa.url
    pa.go_forward()
    pa.wait_for_url(BEFORE)
    pa.go_forward()
    pa.wait_for_url(EXIT)

    # Ben's phone: the session goes on; Ana's phone only shows as away, as when a screen locks.
    expect(pb.locator(".away-line")).to_contain_text("Ana's phone is away")
    expect(pb.get_by_role("heading", name="The session has ended")).to_have_count(0)
    expect(pb.get_by_role("heading", level=1)).to_have_text(title)
    pb.get_by_role("button", name="Time-out").click()
    expect(pb.locator("#turn-line")).to_contain_text("Time-out")
    ben.shot("partner-after-leave-quickly")

    # Nothing was ended or erased: Ana's seat opens again where the session is.
    ana.open(f"/r/{code}")
    expect(pa.get_by_role("heading", level=1)).to_have_text(title)
    expect(pa.locator("#turn-line")).to_contain_text("Time-out")
