"""The safety page's settings on a real server: served to every page, and a bad file stops start-up."""

import subprocess
import sys

import pytest
import requests

from server.safety_resources import DEFAULT_EXIT_URL
from tests.support import ROOT, free_port

LINES = """\
countries:
  - name: Testland
    region: TL
    emergency: "112"
    lines:
      - {name: Testland Helpline, phone: "0800 000 000", url: "https://help.example/"}
"""


@pytest.fixture
def settings_app(app_config, redis_client, tmp_path):
    from server import create_app

    path = tmp_path / "safety.yaml"
    path.write_text(LINES, encoding="utf-8")
    app = create_app({**app_config, "SAFETY_RESOURCES": str(path), "SAFETY_EXIT_URL": "https://weather.example/"})
    yield app
    app.extensions["attune.stopping"] = True


def test_the_page_is_served_the_configured_lines_and_exit_address(settings_app):
    answer = settings_app.test_client().get("/api/safety")
    assert answer.status_code == 200
    assert answer.json["exit_url"] == "https://weather.example/"
    assert answer.json["countries"][0]["lines"][0]["name"] == "Testland Helpline"
    assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_without_settings_the_page_gets_no_lines_and_the_default_exit(app):
    assert app.test_client().get("/api/safety").json == {"exit_url": DEFAULT_EXIT_URL, "note": None, "countries": []}


def test_a_server_given_a_broken_safety_file_refuses_to_start_and_names_the_field(redis_url, prefix, tmp_path):
    path = tmp_path / "safety.yaml"
    path.write_text("countries:\n  - name: Testland\n    lines:\n      - {name: Nobody}\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": str(free_port()), "REDIS_URL": redis_url,
           "REDIS_PREFIX": prefix, "SECRET_KEY": "test-secret", "SAFETY_RESOURCES": str(path)}
    run = subprocess.run([sys.executable, "-m", "server"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Attune cannot start: the safety page's settings have problems" in run.stderr
    assert f"SAFETY_RESOURCES {path}: countries[0].lines[0]: needs at least one way to reach it" in run.stderr


def test_a_server_given_a_bad_exit_address_refuses_to_start(redis_url, prefix):
    env = {"PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": str(free_port()), "REDIS_URL": redis_url,
           "REDIS_PREFIX": prefix, "SECRET_KEY": "test-secret", "SAFETY_EXIT_URL": "weather.example"}
    run = subprocess.run([sys.executable, "-m", "server"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "SAFETY_EXIT_URL: must be a full web address" in run.stderr


def test_a_real_server_started_with_a_safety_file_serves_it(servers, tmp_path):
    path = tmp_path / "safety.yaml"
    path.write_text(LINES, encoding="utf-8")
    server = servers(extra_env={"SAFETY_RESOURCES": str(path)})
    got = requests.get(server.url + "/api/safety", timeout=5).json()
    assert got["countries"][0]["region"] == "TL" and got["exit_url"] == DEFAULT_EXIT_URL
