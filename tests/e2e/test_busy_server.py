"""A server that sheds load answers `busy`; the phone sends the same tap again once it may, and it lands."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _phones
from tests.e2e.flows import start_session
from tests.support import ServerProcess, StallingRelay, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def relay(redis_url):
    made = StallingRelay(redis_url)
    yield made
    made.close()


@pytest.fixture
def slow_redis_server(redis_url, prefix, redis_client, relay):
    """`python -m server` whose one Redis connection goes through a relay the test can stall."""
    started = ServerProcess(redis_url, prefix, extra_env={"REDIS_URL": relay.url, "MESSAGE_QUEUE": "off",
                                                          "REDIS_POOL_SIZE": "1"}).start(timeout=60)
    yield started
    started.stop()


@pytest.fixture
def slow_phones(browser, slow_redis_server, request):
    yield from _phones(browser, slow_redis_server, request)


def test_a_tap_the_server_sheds_as_busy_is_sent_again_and_applied(slow_phones, slow_redis_server, relay,
                                                                  redis_client, prefix):
    ana = slow_phones("Ana")
    code = start_session(ana, "Ana", apart=True)

    def mode():
        return json.loads(redis_client.hget(f"{prefix}:{{{code}}}:state", "s"))["mode"]
    assert mode() == "remote"
    # Redis stops answering: the server's one connection is soon stuck on a call (its clock's
    # sweep polls every quarter second), so Ana's tap finds none free and is answered `busy`.
    relay.stall()
    try:
        wait_for(lambda: relay.sent_while_stalled, message="the server's connection stuck on a call")
        ana.page.get_by_label("We're in the same room").first.click()
        wait_for(lambda: re.search(r"events refused for load.*: .*\bintent busy x\d+", slow_redis_server.log_text()),
                 message="the server to shed Ana's tap")
    finally:
        relay.flow()
    # Redis answers again; the phone sends the same intent after the ack's retry_after.
    wait_for(lambda: mode() == "same_room", message="Ana's tap to land after all")
    expect(ana.page.get_by_role("radio", name="We're in the same room")).to_be_checked()
