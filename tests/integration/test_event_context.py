"""The request context Flask-SocketIO pushes for every Socket.IO event does no routing and opens no session."""

import flask
import pytest
from flask.sessions import NullSession


def test_an_events_request_context_matches_no_route_and_opens_no_cookie_session(app):
    environ = {"PATH_INFO": "/socket.io/", "QUERY_STRING": "EIO=4&transport=websocket", "REQUEST_METHOD": "GET",
               "HTTP_HOST": "localhost", "HTTP_COOKIE": "session=not-ours", "wsgi.url_scheme": "http",
               "SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    with app.request_context(environ):
        assert flask.request.url_rule is None and flask.request.routing_exception is None
        assert isinstance(flask.session, NullSession)
        assert flask.request.host_url == "http://localhost/"  # links are still built from it


def test_http_routes_still_match_and_a_session_cannot_be_written(app):
    with app.test_request_context("/healthz"):
        assert flask.request.url_rule is not None and flask.request.routing_exception is None
        with pytest.raises(RuntimeError):
            flask.session["x"] = 1  # nothing of Attune's lives in a cookie session
    assert app.test_client().get("/healthz").status_code == 200
