"""The exercise library: one YAML file per exercise, validated at start-up.

The format lives in exercises/schema.json (JSON Schema 2020-12): each step kind
has its `$defs/<kind>`, and `$defs/step`, which dispatches on `kind`, is built
here from the step kinds (server/domain/steps). This module adds the checks a
schema cannot express (id equals the file name, unique feeling ids, and each
kind's own `check`, e.g. a deck that can deal the cards it promises) and turns every
problem into one plain sentence naming the file, the field and the reason, so
whoever edits the content can fix it without reading a stack trace.

Pure Python plus PyYAML and jsonschema, so the domain and the tests can load it
without any web or Redis machinery.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import yaml
from jsonschema import Draft202012Validator

from .domain import steps

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "exercises" / "schema.json"
FEELINGS_FILE = "feelings.yaml"

SCHEMA_FILE = "schema.json"


class Problem(NamedTuple):
    """One thing wrong with one file: where, and why, in plain words."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}" if self.field else f"{self.file}: {self.reason}"


class LibraryError(Exception):
    """The library could not be loaded; str() lists every problem, one per line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Library:
    """Every exercise by id, and the feelings offered in a check-in (treat both as read-only)."""

    exercises: dict[str, dict]
    feelings: list[dict]
    # feelings.yaml's `distress`: {high, families?, feelings?}; empty: no feeling counts as hard.
    distress: dict = dataclass_field(default_factory=dict)
    _feeling_index: dict[str, dict] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        hard_families = set(self.distress.get("families", ()))
        hard_words = set(self.distress.get("feelings", ()))
        index = {}
        for family in self.feelings:
            for word in family["feelings"]:
                entry = {"id": word["id"], "word": word["word"], "family": family["id"]}
                if family["id"] in hard_families or word["id"] in hard_words:
                    # The intensity from which this hard feeling counts as high (checkin.distressed).
                    entry["high"] = self.distress["high"]
                index[word["id"]] = entry
        object.__setattr__(self, "_feeling_index", index)

    def get(self, exercise_id: str) -> dict:
        """Return the exercise with this id, or raise KeyError."""
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise KeyError(f"unknown exercise {exercise_id!r}") from None

    @property
    def feelings_by_id(self) -> dict[str, dict]:
        """Every feeling word by id, as {id, word, family} (read-only)."""
        return self._feeling_index

    def feeling(self, feeling_id: str) -> dict:
        """Return {id, word, family} for a feeling id, or raise KeyError."""
        try:
            return self._feeling_index[feeling_id]
        except KeyError:
            raise KeyError(f"unknown feeling {feeling_id!r}") from None


def load_library(path: str | Path, schema_path: str | Path | None = None,
                 cache_dir: str | Path | None = None) -> Library:
    """Load and validate every *.yaml in `path` (plus its feelings.yaml); raise LibraryError listing all problems.

    The schema travels with its exercises: without `schema_path`, it is the
    folder's own schema.json if it has one, else the repository's.

    With `cache_dir`, a library that passed every check is kept there as
    JSON under a digest of everything the checks read (the files, the schema,
    the step kinds and the code that checks them), and a later start-up with
    the same digest takes it from there instead of parsing and validating
    again: a restart after a crash is back sooner. Any change to any of them
    is a new digest, so a changed file is always checked; a cache that cannot
    be read or written is passed by.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise LibraryError([Problem(str(folder), "", "is not a folder of exercises")])
    if schema_path is None:
        schema_path = folder / SCHEMA_FILE if (folder / SCHEMA_FILE).is_file() else SCHEMA_PATH
    schema_name = str(Path(schema_path).resolve())
    if cache_dir is None:
        return _load_checked(folder, schema_name)
    digest = _digest(folder, schema_name)
    if digest is None:
        return _load_checked(folder, schema_name)
    cached = _cache_read(Path(cache_dir), digest)
    if cached is not None:
        return cached
    library = _load_checked(folder, schema_name)
    _cache_write(Path(cache_dir), digest, library)
    return library


