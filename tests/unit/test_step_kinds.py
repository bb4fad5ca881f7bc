"""The step-kind contract holds for every kind, and nothing outside server/domain/steps names a kind."""

import io
import json
import tokenize
from pathlib import Path

import pytest

from server.domain import intents, rooms, staleness, steps
from server.domain.context import StepCtx
from tests.unit.helpers import LIBRARY, NOW

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "exercises" / "schema.json").read_text(encoding="utf-8"))
KINDS = sorted(steps.KINDS)


def specs_of(kind: str) -> list[dict]:
    found = [step for ex in LIBRARY.exercises.values() for step in ex["steps"] if step["kind"] == kind]
    assert found, f"no exercise of the library has a {kind} step"
    return found


def ctx() -> StepCtx:
    return StepCtx(now=NOW, seed=7, mode="remote", first="partner_a", feelings=LIBRARY.feelings_by_id)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_declares_every_member_of_the_contract(kind):
    module = steps.KINDS[kind]
    assert [m for m in steps.MEMBERS if not hasattr(module, m)] == []
    assert module.KIND == kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_kinds_place_is_made_of_keys_its_state_keeps(kind):
    # A key no state keeps (the old "round") would never see a change, so never make anything stale.
    for spec in specs_of(kind):
        assert set(steps.KINDS[kind].PLACE) <= set(steps.KINDS[kind].start(spec, ctx())), kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_has_words_for_every_move_and_for_its_clock(kind):
    module = steps.KINDS[kind]
    assert set(module.INTENTS) <= set(module.WORDS)
    for spec in specs_of(kind):
        st = module.start(spec, ctx())
        clocked = module.deadline(st) is not None or module.adjustable(st) or "deadline" in st
        if clocked:
            assert "deadline" in module.WORDS, kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_has_its_definition_in_the_exercise_schema(kind):
    assert SCHEMA["$defs"][kind]["properties"]["kind"] == {"const": kind}


@pytest.mark.parametrize("kind", KINDS)
def test_a_kinds_options_are_integer_ranges(kind):
    for name, schema in steps.KINDS[kind].OPTIONS.items():
        assert schema["type"] == "integer" and schema["minimum"] <= schema["maximum"], name


def test_the_schema_file_leaves_the_step_dispatcher_to_the_kinds():
    assert set(SCHEMA["$defs"]["step"]) == {"$comment"}
    built = steps.step_schema()
    assert built["properties"]["kind"]["enum"] == [m.KIND for m in steps.MODULES]
    assert [row["then"]["$ref"] for row in built["allOf"]] == [f"#/$defs/{m.KIND}" for m in steps.MODULES]


def test_a_schema_default_for_an_option_lies_in_its_range():
    # The exercise file's field and the plan's option describe one number; they must agree.
    for module in steps.MODULES:
        fields = SCHEMA["$defs"][module.KIND]["properties"]
        for name, option in module.OPTIONS.items():
            if name in fields and "maximum" in fields[name]:
                assert fields[name]["maximum"] == option["maximum"], (module.KIND, name)


def test_the_table_holds_every_kinds_intents_as_partner_moves():
    for module in steps.MODULES:
        for name in module.INTENTS:
            row = intents.TABLE[name]
            assert row.who == rooms.PARTNERS_ONLY and module.KIND in row.kinds
            assert row.fields == module.INTENTS[name][0] and row.moves == staleness.BY_PLACE


def test_a_kind_cannot_take_the_name_of_another_intent():
    import types

    sneaky = types.SimpleNamespace(**{m: getattr(steps.MODULES[0], m) for m in steps.MEMBERS})
    sneaky.KIND, sneaky.INTENTS = "sneaky", {"pause": ({}, [])}
    with pytest.raises(ValueError, match="'pause' is declared twice"):
        intents.build_table({**steps.KINDS, "sneaky": sneaky})


def test_the_table_refuses_a_row_hidden_from_a_partner_that_could_move_the_room():
    hidden = intents.Row("peek", lambda *a: None, rooms.MODERATOR_ONLY, {}, (), audience=(rooms.MODERATOR,))
    with pytest.raises(ValueError, match="'peek' is hidden from a partner but may move the room"):
        intents.add_row({}, hidden)
    quiet = intents.Row("peek", lambda *a: None, rooms.MODERATOR_ONLY, {}, (), audience=(rooms.MODERATOR,),
                        moves=staleness.NEVER)
    table = {}
    intents.add_row(table, quiet)
    assert table == {"peek": quiet}
    assert intents.TABLE["add_note"].audience == (rooms.MODERATOR,)
    assert intents.TABLE["add_note"].moves == staleness.NEVER


def _literals(path: Path) -> set[str]:
    found = set()
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING:
            try:
                value = eval(token.string, {})  # noqa: S307 - a literal from our own source
            except Exception:  # noqa: BLE001 - f-strings and the like: not a plain literal
                continue
            if isinstance(value, str):
                found.add(value)
    return found


def test_no_server_file_outside_the_step_folder_names_a_step_kind():
    folder = ROOT / "server" / "domain" / "steps"
    offenders = {str(p.relative_to(ROOT)): sorted(_literals(p) & set(KINDS))
                 for p in (ROOT / "server").rglob("*.py") if folder not in p.parents}
    assert {p: names for p, names in offenders.items() if names} == {}


def test_the_guard_would_see_a_kind_named_in_a_file(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('if step["kind"] != "cards":\n    pass\n')
    assert "cards" in _literals(sample)


@pytest.mark.parametrize("kind", KINDS)
def test_erasing_a_seat_from_a_fresh_step_changes_nothing_and_keeps_the_place(kind):
    module = steps.KINDS[kind]
    for spec in specs_of(kind):
        st = module.start(spec, ctx())
        before = json.dumps(st, sort_keys=True)
        for seat in (*rooms.PARTNERS, rooms.MODERATOR):
            assert module.erase_seat(st, seat) == st, (kind, seat)
        assert json.dumps(st, sort_keys=True) == before
