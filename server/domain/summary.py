"""The end-of-session summary as a file the couple can keep: Markdown and JSON."""

import datetime

from . import rooms, safety, session, steps
from .errors import DomainError


UTC = datetime.timezone.utc


def _when(ts: float | None, tz=UTC) -> str | None:
    """A date and time in `tz` (a tzinfo: the reader's own zone, or UTC), with the zone's name."""
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M %Z")


def as_data(state: dict, tz=UTC) -> dict:
    """Return the summary as plain data: plan, names, and the entries both partners kept (times in `tz`)."""
    sess = state["session"]
    names = {seat: (state["seats"][seat] or {}).get("name") for seat in rooms.SEATS}
    return {
        "room": state["code"],
        "started": _when(sess["started_at"], tz),
        "finished": _when(sess["finished_at"], tz),
        "partners": {seat: names[seat] for seat in rooms.PARTNERS},
        "moderator": names[rooms.MODERATOR],
        # An exercise the couple agreed to stop is marked so: it was left, not done.
        "plan": [{"exercise": item["exercise"], "title": sess["specs"][item["exercise"]]["title"],
                  "stopped": i in safety.stopped(sess), "skipped": i in sess.get("skipped", ())}
                 for i, item in enumerate(sess["plan"])],
        "entries": [{**entry, "name": names.get(entry["seat"])} for entry in sess["shared"]],
    }


def as_markdown(data: dict) -> str:
    """Render the summary data as a small Markdown document."""
    lines = [f"# {data.get('heading') or 'Our Attune session'}", ""]
    partners = " and ".join(name for name in data["partners"].values() if name)
    lines.append(f"{partners}, {data['started'] or ''}".rstrip(", "))
    if data["moderator"]:
        lines.append(f"Guided by {data['moderator']}")
    lines += ["", "## Plan", ""]
    lines += [f"{i}. {item['title']}" + (" (stopped)" if item.get("stopped") else " (skipped)" if item.get("skipped") else "")
              for i, item in enumerate(data["plan"], 1)]
    lines += ["", "## What we shared", ""]
    current = None
    for entry in data["entries"]:
        heading = f"### {entry['exercise']} · {entry['step']}"
        if heading != current:
            lines += [heading, ""]
            current = heading
        text = entry["text"].replace("\n", "\n  ")
        label = entry["label"]
        if entry.get("question"):
            label = f"{label.split(':', 1)[0]}: {entry['question']}"
        lines.append(f"- **{entry['name']}** ({label}): {text}")
    if not data["entries"]:
        lines.append(data.get("empty_note") or "Nothing was written down; everything was said aloud.")
    return "\n".join(lines) + "\n"


def export(state: dict, seat: str, tz=UTC) -> dict:
    """Return {"markdown", "json"} for a partner once both partners chose to keep the summary."""
    if not state["seats"].get(seat):
        raise DomainError("not_joined", "You are not seated in this room.")
    if not session.kept(state):
        raise DomainError("not_kept", "The summary can be saved only when both of you chose to keep it.")
    data = as_data(state, tz)
    return {"markdown": as_markdown(data), "json": data}


# What each room, session and moderator event means, in the therapist's words;
# a step kind's own moves (and its clock) are in that kind's WORDS.
EVENT_WORDS = {
    "room_created": "opened the session", "seat_claimed": "joined", "plan_agreed": "agreed to the plan",
    "session_started": "started the session", "timeout": "called a time-out", "ready": "was ready to go on",
    "resumed": "resumed", "deadline": "the clock ended a turn", "pause": "paused",
    "advance_step": "moved on a step", "back_step": "went back a step", "skip_exercise": "skipped the exercise",
    "swap_roles": "swapped roles", "end_session": "ended the exercises", "note": "added a private note",
    "erase_my_words": "erased what they wrote", "ask_stop": "asked to stop the exercise",
    "agree_stop": "agreed to stop the exercise", "withdraw_stop": "took back the request to stop",
    "answer_card": "answered the extra card",
}
MINUS = "\u2212"  # a real minus sign, as the dashboard shows it
_PRESENCE = {"online": "came back", "away": "went away", "left": "left"}


def _parametric(e: dict) -> str | None:
    kind = e["type"]
    if kind == "presence":
        return _PRESENCE.get(e.get("presence"), "presence changed")
    if kind == "mode_set":
        return "set: apart, typing" if e.get("mode") == "remote" else "set: same room, aloud"
    if kind == "voice_set":
        return "chose to talk on the call" if e.get("voice") == "call" else "chose to type the spoken steps"
    if kind == "plan_proposed":
        n = e.get("exercises")
        return f"set the plan ({n} exercise{'s' * (n != 1)})" if n else "set the plan"
    if kind == "promises_offered":
        n = e.get("promises")
        return f"brought back {n} promise{'s' * (n != 1)}" if isinstance(n, int) else "brought back promises"
    if kind == "seen_offered":
        n = e.get("seen")
        return f"brought what you have done ({n})" if isinstance(n, int) else "brought what you have done"
    if kind == "choosing":
        return "started choosing a plan" if e.get("on") else "stopped choosing a plan"
    if kind == "summary_choice":
        return "chose to keep the summary" if e.get("keep") else "chose not to keep the summary"
    if kind == "adjust_timer" and isinstance(e.get("seconds"), int):
        return f"changed the timer by {'+' if e['seconds'] > 0 else MINUS}{abs(e['seconds'])} s"
    if kind == "prompt":
        return "sent an extra card" if e.get("prompt_kind") == "card" else "sent a prompt"
    if kind == "timeout" and e.get("cooldown"):
        return f"started a cool-down ({e['cooldown']} min)"
    if kind == "timeout" and e.get("seat") == rooms.MODERATOR:
        return "paused"
    if kind == "agree_stop" and e.get("stopped") is not None:
        return "agreed to stop; the exercise stopped"
    return None


