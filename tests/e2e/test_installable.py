"""Attune can be put on a home screen: the manifest, its icons and the iOS tags (issue 12, item 14)."""

import json

import pytest

from tests.e2e.conftest import PHONE_390

pytestmark = pytest.mark.slow

# In the page: fetch an image and decode it, so a wrong size or a broken PNG fails.
_IMAGE = """async (src) => {
  const response = await fetch(src);
  const type = response.headers.get('content-type');
  const bitmap = await createImageBitmap(await response.blob());
  return { status: response.status, type, width: bitmap.width, height: bitmap.height };
}"""


def test_the_app_is_installable_with_a_manifest_icons_and_the_ios_tags(phones):
    phone = phones("Ana", size=PHONE_390)
    page = phone.page
    href = page.evaluate("document.querySelector('link[rel=manifest]').href")
    fetched = page.evaluate("""async (href) => { const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type'), text: await r.text() }; }""", href)
    assert fetched["status"] == 200 and fetched["type"].startswith("application/manifest+json")
    manifest = json.loads(fetched["text"])
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["name"] == "Attune" and manifest["short_name"] == "Attune"

    # Chromium itself reads the manifest without a complaint.
    cdp = phone.context.new_cdp_session(page)
    parsed = cdp.send("Page.getAppManifest")
    assert parsed["url"] == href and parsed.get("errors") == [], parsed.get("errors")

    # PNG icons of 192 and 512 px, one of them maskable, each fetched and decoded at its size.
    pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
    assert {icon["sizes"] for icon in pngs} >= {"192x192", "512x512"}
    assert any("maskable" in icon.get("purpose", "").split() for icon in pngs)
    for icon in pngs:
        got = page.evaluate(_IMAGE, icon["src"])
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert got == {"status": 200, "type": "image/png", "width": width, "height": height}, icon

    # Theme colours for light and dark, the manifest's matching the light page.
    themes = page.evaluate("""[...document.querySelectorAll('meta[name=theme-color]')]
      .map((m) => [m.media, m.content])""")
    assert dict(themes) == {"(prefers-color-scheme: light)": manifest["theme_color"],
                            "(prefers-color-scheme: dark)": "#15141c"}
    assert manifest["background_color"] == manifest["theme_color"]

    # What an iPhone reads instead: its touch icon (opaque, 180 px), full screen, a short title.
    meta = page.evaluate("""Object.fromEntries([...document.querySelectorAll('meta[name^=apple-mobile-web-app]')]
      .map((m) => [m.name, m.content]))""")
    assert meta == {"apple-mobile-web-app-capable": "yes", "apple-mobile-web-app-title": "Attune",
                    "apple-mobile-web-app-status-bar-style": "default"}
    touch = page.evaluate("document.querySelector('link[rel=apple-touch-icon]').getAttribute('href')")
    assert page.evaluate(_IMAGE, touch) == {"status": 200, "type": "image/png", "width": 180, "height": 180}
    opaque = page.evaluate("""async (src) => {
      const bitmap = await createImageBitmap(await (await fetch(src)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
      return true;
    }""", touch)
    assert opaque, "the apple-touch-icon has transparent pixels (iOS shows them black)"
    phone.shot("home-installable")
