"""A test-only step kind: the caller calls out a word, the echoer says it back before the echo fades.

It exists to prove the step-kind contract (server/domain/steps/__init__.py):
it is added with `intents.added_kinds(echo)` and a library folder whose
schema.json has `$defs/echo`, and no file under server/, client/,
exercises/ or docs/ knows about it.

say (caller sends `echo_say`) -> back (the echoer has `seconds` to send
`echo_back`; the server's clock lets the echo fade otherwise) -> the next
call's say, or done after `echoes` calls.
"""

from server.domain.steps import common

KIND = "echo"
OPTIONS = {"echoes": {"type": "integer", "minimum": 1, "maximum": 3}}
INTENTS = {
    "echo_say": ({"text": common.TEXT}, []),
    "echo_back": ({"text": common.TEXT}, []),
}
PLACE = ("phase", "turn", "caller")
WORDS = {"echo_say": "called out", "echo_back": "echoed", "deadline": "let the echo fade"}
MAX_SECONDS = 600

_PHASES = {"say": ("caller", "echo_say"), "back": ("echoer", "echo_back"), "done": (None, None)}


# Its words go straight to the session's shared list; its state keeps none.
erase_seat = common.no_words


def check(spec: dict, where: str, seen: dict):
    """An echo longer than ten minutes is no echo: the schema allows it, this check does not."""
    if spec["seconds"] > MAX_SECONDS:
        yield f"{where}.seconds", f"{spec['seconds']} is longer than an echo lasts ({MAX_SECONDS} seconds at most)"


def start(spec: dict, ctx) -> dict:
    return {"phase": "say", "caller": ctx.first, "echoer": ctx.second, "turn": 0,
            "echoes": int(ctx.options.get("echoes", spec.get("echoes", 1))), "seconds": spec["seconds"],
            "deadline": None, "paused_remaining": None}


def _next_call(st: dict) -> dict:
    new = common.copied(st)
    new["turn"] += 1
    new["phase"] = "done" if new["turn"] >= new["echoes"] else "say"
    common.clear_clock(new)
    return new


def apply(st: dict, seat: str, intent: dict, ctx):
    if st["phase"] == "done":
        raise common.finished()
    role, accepted = _PHASES[st["phase"]]
    if intent["type"] != accepted:
        raise common.wrong_step(f"now it is time to {'call out' if role == 'caller' else 'echo'}")
    if seat != st[role]:
        raise common.not_your_turn(role)
    if role == "caller":
        text = common.text_of(intent, ctx, label="call")
        new = common.copied(st)
        new["phase"] = "back"
        common.run_clock(new, st["seconds"], ctx)
        return new, common.entry(seat, "called", text)
    text = common.text_of(intent, ctx, label="echo")
    return _next_call(st), common.entry(seat, "echoed", text)


def view(st: dict, seat: str, ctx) -> dict:
    role = "caller" if seat == st["caller"] else "echoer" if seat == st["echoer"] else "observer"
    actor, accepted = _PHASES[st["phase"]]
    return {"phase": st["phase"], "role": role, "caller": st["caller"], "echoer": st["echoer"],
            "waiting_for": [st[actor]] if actor else [],
            "can": [accepted] if actor and seat == st[actor] else [],
            "turn": {"number": min(st["turn"] + 1, st["echoes"]), "of": st["echoes"]},
            "deadline": st["deadline"], "paused": st["paused_remaining"] is not None,
            "remaining": st["paused_remaining"]}


def done(st: dict) -> bool:
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    if st["phase"] == "done":
        return st
    new = common.copied(st)
    new["caller"], new["echoer"] = st["echoer"], st["caller"]
    new["phase"] = "say"
    common.clear_clock(new)
    return new


# The echo's clock runs while the echoer may answer; when it runs out the echo fades (the next call).
deadline, tick, pause, resume, adjustable, adjust_clock = common.clock("back", _next_call)


# --- its exercise files ------------------------------------------------------------------

SCHEMA = {
    "description": "Test only: the caller calls out, the echoer says it back before the echo fades.",
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "title", "instructions", "seconds"],
    "properties": {
        "kind": {"const": "echo"},
        "title": {"$ref": "#/$defs/title"},
        "instructions": {
            "type": "object", "additionalProperties": False, "required": ["caller", "echoer"],
            "properties": {"caller": {"$ref": "#/$defs/instruction"}, "echoer": {"$ref": "#/$defs/instruction"}},
        },
        "seconds": {"type": "integer", "minimum": 1, "maximum": 3600},
        "echoes": {"type": "integer", "minimum": 1, "maximum": 3, "default": 1},
    },
}

EXERCISE = """\
id: echo-game
title: Echo game
purpose: Call out a word and hear it come back.
category: attunement
minutes: 5
depth: 1
steps:
  - kind: echo
    title: Call and echo
    seconds: 300
    instructions:
      caller: Call out one word.
      echoer: Say it back before it fades.
  - kind: cards
    title: One card
    mode: reveal
    draw: 1
    order: fixed
    instructions: {both: Answer the card.}
    cards: [{id: after-echo, text: What did the echo sound like?, depth: 1}]
"""


def library_folder(folder, *, seconds: int = 300):
    """Write a library for this kind into `folder`: the repo's schema plus $defs/echo, feelings, echo-game."""
    import json
    import shutil
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2] / "exercises"
    schema = json.loads((repo / "schema.json").read_text(encoding="utf-8"))
    schema["$defs"]["echo"] = SCHEMA
    folder = Path(folder)
    (folder / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    shutil.copy(repo / "feelings.yaml", folder)
    (folder / "echo-game.yaml").write_text(EXERCISE.replace("seconds: 300", f"seconds: {seconds}"),
                                           encoding="utf-8")
    return folder