def _load_checked(folder: Path, schema_name: str) -> Library:
    missing = [kind for kind in steps.KINDS if kind not in _schema_defs(schema_name)]
    if missing:
        raise LibraryError([Problem(schema_name, f"$defs.{kind}", "is missing: every step kind needs its definition")
                            for kind in missing])
    exercise_validator, feelings_validator, defaults = _validators(schema_name, tuple(steps.KINDS))

    problems: list[Problem] = []
    exercises: dict[str, dict] = {}
    sources: dict[str, str] = {}
    feelings: list[dict] = []
    distress: dict = {}

    for stray in sorted(folder.glob("*.yml")):
        problems.append(Problem(str(stray), "", "uses the .yml extension; rename it to .yaml or it will not be loaded"))

    feelings_file = folder / FEELINGS_FILE
    if not feelings_file.is_file():
        problems.append(Problem(str(feelings_file), "", "is missing; the emotion check-in needs its list of feelings"))
    else:
        doc, file_problems = _read(feelings_file, feelings_validator)
        file_problems = file_problems or list(_check_feelings(str(feelings_file), doc))
        problems += file_problems
        if not file_problems:
            feelings = doc["families"]
            distress = doc.get("distress", {})

    files = sorted(p for p in folder.glob("*.yaml") if p.name != FEELINGS_FILE)
    if not files:
        problems.append(Problem(str(folder), "", "holds no exercise files (*.yaml)"))
    for file in files:
        doc, file_problems = _read(file, exercise_validator)
        file_problems = file_problems or list(_check_exercise(str(file), file.stem, doc))
        if not file_problems and doc["id"] in sources:
            file_problems = [Problem(str(file), "id", f"{doc['id']!r} is already used by {sources[doc['id']]}")]
        problems += file_problems
        if not file_problems:
            _fill_defaults(doc, defaults)
            exercises[doc["id"]] = doc
            sources[doc["id"]] = str(file)

    if problems:
        raise LibraryError(problems)
    return Library(exercises=exercises, feelings=feelings, distress=distress)


# --- the cache of a checked library ---------------------------------------

CACHE_PREFIX = "library-"


def _digest(folder: Path, schema_name: str) -> str | None:
    """A digest of everything a load reads or checks with: files, schema, step kinds and their code.

    None when a step kind has no source file to read (one made at run time): no cache then.
    """
    h = hashlib.sha256(b"attune library cache 1\0")
    try:
        kinds = {Path(inspect.getsourcefile(module)) for module in steps.KINDS.values()}
        sources = [Path(__file__), *sorted(kinds | set(Path(steps.__file__).parent.glob("*.py")))]
    except TypeError:
        return None
    for part in [Path(schema_name), *sorted(folder.glob("*.yaml")), *sorted(folder.glob("*.yml")), *sources]:
        h.update(str(part).encode() + b"\0" + part.read_bytes() + b"\0")
    h.update(json.dumps(steps.step_schema(), sort_keys=True).encode())
    return h.hexdigest()