def what(e: dict, kind=None) -> str:
    """Return one log event in words (never anyone's words); `kind` is the step kind module it happened in."""
    words = _parametric(e)
    if words is not None:
        return words
    if kind is not None and e["type"] in kind.WORDS:
        return kind.WORDS[e["type"]]
    return EVENT_WORDS.get(e["type"], e["type"].replace("_", " "))


def _kind_of(sess: dict, e: dict):
    """The step kind module an event happened in, or None (the lobby, the summary, an unknown step)."""
    try:
        exercise = sess["specs"][sess["plan"][e["exercise"]]["exercise"]]
        return steps.KINDS.get(exercise["steps"][e["step"]]["kind"])
    except (KeyError, IndexError, TypeError):
        return None


def timeline(state: dict, events: list[dict]) -> list[dict]:
    """Return the events with their words: each gains "what" (what happened) and "where" (exercise and step)."""
    sess = state.get("session") or {}
    titles = [sess["specs"][item["exercise"]]["title"] for item in sess.get("plan", [])]
    out = []
    for e in events:
        where = None
        if e.get("exercise") is not None and e["exercise"] < len(titles):
            where = f"{titles[e['exercise']]} · step {(e.get('step') or 0) + 1}"
        out.append({**e, "what": what(e, _kind_of(sess, e)), "where": where})
    return out


def _clock(ts: float, tz=UTC) -> str:
    return datetime.datetime.fromtimestamp(ts, tz).strftime("%H:%M:%S")


def note_events(notes: list[dict]) -> list[dict]:
    """Return the moderator's notes as timeline entries: when and where, never the text."""
    return [{"version": n["version"], "note": n["n"], "type": "note", "seat": rooms.MODERATOR, "at": n["at"],
             "exercise": n["exercise"], "step": n["step"]} for n in notes]


def merged_timeline(events: list[dict], notes: list[dict]) -> list[dict]:
    """Merge the room's log with its notes, oldest first.

    A note does not raise the room's version: it carries the version the room
    had when it was written, and sorts after that version's own log entry and
    after the notes written before it.
    """
    merged = [(e["version"], 0, e) for e in events] + [(e["version"], e["note"], e) for e in note_events(notes)]
    return [e for _v, _n, e in sorted(merged, key=lambda t: (t[0], t[1]))]


def for_moderator(state: dict, events: list[dict], notes: list[dict] = (), tz=UTC) -> dict:
    """Return the therapist's export: plan, timeline (log and notes), private notes, prompts and extra cards,
    and kept text only; every time in `tz`, the therapist's own zone when their device said it."""
    notes = list(notes)
    events = merged_timeline(events, notes)
    sess = state["session"]
    data = as_data(state, tz)
    if not session.kept(state):
        data["entries"] = []
    names = {seat: (state["seats"][seat] or {}).get("name") for seat in rooms.SEATS}
    rows = [{"at": _when(e["at"], tz), "time": _clock(e["at"], tz), "version": e["version"],
             "who": names.get(e.get("seat")) or ("server" if e.get("seat") is None else e["seat"]),
             "what": e["what"], "event": e["type"], "where": e["where"]}
            for e in timeline(state, events)]
    data["timeline"] = rows
    data["notes"] = [{"at": _when(n["at"], tz), "text": n["text"]} for n in notes]
    data["prompts"] = [{"at": _when(p["at"], tz), "kind": p["kind"], "text": p["text"]}
                       for p in sess.get("prompts", [])]
    data["kept_by_both"] = session.kept(state)
    data["heading"] = "Attune session: moderator's record"
    if not data["kept_by_both"]:
        data["empty_note"] = "The partners' own words are not included: they did not both choose to keep them."
    lines = [as_markdown(data).rstrip("\n"), "", "## Timeline", ""]
    lines += [f"- {t['time']} {t['who']}: {t['what']}" + (f" ({t['where']})" if t["where"] else "")
              for t in rows]
    lines += ["", "## Prompts and extra cards", ""]
    lines += [f"- {p['at']} {'Extra card' if p['kind'] == 'card' else 'Prompt'}: {p['text']}"
              for p in data["prompts"]] or ["None sent."]
    lines += ["", "## Private notes", ""]
    lines += [f"- {n['at']}: {n['text']}" for n in data["notes"]] or ["No notes."]
    return {"markdown": "\n".join(lines) + "\n", "json": data}
