"""Draw the home-screen icons (client/icons/*.png) from client/icon.svg with headless Chromium.

    .venv/bin/python scripts/make_icons.py

Run it again after changing icon.svg and commit the PNGs: the server only serves
files, so the PNGs are kept in the repository. Chromium is the one the browser
tests use (CHROMIUM, else /usr/bin/chromium, else Playwright's own).

- icon-192.png, icon-512.png: the icon as drawn (rounded corners, transparent outside).
- icon-maskable-512.png: full bleed, no rounded corners, the glyph inside the
  centre 80 % circle a launcher may crop to (the "maskable" safe zone).
- apple-touch-icon.png (180 px): full bleed and opaque; iOS rounds the corners itself.
"""

import os
import re
import sys

from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "client", "icon.svg")
OUT = os.path.join(ROOT, "client", "icons")
CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def full_bleed(svg: str, scale: float) -> str:
    """The icon on a square background to the edges, its glyph scaled about the centre."""
    background = re.search(r'<rect[^>]*fill="([^"]+)"', svg).group(1)
    inner = re.sub(r"<rect[^>]*/>", "", re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1))
    shift = 32 * (1 - scale)
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
            f'<rect width="64" height="64" fill="{background}"/>'
            f'<g transform="translate({shift:.3f} {shift:.3f}) scale({scale})">{inner}</g></svg>')


ICONS = [
    ("icon-192.png", 192, lambda svg: svg),
    ("icon-512.png", 512, lambda svg: svg),
    ("icon-maskable-512.png", 512, lambda svg: full_bleed(svg, 0.8)),
    ("apple-touch-icon.png", 180, lambda svg: full_bleed(svg, 0.9)),
]


def main() -> int:
    with open(SOURCE, encoding="utf-8") as f:
        svg = f.read()
    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as pw:
        executable = CHROMIUM if os.path.exists(CHROMIUM) else None
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        for name, size, draw in ICONS:
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            drawn = draw(svg).replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            page.set_content(f'<html><body style="margin:0;background:transparent">{drawn}</body></html>')
            page.screenshot(path=os.path.join(OUT, name), omit_background=True,
                            clip={"x": 0, "y": 0, "width": size, "height": size})
            page.close()
            print(f"client/icons/{name}: {size}x{size}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
