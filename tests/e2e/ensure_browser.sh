#!/usr/bin/env bash
# Run by `make test` before pytest: make sure the browser tests have a Chromium
# (and axe-core, from npm).
# Debian's package when we are root (what CI and the README use), else
# Playwright's own download where that works, else one clear line saying what
# to install. SKIP_BROWSER=1 runs the suite without a browser; the run then
# says so in its last line. NO_BROWSER_INSTALL=1 only looks, never installs.
set -u
chromium=${CHROMIUM:-/usr/bin/chromium}
python=${PYTHON_BIN:-.venv/bin/python}

[ "${SKIP_BROWSER:-}" = 1 ] && exit 0

# axe-core, which the accessibility test injects into the pages: the pinned
# version in tests/e2e/package-lock.json, installed again when the lock changes.
e2e=$(dirname "$0")
if [ ! -f "$e2e/node_modules/.package-lock.json" ] || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "make test: the browser tests need npm for axe-core: install Node.js and npm (Debian or Ubuntu: sudo apt-get install npm), or run 'make test SKIP_BROWSER=1' to run everything else" >&2
    exit 1
  fi
  (cd "$e2e" && npm ci --no-audit --no-fund --silent) || {
    echo "make test: 'npm ci' in tests/e2e failed, so axe-core is missing for the browser tests" >&2
    exit 1
  }
fi

[ -x "$chromium" ] && exit 0

has_playwright_chromium() {
  "$python" - <<'PY' 2>/dev/null
import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as pw:
    sys.exit(0 if os.path.exists(pw.chromium.executable_path) else 1)
PY
}
has_playwright_chromium && exit 0

if [ "${NO_BROWSER_INSTALL:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$chromium" = /usr/bin/chromium ]; then
    echo "make test: installing Debian's chromium for the browser tests (apt-get, about a minute)"
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        && [ -x "$chromium" ]; then
      exit 0
    fi
  fi
  echo "make test: trying Playwright's own Chromium download"
  if "$python" -m playwright install chromium >/dev/null 2>&1 && has_playwright_chromium; then
    exit 0
  fi
fi

echo "make test: the browser tests need Chromium at $chromium: install it (Debian or Ubuntu: sudo apt-get install chromium), or run 'make test SKIP_BROWSER=1' to run everything else" >&2
exit 1
