"""The exercise library: the real content loads, covers the practice, and bad files are refused clearly."""
import dataclasses
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from server.library import LibraryError, load_library

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken_exercises"

CATEGORIES = {
    "communication",
    "vulnerability",
    "trust",
    "empathy",
    "barriers",
    "self_exploration",
    "emotional_awareness",
    "attunement",
    "quality_time",
}
# What an exercise is for: the lobby's headings, in the order it shows them.
GROUPS = ("everyday", "closer", "listen", "feelings", "holding_back", "hard")
STEP_KINDS = {"speaker_listener", "imago", "cards", "checkin", "timed_turns", "brainstorm", "timed_together",
              "look_back"}
CARD_MODES = {"reveal", "aloud", "guess"}


@pytest.fixture(scope="module")
def library():
    return load_library(EXERCISES)


def all_steps(library):
    return [(ex, step) for ex in library.exercises.values() for step in ex["steps"]]


def broken_folder(tmp_path, *cases):
    """A folder with the real feelings list and one valid exercise, plus the files of the given fixture cases."""
    shutil.copy(EXERCISES / "feelings.yaml", tmp_path)
    shutil.copy(EXERCISES / "take-the-floor.yaml", tmp_path)
    for case in cases:
        for file in (BROKEN / case).glob("*.yaml"):
            shutil.copy(file, tmp_path)
    return tmp_path


def problems_of(folder):
    with pytest.raises(LibraryError) as caught:
        load_library(folder)
    return caught.value


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


VALID_CHECKIN = """\
id: {id}
title: A title
purpose: A purpose.
category: emotional_awareness
minutes: 5
depth: 1
steps:
  - kind: checkin
    title: How are you?
    instructions:
      both: Pick a word.
"""


# --- the real content ------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(json.loads((EXERCISES / "schema.json").read_text(encoding="utf-8")))


def test_every_real_exercise_file_loads_and_validates(library):
    files = {p.stem for p in EXERCISES.glob("*.yaml")} - {"feelings"}
    assert set(library.exercises) == files
    assert len(files) >= 12


def test_every_exercise_id_matches_its_file_name(library):
    for exercise_id, exercise in library.exercises.items():
        assert exercise["id"] == exercise_id
        assert (EXERCISES / f"{exercise_id}.yaml").is_file()


def test_every_category_of_the_practice_has_an_exercise(library):
    assert {ex["category"] for ex in library.exercises.values()} == CATEGORIES


