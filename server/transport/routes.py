"""HTTP routes: the client's page, join links and their QR codes, the library, the safety page's settings,
and a health check."""

import io

import segno
from flask import Blueprint, Response, abort, current_app, jsonify

from ..domain import rooms, steps
from . import links

bp = Blueprint("web", __name__)

# A room code in a link must not leak to other sites through the Referer header,
# and the client loads nothing from anywhere but this server.
_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
    # The page is never framed (older browsers ignore frame-ancestors) and no
    # other window that opened it, or that it opens, may keep a handle on it.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    # Camera and microphone for this origin only (the microphone is coming);
    # the powerful features the app never uses are off for everyone. Wake
    # Lock and the clipboard keep their default, this origin only.
    "Permissions-Policy": ("camera=(self), microphone=(self), geolocation=(), payment=(), usb=(), "
                           "serial=(), bluetooth=(), hid=(), midi=(), display-capture=(), "
                           "accelerometer=(), gyroscope=(), magnetometer=()"),
}
# Browsers that once reached the server over https keep to https for a year.
_HSTS = "max-age=31536000"


@bp.get("/")
@bp.get("/r/<code>")
@bp.get("/m/<code>")
def index(code=None):
    """Serve the single page of the client; it reads a join or moderator link from the URL.

    The client's other files (modules, styles, the vendored Socket.IO client)
    are the app's static folder, served by Flask at their own paths.
    """
    response = current_app.send_static_file("index.html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """Report whether Redis answers, and how fast."""
    seconds = current_app.extensions["attune.store"].ping()
    return jsonify(ok=True, redis_ms=round(seconds * 1000, 2))


@bp.after_app_request
def security_headers(response):
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    if _serves_https(current_app.config):
        response.headers.setdefault("Strict-Transport-Security", _HSTS)
    return response


def _serves_https(config) -> bool:
    return bool(config.get("TLS_CERT")) or (config.get("PUBLIC_URL") or "").lower().startswith("https://")


def init_app(app) -> None:
    """Mount the routes on `app` (its static folder is the client's)."""
    app.register_blueprint(bp)


@bp.get("/api/exercises")
def exercises():
    """List the library for the lobby: what each exercise is, how long, how deep, which steps, and
    the plan options its steps' kinds read, with their ranges (the client offers no others)."""
    library = current_app.extensions["attune.library"]
    items = [{"id": ex["id"], "title": ex["title"], "purpose": ex["purpose"], "category": ex["category"],
              "group": ex.get("group"), "minutes": ex["minutes"], "depth": ex["depth"], "care_note": ex.get("care_note"),
              "steps": [{"kind": step["kind"], "title": step["title"], **steps.step_facts(step)}
                        for step in ex["steps"]],
              "options": steps.options_for(ex)}
             for ex in sorted(library.exercises.values(), key=lambda e: (e["depth"], e["title"]))]
    return jsonify(exercises=items)


@bp.get("/api/feelings")
def feelings():
    """The words a partner can pick in an emotion check-in, grouped in families."""
    return jsonify(families=current_app.extensions["attune.library"].feelings)


@bp.get("/api/safety")
def safety():
    """The safety page's deployer-set part: helplines per country, an optional note, and the address
    "Leave quickly" goes to. Every page asks for it as it loads, so asking says nothing about anyone."""
    return jsonify(current_app.extensions["attune.safety"])


@bp.get("/r/<code>/qr.svg")
def join_qr(code):
    """A QR code of the room's join link, for the second phone to scan."""
    code = rooms.normalize_code(code)
    if code is None:
        abort(404)
    out = io.BytesIO()
    # Medium error correction survives a glare on the first phone's screen.
    segno.make(links.join_url(code), error="m").save(out, kind="svg", scale=8, border=2, dark="#1d1b2e",
                                                   light="#ffffff", xmldecl=False, svgns=True)
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})
