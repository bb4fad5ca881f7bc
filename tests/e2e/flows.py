"""Steps several browser tests share: open a session, join it, agree on a plan."""

import re

from playwright.sync_api import expect

from tests.support import Phone as SocketPhone
from tests.support import wait_for


def box_of(locator) -> dict:
    """Where `locator` is drawn. A redraw replaces the whole screen (when the connection comes
    up, say), and an element measured in that instant has no box: measure again until one does."""
    return wait_for(locator.bounding_box, timeout=10, message=f"{locator} to be drawn on the page")


def start_session(phone, name: str, apart: bool) -> str:
    """Start a session on `phone` from the home screen; return the room code it shows."""
    page = phone.page
    page.get_by_label("Your name").first.fill(name)
    page.get_by_label("We're apart" if apart else "We're in the same room").first.check()
    page.get_by_role("button", name="Start a session").click()
    code = page.locator("#room-code")
    expect(code).to_be_visible()
    if apart:
        expect(page.get_by_role("radio", name=re.compile("We're apart"))).to_be_checked()
    return code.get_attribute("data-code")


def join_session(phone, name: str, typed_code: str) -> None:
    """Join by typing the code into the home screen's join form, key by key."""
    page = phone.page
    page.get_by_role("tab", name="I have a code").click()
    form = page.locator("form[data-action=join]")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("Session code").press_sequentially(typed_code)
    form.get_by_role("button", name="Join").click()


def pick(phone, exercise: str) -> None:
    """Add an exercise to the plan on the lobby, opening the heading it is listed under first."""
    page = phone.page if hasattr(phone, "page") else phone
    show(page, exercise)
    page.locator(f"#pick-{exercise}").click()


def show(page, exercise: str) -> None:
    """Make an exercise of the lobby's library visible: open the heading whose exercises include it."""
    button = page.locator(f"#pick-{exercise}")
    expect(button).to_be_attached()
    if button.is_visible():
        return
    toggle = page.locator(f".exercise-group:has(li[data-exercise='{exercise}']) .group-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(button).to_be_visible()


def agree_on(a, b, picks: list[tuple[str, dict]], b_name: str = "Ben", a_name: str = "Ana") -> None:
    """A picks exercises (with options) and suggests the plan; B agrees; both land in the first exercise."""
    pa, pb = a.page, b.page
    expect(pa.locator(".people")).to_contain_text(b_name)
    for exercise, options in picks:
        pick(a, exercise)
        for option, value in options.items():
            pa.locator(f"#opt-{exercise}-{option}").select_option(str(value))
    pa.locator("#propose-plan").click()
    expect(pb.get_by_role("heading", name=f"{a_name} suggests")).to_be_visible()
    expect(pa.locator(".proposal")).to_contain_text(f"Waiting for {b_name} to agree.")


def turn(phone):
    """The line saying whose turn it is and what to do."""
    return phone.page.locator("#turn-line")


def role(phone):
    """The role name on the exercise screen."""
    return phone.page.locator(".role-name")


def guided_room(server, name: str = "Dr Lee") -> dict:
    """Open a guided room over Socket.IO (no browser) and return the create_room ack."""
    made = SocketPhone(server.url).connect()
    try:
        ack = made.call("create_room", {"name": name, "role": "moderator"})
    finally:
        made.disconnect()
    assert ack["ok"], ack
    return ack
