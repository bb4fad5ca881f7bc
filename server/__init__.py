"""Attune server. `create_app` builds the Flask app; `python -m server` runs it.

This module imports nothing at load time: `python -m server` imports the
package before its entry point runs, and eventlet must monkey-patch first.
"""


def create_app(test_config: dict | None = None):
    """Build the app: config from the environment (then `test_config`), Redis, Socket.IO, routes."""
    from .app import create_app as build

    return build(test_config)
