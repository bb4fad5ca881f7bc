"""The edges of a deployment, over real server processes: which Host names are
served, HTTPS served directly, and a message queue on a Redis of its own."""

import os
import shutil
import subprocess
import sys

import pytest
import redis as redis_py
import requests
import socketio
import websocket

from tests.support import ROOT, free_port, seat_couple, wait_for

pytestmark = pytest.mark.slow

EVIL = "rebind.attacker.example"
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def get(server, path, host, origin=None, **kw):
    headers = {"Host": host}
    if origin:
        headers["Origin"] = origin
    return requests.get(server.url + path, headers=headers, timeout=5, **kw)


# --- Host names -------------------------------------------------------------------------------


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_a_page_or_handshake_for_another_sites_host_gets_a_plain_400(servers, async_mode):
    server = servers(async_mode)
    for path in ("/", HANDSHAKE, "/healthz", "/api/exercises"):
        refused = get(server, path, f"{EVIL}:{server.port}", origin=f"http://{EVIL}:{server.port}")
        assert refused.status_code == 400, (path, refused.status_code)
        assert refused.text == "Bad Request\n" and "attacker" not in refused.text
        assert refused.headers["Content-Type"].startswith("text/plain")
    # The same handshake from this server's own address goes through.
    ok = get(server, HANDSHAKE, f"127.0.0.1:{server.port}", origin=f"http://127.0.0.1:{server.port}")
    assert ok.status_code == 200 and '"sid"' in ok.text


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_a_websocket_handshake_for_another_sites_host_is_refused_before_it_opens(servers, async_mode):
    server = servers(async_mode)
    url = f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, host=EVIL, origin=f"http://{EVIL}", timeout=5)
    assert refused.value.status_code == 400
    opened = websocket.create_connection(url, host=f"127.0.0.1:{server.port}",
                                         origin=f"http://127.0.0.1:{server.port}", timeout=5)
    try:
        assert opened.recv().startswith("0{")  # Engine.IO's open packet
    finally:
        opened.close()


def test_localhost_ip_literals_public_url_and_listed_hosts_are_served(servers):
    server = servers(extra_env={"PUBLIC_URL": "https://attune.example.org",
                                "ALLOWED_HOSTS": "couch.lan, .clinic.example"})
    served = ["localhost", f"localhost:{server.port}", "phone.localhost", f"127.0.0.1:{server.port}",
              "[::1]:5000", "192.168.1.20:5000", "attune.example.org", "ATTUNE.example.org.",
              "couch.lan:5000", "clinic.example", "rooms.clinic.example"]
    for host in served:
        for path in ("/", HANDSHAKE):
            assert get(server, path, host).status_code == 200, (host, path)
    for host in ("example.org", "attune.example.org.evil.example", "notclinic.example", "couch.lan.evil"):
        assert get(server, "/", host).status_code == 400, host


def test_a_star_in_allowed_hosts_serves_any_host(servers):
    server = servers(extra_env={"ALLOWED_HOSTS": "*"})
    assert get(server, HANDSHAKE, EVIL, origin=f"http://{EVIL}").status_code == 200


