"""The six memory types: their fields, validation, and the text each one is searched by.

One declarative table (:data:`TYPE_FIELDS`) drives validation, the SQLite tables, the
search text and the summaries, so adding a field happens in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from memory.errors import InvalidInput

MEMORY_TYPES: tuple[str, ...] = ("core", "episodic", "semantic", "procedural", "resource", "vault")
SOURCES: tuple[str, ...] = ("screen", "chat", "manual", "import")

#: Largest text a single field may hold. Longer input is refused with a clear message rather
#: than silently cut; documents larger than this belong on disk, referenced by ``uri``.
MAX_FIELD_CHARS = 1_000_000
CORE_DEFAULT_LIMIT = 5000


@dataclass(frozen=True)
class FieldSpec:
    """One per-type field: its Python kind, whether it must be given, its default, choices."""

    name: str
    kind: str  # "text", "int", "datetime", "list"
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] | None = None
    searchable: bool = True
    #: Part of the text the vector is made from. Long bodies (details, document content)
    #: are searchable word for word through FTS5 but left out of the embedding: the vector
    #: says what the memory is about, and embedding cost grows with every token.
    embedded: bool = True


TYPE_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "core": (
        FieldSpec("label", "text", required=True),
        FieldSpec("value", "text", default=""),
        FieldSpec("limit", "int", default=CORE_DEFAULT_LIMIT, searchable=False),
    ),
    "episodic": (
        FieldSpec("occurred_at", "datetime", searchable=False),
        FieldSpec("ended_at", "datetime", searchable=False),
        FieldSpec("actor", "text", default="user"),
        FieldSpec("event_type", "text", default="activity"),
        FieldSpec("summary", "text", required=True),
        FieldSpec("details", "text", default="", embedded=False),
        FieldSpec("app", "text"),
        FieldSpec("window_title", "text"),
        FieldSpec("url", "text"),
    ),
    "semantic": (
        FieldSpec("name", "text", required=True),
        FieldSpec("summary", "text", required=True),
        FieldSpec("details", "text", default="", embedded=False),
        FieldSpec("source", "text"),
    ),
    "procedural": (
        FieldSpec(
            "entry_type", "text", default="workflow", choices=("workflow", "guide", "script")
        ),
        FieldSpec("summary", "text", required=True),
        FieldSpec("steps", "list", default=()),
    ),
    "resource": (
        FieldSpec("title", "text", required=True),
        FieldSpec("summary", "text", default=""),
        FieldSpec(
            "resource_type",
            "text",
            default="doc",
            choices=("doc", "markdown", "pdf_text", "spreadsheet", "url", "code", "image"),
        ),
        FieldSpec("content", "text", default="", embedded=False),
        FieldSpec("uri", "text"),
    ),
    "vault": (
        FieldSpec(
            "entry_type",
            "text",
            default="other",
            choices=(
                "credential",
                "api_key",
                "bookmark",
                "contact",
                "address",
                "account_number",
                "other",
            ),
        ),
        FieldSpec("source", "text"),
        FieldSpec("sensitivity", "text", default="medium", choices=("low", "medium", "high")),
        FieldSpec("caption", "text", required=True),
        # Encrypted at rest, never embedded, never in FTS, never in a prompt while locked.
        FieldSpec("secret_value", "text", default="", searchable=False),
    ),
}

#: Common fields a caller may set; the rest (id, timestamps, version...) the store owns.
COMMON_SETTABLE: dict[str, str] = {
    "source": "text",
    "provenance": "provenance",
    "confidence": "float",
    "strength": "float",
    "pinned": "bool",
    "tree_path": "text",
}


def type_table(memory_type: str) -> str:
    """Name of the SQLite table holding a type's own fields."""
    return f"{memory_type}_memory"


def field_names(memory_type: str) -> list[str]:
    return [spec.name for spec in TYPE_FIELDS[memory_type]]


def check_type(memory_type: object) -> str:
    if memory_type not in TYPE_FIELDS:
        raise InvalidInput(
            f"Unknown memory type {memory_type!r}; expected one of {', '.join(MEMORY_TYPES)}."
        )
    return str(memory_type)


def now_iso() -> str:
    return to_iso(datetime.now(UTC))


def to_iso(moment: datetime) -> str:
    """Normalise to UTC with microseconds, so stored timestamps sort as text."""
    try:
        if moment.tzinfo is None:
            moment = moment.astimezone()  # naive means local time, as a user typed it
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    except (OverflowError, ValueError, OSError):
        raise InvalidInput(f"{moment.isoformat()} is outside the range of dates Engram can store.") from None


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 date or datetime; a bare date means local midnight."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not an ISO 8601 date or time (for example 2024-05-01T16:05)."
        ) from None
    if moment.tzinfo is None:
        try:
            moment = moment.astimezone()
        except (OverflowError, ValueError, OSError):
            raise InvalidInput(f"{value!r} is outside the range of dates Engram can store.") from None
    to_iso(moment)  # refuses dates that cannot be stored in UTC
    return moment


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"Field {name!r} must be text, not {type(value).__name__}.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"Field {name!r} is not valid UTF-8 text.") from None
    if len(value) > MAX_FIELD_CHARS:
        raise InvalidInput(
            f"Field {name!r} holds {len(value):,} characters; the limit is "
            f"{MAX_FIELD_CHARS:,}. Store large documents as files and keep a summary here."
        )
    if "\x00" in value:
        raise InvalidInput(f"Field {name!r} contains a NUL character.")
    return value


