"""Extension objects, created unbound and bound to the app in the factory."""

from flask_socketio import SocketIO

socketio = SocketIO()
