"""Payload checks for every Socket.IO event, turned into error codes.

jsonschema does the checking (it reports each failure with its keyword and
path, which maps cleanly onto stable codes); the messages are our own and
never repeat the value, so nobody's words end up in an ack or a log.
"""

import json
from functools import lru_cache

from jsonschema import Draft202012Validator

from .domain import intents
from .domain.errors import DomainError
from .domain.rooms import MAX_NAME

NAME = {"type": "string", "minLength": 1, "maxLength": MAX_NAME}
SECRET = {"type": "string", "minLength": 1, "maxLength": 128}

EVENTS: dict[str, dict] = {
    "create_room": {
        "properties": {"name": NAME, "role": {"type": "string", "enum": ["partner", "moderator"]}},
        "required": ["name"],
    },
    "join_room": {
        "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 20}, "name": NAME,
                       "moderator_secret": SECRET},
        "required": ["code", "name"],
    },
    "resume": {
        "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 20}, "token": SECRET},
        "required": ["code", "token"],
    },
    "check_seat": {
        "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 20}, "token": SECRET},
        "required": ["code", "token"],
    },
    "leave_room": {"properties": {}, "required": []},
    "end_room": {"properties": {}, "required": []},
    "export_summary": {"properties": {"tz": {"type": "string", "minLength": 1, "maxLength": 64}},
                       "required": []},
    "get_timeline": {"properties": {"since": {"type": "integer", "minimum": 0},
                                    "notes_since": {"type": "integer", "minimum": 0}}, "required": []},
}

ENVELOPE = {
    "id": {"type": "string", "minLength": 1, "maxLength": 64},
    "type": {"type": "string", "minLength": 1, "maxLength": 40},
    "version": {"type": "integer", "minimum": 0},
    # The sender's own view in the ack instead of a push (docs/protocol.md, `intent`).
    "ack_view": {"type": "boolean"},
}

_CODES = {
    "required": "missing_field",
    "additionalProperties": "unknown_field",
    "type": "wrong_type",
    "maxLength": "text_too_long",
    "maxItems": "too_many",
}


def _validator(properties: dict, required: list[str]) -> Draft202012Validator:
    schema = {"type": "object", "properties": properties, "required": required,
              "additionalProperties": False}
    return Draft202012Validator(schema)


class _Checked:
    """A payload schema: a quick check for the plain shapes most payloads have, and jsonschema.

    `passes(payload)` is True only when jsonschema would find nothing wrong
    either (every property's schema is one it fully understands: a string
    with lengths or an enum, a boolean, an integer with bounds); otherwise
    jsonschema decides, and its first error is the one refused with, so the
    codes are exactly jsonschema's. It saves a full jsonschema run (about
    60 µs) on a plain intent.
    """

    def __init__(self, properties: dict, required: list[str]):
        self.validator = _validator(properties, required)
        self.required = tuple(required)
        checks = {name: _quick(schema) for name, schema in properties.items()}
        self.checks = None if None in checks.values() else checks

    def passes(self, payload: dict) -> bool:
        checks = self.checks
        if checks is None:
            return False
        for name, value in payload.items():
            check = checks.get(name)
            if check is None or not check(value):
                return False
        return all(name in payload for name in self.required)


def _quick(schema: dict):
    """A predicate equivalent to `schema` for the plain shapes, or None for any other schema."""
    kind = schema.get("type")
    rest = set(schema) - {"type"}
    if kind == "boolean" and not rest:
        return lambda v: v is True or v is False
    if kind == "string" and rest <= {"minLength", "maxLength", "enum"}:
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        allowed = frozenset(schema["enum"]) if "enum" in schema else None
        if allowed is not None and not all(isinstance(v, str) for v in allowed):
            return None
        return lambda v: (type(v) is str and low <= len(v) and (high is None or len(v) <= high)
                          and (allowed is None or v in allowed))
    if kind == "integer" and rest <= {"minimum", "maximum"}:
        low, high = schema.get("minimum"), schema.get("maximum")
        # Only a true int passes here: 2.0 (an integer to jsonschema) or a bool goes to jsonschema.
        return lambda v: type(v) is int and (low is None or v >= low) and (high is None or v <= high)
    return None


@lru_cache(maxsize=None)
def _event_validator(event: str) -> _Checked:
    spec = EVENTS[event]
    return _Checked(spec["properties"], spec["required"])


@lru_cache(maxsize=None)
def _intent_validator(row: intents.Row) -> _Checked:
    # Keyed on the table's row itself, so a row that is gone (a test's kind) is never used again.
    return _Checked({**ENVELOPE, **row.fields}, ["id", "type", *row.required])


def _describe(error) -> DomainError:
    code = _CODES.get(error.validator, "bad_value")
    where = ".".join(str(p) for p in error.absolute_path) or "payload"
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return DomainError(code, f"Missing field: {', '.join(missing)}.", field=missing[0])
    if error.validator == "additionalProperties":
        # The unknown name is the client's own text: say where, not what.
        return DomainError(code, f"{where} has a field that is not allowed here.", field=where)
    if error.validator == "type":
        return DomainError(code, f"{where} must be of type {error.validator_value}.", field=where)
    if error.validator == "maxLength":
        return DomainError(code, f"{where} is too long (at most {error.validator_value} characters).",
                           field=where)
    if error.validator == "maxItems":
        return DomainError(code, f"{where} has too many items (at most {error.validator_value}).",
                           field=where)
    return DomainError(code, f"{where} has a value that is not allowed here.", field=where)


def _check(checked: _Checked, payload: dict) -> dict:
    if checked.passes(payload):
        return payload
    # The first error by path depth is the most specific, and stable across runs.
    errors = sorted(checked.validator.iter_errors(payload), key=lambda e: (len(e.absolute_path), e.validator))
    if errors:
        raise _describe(errors[0])
    return payload


def checked(properties: dict, required: list[str], payload: dict) -> dict:
    """Check a parsed payload against these fields (no others allowed); raise the field's error code."""
    return _check(_Checked(properties, required), payload)


def parse(raw, max_bytes: int) -> dict:
    """Turn a raw event argument into a dict, or raise malformed_json / bad_payload / payload_too_large."""
    if raw is None:
        raw = {}
    if isinstance(raw, (bytes, bytearray)):
        raise DomainError("bad_payload", "Send a JSON object, not binary data.")
    if isinstance(raw, str):
        if len(raw.encode()) > max_bytes:
            raise DomainError("payload_too_large", f"The message is larger than {max_bytes} bytes.")
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            raise DomainError("malformed_json", "The message is not valid JSON.")
    if not isinstance(raw, dict):
        raise DomainError("bad_payload", "Send a JSON object.")
    if len(json.dumps(raw, separators=(",", ":")).encode()) > max_bytes:
        raise DomainError("payload_too_large", f"The message is larger than {max_bytes} bytes.")
    return raw


def event_payload(event: str, raw, max_bytes: int) -> dict:
    """Parse and check the payload of a room event (create_room, join_room, ...)."""
    return _check(_event_validator(event), parse(raw, max_bytes))


def intent_payload(raw, max_bytes: int) -> dict:
    """Parse and check a seated intent: the envelope, then the fields its type allows."""
    payload = parse(raw, max_bytes)
    kind = payload.get("type")
    if "type" not in payload:
        raise DomainError("missing_field", "Missing field: type.", field="type")
    if not isinstance(kind, str):
        raise DomainError("wrong_type", "type must be of type string.", field="type")
    row = intents.TABLE.get(kind)
    if row is None:
        raise DomainError("unknown_intent", "There is no intent of that type.", field="type")
    return _check(_intent_validator(row), payload)
