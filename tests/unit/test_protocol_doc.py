"""docs/protocol.md and the server say the same: every intent, its fields, every error code.

A client is written against the document alone, so an intent type, field or
error code that exists on one side only is a bug on the other.
"""

import ast
import re
from pathlib import Path

import pytest

from server import validation
from server.domain import intents

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "protocol.md").read_text()
FIELD = re.compile(r"^`([a-z_]+)(\?)?`")


def section(title: str) -> str:
    """The text of one `## title` section, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", DOC, re.S | re.M)
    assert match, f"docs/protocol.md has no section {title!r}"
    return match.group(1)


def table_rows(text: str, first_header: str) -> list[dict[str, str]]:
    """The body rows, keyed by header, of every table in `text` whose first column is `first_header`."""
    rows, header = [], None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if cells[0] == first_header:
            header = cells
        elif header and not set(cells[0]) <= set("-: "):
            rows.append(dict(zip(header, cells)))
    return rows


def documented_fields(cell: str) -> dict[str, bool]:
    """The fields a table cell names, each with whether it is required (no `?`)."""
    bare = cell
    while True:  # drop (explanations), innermost first: they mention values, not fields
        shorter = re.sub(r"\([^()]*\)", "", bare)
        if shorter == bare:
            break
        bare = shorter
    fields = {}
    for part in bare.split(","):
        match = FIELD.match(part.strip())
        if match:
            fields[match.group(1)] = match.group(2) is None
    return fields


def documented_intents() -> dict[str, dict[str, bool]]:
    found: dict[str, dict[str, bool]] = {}
    for row in table_rows(section("Intents"), "type"):
        name = row["type"].strip("`")
        fields = documented_fields(row["fields"])
        assert found.get(name, fields) == fields, f"{name} is documented twice with other fields"
        found[name] = fields
    return found


def documented_codes() -> set[str]:
    return {row["code"].strip("`") for row in table_rows(section("Error codes"), "code")}


def raised_codes() -> set[str]:
    """Every error code the server can answer with: domain errors, validation and transport literals."""
    codes = set(validation._CODES.values()) | {"bad_value"}  # the validator's fallback
    for path in (ROOT / "server").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name == "DomainError" and node.args and isinstance(node.args[0], ast.Constant) \
                        and isinstance(node.args[0].value, str):
                    codes.add(node.args[0].value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "code" \
                            and isinstance(value, ast.Constant) and isinstance(value.value, str):
                        codes.add(value.value)
    return codes


def test_the_parser_reads_the_tables_it_checks():
    # A parser that found nothing would make every check below pass vacuously.
    docs = documented_intents()
    assert docs["check"] == {"accurate": True, "text": False}
    assert docs["send_prompt"] == {"text": True, "kind": False}
    assert docs["checkin"] == {"feelings": True, "note": False}
    assert docs["advance_step"] == {}
    assert {"not_found", "stale", "internal", "unknown_event"} <= documented_codes()


def test_every_intent_type_in_the_table_is_documented_and_every_documented_one_is_in_it():
    docs = documented_intents()
    assert sorted(set(intents.TABLE) - set(docs)) == [], "in the table but not documented"
    assert sorted(set(docs) - set(intents.TABLE)) == [], "documented but not in the table"


@pytest.mark.parametrize("kind", sorted(intents.TABLE))
def test_an_intents_documented_fields_are_the_ones_it_takes(kind):
    docs = documented_intents().get(kind)
    if docs is None:
        pytest.fail(f"{kind} is not documented")
    assert set(docs) == set(intents.TABLE[kind].fields), kind
    # A field the server requires is never documented as optional. (The domain
    # may require more than the schema, e.g. a guess's text, so not conversely.)
    optional = {name for name, required in docs.items() if not required}
    assert not optional & set(intents.TABLE[kind].required), kind


def test_every_error_code_the_server_raises_is_documented_and_every_documented_one_is_raised():
    raised, docs = raised_codes(), documented_codes()
    assert sorted(raised - docs) == [], "raised but not documented"
    assert sorted(docs - raised) == [], "documented but never raised"


def test_every_client_event_the_server_handles_is_documented_and_every_documented_one_is_handled():
    from server.extensions import socketio
    from server.transport import events  # noqa: F401 - registers the handlers

    # Socket.IO's own names and catch-alls: handled, but never a client event (see Acks).
    lifecycle = {"*", "connect", "disconnect", "connect_error", "disconnecting", "message", "json"}
    handled = {name for name, *_ in socketio.handlers} - lifecycle
    docs = {row["event"].strip("`") for row in table_rows(section("Client → server events"), "event")
            if row["event"].startswith("`")}
    assert "intent" in docs and "resume" in docs
    assert sorted(handled - docs) == [], "handled but not documented"
    assert sorted(docs - handled) == [], "documented but not handled"


def test_the_documented_plan_options_and_ranges_are_the_step_kinds_own():
    from server.domain import steps

    text = re.search(r"Plan `options` \(all optional integers\): (.*?)\.\n", DOC, re.S)
    assert text, "docs/protocol.md no longer lists the plan options"
    documented = {name: (int(lo), int(hi))
                  for name, lo, hi in re.findall(r"`([a-z_]+)` (\d+)–(\d+)", text.group(1))}
    declared = {name: (o["minimum"], o["maximum"]) for name, o in steps.option_fields().items()}
    assert documented == declared


def emitted_events() -> set[str]:
    """Every event name the server sends: the first argument of each `emit(...)` call that is a literal."""
    names = set()
    for path in (ROOT / "server").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "emit" and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
    return names


def test_every_event_the_server_sends_is_documented_and_every_documented_one_is_sent():
    docs = {row["event"].strip("`") for row in table_rows(section("Server → client events"), "event")}
    sent = emitted_events()
    assert {"view", "resumed"} <= sent
    assert sorted(sent - docs) == [], "sent but not documented"
    assert sorted(docs - sent) == [], "documented but never sent"
