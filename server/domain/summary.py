"""The end-of-session summary as a file the couple can keep: Markdown and JSON."""

import datetime

from . import rooms, session
from .errors import DomainError


def _when(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def as_data(state: dict) -> dict:
    """Return the summary as plain data: plan, names, and the entries both partners kept."""
    sess = state["session"]
    names = {seat: (state["seats"][seat] or {}).get("name") for seat in rooms.SEATS}
    return {
        "room": state["code"],
        "started": _when(sess["started_at"]),
        "finished": _when(sess["finished_at"]),
        "partners": {seat: names[seat] for seat in rooms.PARTNERS},
        "moderator": names[rooms.MODERATOR],
        "plan": [{"exercise": item["exercise"], "title": sess["specs"][item["exercise"]]["title"]}
                 for item in sess["plan"]],
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
    lines += [f"{i}. {item['title']}" for i, item in enumerate(data["plan"], 1)]
    lines += ["", "## What we shared", ""]
    current = None
    for entry in data["entries"]:
        heading = f"### {entry['exercise']} · {entry['step']}"
        if heading != current:
            lines += [heading, ""]
            current = heading
        text = entry["text"].replace("\n", "\n  ")
        lines.append(f"- **{entry['name']}** ({entry['label']}): {text}")
    if not data["entries"]:
        lines.append(data.get("empty_note") or "Nothing was written down; everything was said aloud.")
    return "\n".join(lines) + "\n"


def export(state: dict, seat: str) -> dict:
    """Return {"markdown", "json"} for a partner once both partners chose to keep the summary."""
    if not state["seats"].get(seat):
        raise DomainError("not_joined", "You are not seated in this room.")
    if not session.kept(state):
        raise DomainError("not_kept", "The summary can be saved only when both of you chose to keep it.")
    data = as_data(state)
    return {"markdown": as_markdown(data), "json": data}


# What each logged event means, in the therapist's words.
_DONE = {
    "room_created": "opened the session", "seat_claimed": "joined", "mode_set": "chose how to sit",
    "plan_proposed": "set the plan", "plan_agreed": "agreed to the plan", "session_started": "started the session",
    "timeout": "called a time-out", "ready": "was ready to go on", "resumed": "resumed",
    "summary_choice": "chose about keeping the summary", "deadline": "the clock ended a turn",
    "share": "shared a piece", "paraphrase": "paraphrased", "check": "checked the paraphrase",
    "continue": "went on", "pass_floor": "passed the floor", "ask_appointment": "asked for a dialogue",
    "appointment": "answered the request", "send": "sent", "mirror": "mirrored", "mirror_check": "checked the mirror",
    "more": "said whether there is more", "summarize": "summarised", "summary_check": "checked the summary",
    "validate": "validated", "empathize": "offered empathy", "empathy_check": "checked the empathy",
    "close": "closed the dialogue", "answer": "answered", "guess": "guessed", "pass_card": "passed a card",
    "advance": "was ready for the next card", "checkin": "checked in", "start_turn": "started speaking",
    "end_turn": "ended the turn", "pause": "paused", "advance_step": "moved on a step",
    "back_step": "went back a step", "skip_exercise": "skipped the exercise", "swap_roles": "swapped roles",
    "adjust_timer": "changed the timer", "prompt": "sent a prompt", "end_session": "ended the exercises",
    "note": "added a private note",
}
_PRESENCE = {"online": "came back", "away": "went away", "left": "left"}


def _what(e: dict) -> str:
    if e["type"] == "presence":
        return _PRESENCE.get(e.get("presence"), "presence changed")
    return _DONE.get(e["type"], e["type"].replace("_", " "))


def _clock(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%H:%M:%S")


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


def for_moderator(state: dict, events: list[dict], notes: list[dict] = ()) -> dict:
    """Return the therapist's export: plan, timeline (log and notes), private notes, and kept text only."""
    notes = list(notes)
    events = merged_timeline(events, notes)
    sess = state["session"]
    data = as_data(state)
    if not session.kept(state):
        data["entries"] = []
    names = {seat: (state["seats"][seat] or {}).get("name") for seat in rooms.SEATS}
    titles = [sess["specs"][item["exercise"]]["title"] for item in sess["plan"]]
    timeline = []
    for e in events:
        where = None
        if e.get("exercise") is not None and e["exercise"] < len(titles):
            where = f"{titles[e['exercise']]} · step {e['step'] + 1}"
        timeline.append({"at": _when(e["at"]), "time": _clock(e["at"]), "version": e["version"],
                         "who": names.get(e.get("seat")) or ("server" if e.get("seat") is None else e["seat"]),
                         "what": _what(e), "event": e["type"], "where": where})
    data["timeline"] = timeline
    data["notes"] = [{"at": _when(n["at"]), "text": n["text"]} for n in notes]
    data["prompts"] = [{"at": _when(p["at"]), "kind": p["kind"], "text": p["text"]}
                       for p in sess.get("prompts", [])]
    data["kept_by_both"] = session.kept(state)
    data["heading"] = "Attune session: moderator's record"
    if not data["kept_by_both"]:
        data["empty_note"] = "The partners' own words are not included: they did not both choose to keep them."
    lines = [as_markdown(data).rstrip("\n"), "", "## Timeline", ""]
    lines += [f"- {t['time']} {t['who']}: {t['what']}" + (f" ({t['where']})" if t["where"] else "")
              for t in timeline]
    lines += ["", "## Private notes", ""]
    lines += [f"- {n['at']}: {n['text']}" for n in data["notes"]] or ["No notes."]
    return {"markdown": "\n".join(lines) + "\n", "json": data}
