"""axe-core in the browser tests: injected into a page, run for WCAG 2.2 AA, violations listed.

The package is pinned in tests/e2e/package.json and installed by `make test`
(ensure_browser.sh runs `npm ci` here). It is evaluated in the page through
Playwright rather than added as a <script>, which the page's CSP would refuse.
"""

import os

import pytest

AXE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules", "axe-core", "axe.min.js")
# WCAG 2.0, 2.1 and 2.2, levels A and AA (2.2 added only AA rules that axe checks).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN = """(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
  .then((result) => result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  })))"""

_SETTLE = ("() => Promise.all(document.getAnimations()"
           ".filter(a => a.effect.getComputedTiming().iterations !== Infinity)"
           ".map(a => a.finished.catch(() => null)))")

_source = None


def _axe_source() -> str:
    global _source
    if _source is None:
        if not os.path.exists(AXE):
            pytest.fail("axe-core is missing for the accessibility test: run `make test`, "
                        "or `npm ci` in tests/e2e")
        with open(AXE, encoding="utf-8") as f:
            _source = f.read()
    return _source


def violations(page) -> list[dict]:
    """Run axe on the page as it is now (after its animations end); return its WCAG A/AA violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    page.evaluate(_SETTLE)
    return page.evaluate(_RUN, TAGS)


def assert_accessible(phone, screen: str) -> None:
    """Screenshot `screen` and fail on any WCAG 2.2 AA violation axe finds there."""
    phone.shot(screen)
    found = violations(phone.page)
    assert not found, f"{phone.label}: WCAG 2.2 AA violations on the {screen} screen:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found)