def test_every_exercise_says_what_it_is_for_from_the_lobbys_fixed_list(library):
    groups = {ex["id"]: ex.get("group") for ex in library.exercises.values()}
    assert {ex: g for ex, g in groups.items() if g not in GROUPS} == {}
    # The schema offers exactly these, and every heading has enough to choose from but none holds most.
    schema = json.loads((EXERCISES / "schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["properties"]["group"]["enum"]) == GROUPS
    counts = Counter(groups.values())
    assert set(counts) == set(GROUPS)
    assert all(3 <= n <= 8 for n in counts.values()), counts


def test_every_step_kind_is_used_at_least_twice(library):
    kinds = Counter(step["kind"] for _, step in all_steps(library))
    assert set(kinds) == STEP_KINDS
    assert all(count >= 2 for count in kinds.values()), kinds


def test_every_cards_mode_is_used(library):
    modes = {step["mode"] for _, step in all_steps(library) if step["kind"] == "cards"}
    assert modes == CARD_MODES


def test_there_is_an_imago_dialogue_and_a_speaker_listener_exercise_about_communication(library):
    communication = [ex for ex in library.exercises.values() if ex["category"] == "communication"]
    kinds = {step["kind"] for ex in communication for step in ex["steps"]}
    assert {"speaker_listener", "imago"} <= kinds


def test_vulnerability_cards_offer_all_three_depths(library):
    depths = {
        card["depth"]
        for ex in library.exercises.values()
        if ex["category"] == "vulnerability" and ex["id"] != "closeness-36"
        for step in ex["steps"]
        if step["kind"] == "cards"
        for card in step["cards"]
    }
    assert depths == {1, 2, 3}


def test_self_exploration_reflects_privately_before_sharing(library):
    for ex in library.exercises.values():
        if ex["category"] != "self_exploration":
            continue
        kinds = [step["kind"] for step in ex["steps"]]
        first_private = next(i for i, s in enumerate(ex["steps"]) if s["kind"] == "cards" and s["mode"] == "reveal")
        assert "speaker_listener" in kinds[first_private + 1 :]
        break
    else:
        pytest.fail("no self_exploration exercise")


def test_emotional_awareness_includes_a_checkin(library):
    aware = [ex for ex in library.exercises.values() if ex["category"] == "emotional_awareness"]
    assert any(step["kind"] == "checkin" for ex in aware for step in ex["steps"])


def test_attunement_includes_guessing_the_partners_answers(library):
    attune = [ex for ex in library.exercises.values() if ex["category"] == "attunement"]
    assert any(s["kind"] == "cards" and s["mode"] == "guess" for ex in attune for s in ex["steps"])


def test_the_barriers_cover_rejection_past_hurts_and_societal_expectations(library):
    barriers = {ex["id"] for ex in library.exercises.values() if ex["category"] == "barriers"}
    assert {"fear-of-rejection", "past-hurts", "what-we-were-taught"} <= barriers


def test_barriers_exercises_carry_a_care_note_that_mentions_the_time_out(library):
    for ex in library.exercises.values():
        if ex["category"] == "barriers":
            assert "time-out" in ex["care_note"], ex["id"]


def test_the_closeness_deck_has_three_fixed_sets_of_twelve_read_aloud(library):
    deck = library.get("closeness-36")
    assert [step["kind"] for step in deck["steps"]] == ["cards"] * 3
    for step in deck["steps"]:
        assert step["mode"] == "aloud"
        assert step["order"] == "fixed"
        assert step["draw"] == 12
        assert len(step["cards"]) == 12
    assert deck["minutes"] >= 45
    assert "Aron" in deck["source"] and "1997" in deck["source"]


def test_the_closeness_deck_escalates_from_set_to_set(library):
    deck = library.get("closeness-36")
    depths = [{card["depth"] for card in step["cards"]} for step in deck["steps"]]
    assert depths == [{1}, {2}, {3}]


def test_timed_turns_fit_inside_the_exercises_estimated_minutes(library):
    for ex in library.exercises.values():
        talking = sum(2 * s["seconds"] * s["turns"] for s in ex["steps"] if s["kind"] == "timed_turns")
        assert talking <= ex["minutes"] * 60, ex["id"]


def test_no_card_text_is_repeated_across_the_library(library):
    texts = Counter(card["text"] for _, s in all_steps(library) if s["kind"] == "cards" for card in s["cards"])
    assert [t for t, n in texts.items() if n > 1] == []


def test_defaults_are_filled_in_for_every_step(library):
    for _, step in all_steps(library):
        expected = {"speaker_listener": "rounds", "cards": "order", "checkin": "max_feelings", "timed_turns": "turns"}
        if step["kind"] in expected:
            assert expected[step["kind"]] in step


def test_an_omitted_default_takes_the_value_from_the_schema(tmp_path):
    shutil.copy(EXERCISES / "feelings.yaml", tmp_path)
    write(tmp_path, "just-checkin.yaml", VALID_CHECKIN.format(id="just-checkin"))
    write(
        tmp_path,
        "just-cards.yaml",
        """\
id: just-cards
title: A title
purpose: A purpose.
category: attunement
minutes: 5
depth: 1
steps:
  - kind: cards
    title: Cards
    mode: guess
    draw: 1
    instructions: {both: Answer and guess.}
    cards: [{id: one, text: A question?, depth: 1}]
""",
    )
    library = load_library(tmp_path)
    assert library.get("just-checkin")["steps"][0]["max_feelings"] == 3
    assert library.get("just-cards")["steps"][0]["order"] == "seeded"


def test_the_feelings_list_has_the_expected_families_with_five_to_eight_words(library):
    families = {family["id"]: family for family in library.feelings}
    assert {"joy", "tenderness", "calm", "sadness", "fear", "anger", "shame", "surprise", "tiredness"} <= set(families)
    for family in library.feelings:
        assert 5 <= len(family["feelings"]) <= 8


def test_a_feeling_can_be_looked_up_by_its_id(library):
    assert library.feeling("glad") == {"id": "glad", "word": "glad", "family": "joy"}
    with pytest.raises(KeyError):
        library.feeling("no-such-feeling")


def test_getting_an_unknown_exercise_raises_key_error(library):
    with pytest.raises(KeyError, match="no-such-exercise"):
        library.get("no-such-exercise")


def test_the_library_cannot_be_reassigned(library):
    with pytest.raises(dataclasses.FrozenInstanceError):
        library.exercises = {}


# --- broken files ------------------------------------------------------------

BROKEN_CASES = [
    # (fixture folder, file, field, reason)
    ("wrong-type", "small-talk.yaml", "minutes", "expected a whole number, got 'ten'"),
    ("out-of-range", "small-talk.yaml", "steps[0].rounds", "9 is greater than the maximum of 6"),
    ("missing-required", "small-talk.yaml", "steps[0].cards[1].text", "is missing"),
    ("unknown-field", "small-talk.yaml", "steps[0].colour", "is not a known field here"),
    ("bad-enum", "small-talk.yaml", "steps[0].mode", "'whisper' is not one of: reveal, aloud, guess"),
    ("id-mismatch", "small-talk.yaml", "id", "'smalltalk' does not match the file name; it must be 'small-talk'"),
    ("duplicate-card-id", "small-talk.yaml", "steps[1].cards[1].id", "'one' is already used by steps[0].cards[0].id"),
    ("draw-too-large", "small-talk.yaml", "steps[0].draw", "5 is more than the 3 cards in this step"),
    ("yaml-syntax", "small-talk.yaml", "", "YAML syntax error at line 10, column 12"),
    ("duplicate-yaml-key", "small-talk.yaml", "", "YAML error at line 8, column 1: duplicate key 'title' (first given on line 3)"),
    ("barriers-without-care-note", "small-talk.yaml", "care_note", "is missing (required when category is barriers)"),
    ("aloud-without-answerer", "small-talk.yaml", "steps[0].instructions.answerer", "is missing (required when mode is aloud)"),
    ("feelings-too-few-words", "feelings.yaml", "families[0].feelings", "has 2 items; needs at least 5"),
    ("feelings-duplicate-id", "feelings.yaml", "families[1].feelings[4].id", "'happy' is already used by families[0].feelings[0].id"),
]


@pytest.mark.parametrize("case, file, field, reason", BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_a_broken_file_is_rejected_with_its_file_field_and_reason(tmp_path, case, file, field, reason):
    error = problems_of(broken_folder(tmp_path, case))
    assert len(error.problems) == 1, str(error)
    (problem,) = error.problems
    assert problem.file == str(tmp_path / file)
    assert problem.field == field
    assert reason in problem.reason
    prefix = f"{tmp_path / file}: {field + ': ' if field else ''}"
    assert str(error).startswith(prefix + reason.split(" (")[0])


def test_every_broken_fixture_case_is_exercised():
    assert {p.name for p in BROKEN.iterdir() if p.is_dir()} == {c[0] for c in BROKEN_CASES}


def test_the_message_reads_as_one_plain_line_per_problem(tmp_path):
    error = problems_of(broken_folder(tmp_path, "out-of-range"))
    assert str(error) == f"{tmp_path / 'small-talk.yaml'}: steps[0].rounds: 9 is greater than the maximum of 6"


def test_problems_in_several_files_are_all_reported_at_once(tmp_path):
    folder = broken_folder(tmp_path, "bad-enum", "feelings-too-few-words")
    write(folder, "another.yaml", VALID_CHECKIN.format(id="another").replace("minutes: 5", "minutes: 0"))
    lines = str(problems_of(folder)).splitlines()
    assert len(lines) == 3
    assert any("another.yaml: minutes: 0 is less than the minimum of 1" in line for line in lines)
    assert any("small-talk.yaml: steps[0].mode:" in line for line in lines)
    assert any("feelings.yaml: families[0].feelings:" in line for line in lines)


def test_a_step_of_unknown_kind_is_rejected_by_kind(tmp_path):
    folder = broken_folder(tmp_path)
    write(folder, "odd.yaml", VALID_CHECKIN.format(id="odd").replace("kind: checkin", "kind: dance"))
    (problem,) = problems_of(folder).problems
    assert (problem.field, problem.reason.split(":")[0]) == ("steps[0].kind", "'dance' is not one of")


def test_a_step_that_is_not_a_mapping_is_reported_once(tmp_path):
    folder = broken_folder(tmp_path)
    write(folder, "odd.yaml", VALID_CHECKIN.format(id="odd").split("  - kind")[0] + "  - just some text\n")
    (problem,) = problems_of(folder).problems
    assert problem.field == "steps[0]"
    assert problem.reason.startswith("expected a set of fields")


def test_answerer_instructions_are_refused_outside_aloud_mode(tmp_path):
    folder = broken_folder(tmp_path)
    write(
        folder,
        "odd.yaml",
        """\
id: odd
title: A title
purpose: A purpose.
category: attunement
minutes: 5
depth: 1
steps:
  - kind: cards
    title: Cards
    mode: reveal
    draw: 1
    instructions: {both: Answer., answerer: Go first.}
    cards: [{id: one, text: A question?, depth: 1}]
""",
    )
    (problem,) = problems_of(folder).problems
    assert (problem.field, problem.reason) == ("steps[0].instructions.answerer", "is only allowed when mode is aloud")


def test_blank_and_overlong_texts_are_rejected(tmp_path):
    folder = broken_folder(tmp_path)
    text = VALID_CHECKIN.format(id="odd").replace("title: A title", "title: '   '")
    text = text.replace("both: Pick a word.", "both: " + "x" * 601)
    write(folder, "odd.yaml", text)
    problems = {(p.field, p.reason) for p in problems_of(folder).problems}
    assert problems == {
        ("title", "must not be blank, got '   '"),
        ("steps[0].instructions.both", "is 601 characters long; the maximum is 600"),
    }


def test_an_id_that_is_not_kebab_case_is_rejected(tmp_path):
    folder = broken_folder(tmp_path)
    write(folder, "Odd_One.yaml", VALID_CHECKIN.format(id="Odd_One"))
    (problem,) = problems_of(folder).problems
    assert problem.field == "id"
    assert "kebab-case" in problem.reason


def test_an_empty_file_is_rejected(tmp_path):
    folder = broken_folder(tmp_path)
    write(folder, "empty.yaml", "")
    (problem,) = problems_of(folder).problems
    assert (problem.file, problem.reason) == (str(folder / "empty.yaml"), "is empty")


def test_a_yml_file_is_reported_instead_of_silently_ignored(tmp_path):
    folder = broken_folder(tmp_path)
    write(folder, "forgotten.yml", VALID_CHECKIN.format(id="forgotten"))
    (problem,) = problems_of(folder).problems
    assert problem.file == str(folder / "forgotten.yml")
    assert ".yaml" in problem.reason


def test_a_folder_without_a_feelings_list_is_rejected(tmp_path):
    write(tmp_path, "alone.yaml", VALID_CHECKIN.format(id="alone"))
    (problem,) = problems_of(tmp_path).problems
    assert problem.file == str(tmp_path / "feelings.yaml")
    assert problem.reason.startswith("is missing")


def test_a_folder_without_exercises_is_rejected(tmp_path):
    shutil.copy(EXERCISES / "feelings.yaml", tmp_path)
    (problem,) = problems_of(tmp_path).problems
    assert "no exercise files" in problem.reason


def test_a_missing_folder_is_rejected(tmp_path):
    (problem,) = problems_of(tmp_path / "nowhere").problems
    assert problem.reason == "is not a folder of exercises"


# The kinds whose length the plan may change (each reads a plan option of seconds).
TIMED_KINDS = ("timed_turns", "timed_together")


def test_the_timed_kinds_are_the_ones_with_a_plan_option_of_seconds():
    from server.domain import steps

    assert {kind for kind, module in steps.KINDS.items() if any("seconds" in o for o in module.OPTIONS)} == set(TIMED_KINDS)


def test_a_timed_turn_whose_length_the_plan_can_change_names_no_fixed_length(library):
    """The plan sets the minutes of a timed turn (or a timed moment together), so its words must not promise a number."""
    numbers = re.compile(r"\b(one|two|three|four|five|ten|fifteen|twenty|\d+)[ -](minute|second)s?\b", re.I)
    for exercise in library.exercises.values():
        for step in exercise["steps"]:
            if step["kind"] not in TIMED_KINDS:
                continue
            words = [step["title"], *step.get("instructions", {}).values(), exercise["purpose"]]
            assert not [w for w in words if numbers.search(w)], f"{exercise['id']}: {step['title']}"


def test_practices_and_card_topics_are_accepted_and_checked(tmp_path):
    folder = broken_folder(tmp_path)
    exercise = """\
id: tagged
title: A title
purpose: A purpose.
category: attunement
minutes: 5
depth: 1
practices: [{practice}]
steps:
  - kind: cards
    title: Cards
    mode: guess
    draw: 1
    instructions: {{both: Answer and guess.}}
    cards: [{{id: one, text: A question?, depth: 1, topics: [{topic}]}}]
"""
    write(folder, "tagged.yaml", exercise.format(practice="attunement, quality_time", topic="friends, daily-life"))
    loaded = load_library(folder).get("tagged")
    assert loaded["practices"] == ["attunement", "quality_time"]
    assert loaded["steps"][0]["cards"][0]["topics"] == ["friends", "daily-life"]

    write(folder, "tagged.yaml", exercise.format(practice="juggling", topic="Daily Life"))
    problems = {(p.field, p.reason.split(",")[0]) for p in problems_of(folder).problems}
    assert problems == {
        ("practices[0]", "'juggling' is not one of: reflective_listening"),
        ("steps[0].cards[0].topics[0]", "must be kebab-case (lowercase letters and digits joined by single hyphens)"),
    }
