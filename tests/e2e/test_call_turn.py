"""The call through a real TURN server: a local coturn with the TURN REST scheme, phones forced to relay.

coturn is Debian's `coturn` package (.ci/run installs it when missing). In CI
a missing coturn fails these tests; elsewhere they are skipped with the reason.
"""

import os
import secrets
import shutil
import socket
import struct
import subprocess
import time

import pytest
from server.turn import credentials
from tests.support import ServerProcess, free_port, wait_for

from .conftest import CALL_PROBE, PHONE
from .test_call import couple_on_the_call

TURNSERVER = shutil.which("turnserver") or "/usr/bin/turnserver"
REALM = "attune.test"


def _stun_answers(port: int) -> bool:
    """Whether a STUN Binding request to 127.0.0.1:port gets a Binding success response."""
    txid = secrets.token_bytes(12)
    request = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + txid
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.3)
        s.sendto(request, ("127.0.0.1", port))
        try:
            data, _ = s.recvfrom(2048)
        except OSError:
            return False
    return len(data) >= 20 and struct.unpack("!H", data[:2])[0] == 0x0101 and data[8:20] == txid


@pytest.fixture
def coturn(tmp_path):
    """coturn on a free port with a temporary config: use-auth-secret, a fresh secret, loopback relays."""
    if not os.path.exists(TURNSERVER):
        message = f"the TURN tests need coturn ({TURNSERVER}): apt-get install coturn"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port, secret = free_port(), secrets.token_hex(16)
    conf = tmp_path / "turnserver.conf"
    log = tmp_path / "turn.log"
    low = 40000 + (port % 200) * 100
    conf.write_text("\n".join([
        f"listening-port={port}", "listening-ip=127.0.0.1", "relay-ip=127.0.0.1",
        f"min-port={low}", f"max-port={low + 99}",
        "use-auth-secret", f"static-auth-secret={secret}", f"realm={REALM}",
        "fingerprint", "no-tls", "no-dtls", "no-cli", "allow-loopback-peers", "no-multicast-peers",
        f"log-file={log}", "simple-log", f"pidfile={tmp_path / 'turn.pid'}", "",
    ]))
    proc = subprocess.Popen([TURNSERVER, "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: proc.poll() is None and _stun_answers(port), timeout=15, interval=0.1,
                 message="coturn answering STUN")
        yield {"port": port, "secret": secret, "url": f"turn:127.0.0.1:{port}?transport=udp", "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def call_server(coturn, redis_url, prefix, redis_client):
    """The server, handing out coturn's URL with minted credentials and telling phones to relay only."""
    started = ServerProcess(redis_url, prefix, extra_env={
        "TURN_URLS": coturn["url"], "TURN_SECRET": coturn["secret"], "TURN_TTL": "600",
        "ICE_TRANSPORT_POLICY": "relay"}).start()
    yield started
    started.stop()


def selected_candidate_types(phone) -> list[tuple[str, str]]:
    """(local, remote) candidate types of each connected peer connection's selected pair."""
    return phone.page.evaluate("""async () => {
      const out = [];
      for (const pc of window.__callTest.pcs) {
        if (pc.connectionState !== 'connected') continue;
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
          const pair = stats.get(r.selectedCandidatePairId);
          out.push([stats.get(pair.localCandidateId).candidateType, stats.get(pair.remoteCandidateId).candidateType]);
        });
      }
      return out;
    }""")


def test_phones_forced_to_relay_connect_through_coturn(media_phones, coturn):
    ana, ben = couple_on_the_call(media_phones)
    for phone in (ana, ben):
        wait_for(lambda: selected_candidate_types(phone), message=f"{phone.label}'s selected pair")
        assert selected_candidate_types(phone) == [["relay", "relay"]]


GATHER = """async ([server, wait]) => {
  const pc = new RTCPeerConnection({ iceServers: [server], iceTransportPolicy: 'relay' });
  const found = { relay: 0, errors: [] };
  pc.onicecandidate = (e) => { if (e.candidate && e.candidate.type === 'relay') found.relay += 1; };
  pc.onicecandidateerror = (e) => found.errors.push(e.errorCode);
  pc.createDataChannel('probe');
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
    setTimeout(resolve, wait);
  });
  pc.close();
  return found;
}"""


def _credential(secret: str, expiry: int) -> dict:
    # Minted by the server's own code, as call_ice does: coturn is the judge of it.
    return credentials(secret, "partner_a", expiry - 60, 60)


def test_coturn_refuses_a_credential_past_its_expiry_and_takes_a_fresh_one(media_browser, coturn):
    context = media_browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto("about:blank")
        now = int(time.time())
        fresh = page.evaluate(GATHER, [{"urls": coturn["url"], **_credential(coturn["secret"], now + 60)}, 8000])
        assert fresh["relay"] >= 1, fresh
        expired = page.evaluate(GATHER, [{"urls": coturn["url"], **_credential(coturn["secret"], now - 5)}, 8000])
        # 401: coturn recomputed the password but the username's time has passed.
        assert expired["relay"] == 0 and 401 in expired["errors"], expired
        wrong = page.evaluate(GATHER, [{"urls": coturn["url"], **_credential("not-the-secret", now + 60)}, 8000])
        assert wrong["relay"] == 0 and 401 in wrong["errors"], wrong
    finally:
        context.close()
