"""The library's content, counted over the real files: enough cards, every depth, no near-repeats, care where it is deep.

How exercises map to the practices of the source material: each exercise lists the
practices it works on in its `practices` field (exercises/schema.json), and a
practice counts as covered by every exercise that lists it. `category` stays the
lobby's grouping; the three barriers (past hurts, fear of rejection, societal
expectations) share one category but are separate practices here.
"""
import difflib
from functools import lru_cache
import re
import string
from collections import Counter
from pathlib import Path

import pytest

from server.library import load_library

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
THE_36 = "closeness-36"

PRACTICES = {
    "reflective_listening",
    "vulnerability",
    "trust",
    "empathy_validation",
    "past_hurts",
    "fear_of_rejection",
    "societal_expectations",
    "self_exploration",
    "emotional_awareness",
    "attunement",
    "quality_time",
}

# The feeling ids that shipped before the list was widened: saved check-ins refer to them.
SHIPPED_FEELING_IDS = {
    "happy", "glad", "excited", "playful", "proud", "hopeful", "grateful",
    "loving", "close", "warm", "moved", "caring", "longing",
    "peaceful", "relaxed", "safe", "content", "relieved", "steady",
    "sad", "lonely", "disappointed", "hurt", "low", "homesick", "grieving",
    "worried", "nervous", "anxious", "scared", "insecure", "overwhelmed", "unsure",
    "annoyed", "frustrated", "irritable", "angry", "resentful", "jealous",
    "embarrassed", "ashamed", "guilty", "exposed", "awkward", "not-good-enough",
    "surprised", "amazed", "curious", "confused", "shaken",
    "tired", "drained", "numb", "flat", "restless", "stretched-thin",
}
COUPLES_WORK_WORDS = {
    "rejected", "abandoned", "ignored", "unheard", "disconnected", "helpless", "betrayed",
    "loved", "accepted", "respected", "valued", "appreciated",
}

# Exercises the issue asks for by name, each built from existing step kinds.
NAMED_EXERCISES = {
    "stress-reducing-conversation": {"timed_turns", "cards"},
    "turning-towards-daily": {"cards"},
    "love-maps-your-world": {"cards"},
    "dreams-within-conflict": {"speaker_listener", "cards"},
    "repair-after-a-hard-moment": {"speaker_listener", "checkin", "cards"},
}
# Exercises the issue asks for by name that need the step kinds it added.
NEW_KIND_EXERCISES = {
    "a-real-disagreement": ["cards", "speaker_listener", "brainstorm"],
    "eyes-and-mirrors": ["timed_together", "timed_together"],
    "weekly-check-in": ["checkin", "cards", "look_back", "cards", "brainstorm"],
}


# The exercises that shipped before this library grew (issue 13): their decks are small on purpose or fixed in order.
SHIPPED_BEFORE = {
    "fear-of-rejection", "imago-dialogue", "look-inward-first", "name-it", "past-hurts",
    "step-by-step-closer", "take-the-floor", "trust-small-promises", "tune-in", "undivided-attention",
    "what-we-were-taught", "you-make-sense", THE_36,
}


@pytest.fixture(scope="module")
def library():
    return load_library(EXERCISES)


def cards_of(exercise):
    return [card for step in exercise["steps"] if step["kind"] == "cards" for card in step["cards"]]


def every_card(library):
    return [(ex["id"], card) for ex in library.exercises.values() for card in cards_of(ex)]


def new_cards(library):
    return [(ex_id, card) for ex_id, card in every_card(library) if ex_id != THE_36]


