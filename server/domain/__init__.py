"""The pure domain: rooms, seats, exercises and views. Imports nothing from flask, redis or eventlet."""

# Importing these registers the session's intents, every step machine's and
# the moderator's controls.
from . import moderation, session  # noqa: E402,F401
