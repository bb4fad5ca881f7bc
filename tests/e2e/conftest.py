"""Browser fixtures: a real server process, Debian's Chromium, phone-sized pages.

Every page's console errors and uncaught exceptions are collected and must be
none when the test ends. Screenshots go to test-artifacts/screens/.
"""

import os
import re

import pytest

from tests.support import BROWSER_SKIPPED, ROOT, ServerProcess

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# A larger everyday phone (390 x 844 CSS px): what issue 12's first evening was tried on.
PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREENS = os.path.join(ROOT, "test-artifacts", "screens")
TIMEOUT_MS = 10_000

# Everything a person can tap must be at least this tall and wide (WCAG 2.5.8 asks
# 24 px; we promise the 44 px of the platform guidelines).
MIN_TAP = 44
_TAP_TARGETS = """() => {
  const out = [];
  const seen = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
  for (const el of document.querySelectorAll('button, select, textarea, summary, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), label.choice')) {
    if (!seen(el) || el.closest('[hidden]')) continue;
    const r = el.getBoundingClientRect();
    if (r.height < %d || r.width < %d) out.push(`${el.tagName.toLowerCase()}#${el.id} "${(el.textContent || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return out;
}""" % (MIN_TAP, MIN_TAP)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@pytest.fixture(scope="session")
def driver():
    """Playwright itself, once for the whole run (every browser below is launched from it)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        yield pw


def _executable(pw):
    return CHROMIUM if os.path.exists(CHROMIUM) else None


@pytest.fixture(scope="session")
def browser(request, driver):
    """One Chromium for the whole run: Debian's (CHROMIUM), else Playwright's own where it was downloaded."""
    executable = _executable(driver)
    if executable is None and not os.path.exists(driver.chromium.executable_path):
        message = f"the browser tests need Chromium at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        request.config.stash[BROWSER_SKIPPED] = f"no Chromium at {CHROMIUM}"
        pytest.skip(message)
    launched = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def server(redis_url, prefix, redis_client):
    """`python -m server` (eventlet) on a free port, with this test's own Redis key prefix."""
    started = ServerProcess(redis_url, prefix, async_mode="eventlet").start()
    yield started
    started.stop()


class Phone:
    """One phone: its own browser context (own storage), one page, and its screenshots."""

    def __init__(self, context, page, label: str, test: str, base_url: str):
        self.context = context
        self.page = page
        self.label = label
        self.test = test
        self.base_url = base_url

    def open(self, path: str = "/") -> "Phone":
        self.page.goto(self.base_url + path)
        return self

    def shot(self, screen: str) -> str:
        """Save a screenshot and check the screen fits 360 px and every control is big enough to tap."""
        os.makedirs(SCREENS, exist_ok=True)
        # The sticky dock and animations settle before the picture.
        # (evaluate, not wait_for_function: the page's CSP forbids the eval that polling uses)
        self.page.evaluate("() => Promise.all(document.getAnimations()"
                           ".filter(a => a.effect.getComputedTiming().iterations !== Infinity)"
                           ".map(a => a.finished.catch(() => null)))")
        path = os.path.join(SCREENS, f"{_slug(self.test)}-{_slug(screen)}.png")
        # A full-page picture with the sticky dock where it sits at the end of the page
        # (element.style from a script is allowed by the page's CSP; a <style> tag is not).
        self.page.evaluate("() => document.querySelectorAll('.dock').forEach(d => { d.style.position = 'static'; })")
        self.page.screenshot(path=path, full_page=True)
        self.page.evaluate("() => document.querySelectorAll('.dock').forEach(d => { d.style.position = ''; })")
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{self.label}: the {screen} screen scrolls sideways by {overflow}px"
        small = self.page.evaluate(_TAP_TARGETS)
        assert not small, f"{self.label}: tap targets under {MIN_TAP}px on the {screen} screen: {small}"
        return path


def _phones(browser, server, request, init_script=None, **context_options):
    """Open phone-sized pages on `server`; fail the test if any page logged an error."""
    made: list[Phone] = []
    problems: list[str] = []

    def open_phone(label: str, path: str = "/", dark: bool = False, size: dict | None = None,
                   script: str | None = None) -> Phone:
        """A phone (PHONE, or `size`); `script` runs before every page of it, after the fixture's own."""
        context = browser.new_context(**(size or PHONE), color_scheme="dark" if dark else "light", **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        for each in (init_script, script):
            if each:
                context.add_init_script(each)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(f"{label}: console {msg.type}: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda err: problems.append(f"{label}: uncaught {err}"))
        phone = Phone(context, page, label, request.node.name, server.url)
        made.append(phone)
        return phone.open(path)

    yield open_phone
    for phone in made:
        phone.context.close()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


@pytest.fixture
def phones(browser, server, request):
    """Open phone-sized pages on the test's server; fail the test if any page logged an error."""
    yield from _phones(browser, server, request)


# Chromium's fake microphone (a beep) and camera (a test pattern), granted without a prompt.
MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
# What the call tests look at: every RTCPeerConnection and every track getUserMedia gave the
# page, recorded by the test (the product has no hook for it).
CALL_PROBE = """(() => {
  const probe = { pcs: [], tracks: [] };
  window.__callTest = probe;
  const Native = window.RTCPeerConnection;
  if (!Native || !navigator.mediaDevices) return;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); probe.pcs.push(this); }
  };
  const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await ask(constraints);
    probe.tracks.push(...stream.getTracks());
    return stream;
  };
})();"""


@pytest.fixture(scope="session")
def media_browser(browser, driver):
    """A second Chromium with fake media devices (after `browser`, which skips or fails when there is none)."""
    launched = driver.chromium.launch(executable_path=_executable(driver), args=CHROMIUM_ARGS + MEDIA_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def call_server(server):
    """The server the call tests' phones open (a test module may give one with other settings)."""
    return server


@pytest.fixture
def media_phones(media_browser, call_server, request):
    """Phone pages with a fake microphone and camera, granted, and the call probe installed."""
    yield from _phones(media_browser, call_server, request, init_script=CALL_PROBE,
                       permissions=["microphone", "camera"])


@pytest.fixture
def therapist(server):
    """The therapist's seat over Socket.IO (a guided room opened and resumed with the moderator's token),
    so a test can steer the couple's phones straight to the step it is about."""
    from tests.e2e.flows import guided_room
    from tests.support import Phone as SocketPhone

    ack = guided_room(server)
    mod = SocketPhone(server.url).connect()
    assert mod.call("resume", {"code": ack["code"], "token": ack["token"]})["ok"]
    mod.code = ack["code"]
    yield mod
    mod.disconnect()
