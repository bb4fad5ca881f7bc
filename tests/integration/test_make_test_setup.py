"""`make test` on a fresh machine: the browser is installed where it can be, or the run says why not."""

import os
import stat
import subprocess
import sys

import pytest

from tests.support import ROOT

SCRIPT = os.path.join(ROOT, "tests", "e2e", "ensure_browser.sh")
pytestmark = pytest.mark.slow


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SKIP_BROWSER", "CHROMIUM")}
    # An empty folder: no Playwright browser download to fall back on.
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "no-browsers")
    env["PYTHON_BIN"] = sys.executable
    env.update(extra)
    return env


def test_without_chromium_and_no_way_to_install_it_setup_stops_with_one_line_saying_what_to_install(tmp_path):
    done = subprocess.run(["bash", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=_env(tmp_path, CHROMIUM=str(tmp_path / "chromium"), NO_BROWSER_INSTALL="1"))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "apt-get install chromium" in lines[0] and "SKIP_BROWSER=1" in lines[0]


def test_with_chromium_in_place_setup_does_nothing_and_passes(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    done = subprocess.run(["bash", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=_env(tmp_path, CHROMIUM=str(fake)))
    assert done.returncode == 0
    assert done.stdout == "" and done.stderr == ""


def _browser_test_run(tmp_path, **extra):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/e2e/test_time_out.py"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=_env(tmp_path, CHROMIUM=str(tmp_path / "chromium"), **extra))


def test_a_run_that_skipped_the_browser_tests_says_so_in_its_last_line(tmp_path):
    done = _browser_test_run(tmp_path, SKIP_BROWSER="1")
    assert done.returncode == 0, done.stdout[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert "browser tests were SKIPPED" in last and "apt-get install chromium" in last


def test_in_ci_a_missing_browser_fails_the_run_instead_of_skipping(tmp_path):
    done = _browser_test_run(tmp_path, CI="true")
    assert done.returncode != 0
    assert "SKIPPED" not in done.stdout.strip().splitlines()[-1]
