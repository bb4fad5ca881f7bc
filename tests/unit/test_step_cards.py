"""Synchronized question cards: dealing, every mode's turns, passing, advancing together, privacy."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st_

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import cards, common
from server.library import load_library

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = load_library(ROOT / "exercises")
A, B, M = "partner_a", "partner_b", "moderator"
SEATS = (A, B, M)


def spec(exercise: str, step: int = 0) -> dict:
    return copy.deepcopy(LIBRARY.exercises[exercise]["steps"][step])


def reveal_spec():
    return spec("look-inward-first")


def aloud_spec():
    return spec("closeness-36")


def guess_spec():
    return spec("tune-in")


SPECS = {"reveal": reveal_spec, "aloud": aloud_spec, "guess": guess_spec}


def ctx(mode="remote", seed=7, first=A, **options) -> StepCtx:
    return StepCtx(now=0.0, seed=seed, mode=mode, first=first, options=options)


def moves(view):
    """What the card asks of this seat now: `can` without the way out every partner has (pass_rest)."""
    return [kind for kind in view["can"] if kind != "pass_rest"]


def send(st, seat, kind, c, **fields):
    """Apply an intent and check, on the way, that the input state was not touched."""
    before = copy.deepcopy(st)
    new, shared = cards.apply(st, seat, {"type": kind, **fields}, c)
    assert st == before
    return new, shared


def refused(code, st, seat, kind, c, **fields):
    before = copy.deepcopy(st)
    with pytest.raises(DomainError) as err:
        cards.apply(st, seat, {"type": kind, **fields}, c)
    assert err.value.code == code
    assert st == before


def ids(st):
    return [card["id"] for card in st["cards"]]


def revealed(mode, c, **options):
    """A card of this mode where both partners have answered (aloud: the discuss phase)."""
    st = cards.start(SPECS[mode](), c if not options else ctx(c.mode, c.seed, c.first, **options))
    if mode == "aloud":
        st, _ = send(st, st["first"], "answer", c, text="first says")
        st, _ = send(st, common.other(st["first"]), "answer", c, text="second says")
        return st
    for seat in (A, B):
        st, _ = send(st, seat, "answer", c, text=f"{seat} answers")
        if mode == "guess":
            st, _ = send(st, seat, "guess", c, text=f"{seat} guesses")
    return st


def both_advance(st, c):
    st, _ = send(st, A, "advance", c)
    st, _ = send(st, B, "advance", c)
    return st


# --- dealing ----------------------------------------------------------------


class TestDealing:
    def test_a_seeded_deck_is_dealt_the_same_way_for_the_same_seed(self):
        assert ids(cards.start(guess_spec(), ctx(seed=11))) == ids(cards.start(guess_spec(), ctx(seed=11)))

    def test_seeded_decks_differ_across_seeds(self):
        deck = guess_spec()
        assert len(deck["cards"]) >= 8
        orders = {tuple(ids(cards.start(deck, ctx(seed=seed, draw=8)))) for seed in range(10)}
        assert len(orders) >= 8

    def test_seeded_is_the_default_order(self):
        deck = guess_spec()
        del deck["order"]
        assert ids(cards.start(deck, ctx(seed=3, draw=8))) == ids(cards.start(guess_spec(), ctx(seed=3, draw=8)))

    def test_a_fixed_deck_keeps_file_order_whatever_the_seed(self):
        deck = aloud_spec()
        assert deck["order"] == "fixed"
        file_order = [card["id"] for card in deck["cards"]][:deck["draw"]]
        assert ids(cards.start(deck, ctx(seed=1))) == ids(cards.start(deck, ctx(seed=2))) == file_order

    def test_the_files_draw_is_how_many_cards_are_dealt(self):
        assert len(cards.start(guess_spec(), ctx())["cards"]) == guess_spec()["draw"] == 5

    def test_the_draw_option_overrides_the_files_draw(self):
        assert len(cards.start(guess_spec(), ctx(draw=2))["cards"]) == 2

    def test_draw_is_capped_at_the_cards_available(self):
        assert len(cards.start(guess_spec(), ctx(draw=100))["cards"]) == len(guess_spec()["cards"])

    def test_at_least_one_card_is_dealt_even_if_draw_is_below_one(self):
        assert len(cards.start(guess_spec(), ctx(draw=0))["cards"]) == 1

    def test_the_depth_option_keeps_only_the_gentler_cards(self):
        st = cards.start(guess_spec(), ctx(depth=1, draw=100))
        gentle = [card["id"] for card in guess_spec()["cards"] if card["depth"] == 1]
        assert sorted(ids(st)) == sorted(gentle)
        assert {card["depth"] for card in st["cards"]} == {1}

    def test_without_a_depth_option_every_depth_may_be_dealt(self):
        assert len(cards.start(guess_spec(), ctx(draw=100))["cards"]) == 8

    def test_a_depth_that_leaves_no_card_ends_the_step_at_once(self):
        st = cards.start(spec("closeness-36", 2), ctx(depth=1))
        assert st["cards"] == [] and cards.done(st)
        view = cards.view(st, A, ctx())
        assert view["phase"] == "done" and view["card"] is None and view["can"] == []
        refused("finished", st, A, "answer", ctx(), text="x")

    @pytest.mark.parametrize("seed", range(30))
    def test_no_card_is_dealt_twice(self, seed):
        dealt = ids(cards.start(guess_spec(), ctx(seed=seed, draw=100)))
        assert len(dealt) == len(set(dealt)) == 8

    def test_dealt_cards_carry_id_text_and_depth_so_the_view_needs_no_spec(self):
        deck = aloud_spec()
        st = cards.start(deck, ctx())
        assert st["cards"][0] == {key: deck["cards"][0][key] for key in ("id", "text", "depth")}
        view = cards.view(st, A, ctx())
        assert view["card"] == {**st["cards"][0], "number": 1, "of": 12}

    def test_a_setting_that_is_not_a_number_is_refused_with_bad_value(self):
        with pytest.raises(DomainError) as err:
            cards.start(guess_spec(), ctx(draw="many"))
        assert err.value.code == "bad_value"

    def test_start_does_not_change_the_spec(self):
        deck = guess_spec()
        cards.start(deck, ctx(draw=100))
        assert deck == guess_spec()


# --- reveal mode -------------------------------------------------------------


class TestRevealMode:
    def test_the_first_card_opens_with_both_partners_answering(self):
        st = cards.start(reveal_spec(), ctx())
        view = cards.view(st, A, ctx())
        assert view["phase"] == "answering" and view["mode"] == "reveal" and view["role"] == "partner"
        assert view["waiting_for"] == [A, B]
        assert moves(view) == ["answer", "pass_card"]
        assert view["answers"] == {A: {"status": "thinking", "text": None}, B: {"status": "thinking"}}
        assert "first_answerer" not in view

    def test_a_partner_who_answered_is_no_longer_waited_for_but_may_still_change_it(self):
        c = ctx()
        st, _ = send(cards.start(reveal_spec(), c), A, "answer", c, text="first thought")
        for seat in SEATS:
            assert cards.view(st, seat, c)["waiting_for"] == [B]
        assert moves(cards.view(st, A, c)) == ["answer", "pass_card"]
        st, _ = send(st, A, "answer", c, text="second thought")
        assert cards.view(st, A, c)["answers"][A]["text"] == "second thought"

    def test_in_guess_mode_an_answer_without_a_guess_is_still_waited_for(self):
        c = ctx()
        st, _ = send(cards.start(guess_spec(), c), A, "answer", c, text="tea")
        assert cards.view(st, B, c)["waiting_for"] == [A, B]
        st, _ = send(st, A, "guess", c, text="coffee")
        assert cards.view(st, B, c)["waiting_for"] == [B]

    def test_one_answer_keeps_the_card_face_down_and_puts_nothing_on_the_table(self):
        c = ctx()
        st, shared = send(cards.start(reveal_spec(), c), A, "answer", c, text="  mine  ")
        assert shared == []
        assert st["phase"] == "answering"
        assert cards.view(st, A, c)["answers"][A] == {"status": "answered", "text": "mine"}
        assert cards.view(st, B, c)["answers"][A] == {"status": "answered"}

    def test_the_second_answer_reveals_both_at_once_and_shares_both(self):
        c = ctx()
        st = cards.start(reveal_spec(), c)
        st, _ = send(st, B, "answer", c, text="b's answer")
        st, shared = send(st, A, "answer", c, text="a's answer")
        assert st["phase"] == "revealed"
        label = "answered: " + st["cards"][0]["text"][:79].rstrip() + "…"
        # The label is cut for the phones; the whole question rides along for the records.
        question = st["cards"][0]["text"]
        assert shared == [{"seat": A, "label": label, "text": "a's answer", "question": question},
                          {"seat": B, "label": label, "text": "b's answer", "question": question}]
        for seat in SEATS:
            view = cards.view(st, seat, c)
            assert view["answers"] == {A: {"status": "answered", "text": "a's answer"},
                                       B: {"status": "answered", "text": "b's answer"}}
            assert view["phase"] == "revealed"

    def test_a_label_keeps_a_short_card_whole(self):
        assert cards._label("answered", {"text": "Short?"}) == "answered: Short?"
        assert len(cards._label("answered", {"text": "x" * 200})) == len("answered: ") + 80

    def test_a_partner_may_replace_their_answer_until_the_reveal(self):
        c = ctx()
        st, _ = send(cards.start(reveal_spec(), c), A, "answer", c, text="draft")
        assert "answer" in cards.view(st, A, c)["can"]
        st, _ = send(st, A, "answer", c, text="final")
        st, shared = send(st, B, "answer", c, text="b")
        assert [e["text"] for e in shared] == ["final", "b"]

    @pytest.mark.parametrize("room", ["remote", "same_room"])
    @pytest.mark.parametrize("text", [None, "", "   "])
    def test_a_written_answer_is_required_in_every_room_mode(self, room, text):
        c = ctx(room)
        fields = {} if text is None else {"text": text}
        refused("text_required", cards.start(reveal_spec(), c), A, "answer", c, **fields)

    def test_an_answer_that_is_not_text_is_refused_with_bad_value(self):
        c = ctx()
        refused("bad_value", cards.start(reveal_spec(), c), A, "answer", c, text=42)
        refused("bad_value", cards.start(reveal_spec(), c), A, "answer", c, text="x" * 2001)

    def test_a_pass_counts_as_the_whole_contribution_and_reveals_with_the_other_answer(self):
        c = ctx()
        st, shared = send(cards.start(reveal_spec(), c), A, "pass_card", c)
        assert shared == []
        assert cards.view(st, B, c)["answers"][A] == {"status": "passed"}
        st, shared = send(st, B, "answer", c, text="b")
        assert st["phase"] == "revealed"
        assert shared == [{"seat": B, "label": cards._label("answered", st["cards"][0]), "text": "b",
                           "question": st["cards"][0]["text"]}]
        assert cards.view(st, B, c)["answers"][A] == {"status": "passed", "text": None}

    def test_passing_after_answering_withdraws_the_answer(self):
        c = ctx()
        st, _ = send(cards.start(reveal_spec(), c), A, "answer", c, text="second thoughts")
        st, _ = send(st, A, "pass_card", c)
        st, shared = send(st, B, "answer", c, text="b")
        assert [e["text"] for e in shared] == ["b"]
        assert "second thoughts" not in json.dumps(cards.view(st, B, c))

    def test_answering_after_passing_is_allowed_before_the_reveal(self):
        c = ctx()
        st, _ = send(cards.start(reveal_spec(), c), A, "pass_card", c)
        st, _ = send(st, A, "answer", c, text="changed my mind")
        assert st["answers"][A]["status"] == "answered"

    def test_both_passing_reveals_an_empty_card_and_shares_nothing(self):
        c = ctx()
        st, _ = send(cards.start(reveal_spec(), c), A, "pass_card", c)
        st, shared = send(st, B, "pass_card", c)
        assert st["phase"] == "revealed" and shared == []
        st = both_advance(st, c)
        assert cards.done(st)

    def test_advancing_before_the_reveal_is_the_wrong_step(self):
        c = ctx()
        refused("wrong_step", cards.start(reveal_spec(), c), A, "advance", c)

    def test_guessing_is_the_wrong_step_in_reveal_mode(self):
        c = ctx()
        refused("wrong_step", cards.start(reveal_spec(), c), A, "guess", c, text="you'd say")

    @pytest.mark.parametrize("kind", ["answer", "pass_card", "guess"])
    def test_answering_or_passing_after_the_reveal_is_the_wrong_step(self, kind):
        c = ctx()
        refused("wrong_step", revealed("reveal", c), A, kind, c, text="late")


# --- aloud mode --------------------------------------------------------------


class TestAloudMode:
    def test_the_first_card_opens_with_ctx_first_answering(self):
        c = ctx(first=B)
        st = cards.start(aloud_spec(), c)
        view_b, view_a = cards.view(st, B, c), cards.view(st, A, c)
        assert view_b["phase"] == "first" and view_b["first_answerer"] == B
        assert (view_b["role"], view_a["role"]) == ("answerer", "listener")
        assert view_b["waiting_for"] == view_a["waiting_for"] == [B]
        assert (moves(view_b), moves(view_a)) == (["answer", "pass_card"], [])

    @pytest.mark.parametrize("kind", ["answer", "pass_card"])
    def test_the_listener_may_neither_answer_nor_pass_on_the_answerers_turn(self, kind):
        c = ctx()
        refused("not_your_turn", cards.start(aloud_spec(), c), B, kind, c, text="me first")

    def test_in_the_same_room_an_answer_may_be_said_aloud_without_text(self):
        c = ctx("same_room")
        st, shared = send(cards.start(aloud_spec(), c), A, "answer", c)
        assert shared == [] and st["phase"] == "second"
        assert cards.view(st, B, c)["answers"][A] == {"status": "answered", "text": None}

    def test_remote_partners_must_type_their_answer(self):
        c = ctx("remote")
        refused("text_required", cards.start(aloud_spec(), c), A, "answer", c, text=" ")

    def test_each_answer_is_shared_with_both_at_once(self):
        c = ctx()
        st, shared = send(cards.start(aloud_spec(), c), A, "answer", c, text="slow coffee")
        assert shared == [{"seat": A, "label": cards._label("answered", st["cards"][0]), "text": "slow coffee",
                           "question": st["cards"][0]["text"]}]
        for seat in SEATS:
            assert cards.view(st, seat, c)["answers"][A]["text"] == "slow coffee"

    def test_the_second_answerer_follows_then_both_discuss(self):
        c = ctx()
        st, _ = send(cards.start(aloud_spec(), c), A, "answer", c, text="a")
        view = cards.view(st, B, c)
        assert view["phase"] == "second" and view["role"] == "answerer" and view["waiting_for"] == [B]
        assert cards.view(st, A, c)["role"] == "listener"
        refused("not_your_turn", st, A, "answer", c, text="again")
        st, shared = send(st, B, "answer", c, text="b")
        assert [e["seat"] for e in shared] == [B]
        view = cards.view(st, A, c)
        assert view["phase"] == "discuss" and view["role"] == "partner"
        assert view["waiting_for"] == [A, B] and moves(view) == ["advance"]

    @pytest.mark.parametrize("phase_seat", [("first", A), ("second", B)])
    def test_passing_on_your_own_turn_is_always_allowed_and_shares_nothing(self, phase_seat):
        phase, seat = phase_seat
        c = ctx()
        st = cards.start(aloud_spec(), c)
        if phase == "second":
            st, _ = send(st, A, "answer", c, text="a")
        st, shared = send(st, seat, "pass_card", c)
        assert shared == [] and st["answers"][seat]["status"] == "passed"
        assert st["phase"] == ("second" if phase == "first" else "discuss")

    def test_advancing_before_both_have_answered_is_the_wrong_step(self):
        c = ctx()
        refused("wrong_step", cards.start(aloud_spec(), c), A, "advance", c)

    def test_guessing_is_the_wrong_step_in_aloud_mode(self):
        c = ctx()
        refused("wrong_step", cards.start(aloud_spec(), c), A, "guess", c, text="x")

    @pytest.mark.parametrize("first", [A, B])
    def test_the_first_answerer_alternates_card_by_card(self, first):
        c = ctx(first=first)
        other = common.other(first)
        st = cards.start(aloud_spec(), c)
        seen = []
        for _ in range(4):
            seen.append(cards.view(st, A, c)["first_answerer"])
            st, _ = send(st, st["first"], "pass_card", c)
            st, _ = send(st, common.other(st["first"]), "pass_card", c)
            st = both_advance(st, c)
        assert seen == [first, other, first, other]

    def test_swapping_roles_before_anyone_answers_lets_the_other_partner_go_first(self):
        c = ctx()
        st = cards.start(aloud_spec(), c)
        before = copy.deepcopy(st)
        swapped = cards.swap_roles(st, c)
        assert st == before
        assert cards.view(swapped, B, c)["first_answerer"] == B
        assert moves(cards.view(swapped, B, c)) == ["answer", "pass_card"]
        refused("not_your_turn", swapped, A, "answer", c, text="a")

    def test_after_a_swap_the_alternation_goes_on_from_who_went_first(self):
        c = ctx()
        st = cards.swap_roles(cards.start(aloud_spec(), c), c)
        st, _ = send(st, B, "pass_card", c)
        st, _ = send(st, A, "pass_card", c)
        st = both_advance(st, c)
        assert st["first"] == A

    def test_swapping_roles_once_the_card_is_under_way_changes_nothing(self):
        c = ctx()
        st, _ = send(cards.start(aloud_spec(), c), A, "answer", c, text="a")
        assert cards.swap_roles(st, c) == st
        assert cards.swap_roles(revealed("aloud", c), c) == revealed("aloud", c)

    @pytest.mark.parametrize("mode", ["reveal", "guess"])
    def test_swapping_roles_changes_nothing_outside_aloud_mode(self, mode):
        st = cards.start(SPECS[mode](), ctx())
        assert cards.swap_roles(st, ctx()) == st

    def test_a_real_aloud_deck_in_seeded_order_plays_through(self):
        c = ctx("same_room", seed=5)
        st = cards.start(spec("step-by-step-closer", 0), c)
        assert len(st["cards"]) == 3
        for _ in range(3):
            st, _ = send(st, st["first"], "answer", c)
            st, _ = send(st, common.other(st["first"]), "answer", c)
            st = both_advance(st, c)
        assert cards.done(st)


# --- guess mode --------------------------------------------------------------


class TestGuessMode:
    def test_the_first_card_opens_with_both_answering_and_guessing(self):
        c = ctx()
        view = cards.view(cards.start(guess_spec(), c), B, c)
        assert view["phase"] == "answering" and view["role"] == "partner"
        assert moves(view) == ["answer", "guess", "pass_card"] and view["waiting_for"] == [A, B]
        assert view["answers"][B] == {"status": "thinking", "guessed": False, "text": None, "guess": None}
        assert view["answers"][A] == {"status": "thinking", "guessed": False}

    @pytest.mark.parametrize("order", [("answer", "guess"), ("guess", "answer")])
    def test_answer_and_guess_may_come_in_any_order_and_the_card_waits_for_both_partners(self, order):
        c = ctx()
        st = cards.start(guess_spec(), c)
        for kind in order:
            st, shared = send(st, A, kind, c, text=f"a {kind}")
            assert shared == [] and st["phase"] == "answering"
        assert cards.view(st, B, c)["answers"][A] == {"status": "answered", "guessed": True}
        st, _ = send(st, B, "answer", c, text="b answer")
        assert st["phase"] == "answering"
        st, shared = send(st, B, "guess", c, text="b guess")
        assert st["phase"] == "revealed"
        label = cards._label
        card = st["cards"][0]
        q = card["text"]
        assert shared == [{"seat": A, "label": label("answered", card), "text": "a answer", "question": q},
                          {"seat": A, "label": label("guessed", card), "text": "a guess", "question": q},
                          {"seat": B, "label": label("answered", card), "text": "b answer", "question": q},
                          {"seat": B, "label": label("guessed", card), "text": "b guess", "question": q}]
        for seat in SEATS:
            assert cards.view(st, seat, c)["answers"] == {
                A: {"status": "answered", "guessed": True, "text": "a answer", "guess": "a guess"},
                B: {"status": "answered", "guessed": True, "text": "b answer", "guess": "b guess"}}

    @pytest.mark.parametrize("room", ["remote", "same_room"])
    @pytest.mark.parametrize("kind", ["answer", "guess"])
    def test_answers_and_guesses_must_be_written_in_every_room_mode(self, room, kind):
        c = ctx(room)
        refused("text_required", cards.start(guess_spec(), c), A, kind, c, text="")

    def test_a_guess_may_be_replaced_until_the_reveal(self):
        c = ctx()
        st, _ = send(cards.start(guess_spec(), c), A, "guess", c, text="tired")
        st, _ = send(st, A, "guess", c, text="happy")
        assert st["answers"][A]["guess"] == "happy"

    def test_a_pass_counts_as_answer_and_guess_together(self):
        c = ctx()
        st, _ = send(cards.start(guess_spec(), c), A, "answer", c, text="a")
        st, _ = send(st, A, "pass_card", c)
        assert cards.view(st, B, c)["answers"][A] == {"status": "passed", "guessed": False}
        st, _ = send(st, B, "answer", c, text="b")
        st, shared = send(st, B, "guess", c, text="bg")
        assert st["phase"] == "revealed"
        assert [(e["seat"], e["text"]) for e in shared] == [(B, "b"), (B, "bg")]

    def test_guessing_after_passing_takes_the_pass_back(self):
        c = ctx()
        st, _ = send(cards.start(guess_spec(), c), A, "pass_card", c)
        st, _ = send(st, A, "guess", c, text="g")
        assert st["answers"][A] == {"status": "thinking", "text": None, "guess": "g"}

    def test_advancing_before_the_reveal_is_the_wrong_step(self):
        c = ctx()
        refused("wrong_step", cards.start(guess_spec(), c), B, "advance", c)

    @pytest.mark.parametrize("kind", ["answer", "guess", "pass_card"])
    def test_answering_guessing_or_passing_after_the_reveal_is_the_wrong_step(self, kind):
        c = ctx()
        refused("wrong_step", revealed("guess", c), B, kind, c, text="late")


# --- advancing, finishing, the moderator --------------------------------------


@pytest.mark.parametrize("mode", ["reveal", "aloud", "guess"])
class TestAdvancing:
    def test_one_advance_does_not_change_the_card_and_the_second_does(self, mode):
        c = ctx()
        st = revealed(mode, c, draw=2)
        st, shared = send(st, A, "advance", c)
        assert shared == [] and st["index"] == 0
        view = cards.view(st, A, c)
        assert view["advance"] == {A: True, B: False} and view["waiting_for"] == [B] and moves(view) == []
        assert moves(cards.view(st, B, c)) == ["advance"]
        st, shared = send(st, B, "advance", c)
        assert shared == [] and st["index"] == 1
        view = cards.view(st, A, c)
        assert view["card"]["number"] == 2 and view["advance"] == {A: False, B: False}
        assert all(answer["status"] == "thinking" for answer in view["answers"].values())

    def test_asking_twice_to_go_on_is_refused_while_the_partner_has_not(self, mode):
        c = ctx()
        st, _ = send(revealed(mode, c), A, "advance", c)
        refused("not_your_turn", st, A, "advance", c)

    def test_after_the_last_card_the_step_is_done_and_refuses_everything(self, mode):
        c = ctx()
        st = both_advance(revealed(mode, c, draw=1), c)
        assert cards.done(st)
        for seat in SEATS:
            view = cards.view(st, seat, c)
            assert view["phase"] == "done" and view["card"] is None
            assert view["can"] == [] and view["waiting_for"] == []
            for kind in cards.INTENTS:
                refused("finished", st, seat, kind, c, text="more")

    def test_the_moderator_may_send_nothing(self, mode):
        c = ctx()
        for st in (cards.start(SPECS[mode](), c), revealed(mode, c)):
            view = cards.view(st, M, c)
            assert view["role"] == "observer" and view["can"] == [] and M not in view["waiting_for"]
            for kind in cards.INTENTS:
                with pytest.raises(DomainError) as err:
                    cards.apply(st, M, {"type": kind, "text": "moderated"}, c)
                assert err.value.code in {"not_your_turn", "wrong_step"}
            for kind in view_can_anyone(st, c):
                refused("not_your_turn", st, M, kind, c, text="moderated")

    def test_there_is_no_clock(self, mode):
        st = cards.start(SPECS[mode](), ctx())
        assert cards.deadline(st) is None and cards.tick(st, ctx()) is None
        assert cards.pause(st, ctx()) == st and cards.resume(st, ctx()) == st


def view_can_anyone(st, c):
    return {kind for seat in (A, B) for kind in cards.view(st, seat, c)["can"]}


# --- privacy -----------------------------------------------------------------


@pytest.mark.parametrize("room", ["remote", "same_room"])
@pytest.mark.parametrize("mode", ["reveal", "guess"])
def test_before_the_reveal_neither_the_partner_nor_the_moderator_sees_any_trace_of_the_text(mode, room):
    c = ctx(room)
    st = cards.start(SPECS[mode](), c)
    st, _ = send(st, A, "answer", c, text="SECRET-ANSWER-a1")
    if mode == "guess":
        st, _ = send(st, A, "guess", c, text="SECRET-GUESS-a1")
        st, _ = send(st, B, "guess", c, text="SECRET-GUESS-b1")
    assert st["phase"] == "answering"
    mine = json.dumps(cards.view(st, A, c))
    assert "SECRET-ANSWER-a1" in mine
    for seat in (B, M):
        seen = json.dumps(cards.view(st, seat, c))
        assert "SECRET-ANSWER-a1" not in seen and "SECRET-GUESS-a1" not in seen
    assert "SECRET-GUESS-b1" not in json.dumps(cards.view(st, A, c))
    assert "SECRET-GUESS-b1" not in json.dumps(cards.view(st, M, c))
    st, _ = send(st, B, "answer", c, text="SECRET-ANSWER-b1")
    for seat in SEATS:
        seen = json.dumps(cards.view(st, seat, c))
        assert "SECRET-ANSWER-a1" in seen and "SECRET-ANSWER-b1" in seen


def test_nothing_is_private_in_aloud_mode_an_answer_reaches_both_screens_at_once():
    c = ctx()
    st, _ = send(cards.start(aloud_spec(), c), A, "answer", c, text="SAID-ALOUD-1")
    for seat in SEATS:
        assert "SAID-ALOUD-1" in json.dumps(cards.view(st, seat, c))


@pytest.mark.parametrize("mode", ["reveal", "aloud", "guess"])
def test_views_and_role_swaps_never_change_the_state(mode):
    c = ctx()
    for st in (cards.start(SPECS[mode](), c), revealed(mode, c)):
        before = copy.deepcopy(st)
        for seat in SEATS:
            view = cards.view(st, seat, c)
            view["answers"].clear()
            view["advance"].clear()
            view["card"]["text"] = "changed"
        cards.swap_roles(st, c)
        assert st == before


def test_the_machine_names_its_intents_and_their_fields():
    assert cards.KIND == "cards"
    assert set(cards.INTENTS) == {"answer", "guess", "pass_card", "advance", "pass_rest"}
    assert cards.INTENTS["pass_rest"] == ({}, [])
    assert cards.INTENTS["advance"] == ({}, []) and cards.INTENTS["pass_card"] == ({}, [])


# --- properties --------------------------------------------------------------

# Partners act more often than the moderator, so that walks get through several cards.
# pass_rest ends the deck at once: it has its own property below, so these walks get through cards.
STEP = st_.tuples(st_.sampled_from((A, B, A, B, M)), st_.sampled_from(sorted(set(cards.INTENTS) - {"pass_rest"})),
                  st_.booleans())


def marker(n: int) -> str:
    return f"<marker-{n}>"


def check_invariants(st, c, sent):
    """What must hold after every step: privacy, `can` matching apply exactly, done refusing all."""
    views = {seat: cards.view(st, seat, c) for seat in SEATS}
    if st["mode"] != "aloud" and st["phase"] == "answering":
        for author in (A, B):
            for seat in (common.other(author), M):
                dumped = json.dumps(views[seat])
                assert not any(m in dumped for m in sent[author]), (author, seat)
    for seat in SEATS:
        view = views[seat]
        if seat not in view["waiting_for"]:
            # Only a settled partner may still act without being waited for: to change their answer.
            assert moves(view) == [] or (st["phase"] == "answering" and cards._settled(st, seat))
        for kind in cards.INTENTS:
            try:
                cards.apply(st, seat, {"type": kind, "text": "probe"}, c)
            except DomainError as err:
                assert kind not in view["can"], (seat, kind, err.code)
                if cards.done(st):
                    assert err.code == "finished"
            else:
                assert kind in view["can"], (seat, kind)


@pytest.mark.parametrize("mode", ["reveal", "aloud", "guess"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st_.lists(STEP, min_size=20, max_size=150), room=st_.sampled_from(["remote", "same_room"]),
       seed=st_.integers(0, 2**32), first=st_.sampled_from([A, B]), draw=st_.integers(1, 3))
def test_any_sequence_of_intents_keeps_the_cards_private_consistent_and_moving_forward(
        mode, steps, room, seed, first, draw):
    c = ctx(room, seed=seed, first=first, draw=draw)
    st = cards.start(SPECS[mode](), c)
    dealt = ids(st)
    assert len(dealt) == len(set(dealt)) == draw
    shown = [st["cards"][0]["id"]]
    sent = {A: [], B: []}
    check_invariants(st, c, sent)
    for n, (seat, kind, with_text) in enumerate(steps):
        intent = {"type": kind}
        if with_text:
            intent["text"] = marker(n)
        before = copy.deepcopy(st)
        try:
            new, shared = cards.apply(st, seat, intent, c)
        except DomainError:
            assert st == before
            continue
        assert st == before
        if with_text and seat in sent:
            sent[seat].append(marker(n))
        assert new["cards"] == st["cards"]
        assert new["index"] in (st["index"], st["index"] + 1)
        if new["index"] != st["index"]:
            assert kind == "advance"
            sent = {A: [], B: []}
            if not cards.done(new):
                assert new["cards"][new["index"]]["id"] not in shown
                shown.append(new["cards"][new["index"]]["id"])
        # Text reaches the table only when it becomes visible to both, and only its author's.
        revealing = st["phase"] == "answering" and new["phase"] == "revealed"
        if not (revealing or (mode == "aloud" and kind == "answer")):
            assert shared == []
        assert all(e["text"] in sent[e["seat"]] for e in shared)
        assert not any(e["seat"] == seat for e in shared if kind == "pass_card")
        st = new
        check_invariants(st, c, sent)
    event(f"reached {st['phase']} at card {min(st['index'] + 1, len(dealt))} of {len(dealt)}")


# --- fidelity to the 36 questions: pass the rest in one tap, a clock for each set ---------

def test_one_tap_passes_the_rest_of_the_deck_from_either_partner_in_any_phase():
    c = ctx("same_room")
    st = cards.start(aloud_spec(), c)
    assert st["cards"] and len(st["cards"]) == 12
    for seat in (A, B):
        assert "pass_rest" in cards.view(st, seat, c)["can"]
    assert "pass_rest" not in cards.view(st, M, c)["can"]
    # The listener (not the answerer) passes the rest: a way out is nobody's turn.
    listener = B if st["first"] == A else A
    new, shared = send(st, listener, "pass_rest", c)
    assert cards.done(new) and shared == [] and new["passed_rest"] == listener
    v = cards.view(new, A, c)
    assert v["phase"] == "done" and v["can"] == [] and v["passed_rest"] == listener


def test_passing_the_rest_never_reveals_or_shares_an_unrevealed_answer():
    c = ctx()
    st = cards.start(reveal_spec(), c)
    st, _ = send(st, A, "answer", c, text="<only mine>")
    new, shared = send(st, B, "pass_rest", c)
    assert shared == [] and cards.done(new)
    assert "<only mine>" not in json.dumps(new)
    assert all("<only mine>" not in json.dumps(cards.view(new, seat, c)) for seat in SEATS)


def test_passing_the_rest_is_refused_to_the_moderator_and_once_the_deck_is_done():
    c = ctx()
    st = cards.start(reveal_spec(), c)
    refused("not_your_turn", st, M, "pass_rest", c)
    done, _ = send(st, A, "pass_rest", c)
    refused("finished", done, B, "pass_rest", c)


def test_passing_the_rest_waits_during_a_time_out():
    from tests.unit.helpers import act, started, step
    state = started("closeness-36")
    state = act(state, "partner_b", "timeout")
    with pytest.raises(DomainError) as err:
        act(state, "partner_a", "pass_rest")
    assert err.value.code == "paused" and step(state)["phase"] == "first" and step(state)["index"] == 0


def test_passing_the_rest_of_set_one_moves_on_to_set_two():
    from tests.unit.helpers import act, started
    state = started("closeness-36")
    assert state["session"]["step_index"] == 0
    state = act(state, "partner_b", "pass_rest")
    assert state["session"]["step_index"] == 1 and state["session"]["step"]["index"] == 0


def test_without_the_option_a_deck_has_no_clock():
    c = ctx()
    st = cards.start(aloud_spec(), c)
    assert st["clock"] is None and cards.deadline(st) is None and cards.view(st, A, c)["clock"] is None
    assert not cards.adjustable(st) and cards.adjust_clock(st, 60, c) is None


def test_the_clock_option_runs_a_server_clock_from_the_start_of_the_deck():
    c = StepCtx(now=1000.0, seed=7, mode="same_room", first=A, options={"clock_minutes": 15})
    st = cards.start(aloud_spec(), c)
    assert cards.deadline(st) == 1000.0 + 15 * 60
    assert cards.view(st, A, c)["clock"] == {"minutes": 15, "deadline": 1900.0, "remaining": None, "up": False}
    assert cards.tick(st, StepCtx(now=1899.0, seed=7, mode="same_room", first=A)) is None


def _aloud_card(st, c):
    """Both answer the card aloud and both go on."""
    first = st["first"]
    st, _ = send(st, first, "answer", c)
    st, _ = send(st, common.other(first), "answer", c)
    st, _ = send(st, A, "advance", c)
    st, _ = send(st, B, "advance", c)
    return st


def test_when_the_time_is_up_the_card_on_the_table_is_finished_then_the_deck_ends():
    c = StepCtx(now=1000.0, seed=7, mode="same_room", first=A, options={"clock_minutes": 15})
    st = cards.start(aloud_spec(), c)
    st = _aloud_card(st, c)
    st, _ = send(st, st["first"], "answer", c)  # card 2 is under way
    later = StepCtx(now=1900.5, seed=7, mode="same_room", first=A)
    st, shared = cards.tick(st, later)
    assert shared == [] and st["clock"]["up"] and cards.deadline(st) is None and not cards.done(st)
    assert cards.tick(st, later) is None  # a second sweep has nothing to do
    assert cards.view(st, A, c)["clock"]["up"] is True
    st, _ = send(st, common.other(st["first"]), "answer", c)
    st, _ = send(st, A, "advance", c)
    assert not cards.done(st)
    st, _ = send(st, B, "advance", c)
    assert cards.done(st) and st["index"] == 2


def test_a_time_out_stops_the_deck_clock_and_resuming_gives_back_the_time_left():
    c = StepCtx(now=1000.0, seed=7, mode="same_room", first=A, options={"clock_minutes": 10})
    st = cards.start(aloud_spec(), c)
    paused = cards.pause(st, StepCtx(now=1100.0, seed=7, mode="same_room", first=A))
    assert cards.deadline(paused) is None and paused["clock"]["remaining"] == 500.0
    assert cards.tick(paused, StepCtx(now=99999.0, seed=7, mode="same_room", first=A)) is None
    resumed = cards.resume(paused, StepCtx(now=5000.0, seed=7, mode="same_room", first=A))
    assert cards.deadline(resumed) == 5500.0 and resumed["clock"]["remaining"] is None


def test_the_moderator_may_lengthen_or_shorten_the_deck_clock():
    c = StepCtx(now=1000.0, seed=7, mode="same_room", first=A, options={"clock_minutes": 5})
    st = cards.start(aloud_spec(), c)
    assert cards.adjustable(st)
    assert cards.deadline(cards.adjust_clock(st, 60, c)) == 1360.0
    assert cards.deadline(cards.adjust_clock(st, -900, c)) == 1000.0  # never into the past
    paused = cards.pause(st, c)
    assert cards.adjust_clock(paused, 30, c)["clock"]["remaining"] == 330.0


@pytest.mark.parametrize("bad", [4, 31])
def test_a_clock_outside_five_to_thirty_minutes_is_not_a_plan_option(bad):
    schema = cards.OPTIONS["clock_minutes"]
    assert not schema["minimum"] <= bad <= schema["maximum"]


def test_gentle_only_tells_which_decks_it_leaves_out():
    exercise = LIBRARY.exercises["closeness-36"]
    facts = [cards.step_facts(step) for step in exercise["steps"]]
    assert facts == [{"depths": [1]}, {"depths": [2]}, {"depths": [3]}]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st_.lists(STEP, max_size=40), passer=st_.sampled_from([A, B]),
       mode=st_.sampled_from(["reveal", "aloud", "guess"]))
def test_passing_the_rest_at_any_moment_ends_the_deck_and_puts_no_unrevealed_word_anywhere(steps, passer, mode):
    c = ctx("remote", draw=3)
    st = cards.start(SPECS[mode](), c)
    for n, (seat, kind, with_text) in enumerate(steps):
        try:
            st, _ = cards.apply(st, seat, {"type": kind, **({"text": marker(n)} if with_text else {})}, c)
        except DomainError:
            pass
    if cards.done(st):
        return
    unrevealed = [] if st["mode"] == "aloud" or st["phase"] != "answering" else \
        [t for a in st["answers"].values() for t in (a["text"], a["guess"]) if t]
    new, shared = cards.apply(st, passer, {"type": "pass_rest"}, c)
    assert cards.done(new) and shared == []
    dumped = json.dumps(new) + json.dumps([cards.view(new, s, c) for s in SEATS])
    assert not any(t in dumped for t in unrevealed)


def test_a_guessing_card_takes_the_answer_and_the_guess_in_one_move_and_no_other_card_takes_a_guess():
    c = ctx()
    st = cards.start(guess_spec(), c)
    st, _ = send(st, A, "answer", c, text="tea", guess="a walk")
    assert st["answers"][A]["text"] == "tea" and st["answers"][A]["guess"] == "a walk"
    st, shared = send(st, B, "answer", c, text="a walk", guess="tea")
    assert st["phase"] == "revealed" and len(shared) == 4
    refused("text_required", cards.start(guess_spec(), c), A, "answer", c, text="tea", guess="  ")
    refused("bad_value", cards.start(reveal_spec(), c), A, "answer", c, text="tea", guess="a walk")