def normalised(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = text.translate(str.maketrans({c: " " for c in string.punctuation}))
    return " ".join(text.split())


# Small words left out when comparing what two cards are about.
FILLER = set("a an the you your of to in and or is do what which how when that it for with be are on at s re ve t".split())


def same_words(a: str, b: str) -> bool:
    """At least 80 % of the content words in common, in any order."""
    words_a, words_b = content_words(a), content_words(b)
    return bool(words_a) and len(words_a & words_b) / len(words_a | words_b) >= 0.8


@lru_cache(maxsize=None)
def content_words(text: str) -> frozenset:
    return frozenset(text.split()) - FILLER


def nearly_the_same(a: str, b: str) -> bool:
    """Once case and punctuation are gone: the same content words (80 % overlap), or a difflib ratio above 0.9."""
    if a == b or same_words(a, b):
        return True
    total = len(a) + len(b)
    # Two cheap upper bounds of difflib's ratio first (lengths, then letters in common), as difflib itself does.
    if 2 * min(len(a), len(b)) / total <= 0.9:
        return False
    if 2 * sum((letters(a) & letters(b)).values()) / total <= 0.9:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() > 0.9


@lru_cache(maxsize=None)
def letters(text: str) -> Counter:
    return Counter(text)


# --- counts ------------------------------------------------------------------


def test_there_are_at_least_four_hundred_new_cards_outside_the_closeness_deck(library):
    """New: outside closeness-36 and outside the exercises that shipped before the library grew."""
    assert len([card for ex_id, card in new_cards(library) if ex_id not in SHIPPED_BEFORE]) >= 400


def test_every_depth_is_present_outside_the_closeness_deck(library):
    depths = Counter(card["depth"] for _, card in new_cards(library))
    assert set(depths) == {1, 2, 3}
    # Most of the library should be usable on a gentle evening.
    assert depths[1] >= 100 and depths[2] >= 100 and depths[3] >= 30, depths


def test_every_deck_has_a_purpose_and_enough_cards_for_what_it_draws(library):
    for ex_id, exercise in library.exercises.items():
        assert exercise["purpose"].strip(), ex_id
        for step in exercise["steps"]:
            if step["kind"] == "cards":
                assert len(step["cards"]) >= step["draw"], (ex_id, step["title"])


def test_the_new_decks_each_hold_enough_cards_to_stay_fresh(library):
    """A deck drawn a few cards at a time should last several evenings: at least four draws' worth."""
    for ex_id, exercise in library.exercises.items():
        if ex_id in SHIPPED_BEFORE:
            continue
        for step in exercise["steps"]:
            if step["kind"] == "cards" and step["order"] == "seeded":
                assert len(step["cards"]) >= 4 * step["draw"], (ex_id, step["title"], len(step["cards"]))


def test_the_daily_ritual_has_enough_prompts_for_two_months_of_evenings(library):
    ritual = library.get("turning-towards-daily")
    decks = [step for step in ritual["steps"] if step["kind"] == "cards"]
    assert sum(len(step["cards"]) for step in decks) >= 60
    assert all(step["draw"] <= 3 for step in decks)
    assert ritual["minutes"] <= 15


def test_the_love_maps_deck_asks_about_friends_worries_and_hopes_in_guess_mode(library):
    deck = library.get("love-maps-your-world")
    assert any(step["kind"] == "cards" and step["mode"] == "guess" for step in deck["steps"])
    topics = {topic for card in cards_of(deck) for topic in card["topics"]}
    assert {"friends", "worries", "hopes"} <= topics


def test_every_card_has_topics_and_a_depth(library):
    untagged = [(ex_id, card["id"]) for ex_id, card in every_card(library) if not card.get("topics")]
    assert untagged == []
    assert all(card["depth"] in (1, 2, 3) for _, card in every_card(library))


# --- no repeats ----------------------------------------------------------------


def test_no_two_cards_anywhere_have_the_same_or_nearly_the_same_text(library):
    texts = sorted(((normalised(card["text"]), f"{ex_id}/{card['id']}") for ex_id, card in every_card(library)),
                   key=lambda pair: len(pair[0]))
    close = []
    for i, (text_a, name_a) in enumerate(texts):
        for text_b, name_b in texts[i + 1 :]:
            if nearly_the_same(text_a, text_b):
                close.append((name_a, name_b))
    assert close == []


def test_the_near_repeat_check_catches_a_reworded_card():
    a = normalised("What small thing reliably makes a bad day a little better for you?")
    assert nearly_the_same(a, normalised("What small thing reliably makes a bad day a bit better for you?"))
    assert nearly_the_same(a, normalised("what SMALL thing makes a bad day a little better for you, reliably"))
    assert nearly_the_same(a, normalised("What reliably makes a bad day a little better for you, a small thing?"))
    assert not nearly_the_same(a, normalised("What small thing makes a good day even better for you?"))
    assert not nearly_the_same(a, normalised("Which small habit of yours makes a bad week easier for others?"))


# --- care ----------------------------------------------------------------------


def test_every_exercise_reaching_depth_three_carries_a_care_note_saying_how_to_stop(library):
    for ex_id, exercise in library.exercises.items():
        deepest = max([exercise["depth"], *(card["depth"] for card in cards_of(exercise))])
        if deepest < 3:
            continue
        note = exercise.get("care_note", "")
        assert "time-out" in note, ex_id
        assert re.search(r"\bpass", note, re.I), ex_id
        # Named as the button is, so the words lead straight to it.
        assert '"Stop this exercise"' in note, ex_id


def test_every_deck_holding_depth_three_cards_says_in_its_own_words_how_to_stop(library):
    for ex_id, exercise in library.exercises.items():
        for step in exercise["steps"]:
            if step["kind"] == "cards" and any(card["depth"] == 3 for card in step["cards"]):
                words = step["instructions"]["both"]
                assert "time-out" in words or re.search(r"\bpass", words, re.I), (ex_id, step["title"])
                assert '"Stop this exercise"' in words, (ex_id, step["title"])


def test_a_care_note_that_speaks_of_feeling_unsafe_points_to_the_safety_page(library):
    speaking = {ex_id: ex["care_note"] for ex_id, ex in library.exercises.items()
                if re.search(r"\bunsafe|not safe|afraid of", ex.get("care_note", ""), re.I)}
    assert speaking, "no care note speaks of safety: this test would check nothing"
    assert [ex_id for ex_id, note in speaking.items() if "Not feeling safe?" not in note] == []


def test_past_hurts_tells_one_hurt_at_a_time_with_no_role_switch_unless_a_plan_asks(library):
    """One hurt should not hand straight over to the other's: the roles do not switch by default."""
    (dialogue,) = [step for step in library.get("past-hurts")["steps"] if step["kind"] == "imago"]
    assert dialogue["switches"] == 0
    assert "don't switch" in dialogue["instructions"]["sender"]


# A listener who voices their own reaction has taken the floor (PREP's listener only says back).
OWN_REACTION = re.compile(r"how it feels to hear|notice out loud|(tell|say|share) (them )?(how|what) you feel"
                          r"|your (own )?(reaction|response) to", re.I)


def test_no_listener_is_asked_to_voice_their_own_reaction_while_the_other_holds_the_floor(library):
    for ex_id, exercise in library.exercises.items():
        for step in exercise["steps"]:
            if step["kind"] == "speaker_listener":
                assert not OWN_REACTION.search(step["instructions"]["listener"]), (ex_id, step["title"])


def test_the_reaction_check_catches_the_old_fear_of_rejection_words():
    assert OWN_REACTION.search("You can also notice out loud how it feels to hear it.")
    assert not OWN_REACTION.search("What it stirs in you can wait until you hold the floor.")


def test_an_exercises_depth_is_the_deepest_it_gets(library):
    for ex_id, exercise in library.exercises.items():
        cards = cards_of(exercise)
        if cards:
            assert exercise["depth"] >= max(card["depth"] for card in cards), ex_id


def test_deep_cards_come_after_the_gentle_ones_within_an_exercise(library):
    """A seeded deck is shuffled, so a deck holding depth-3 cards holds nothing gentler to shuffle them among."""
    for ex_id, exercise in library.exercises.items():
        for step in exercise["steps"]:
            if step["kind"] == "cards" and step["order"] == "seeded":
                depths = {card["depth"] for card in step["cards"]}
                assert not (3 in depths and 1 in depths), (ex_id, step["title"])


# --- practices -----------------------------------------------------------------


def test_every_exercise_names_the_practices_it_works_on(library):
    missing = [ex_id for ex_id, exercise in library.exercises.items() if not exercise.get("practices")]
    assert missing == []


def test_every_seed_practice_is_covered_by_at_least_two_exercises(library):
    covered = Counter(practice for ex in library.exercises.values() for practice in ex.get("practices", []))
    assert set(covered) == PRACTICES
    thin = {practice: covered[practice] for practice in PRACTICES if covered[practice] < 2}
    assert thin == {}


@pytest.mark.parametrize("exercise_id, kinds", sorted(NAMED_EXERCISES.items()))
def test_the_exercises_the_issue_names_exist_with_existing_step_kinds(library, exercise_id, kinds):
    exercise = library.get(exercise_id)
    assert kinds <= {step["kind"] for step in exercise["steps"]}


@pytest.mark.parametrize("exercise_id, kinds", sorted(NEW_KIND_EXERCISES.items()))
def test_the_exercises_that_need_new_step_kinds_run_them_in_order(library, exercise_id, kinds):
    assert [step["kind"] for step in library.get(exercise_id)["steps"]] == kinds


def test_the_disagreement_path_starts_softly_then_listens_then_solves(library):
    path = library.get("a-real-disagreement")
    (card,) = cards_of(path)
    assert "I feel" in card["text"]
    solve = path["steps"][-1]["instructions"]
    assert "one issue" in solve["agenda"] and "no judging" in solve["ideas"].lower()
    assert "check back" in solve["agree"]


def test_the_non_verbal_exercise_is_for_one_room_with_a_way_out_and_mirrors_a_face(library):
    quiet = library.get("eyes-and-mirrors")
    assert "same room" in quiet["purpose"].lower()
    gaze, mirror = quiet["steps"]
    assert not gaze["lead"] and mirror["lead"]
    assert 90 <= gaze["seconds"] <= 150  # about two minutes, by default
    for step in quiet["steps"]:
        assert "Stop" in step["instructions"]["both"]
    assert "nothing more will be asked" in gaze["instructions"]["both"]
    assert "face" in mirror["instructions"]["leader"] and "copy" in mirror["instructions"]["mirror"].lower()


def test_the_weekly_check_in_covers_appreciations_the_week_and_next_week(library):
    week = library.get("weekly-check-in")
    titles = [step["title"] for step in week["steps"]]
    assert "Appreciations" in titles
    words = " ".join(card["text"] for card in cards_of(week)).lower()
    assert "went well" in words and "hard" in words and "next week" in words


def test_the_repair_exercise_names_feelings_owns_a_part_and_asks_what_would_help(library):
    repair = library.get("repair-after-a-hard-moment")
    kinds = [step["kind"] for step in repair["steps"]]
    assert kinds.index("speaker_listener") < len(kinds) - 1
    assert "checkin" in kinds
    words = " ".join(str(step["instructions"]) for step in repair["steps"]).lower()
    assert "who was right" in words
    card_words = " ".join(card["text"] for card in cards_of(repair)).lower()
    assert "your part" in card_words and "next time" in card_words


def test_the_stress_conversation_keeps_to_outside_stress_and_holds_back_advice(library):
    talk = library.get("stress-reducing-conversation")
    words = " ".join(str(step["instructions"]) for step in talk["steps"]).lower()
    assert "outside" in words and "advice" in words and "side" in words


# --- feelings ------------------------------------------------------------------


def test_the_feelings_list_holds_at_least_a_hundred_words_with_the_ones_couples_work_needs(library):
    words = {word["word"] for family in library.feelings for word in family["feelings"]}
    assert len(words) >= 100
    assert COUPLES_WORK_WORDS <= words


def test_no_shipped_feeling_id_was_changed_or_dropped(library):
    assert SHIPPED_FEELING_IDS <= set(library.feelings_by_id)


def test_there_is_a_family_for_feeling_strong_or_capable(library):
    strength = [family for family in library.feelings if {"strong", "capable"} <= {w["id"] for w in family["feelings"]}]
    assert len(strength) == 1


def test_no_feeling_word_appears_twice(library):
    words = Counter(word["word"].lower() for family in library.feelings for word in family["feelings"])
    assert [w for w, n in words.items() if n > 1] == []


def test_the_readme_table_of_decks_matches_the_files(library):
    """exercises/README.md lists every deck with its counts per depth; a stale row fails here."""
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (.+?) \((\w+), (\d+)\) \| (\d+) \| (\S+) \| (\S+) \| (\S+) \|$",
                      (EXERCISES / "README.md").read_text(encoding="utf-8"), re.M)
    count = lambda n: int(n) if n.isdigit() else 0  # noqa: E731 ("–" for none)
    listed = {(ex_id, title): (mode, int(draw), int(n), count(d1), count(d2), count(d3))
              for ex_id, title, mode, draw, n, d1, d2, d3 in rows}
    actual = {}
    for ex_id, exercise in library.exercises.items():
        for step in exercise["steps"]:
            if step["kind"] == "cards":
                depths = Counter(card["depth"] for card in step["cards"])
                actual[(ex_id, step["title"])] = (step["mode"], step["draw"], len(step["cards"]),
                                                  depths[1], depths[2], depths[3])
    assert listed == actual


def test_every_exercise_is_traced_to_a_method_and_every_method_names_its_sources():
    """exercises/README.md, "Where the methods come from": each exercise under a method, each method with sources."""
    text = (EXERCISES / "README.md").read_text(encoding="utf-8")
    methods = text[text.index("## Where the methods come from"):]
    ids = sorted(path.stem for path in EXERCISES.glob("*.yaml") if path.stem != "feelings")
    assert [ex_id for ex_id in ids if f"`{ex_id}`" not in methods] == []
    sections = re.split(r"^### ", methods, flags=re.M)[1:]
    named = [section.splitlines()[0] for section in sections if "**Sources.**" in section]
    assert len(named) >= 5, named
    for needed in ("Markman", "Hendrix", "Aron", "Gottman", "Johnson"):
        assert any(needed in section.split("**Sources.**")[1] for section in sections if "**Sources.**" in section), needed
