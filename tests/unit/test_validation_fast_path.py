"""The quick payload check never lets through what jsonschema would refuse, and is what plain intents take."""

from hypothesis import given, settings, strategies as st

from server import validation
from server.domain import intents

VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5000, 5000), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 1.0, 3.0, -1.0]), st.text(max_size=90), st.sampled_from(["now", "later", "prompt", "card",
                                                                                      "remote", "same_room", ""]),
    st.lists(st.integers(0, 3), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_whatever_passes_the_quick_check_jsonschema_finds_nothing_wrong_with(data):
    row = data.draw(st.sampled_from(sorted(intents.TABLE.values(), key=lambda r: r.type)), label="row")
    checked = validation._intent_validator(row)
    names = sorted({**validation.ENVELOPE, **row.fields}) + ["extra"]
    payload = {"id": "i1", "type": row.type}
    for name in data.draw(st.lists(st.sampled_from(names), max_size=5), label="names"):
        payload[name] = data.draw(VALUES, label=name)
    if data.draw(st.booleans(), label="drop a required field"):
        payload.pop(data.draw(st.sampled_from(["id", "type", *row.required]), label="dropped"), None)
    if checked.passes(payload):
        assert list(checked.validator.iter_errors(payload)) == [], payload


def test_a_plain_intent_is_passed_by_the_quick_check_and_a_bad_one_still_gets_jsonschemas_code():
    for payload in ({"id": "a", "type": "continue", "version": 7, "ack_view": True},
                    {"id": "b", "type": "share", "version": 8, "text": "I felt left out."},
                    {"id": "c", "type": "check", "accurate": False, "text": "Not quite."}):
        assert validation._intent_validator(intents.TABLE[payload["type"]]).passes(payload), payload
        assert validation.intent_payload(payload, 16 * 1024) == payload
    for payload, code in (({"id": "a", "type": "continue", "version": -1}, "bad_value"),
                          ({"id": "a", "type": "continue", "version": True}, "wrong_type"),
                          ({"id": "a", "type": "share", "text": "x" * 2001}, "text_too_long"),
                          ({"id": "a", "type": "check"}, "missing_field"),
                          ({"id": "a", "type": "continue", "extra": 1}, "unknown_field")):
        try:
            validation.intent_payload(payload, 16 * 1024)
        except validation.DomainError as err:
            assert err.code == code, (payload, err.code)
        else:
            raise AssertionError(f"{payload} was accepted")
    # An integral float is an integer to jsonschema: jsonschema, not the quick check, accepts it.
    assert validation.intent_payload({"id": "a", "type": "continue", "version": 7.0}, 16 * 1024)
