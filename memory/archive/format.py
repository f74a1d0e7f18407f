"""The ``.engram`` archive format: member names, the manifest, JSONL records and the limits
that keep a hostile archive from doing harm. Field by field in ``docs/ARCHIVE_FORMAT.md``.

Everything here is pure parsing: it raises :class:`BadArchive` with a sentence naming the
member and line, and never touches a store.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from PIL import UnidentifiedImageError

from memory.errors import BadArchive, InvalidInput
from memory.images import ImageTooLarge, open_image
from memory.schema import MEMORY_TYPES, SOURCES, parse_iso, to_iso, validate_fields

FORMAT_NAME = "engram-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
HISTORY = "history.jsonl"
LINKS = "links.jsonl"
FRAMES = "frames.jsonl"
VECTORS = "vectors.jsonl"
IMAGE_EXTENSIONS = ("webp", "png", "jpg", "jpeg")

#: Longest JSONL line read; a memory field holds at most 1M characters (4 MB of UTF-8) and
#: a history line holds two snapshots of one memory.
MAX_LINE_BYTES = 16 << 20
MAX_MANIFEST_BYTES = 64 << 20
#: A member that inflates more than this many times (and past 64 MiB) is a zip bomb. Text
#: can legitimately compress a lot (deflate tops out near 1000x), hence the floor; images
#: are already compressed, so an image member may not inflate more than 20x past 1 MiB.
MAX_RATIO = 250
RATIO_FLOOR_BYTES = 64 << 20
MAX_IMAGE_RATIO = 20
IMAGE_RATIO_FLOOR_BYTES = 1 << 20
MAX_MEMBERS = 10_000_000
#: Hard caps on what an archive may inflate to, whatever its ratio: one JSONL member, one
#: image (a frame is a WebP of a screen, well under 32 MiB even at 8K), and all members
#: together. Checked on the sizes the zip declares, and again while streaming (a member
#: never yields more than it declared).
MAX_MEMBER_BYTES = 16 << 30
MAX_IMAGE_BYTES = 64 << 20
MAX_TOTAL_BYTES = 64 << 30
#: Only these compression methods are read: the others (bzip2, LZMA...) are not written by
#: Engram and have decoders with no output cap in :mod:`zipfile`.
COMPRESSION_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
#: Deepest nesting of arrays and objects in one JSON value (a memory line needs 4).
MAX_JSON_DEPTH = 32
#: SQLite's largest integer.
MAX_INTEGER = 2**63 - 1

_ID = re.compile(r"[0-9A-Za-z_.:-]{1,128}")
_IMAGE = re.compile(r"frames/([0-9]{1,19})\.(" + "|".join(IMAGE_EXTENSIONS) + r")")
_COLUMN = re.compile(r"[a-z_][a-z0-9_]{0,63}")


def memory_member(memory_type: str) -> str:
    return f"memories/{memory_type}.jsonl"


JSONL_MEMBERS: tuple[str, ...] = (
    *(memory_member(t) for t in MEMORY_TYPES), HISTORY, LINKS, FRAMES, VECTORS,
)


def image_member(frame_id: int, extension: str) -> str:
    return f"frames/{frame_id}.{extension}"


def check_member(info: zipfile.ZipInfo) -> None:
    """Refuse names that could escape a folder, links, and anything not in the format."""
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        raise BadArchive(f"The archive member {name!r} has an absolute path; refused.")
    if ".." in parts:
        raise BadArchive(f"The archive member {name!r} points outside the archive (../); refused.")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise BadArchive(f"The archive member {name!r} is a symbolic link; refused.")
    if name != MANIFEST and name not in JSONL_MEMBERS and not _IMAGE.fullmatch(name):
        raise BadArchive(f"The archive holds an unexpected member {name!r}; refused.")
    if info.flag_bits & 0x1:
        raise BadArchive(f"The archive member {name!r} uses zip encryption, which Engram "
                         "does not use; refused.")
    if info.compress_type not in COMPRESSION_METHODS:
        raise BadArchive(
            f"The archive member {name!r} uses compression method {info.compress_type}; "
            "Engram reads only stored and deflated members; refused."
        )
    image = name.startswith("frames/")
    cap = MAX_IMAGE_BYTES if image else MAX_MEMBER_BYTES
    if info.file_size > cap:
        raise BadArchive(
            f"The archive member {name!r} would inflate to {info.file_size:,} bytes, more "
            f"than the {cap >> 20:,} MiB a member may hold; refused."
        )
    ratio, floor = (MAX_IMAGE_RATIO, IMAGE_RATIO_FLOOR_BYTES) if image else (
        MAX_RATIO, RATIO_FLOOR_BYTES)
    if info.file_size > floor and info.file_size > ratio * max(info.compress_size, 1):
        raise BadArchive(
            f"The archive member {name!r} would inflate {info.file_size:,} bytes from "
            f"{info.compress_size:,} (more than {ratio}x): a zip bomb; refused."
        )


def check_layout(infos: list[zipfile.ZipInfo], archive_bytes: int) -> None:
    """Whole-archive caps: every member's own checks, then the total it would inflate to
    (at most :data:`MAX_TOTAL_BYTES`, and at most :data:`MAX_RATIO` times the archive's size
    past :data:`RATIO_FLOOR_BYTES`)."""
    for info in infos:
        check_member(info)
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES or (
        total > RATIO_FLOOR_BYTES and total > MAX_RATIO * max(archive_bytes, 1)
    ):
        raise BadArchive(
            f"The archive would inflate to {total:,} bytes from {archive_bytes:,} (at most "
            f"{MAX_TOTAL_BYTES >> 30} GiB, and {MAX_RATIO}x its size): a zip bomb; refused."
        )


def check_no_overlap(spans: list[tuple[str, int, int]], directory_start: int) -> None:
    """Members' byte ranges ``(name, start, end)`` in the zip must not overlap each other
    or the central directory: overlapping entries let a small file inflate one compressed
    stream many times over."""
    ordered = sorted(spans, key=lambda span: span[1])
    for (name, start, end), following in zip(ordered, [*ordered[1:], None], strict=True):
        limit = following[1] if following is not None else directory_start
        if start < 0 or end > limit:
            other = repr(following[0]) if following is not None else "the zip directory"
            raise BadArchive(
                f"The archive member {name!r} overlaps {other} (overlapping zip entries); "
                "refused."
            )


def loads(raw: bytes, where: str) -> Any:
    """Parse one JSON document from the archive: UTF-8, finite numbers only (no ``NaN`` or
    ``Infinity``), nested at most :data:`MAX_JSON_DEPTH` deep."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_no_constant,
                           parse_float=_finite_float)
    except _NonFinite as exc:
        raise BadArchive(f"{where} holds {exc.args[0]}, which is not a finite number.") from None
    except RecursionError:
        raise BadArchive(
            f"{where} is nested more than {MAX_JSON_DEPTH} levels deep; refused."
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadArchive(f"{where} is not valid JSON ({exc}).") from None
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and _depth(value) > MAX_JSON_DEPTH:
        raise BadArchive(f"{where} is nested more than {MAX_JSON_DEPTH} levels deep; refused.")
    return value


class _NonFinite(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NonFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity
        raise _NonFinite(text)
    return value


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in item if isinstance(child, dict | list))
    return deepest


# -- manifest -------------------------------------------------------------------------------


@dataclass
class Manifest:
    """What ``manifest.json`` says: versions, counts and a sha256 for every other member."""

    format_version: int
    app_version: str
    created_at: str
    embedding_model: str
    embedding_dimension: int
    counts: dict[str, Any]
    members: dict[str, dict[str, Any]]
    includes_frames: bool = True
    includes_secrets: bool = False
    store_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT_NAME,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "created_at": self.created_at,
            "store_id": self.store_id,
            "embedding_model": {"id": self.embedding_model,
                                "dimension": self.embedding_dimension},
            "includes_frames": self.includes_frames,
            "includes_secrets": self.includes_secrets,
            "counts": self.counts,
            "members": self.members,
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def parse_manifest(raw: bytes) -> Manifest:
    """Parse and check ``manifest.json``. Raises :class:`BadArchive` for anything off."""
    if len(raw) > MAX_MANIFEST_BYTES:
        raise BadArchive("The archive's manifest is larger than 64 MiB; refused.")
    data = loads(raw, "The archive's manifest")
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise BadArchive("This is not an Engram archive (its manifest has no engram format).")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadArchive("The archive's manifest has no valid format_version.")
    if version > FORMAT_VERSION:
        raise BadArchive(
            f"This archive was made by a newer Engram (format {version}); this one reads "
            f"format {FORMAT_VERSION}. Update Engram to import it."
        )
    model = data.get("embedding_model")
    members = data.get("members")
    counts = data.get("counts")
    if not isinstance(model, dict) or not isinstance(model.get("id"), str) or not _is_int(
        model.get("dimension")
    ):
        raise BadArchive("The archive's manifest lacks the embedding model id and dimension.")
    if not isinstance(members, dict) or not isinstance(counts, dict):
        raise BadArchive("The archive's manifest lacks its member list or counts.")
    for name, entry in members.items():
        if (
            not isinstance(name, str)
            or not isinstance(entry, dict)
            or not isinstance(entry.get("sha256"), str)
            or not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
            or not _is_int(entry.get("bytes"))
            or entry["bytes"] < 0
        ):
            raise BadArchive(f"The manifest entry for {name!r} has no valid sha256 and size.")
    for key in ("created_at", "app_version"):
        if not isinstance(data.get(key), str):
            raise BadArchive(f"The archive's manifest has no valid {key}.")
    try:
        to_iso(parse_iso(data["created_at"]))
    except (InvalidInput, OverflowError, ValueError):
        raise BadArchive("The archive's manifest has a malformed created_at.") from None
    for key in ("includes_frames", "includes_secrets"):
        if not isinstance(data.get(key, False), bool):
            raise BadArchive(f"The archive's manifest field {key} must be true or false.")
    store_id = data.get("store_id")
    return Manifest(
        format_version=version,
        app_version=data["app_version"],
        created_at=data["created_at"],
        embedding_model=model["id"],
        embedding_dimension=model["dimension"],
        counts=counts,
        members=members,
        includes_frames=data.get("includes_frames", True),
        includes_secrets=data.get("includes_secrets", False),
        store_id=store_id if isinstance(store_id, str) else None,
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- JSONL ----------------------------------------------------------------------------------


def iter_jsonl(stream: IO[bytes], member: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` from a JSONL stream, one bounded line at a time."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES:
            raise BadArchive(
                f"Line {number} of {member} is longer than {MAX_LINE_BYTES >> 20} MiB; refused."
            )
        if not line.strip():
            continue
        record = loads(line, f"Line {number} of {member}")
        if not isinstance(record, dict):
            raise BadArchive(f"Line {number} of {member} is not a JSON object.")
        if b"\\ud" in line.lower():  # a \uD800-\uDFFF escape may be a lone surrogate
            try:
                json.dumps(record, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise BadArchive(
                    f"Line {number} of {member} holds text that is not valid Unicode."
                ) from None
        yield number, record


class _Checker:
    """Typed field access on one record, failing with the member and line in the message."""

    def __init__(self, record: dict[str, Any], where: str) -> None:
        self.record = record
        self.where = where

    def fail(self, what: str) -> BadArchive:
        return BadArchive(f"{self.where}: {what}.")

    def text(self, key: str, *, optional: bool = False) -> str | None:
        value = self.record.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{key!r} must be text")
        return value

    def ident(self, key: str) -> str:
        value = self.record.get(key)
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(f"{key!r} is not a valid id")
        return value

    def moment(self, key: str, *, optional: bool = False) -> str | None:
        value = self.text(key, optional=optional)
        if value is None:
            return None
        try:
            to_iso(parse_iso(value)).encode("utf-8")
        except (InvalidInput, OverflowError, ValueError):
            raise self.fail(f"{key!r} is not an ISO 8601 time in range") from None
        return value

    def number(self, key: str, default: float | None = None) -> float:
        value = self.record.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value
        ):
            raise self.fail(f"{key!r} must be a finite number")
        return float(value)

    def integer(self, key: str, *, minimum: int = 0, default: int | None = None) -> int:
        value = self.record.get(key, default)
        if (not isinstance(value, int) or isinstance(value, bool) or value < minimum
                or value > MAX_INTEGER):
            raise self.fail(f"{key!r} must be a whole number >= {minimum}")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.record.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{key!r} must be true or false")
        return value


def check_memory(record: dict[str, Any], memory_type: str, where: str) -> dict[str, Any]:
    """A ``memories/<type>.jsonl`` line, normalised; vault secrets are plaintext here."""
    c = _Checker(record, where)
    if record.get("type") != memory_type:
        raise c.fail(f"its type is {record.get('type')!r} but the file holds {memory_type}")
    source = c.text("source")
    if source not in SOURCES:
        raise c.fail(f"source must be one of {', '.join(SOURCES)}")
    fields = record.get("fields")
    if not isinstance(fields, dict):
        raise c.fail("'fields' must be an object")
    try:
        fields = validate_fields(memory_type, fields)
    except InvalidInput as exc:
        raise c.fail(str(exc).rstrip(".")) from None
    except (OverflowError, ValueError) as exc:  # a date beyond year 9999 in UTC
        raise c.fail(f"a field is out of range ({exc})") from None
    if any(isinstance(v, int) and abs(v) > MAX_INTEGER for v in fields.values()):
        raise c.fail("a number in 'fields' is too large")
    provenance = record.get("provenance", {"frames": [], "messages": []})
    if not isinstance(provenance, dict) or set(provenance) - {"frames", "messages"} or not all(
        isinstance(v, list)
        and all((_is_int(i) or isinstance(i, str)) for i in v)
        for v in provenance.values()
    ):
        raise c.fail("'provenance' must look like {\"frames\": [...], \"messages\": [...]}")
    return {
        "id": c.ident("id"),
        "type": memory_type,
        "created_at": c.moment("created_at"),
        "updated_at": c.moment("updated_at"),
        "source": source,
        "provenance": {"frames": list(provenance.get("frames", [])),
                       "messages": list(provenance.get("messages", []))},
        "confidence": c.number("confidence", 1.0),
        "strength": c.number("strength", 1.0),
        "last_accessed_at": c.moment("last_accessed_at", optional=True),
        "access_count": c.integer("access_count", default=0),
        "pinned": c.flag("pinned"),
        "tree_path": c.text("tree_path", optional=True),
        "version": c.integer("version", minimum=1, default=1),
        "deleted": c.flag("deleted"),
        "event_at": c.moment("event_at"),
        "fields": fields,
    }


def check_history(record: dict[str, Any], where: str) -> dict[str, Any]:
    c = _Checker(record, where)
    op = c.text("op") or ""
    if not 0 < len(op) <= 32:
        raise c.fail("'op' must be a short word")
    for key in ("before", "after"):
        if record.get(key) is not None and not isinstance(record[key], dict):
            raise c.fail(f"{key!r} must be an object or null")
    return {
        "memory_id": c.ident("memory_id"),
        "op": op,
        "before": record.get("before"),
        "after": record.get("after"),
        "reason": c.text("reason", optional=True),
        "at": c.moment("at"),
    }


def check_link(record: dict[str, Any], where: str) -> dict[str, Any]:
    c = _Checker(record, where)
    kind = c.text("kind") or ""
    if not kind.strip() or len(kind) > 64:
        raise c.fail("'kind' must be a short non-empty word")
    return {
        "src_id": c.ident("src_id"),
        "dst_id": c.ident("dst_id"),
        "kind": kind,
        "score": c.number("score", 1.0),
        "created_at": c.moment("created_at"),
    }


def check_frame(record: dict[str, Any], where: str) -> dict[str, Any]:
    """A ``frames.jsonl`` line: the frame's columns, plus ``image`` (a member name or null)."""
    c = _Checker(record, where)
    out: dict[str, Any] = {"id": c.integer("id", minimum=1), "captured_at": c.moment("captured_at")}
    image = record.get("image")
    if image is not None and (not isinstance(image, str) or not _IMAGE.fullmatch(image)):
        raise c.fail("'image' must name a frames/<id>.<ext> member or be null")
    out["image"] = image
    monitor = record.get("monitor", 0)
    out["monitor"] = 0 if monitor is None else c.integer("monitor")
    for key in ("app", "window_title", "url", "phash", "ocr_text", "status"):
        out[key] = c.text(key, optional=True)
    for key, value in record.items():
        if key in out:
            continue
        if not isinstance(key, str) or not _COLUMN.fullmatch(key):
            raise c.fail(f"{key!r} is not a frame column name")
        if key == "ocr_lines":
            if value is not None and not isinstance(value, list):
                raise c.fail("'ocr_lines' must be a list or null")
        elif value is not None and not isinstance(value, str | int | float) or (
            isinstance(value, int) and abs(value) > MAX_INTEGER
        ):
            raise c.fail(f"{key!r} must be text, a number or null")
        out[key] = value
    return out


#: Pillow's name for the format each image extension must hold.
_IMAGE_FORMATS = {"webp": "WEBP", "png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}


def image_size(data: bytes, member: str) -> tuple[int, int]:
    """Width and height of an image member, from its header (nothing is decoded): it must
    be an image of the format its extension names and no decompression bomb."""
    expected = _IMAGE_FORMATS[member.rsplit(".", 1)[1]]
    try:
        with open_image(io.BytesIO(data), member) as image:
            kind, size = image.format, image.size
    except ImageTooLarge as exc:
        raise BadArchive(exc.text()) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadArchive(f"The archive member {member} is not a readable image ({exc}).") from None
    if kind != expected:
        raise BadArchive(f"The archive member {member} holds a {kind} image, not {expected}.")
    if min(size) < 1:
        raise BadArchive(f"The archive member {member} is an image of zero size.")
    return size


def check_vector(record: dict[str, Any], dimension: int, where: str) -> tuple[str, bytes]:
    """A ``vectors.jsonl`` line: the memory id and its float32 little-endian vector."""
    c = _Checker(record, where)
    memory_id = c.ident("id")
    encoded = c.text("vector") or ""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise c.fail("'vector' is not base64") from None
    if len(raw) != 4 * dimension:
        raise c.fail(f"'vector' holds {len(raw) // 4} numbers, not {dimension}")
    return memory_id, raw