def _cache_read(cache_dir: Path, digest: str) -> Library | None:
    try:
        held = json.loads((cache_dir / f"{CACHE_PREFIX}{digest}.json").read_bytes())
        return Library(exercises=held["exercises"], feelings=held["feelings"], distress=held["distress"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_write(cache_dir: Path, digest: str, library: Library) -> None:
    parts = {"exercises": library.exercises, "feelings": library.feelings, "distress": library.distress}
    try:
        body = json.dumps(parts, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # something in it is not JSON (a YAML date, say): always load it afresh
    if json.loads(body) != parts:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob(f"{CACHE_PREFIX}*.json"):
            old.unlink(missing_ok=True)
        target = cache_dir / f"{CACHE_PREFIX}{digest}.json"
        scratch = target.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(body, encoding="utf-8")
        os.replace(scratch, target)
    except OSError:
        return


# --- reading and validating one file -------------------------------------


def _schema_file(schema_path: str) -> dict:
    with open(schema_path, encoding="utf-8") as f:
        return json.load(f)


def _schema_defs(schema_path: str) -> dict:
    return _schema_file(schema_path).get("$defs", {})


@lru_cache(maxsize=8)
def _validators(schema_path: str, kinds: tuple[str, ...]) -> tuple[Draft202012Validator, Draft202012Validator, dict[str, dict]]:
    # Cached (per schema file and set of step kinds) so that tests loading many small folders do not re-parse it.
    schema = _schema_file(schema_path)
    schema["$defs"]["step"] = steps.step_schema({kind: steps.KINDS[kind] for kind in kinds})
    Draft202012Validator.check_schema(schema)
    exercise = Draft202012Validator(schema)
    # Same document, entered at $defs/feelings, so its internal $refs still resolve.
    feelings = Draft202012Validator({"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/feelings"})
    defaults = {
        kind: {name: prop["default"] for name, prop in schema["$defs"][kind]["properties"].items() if "default" in prop}
        for kind in kinds
    }
    return exercise, feelings, defaults


def _read(file: Path, validator: Draft202012Validator) -> tuple[Any, list[Problem]]:
    name = str(file)
    try:
        with open(file, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=_StrictLoader)
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except yaml.MarkedYAMLError as exc:
        return None, [Problem(name, "", _yaml_reason(exc))]
    except yaml.YAMLError as exc:
        return None, [Problem(name, "", f"YAML syntax error: {exc}")]
    if doc is None:
        return None, [Problem(name, "", "is empty")]
    problems: dict[Problem, None] = {}  # ordered set: if/then branches can report the same thing twice
    for error in validator.iter_errors(doc):
        for problem in _explain(name, error, validator.schema):
            problems[problem] = None
    return doc, sorted(problems, key=lambda p: _sort_key(p.field))


def _check_exercise(name: str, stem: str, doc: dict) -> Iterable[Problem]:
    if doc["id"] != stem:
        yield Problem(name, "id", f"{doc['id']!r} does not match the file name; it must be {stem!r}")
    seen: dict[str, dict] = {}  # one per kind: what its check has met so far in this file
    for i, step in enumerate(doc["steps"]):
        kind = steps.KINDS[step["kind"]]
        for field, reason in kind.check(step, f"steps[{i}]", seen.setdefault(kind.KIND, {})):
            yield Problem(name, field, reason)


def _check_feelings(name: str, doc: dict) -> Iterable[Problem]:
    seen: dict[str, str] = {}
    for i, family in enumerate(doc["families"]):
        items = [(f"families[{i}].id", family["id"])]
        items += [(f"families[{i}].feelings[{j}].id", w["id"]) for j, w in enumerate(family["feelings"])]
        for where, ident in items:
            if ident in seen:
                yield Problem(name, where, f"{ident!r} is already used by {seen[ident]}; ids must be unique in the file")
            else:
                seen[ident] = where
    distress = doc.get("distress", {})
    families = {family["id"] for family in doc["families"]}
    for key, what, known in (("families", "family", families), ("feelings", "feeling", set(seen) - families)):
        for j, ident in enumerate(distress.get(key, ())):
            if ident not in known:
                yield Problem(name, f"distress.{key}[{j}]", f"{ident!r} is not a {what} of this file")


def _fill_defaults(doc: dict, defaults: dict[str, dict]) -> None:
    for step in doc["steps"]:
        for key, value in defaults[step["kind"]].items():
            step.setdefault(key, value)


# --- YAML -----------------------------------------------------------------


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that rejects duplicate keys, which plain YAML silently overwrites."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first given on line {seen[key] + 1})", key_node.start_mark
                )
        except TypeError:
            continue  # unhashable key: construct_mapping below reports it properly
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    what = exc.problem or exc.context or "unreadable"
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    # A constructor error (a duplicate key) is well-formed YAML that we refuse, not a syntax error.
    label = "YAML error" if isinstance(exc, yaml.constructor.ConstructorError) else "YAML syntax error"
    return f"{label}{where}: {what}{context}"


# --- turning jsonschema errors into sentences ----------------------------

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a set of fields (key: value)",
    "boolean": "true or false",
    "null": "nothing",
}

_PATTERN_WORDS = {
    "\\S": "must not be blank",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "must be kebab-case (lowercase letters and digits joined by single hyphens)",
}


def _explain(name: str, error: Any, root: dict) -> Iterable[Problem]:
    path = list(error.absolute_path)
    kind = error.validator
    value = error.validator_value
    instance = error.instance

    if kind == "required":
        guard = _condition(root, error.relative_schema_path)
        suffix = ""
        if guard:
            prop, const, in_else = guard
            suffix = f" (required {'unless' if in_else else 'when'} {prop} is {const})"
        for prop in value:
            # jsonschema raises one error per missing property and names it only in the message.
            if f"{prop!r} is a required property" == error.message:
                yield Problem(name, _format_path(path + [prop]), f"is missing{suffix}")
        return
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for extra in instance:
            if extra not in allowed:
                yield Problem(name, _format_path(path + [extra]), f"is not a known field here; allowed: {', '.join(allowed)}")
        return
    if kind == "not":
        # The schema forbids a field with {"not": {}} rather than `false`: jsonschema drops
        # the field's name from the path of errors raised by a `false` subschema.
        guard = _condition(root, error.relative_schema_path)
        reason = "is not allowed here"
        if guard:
            prop, const, in_else = guard
            reason = f"is only allowed when {prop} is {const}" if in_else else f"is not allowed when {prop} is {const}"
        yield Problem(name, _format_path(path), reason)
        return
    yield Problem(name, _format_path(path), _reason(kind, value, instance, error.message))


def _reason(kind: str, value: Any, instance: Any, fallback: str) -> str:
    if kind == "type":
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in ([value] if isinstance(value, str) else value))
        return f"expected {wanted}, got {_show(instance)}"
    if kind == "enum":
        return f"{_show(instance)} is not one of: {', '.join(str(v) for v in value)}"
    if kind == "const":
        return f"must be {value!r}, got {_show(instance)}"
    if kind == "minimum":
        return f"{instance} is less than the minimum of {value}"
    if kind == "maximum":
        return f"{instance} is greater than the maximum of {value}"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"is {len(instance)} characters long; the maximum is {value}"
    if kind == "pattern":
        words = _PATTERN_WORDS.get(value, f"must match the pattern {value}")
        return f"{words}, got {_show(instance)}"
    if kind == "minItems":
        return f"has {len(instance)} item{'s' * (len(instance) != 1)}; needs at least {value}"
    if kind == "maxItems":
        return f"has {len(instance)} items; the maximum is {value}"
    return fallback


def _condition(root: dict, schema_path: Iterable[Any]) -> tuple[str, Any, bool] | None:
    """Return (field, value, in_else) for the `if: field == value` whose then/else directly holds the failing keyword."""
    node: Any = root
    guard = None
    for key in schema_path:
        # jsonschema leaves "$ref" out of schema paths, so follow refs when a key is not found.
        followed_ref = False
        while isinstance(node, dict) and key not in node and "$ref" in node:
            node = _resolve(root, node["$ref"])
            followed_ref = True
        if followed_ref:
            guard = None  # a branch that only selects a definition (step kinds) is not worth naming
        if key in ("then", "else") and isinstance(node, dict) and "if" in node:
            guard = (node["if"], key == "else")
        node = node[key]
    if guard is None:
        return None
    if_schema, in_else = guard
    props = if_schema.get("properties", {})
    if len(props) != 1:
        return None
    ((prop, sub),) = props.items()
    return (prop, sub["const"], in_else) if "const" in sub else None


def _resolve(root: dict, ref: str) -> Any:
    node: Any = root
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def _format_path(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def _sort_key(field_path: str) -> list[Any]:
    # Natural order, so steps[10] comes after steps[2].
    return [int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", field_path)]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
