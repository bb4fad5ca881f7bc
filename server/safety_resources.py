"""The safety page's resources: who to call, per country, and where "Leave quickly" goes.

The person deploying Attune knows which helplines fit the people it serves, so
they are a file of theirs (`SAFETY_RESOURCES`, YAML or JSON), read and checked
once at start-up like the exercise library: a bad file stops the server with
one plain sentence per problem, naming the file, the field and the reason.
Without a file there are no lines, and the page says to call the local
emergency number. `SAFETY_EXIT_URL` is the everyday page "Leave quickly"
replaces Attune with.

The words of the page itself (when an exercise is not the right tool, what to
do now) are the client's; this module only carries the deployer's part.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from .library import Problem, _read

# Neutral: a page nobody would wonder about on a shared phone. Safety sites use a
# search engine's front page or a weather page for the same reason.
DEFAULT_EXIT_URL = "https://www.google.com/"

_TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}
# What a phone can dial or text: digits, with the spaces, dots, dashes and
# brackets people write them with, and a leading + for an international number.
_NUMBER = {"type": "string", "minLength": 2, "maxLength": 32, "pattern": "^\\+?[0-9][0-9 ().-]*$"}
_URL = {"type": "string", "minLength": 1, "maxLength": 300}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["countries"],
    "properties": {
        "note": {**_TEXT, "maxLength": 600},
        "countries": {"type": "array", "minItems": 1, "maxItems": 250, "items": {"$ref": "#/$defs/country"}},
    },
    "$defs": {
        "country": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "lines"],
            "properties": {
                "name": {**_TEXT, "maxLength": 80},
                "region": {"type": "string", "pattern": "^[A-Z]{2}$"},
                "emergency": _NUMBER,
                "lines": {"type": "array", "minItems": 1, "maxItems": 20, "items": {"$ref": "#/$defs/line"}},
            },
        },
        "line": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {**_TEXT, "maxLength": 120},
                "about": {**_TEXT, "maxLength": 300},
                "phone": _NUMBER,
                "sms": _NUMBER,
                "sms_body": {**_TEXT, "maxLength": 40},
                "url": _URL,
                "hours": {**_TEXT, "maxLength": 120},
            },
        },
    },
}

_PATTERNS = {
    "^[A-Z]{2}$": "must be a two-letter country code in capitals (ISO 3166-1, like GB or US)",
    "^\\+?[0-9][0-9 ().-]*$": "must be a number to dial or text: digits, spaces, dots, dashes, brackets, a leading +",
}


class SafetyError(Exception):
    """The safety settings could not be used; str() lists every problem, one per line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def load_safety(path: str | None, exit_url: str | None = None) -> dict:
    """The safety page's settings, `{exit_url, note, countries}`; raise SafetyError naming every problem.

    `path` is the `SAFETY_RESOURCES` file (None: no lines, only the emergency
    advice); `exit_url` is `SAFETY_EXIT_URL` (None: DEFAULT_EXIT_URL).
    """
    problems: list[Problem] = []
    exit_url = exit_url or DEFAULT_EXIT_URL
    reason = _url_problem(exit_url)
    if reason:
        problems.append(Problem("SAFETY_EXIT_URL", "", f"{reason}, got {exit_url!r}"))
    resources: dict[str, Any] = {"note": None, "countries": []}
    if path:
        doc, file_problems = _read_file(Path(path))
        problems += file_problems
        if not file_problems:
            resources = {"note": doc.get("note"), "countries": doc["countries"]}
    if problems:
        raise SafetyError(problems)
    return {"exit_url": exit_url, **resources}


def _read_file(file: Path) -> tuple[Any, list[Problem]]:
    name = f"SAFETY_RESOURCES {file}"
    if not file.is_file():
        return None, [Problem(name, "", "cannot be read: there is no such file")]
    doc, problems = _read(file, _VALIDATOR)
    # _read names the file by its path; the setting's name says where it came from.
    problems = [Problem(name, p.field, _worded(p.reason)) for p in problems]
    if not problems:
        problems = list(_check(name, doc))
    return doc, problems


def _worded(reason: str) -> str:
    for pattern, words in _PATTERNS.items():
        reason = reason.replace(f"must match the pattern {pattern}", words)
    return reason


def _check(name: str, doc: dict) -> Iterable[Problem]:
    """What the schema cannot say: each line can be reached somehow, addresses are web addresses, no country twice."""
    regions: dict[str, str] = {}
    for i, country in enumerate(doc["countries"]):
        where = f"countries[{i}]"
        region = country.get("region")
        if region in regions:
            yield Problem(name, f"{where}.region", f"{region!r} is already used by {regions[region]}")
        elif region:
            regions[region] = where
        for j, line in enumerate(country["lines"]):
            at = f"{where}.lines[{j}]"
            if not any(line.get(way) for way in ("phone", "sms", "url")):
                yield Problem(name, at, "needs at least one way to reach it: phone, sms or url")
            if "sms_body" in line and "sms" not in line:
                yield Problem(name, f"{at}.sms_body", "is only allowed with an sms number")
            if "url" in line:
                reason = _url_problem(line["url"])
                if reason:
                    yield Problem(name, f"{at}.url", f"{reason}, got {line['url']!r}")


def _url_problem(url: str) -> str | None:
    """Why `url` is not a web address a phone can open (None when it is)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        return "must be a full web address starting with https:// (or http://)"
    return None


Draft202012Validator.check_schema(SCHEMA)
_VALIDATOR = Draft202012Validator(SCHEMA)