def _check_value(memory_type: str, spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    name = f"{memory_type}.{spec.name}"
    if spec.kind == "text":
        text = _check_text(name, value)
        if spec.choices and text not in spec.choices:
            raise InvalidInput(
                f"Field {name!r} must be one of {', '.join(spec.choices)}, not {text!r}."
            )
        return text
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"Field {name!r} must be a whole number, not {value!r}.")
        if value <= 0:
            raise InvalidInput(f"Field {name!r} must be positive, not {value}.")
        return value
    if spec.kind == "datetime":
        if isinstance(value, datetime):
            return to_iso(value)
        return to_iso(parse_iso(_check_text(name, value)))
    if spec.kind == "list":
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise InvalidInput(f"Field {name!r} must be a list of text, not {value!r}.")
        return [_check_text(f"{name}[{i}]", item) for i, item in enumerate(value)]
    raise AssertionError(f"unknown field kind {spec.kind}")


def validate_fields(
    memory_type: str, fields: dict[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Check and normalise a type's fields; return a complete dict (or only the given keys
    when ``partial``). Raises :class:`InvalidInput` naming the bad field."""
    check_type(memory_type)
    if not isinstance(fields, dict):
        raise InvalidInput("Memory fields must be a mapping of field name to value.")
    specs = {spec.name: spec for spec in TYPE_FIELDS[memory_type]}
    unknown = sorted(set(fields) - set(specs))
    if unknown:
        raise InvalidInput(
            f"Unknown field(s) for {memory_type} memory: {', '.join(unknown)}; "
            f"known: {', '.join(specs)}."
        )
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        if name in fields:
            out[name] = _check_value(memory_type, spec, fields[name])
        elif not partial:
            default = spec.default
            out[name] = list(default) if isinstance(default, tuple) else default
        if not partial and spec.required and not (out.get(name) or "").strip():
            raise InvalidInput(f"A {memory_type} memory needs a non-empty {name!r}.")
    if memory_type == "core":
        value, limit = out.get("value"), out.get("limit")
        if value is not None and limit is not None and len(value) > limit:
            raise InvalidInput(
                f"Core memory {out.get('label')!r} would hold {len(value)} characters; "
                f"its limit is {limit}."
            )
    return out


def validate_common(common: dict[str, Any]) -> dict[str, Any]:
    """Check the caller-settable common columns."""
    out: dict[str, Any] = {}
    for name, value in common.items():
        kind = COMMON_SETTABLE.get(name)
        if kind is None:
            raise InvalidInput(
                f"{name!r} cannot be set; settable: {', '.join(COMMON_SETTABLE)}."
            )
        if kind == "text":
            out[name] = None if value is None else _check_text(name, value)
            if name == "source" and out[name] not in SOURCES:
                raise InvalidInput(f"source must be one of {', '.join(SOURCES)}.")
        elif kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput(f"{name!r} must be a number, not {value!r}.")
            if not 0.0 <= float(value) <= 1.0 and name == "confidence":
                raise InvalidInput("confidence must be between 0 and 1.")
            out[name] = float(value)
        elif kind == "bool":
            if not isinstance(value, bool):
                raise InvalidInput(f"{name!r} must be true or false.")
            out[name] = value
        elif kind == "provenance":
            out[name] = normalise_provenance(value)
    return out


def normalise_provenance(value: Any) -> dict[str, list[Any]]:
    """Provenance is ``{"frames": [frame ids], "messages": [chat message ids]}``."""
    if value is None:
        return {"frames": [], "messages": []}
    if not isinstance(value, dict) or set(value) - {"frames", "messages"}:
        raise InvalidInput('provenance must look like {"frames": [...], "messages": [...]}.')
    out: dict[str, list[Any]] = {"frames": [], "messages": []}
    for key in out:
        items = value.get(key, [])
        if not isinstance(items, list) or not all(
            isinstance(i, int | str) and not isinstance(i, bool) for i in items
        ):
            raise InvalidInput(f"provenance[{key!r}] must be a list of ids.")
        out[key] = list(dict.fromkeys(items))
    return out


def searchable_text(memory_type: str, fields: dict[str, Any]) -> str:
    """The text FTS5 indexes. Never includes a vault secret."""
    return _joined(memory_type, fields, embedded_only=False)


def embedding_text(memory_type: str, fields: dict[str, Any]) -> str:
    """The text the vector is made from: the searchable fields marked ``embedded``."""
    return _joined(memory_type, fields, embedded_only=True)


def _joined(memory_type: str, fields: dict[str, Any], *, embedded_only: bool) -> str:
    parts: list[str] = []
    for spec in TYPE_FIELDS[memory_type]:
        if not spec.searchable or embedded_only and not spec.embedded:
            continue
        value = fields.get(spec.name)
        if not value:
            continue
        parts.append("\n".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def summary_line(memory_type: str, fields: dict[str, Any], width: int = 240) -> str:
    """A one-line description for lists and search results."""
    if memory_type == "core":
        text = f"{fields.get('label')}: {fields.get('value') or ''}"
    elif memory_type == "semantic":
        text = f"{fields.get('name')}: {fields.get('summary')}"
    elif memory_type == "resource":
        text = str(fields.get("title") or "")
        if fields.get("summary"):
            text += f" — {fields['summary']}"
    elif memory_type == "vault":
        text = f"{fields.get('caption')} ({fields.get('entry_type')})"
    else:
        text = str(fields.get("summary") or "")
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Memory:
    """One memory as read from the store. ``fields`` holds the type's own fields; a vault
    memory's ``secret_value`` is present only when it was read with the vault unlocked."""

    id: str
    type: str
    created_at: str
    updated_at: str
    source: str
    provenance: dict[str, list[Any]]
    confidence: float
    strength: float
    last_accessed_at: str | None
    access_count: int
    pinned: bool
    tree_path: str | None
    version: int
    deleted: bool
    event_at: str
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return summary_line(self.type, self.fields)

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "fields"}
        data["fields"] = dict(self.fields)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
