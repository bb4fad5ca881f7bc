"""The client's half of the step-kind contract: a kind that only the tests know plays in the browser.

The server is `python -m tests.kinds.serve` (the real server with tests/kinds/echo.py added through
`intents.added_kinds`); the page gets tests/e2e/kinds/echo.js as /js/views/steps/echo.js, and the
real views/steps/index.js with that module added to its one MODULES line. No file under client/
changes: the lobby offers the kind's plan option, the phones draw its body and role line, and the
dashboard its roles, "Now" and live lines.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS, Phone
from tests.e2e.flows import role, turn
from tests.support import ROOT, ServerProcess

pytestmark = pytest.mark.slow

ECHO_JS = os.path.join(ROOT, "tests", "e2e", "kinds", "echo.js")
MARKER = "const MODULES = ["


@pytest.fixture
def server(redis_url, prefix, redis_client):
    started = ServerProcess(redis_url, prefix, async_mode="eventlet", module="tests.kinds.serve").start()
    yield started
    started.stop()


def _with_echo(page):
    """Serve the test kind's module and the index that lists it, on this page only."""
    def index(route):
        source = route.fetch().text()
        assert MARKER in source, "views/steps/index.js lost its one MODULES line"
        source = 'import * as echo from "./echo.js";\n' + source.replace(MARKER, MARKER + "echo, ", 1)
        route.fulfill(body=source, content_type="text/javascript; charset=utf-8")

    def module(route):
        with open(ECHO_JS, encoding="utf-8") as f:
            route.fulfill(body=f.read(), content_type="text/javascript; charset=utf-8")

    page.route("**/js/views/steps/index.js", index)
    page.route("**/js/views/steps/echo.js", module)


@pytest.fixture
def laptop(browser, server, request):
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda msg: problems.append(f"laptop: console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(f"laptop: uncaught {err}"))
    yield Phone(context, page, "Dr Lee's laptop", request.node.name, server.url)
    context.close()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


def test_a_kind_only_the_tests_know_plays_on_the_phones_and_the_dashboard(laptop, phones):
    _with_echo(laptop.page)
    dash = laptop.open("/").page
    dash.get_by_label("Your name, as the couple will see it").fill("Dr Lee")
    dash.get_by_role("button", name="Open a guided session").click()
    expect(dash.get_by_role("heading", name="Prepare the session")).to_be_visible()
    code = dash.locator("#room-code").get_attribute("data-code")

    # The plan offers the kind's own option, with its words.
    dash.locator("#add-echo-game").click()
    expect(dash.locator("label[for=plan-0-echoes]")).to_have_text("Echoes")
    dash.locator("#plan-0-echoes").select_option("2")
    dash.locator("#plan-set").click()
    expect(dash.locator("#plan-set-list")).to_contain_text("2 echoes")

    ana, ben = phones("Ana", f"/r/{code}"), phones("Ben", f"/r/{code}")
    for phone, name in ((ana, "Ana"), (ben, "Ben")):
        _with_echo(phone.page)
        phone.page.reload()
        form = phone.page.locator("form[data-action=join]")
        form.get_by_label("Your name").fill(name)
        form.get_by_role("button", name="Join").click()
        expect(phone.page.get_by_role("heading", name="Dr Lee's plan for you")).to_be_visible()
    dash.locator("#start-session").click()

    # The phones: the kind's body, role words and turn lines.
    for phone in (ana, ben):
        expect(phone.page.get_by_role("heading", name="Echo game")).to_be_visible()
        expect(phone.page.locator("#echo-turn")).to_have_text("Echo 1 of 2")
    expect(role(ana)).to_have_text("Caller")
    expect(role(ben)).to_have_text("Echoer")
    expect(turn(ana)).to_have_text("Your turn: call out a word")
    expect(turn(ben)).to_have_text("Ana is calling out a word")

    # The dashboard: its roles, "Now" and live lines.
    couple = dash.locator(".couple")
    expect(couple.locator("[data-seat=partner_a]")).to_contain_text("Caller")
    expect(couple.locator("[data-seat=partner_b]")).to_contain_text("Echoer")
    expect(dash.locator("#where-now")).to_have_text("Ana calls out a word.")
    expect(dash.locator(".live")).to_contain_text("Echo 1 of 2")

    # Same room: said aloud, a tap each; the step goes on as the kind says.
    ana.page.get_by_role("button", name="I called it out").click()
    expect(turn(ben)).to_have_text("Your turn: echo Ana")
    expect(dash.locator("#where-now")).to_have_text("Ben echoes it.")
    ben.page.get_by_role("button", name="I echoed it").click()
    for phone in (ana, ben):
        expect(phone.page.locator("#echo-turn")).to_have_text("Echo 2 of 2")
    expect(dash.locator("#timeline-list")).to_contain_text(re.compile("Ana called out"))
    expect(dash.locator("#timeline-list")).to_contain_text(re.compile("Ben echoed"))
