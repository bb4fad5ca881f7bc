"""What an intent is applied with besides the state: the time and the exercise library."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ctx:
    """The clock reading for this intent, and the library (exercises and feelings) as read-only data."""

    now: float
    exercises: dict = field(default_factory=dict)
    feelings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class StepCtx:
    """What a step machine needs besides its own state.

    `seed` is fixed per room and step, so a deck is dealt the same way on every
    retry; `first` is the partner who starts (speaker, sender, first answerer);
    `mode` is "same_room" (things are said aloud and marked done) or "remote"
    (things are typed); `options` are the plan's per-exercise settings;
    `promises` the promises the phones offered in the lobby, each `{by, text, made_on}`;
    `seen` the ids of this exercise's cards either phone said the couple has seen;
    `voice` is None, or for a spoken step of a couple apart how they chose to talk:
    "call" (said on the call in Attune) or "typing" (the step runs typed; see voice.py).
    """

    now: float
    seed: int
    mode: str
    first: str
    options: dict = field(default_factory=dict)
    feelings: dict = field(default_factory=dict)
    promises: tuple = ()
    seen: frozenset = frozenset()
    voice: str | None = None

    @property
    def second(self) -> str:
        """The partner who does not start."""
        return "partner_b" if self.first == "partner_a" else "partner_a"
