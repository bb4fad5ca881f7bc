"""The pure domain: rooms, seats, exercises and views. Imports nothing from flask, redis or eventlet."""