def test_pages_carry_the_frame_opener_and_permissions_headers_and_no_hsts_over_http(servers):
    server = servers()
    page = requests.get(server.url + "/", timeout=5)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = page.headers["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=(self)" in policy and "geolocation=()" in policy
    assert "Strict-Transport-Security" not in page.headers


def test_an_https_public_url_turns_on_hsts(servers):
    server = servers(extra_env={"PUBLIC_URL": "https://attune.example.org", "TRUSTED_PROXIES": "1"})
    page = requests.get(server.url + "/healthz", timeout=5)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


# --- HTTPS served directly --------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 and localhost, made with the system's openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return str(cert), str(key)


@pytest.mark.parametrize("async_mode", ["eventlet", "threading"])
def test_with_tls_cert_and_key_the_server_speaks_https_and_socketio_over_wss(servers, certificate,
                                                                             async_mode):
    cert, key = certificate
    server = servers(async_mode, ca_bundle=cert, extra_env={"TLS_CERT": cert, "TLS_KEY": key})
    assert f"https://localhost:{server.port}/" in server.log_text()
    health = requests.get(server.url + "/healthz", verify=cert, timeout=5)
    assert health.json()["ok"] is True
    assert health.headers["Strict-Transport-Security"].startswith("max-age=")
    # Plain HTTP on the same port gets nowhere, and the server keeps serving HTTPS.
    with pytest.raises(requests.RequestException):
        requests.get(f"http://127.0.0.1:{server.port}/healthz", timeout=5)
    for transports in (["websocket"], ["polling"]):
        session = requests.Session()
        session.verify = cert
        session.trust_env = False  # else REQUESTS_CA_BUNDLE, when set, beats session.verify
        client = socketio.Client(reconnection=False, http_session=session)
        try:
            client.connect(server.url, transports=transports, wait_timeout=10)
            assert client.transport() == transports[0]
            made = client.call("create_room", {"name": "Ana"}, timeout=10)
            assert made["ok"], made
        finally:
            client.disconnect()


def run_server_expecting_refusal(env_extra, redis_url, prefix):
    env = {**{k: v for k, v in os.environ.items() if k not in ("TLS_CERT", "TLS_KEY")}, "HOST": "127.0.0.1", "PORT": str(free_port()), "REDIS_URL": redis_url,
           "REDIS_PREFIX": prefix, **env_extra}
    done = subprocess.run([sys.executable, "-m", "server"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=30)
    return done.returncode, done.stderr


def test_the_server_refuses_to_start_with_half_a_tls_setting_or_unusable_files(certificate, redis_url,
                                                                               prefix, tmp_path):
    cert, key = certificate
    rc, err = run_server_expecting_refusal({"TLS_CERT": cert}, redis_url, prefix)
    assert rc == 2 and "TLS_CERT is set but TLS_KEY is not" in err, err
    rc, err = run_server_expecting_refusal({"TLS_KEY": key}, redis_url, prefix)
    assert rc == 2 and "TLS_KEY is set but TLS_CERT is not" in err, err
    missing = str(tmp_path / "nowhere.pem")
    rc, err = run_server_expecting_refusal({"TLS_CERT": cert, "TLS_KEY": missing}, redis_url, prefix)
    assert rc == 2 and f"TLS_KEY cannot be read: {missing}" in err, err
    rc, err = run_server_expecting_refusal({"TLS_CERT": cert, "TLS_KEY": cert}, redis_url, prefix)
    assert rc == 2 and "not a matching PEM certificate and unencrypted key" in err, err
    assert "Traceback" not in err


# --- The message queue on a Redis of its own --------------------------------------------------


@pytest.fixture
def queue_redis(tmp_path):
    """A redis-server of this test's own, on a free loopback port, with nothing saved to disk."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis_py.Redis.from_url(url)

    def answers():
        if proc.poll() is not None:
            raise AssertionError("the queue's redis-server exited")
        try:
            return client.ping()
        except redis_py.ConnectionError:
            return False
    wait_for(answers, timeout=10, message="the queue's redis-server")
    yield url
    client.close()
    proc.terminate()
    proc.wait(timeout=10)


def test_with_queue_url_views_travel_on_that_redis_and_never_on_redis_urls(servers, phones, queue_redis,
                                                                        redis_url, prefix):
    channel = f"{prefix}:socketio"
    store_redis = redis_py.Redis.from_url(redis_url, decode_responses=True)
    queue = redis_py.Redis.from_url(queue_redis, decode_responses=True)
    listeners = {}
    for name, client in (("store", store_redis), ("queue", queue)):
        listeners[name] = client.pubsub(ignore_subscribe_messages=True)
        listeners[name].subscribe(channel)
    one, two = servers(extra_env={"QUEUE_URL": queue_redis}), servers(extra_env={"QUEUE_URL": queue_redis})
    try:
        # Partners on two processes, so that their views must cross the queue.
        seat_couple(phones, one.url, two.url)
        # The servers listen on the queue's Redis beside us, and on REDIS_URL's not at all.
        wait_for(lambda: queue.pubsub_numsub(channel) == [(channel, 3)], message="the servers on the queue")
        assert store_redis.pubsub_numsub(channel) == [(channel, 1)]
        heard = []
        wait_for(lambda: heard.append(listeners["queue"].get_message(timeout=0.05)) or any(heard),
                 message="a message on the queue's Redis")
        assert listeners["store"].get_message(timeout=0.2) is None
    finally:
        for listener in listeners.values():
            listener.close()


def test_two_processes_sharing_redis_url_and_queue_url_deliver_a_partners_view(servers, phones,
                                                                              queue_redis):
    one = servers(extra_env={"QUEUE_URL": queue_redis})
    two = servers("threading", extra_env={"QUEUE_URL": queue_redis})
    a, b = seat_couple(phones, one.url, two.url)
    assert a.intent("set_mode", mode="remote")["ok"]
    b.wait_view(lambda v: v["mode"] == "remote", message="B, on the other process, to see the mode change")


def test_message_queue_off_wins_over_queue_url(servers, phones, queue_redis, prefix):
    server = servers(extra_env={"QUEUE_URL": queue_redis, "MESSAGE_QUEUE": "off"})
    seat_couple(phones, server.url, server.url)  # a first connection would start a queue's listener
    assert redis_py.Redis.from_url(queue_redis).pubsub_channels(f"{prefix}:*") == []


def test_behind_a_trusted_proxy_the_forwarded_host_is_the_one_checked(app_config, redis_client):
    from server import create_app

    app = create_app({**app_config, "TRUSTED_PROXIES": 1, "PUBLIC_URL": "https://attune.example.org"})
    try:
        http = app.test_client()
        forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
        served = http.get("/healthz", base_url="http://127.0.0.1:5000",
                          headers={**forwarded, "X-Forwarded-Host": "attune.example.org"})
        assert served.status_code == 200
        refused = http.get(HANDSHAKE, base_url="http://127.0.0.1:5000",
                           headers={**forwarded, "X-Forwarded-Host": EVIL, "Origin": f"https://{EVIL}"})
        assert refused.status_code == 400 and refused.data == b"Bad Request\n"
    finally:
        app.extensions["attune.stopping"] = True  # ends its clock task, as the app fixture does
