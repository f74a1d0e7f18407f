"""Versioned schema migrations (``sqlite_utils.Migrations``). Never "delete your database".

Each migration is append-only: a released migration is never edited, a change is a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from memory.schema import MEMORY_TYPES, TYPE_FIELDS, type_table

migrations = Migrations("engram")

_SQL_KIND = {"text": "TEXT", "int": "INTEGER", "datetime": "TEXT", "list": "TEXT"}


@migrations(name="m001_memories")
def m001_memories(db: Database) -> None:
    """The six-type store: common columns, one table per type, history, links, FTS."""
    db.execute(
        """
        CREATE TABLE memories (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'manual',
            provenance TEXT NOT NULL DEFAULT '{"frames": [], "messages": []}',
            confidence REAL NOT NULL DEFAULT 1.0,
            strength REAL NOT NULL DEFAULT 1.0,
            last_accessed_at TEXT,
            access_count INTEGER NOT NULL DEFAULT 0,
            pinned INTEGER NOT NULL DEFAULT 0,
            tree_path TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            deleted INTEGER NOT NULL DEFAULT 0,
            event_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_memories_type_event ON memories(type, deleted, event_at)")
    db.execute("CREATE INDEX idx_memories_event ON memories(event_at)")
    for memory_type in MEMORY_TYPES:
        columns = []
        for spec in TYPE_FIELDS[memory_type]:
            sql_kind = "BLOB" if spec.name == "secret_value" else _SQL_KIND[spec.kind]
            columns.append(f'"{spec.name}" {sql_kind}')
        db.execute(
            f"""CREATE TABLE {type_table(memory_type)} (
                id TEXT PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
                {", ".join(columns)}
            )"""
        )
    db.execute("CREATE UNIQUE INDEX idx_core_label ON core_memory(label)")
    db.execute(
        """
        CREATE TABLE memory_history (
            seq INTEGER PRIMARY KEY,
            memory_id TEXT NOT NULL,
            op TEXT NOT NULL,
            before TEXT,
            after TEXT,
            reason TEXT,
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_history_memory ON memory_history(memory_id, seq)")
    db.execute(
        """
        CREATE TABLE memory_links (
            src_id TEXT NOT NULL,
            dst_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 1.0,
            created_at TEXT NOT NULL,
            PRIMARY KEY (src_id, dst_id, kind)
        )
        """
    )
    db.execute("CREATE INDEX idx_links_dst ON memory_links(dst_id)")
    # rowid = memories.seq; holds only searchable text (never a vault secret).
    db.execute(
        "CREATE VIRTUAL TABLE memory_fts USING fts5("
        "text, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations(name="m002_frames_and_vector_queue")
def m002_frames_and_vector_queue(db: Database) -> None:
    """Capture frames (a durable queue), pipeline counters, and the vector outbox that lets
    a crash between the SQLite commit and the Chroma write be repaired on start."""
    db.execute(
        """
        CREATE TABLE frames (
            id INTEGER PRIMARY KEY,
            captured_at TEXT NOT NULL,
            monitor INTEGER NOT NULL DEFAULT 0,
            app TEXT,
            window_title TEXT,
            url TEXT,
            width INTEGER,
            height INTEGER,
            phash TEXT,
            image_path TEXT,
            image_bytes INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'pending',
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            ocr_text TEXT,
            ocr_lines TEXT,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_frames_status ON frames(status, id)")
    db.execute("CREATE INDEX idx_frames_captured ON frames(captured_at)")
    db.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0)")
    db.execute(
        """
        CREATE TABLE vector_outbox (
            memory_id TEXT PRIMARY KEY,
            op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
            queued_at TEXT NOT NULL
        )
        """
    )


def apply(db: Database, *, stop_before: str | None = None) -> None:
    migrations.apply(db, stop_before=stop_before)


def applied_names(db: Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]


@migrations(name="m101_capture_vault_candidates")
def m101_capture_vault_candidates(db: Database) -> None:
    """Secrets found on screen, waiting to become vault entries. ``sealed`` is ciphertext
    sealed to a public key whose private half only an unlocked vault can open; nothing in
    this table is readable without the vault passphrase."""
    db.execute(
        """
        CREATE TABLE capture_vault_candidates (
            id INTEGER PRIMARY KEY,
            frame_id INTEGER,
            kind TEXT NOT NULL,
            caption TEXT NOT NULL,
            sealed BLOB NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )


@migrations(name="m102_episode_order_index")
def m102_episode_order_index(db: Database) -> None:
    """Neighbouring memories of an episode are found by (event_at, seq) order within a type;
    this index makes each lookup a short range scan instead of a walk over the type."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_memories_episode "
        "ON memories(type, deleted, event_at, seq)"
    )


@migrations(name="m103_chat_turns_index")
def m103_chat_turns_index(db: Database) -> None:
    """The chat view lists saved conversation turns (source "chat") newest first at start;
    this index keeps that a short scan however many memories there are."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_memories_source_time "
        "ON memories(source, type, deleted, event_at, seq)"
    )


@migrations(name="m104_frames_app_index")
def m104_frames_app_index(db: Database) -> None:
    """Extraction reads the recent frames of one app (the lines its other windows repeat
    are chrome); this index keeps that a short range scan."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_frames_app_time ON frames(app, captured_at)")


@migrations(name="m105_fts_vocabulary")
def m105_fts_vocabulary(db: Database) -> None:
    """The words the keyword index holds, readable as a table: search splits a compound
    word that no memory holds ("Kellerraum") into indexed words ("keller")."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts_vocab "
        "USING fts5vocab('memory_fts', 'row')"
    )
