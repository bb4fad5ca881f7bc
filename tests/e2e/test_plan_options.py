"""Which plan options an exercise offers, and their ranges, follow the server's `/api/exercises`
`options` when it lists them (issue 9); without them, the step kinds' own options are offered."""

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import join_session, pick, start_session

pytestmark = pytest.mark.slow


def _offered(page, select_id):
    return page.locator(f"#{select_id} option").evaluate_all("options => options.map(o => o.value)")


def test_the_lobby_offers_the_options_and_ranges_the_server_lists(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa = ana.page

    def with_options(route):
        data = route.fetch().json()
        for ex in data["exercises"]:
            if ex["id"] == "take-the-floor":
                ex["options"] = {"rounds": {"type": "integer", "minimum": 1, "maximum": 3}}
            if ex["id"] == "undivided-attention":  # cards and timed turns: the server names only one option
                ex["options"] = {"seconds": {"type": "integer", "minimum": 60, "maximum": 300}}
        route.fulfill(json=data)

    pa.route("**/api/exercises", with_options)
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    expect(pa.locator(".people")).to_contain_text("Ben")

    pick(ana, "take-the-floor")
    assert _offered(pa, "opt-take-the-floor-rounds") == ["", "1", "2", "3"]

    pick(ana, "undivided-attention")
    assert _offered(pa, "opt-undivided-attention-seconds") == ["", "60", "90", "120", "180", "300"]
    expect(pa.locator("#opt-undivided-attention-draw")).to_have_count(0)
    expect(pa.locator("#opt-undivided-attention-depth")).to_have_count(0)

    pa.locator("#opt-take-the-floor-rounds").select_option("3")
    pa.locator("#opt-undivided-attention-seconds").select_option("300")
    pa.locator("#propose-plan").click()
    expect(ben.page.get_by_role("heading", name="Ana suggests")).to_be_visible()
    expect(ben.page.locator(".proposal")).to_contain_text("3 turns each")
    expect(ben.page.locator(".proposal")).to_contain_text("5 min turns")


def test_without_server_options_the_step_kinds_options_are_offered(phones):
    ana, ben = phones("Ana"), phones("Ben")
    pa = ana.page

    def without_options(route):
        data = route.fetch().json()
        for ex in data["exercises"]:
            ex.pop("options", None)
        route.fulfill(json=data)

    pa.route("**/api/exercises", without_options)
    code = start_session(ana, "Ana", apart=False)
    join_session(ben, "Ben", code)
    expect(pa.locator(".people")).to_contain_text("Ben")

    pick(ana, "take-the-floor")
    assert _offered(pa, "opt-take-the-floor-rounds") == ["", "1", "2", "3", "4", "5", "6"]
    pick(ana, "undivided-attention")
    assert _offered(pa, "opt-undivided-attention-seconds") == ["", "30", "60", "90", "120", "180", "300", "600"]
    expect(pa.locator("#opt-undivided-attention-draw")).to_have_count(1)
    expect(pa.locator("#opt-undivided-attention-depth")).to_have_count(1)
    # turns (timed turns) is for the dashboard only; the lobby keeps to the common ones.
    expect(pa.locator("#opt-undivided-attention-turns")).to_have_count(0)
