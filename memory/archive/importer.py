"""Merge a verified ``.engram`` archive into a store, all or nothing.

The archive is verified in full first (:meth:`ArchiveReader.verify`); nothing touches the
store until every checksum and record has passed. The merge then runs as ONE task on the
store's writer thread, inside one ``BEGIN IMMEDIATE`` transaction, inserting rows the way
:meth:`MemoryStore._insert` does (memories row, type row, FTS row, history, vector outbox).
Any failure rolls the whole merge back and removes the images it placed.

Merge rules: the same id, or the same content (a core memory: the same label), is the same
memory and never duplicated; when two versions conflict the newer (``updated_at``, then
``version``) becomes current and the older is kept in a ``merge`` history row. Vectors come
from the archive when it was embedded with the local model, else the local embedder
rebuilds them (through the vector outbox and :meth:`MemoryStore.sync_vectors`).
"""

from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from memory.archive.merge import DryRunDone, ImportReport, Merge
from memory.archive.reader import ArchiveReader, VerifyReport
from memory.archive.staging import StagingFolder
from memory.errors import VaultLocked
from memory.vault_crypto import VaultKeys

if TYPE_CHECKING:
    from sqlite_utils import Database

    from memory.store import MemoryStore

log = logging.getLogger(__name__)

VECTOR_BATCH = 5000
__all__ = ["ArchiveImporter", "ImportReport", "import_archive"]


class ArchiveImporter:
    """Imports one opened archive into one store. ``run()`` returns an :class:`ImportReport`."""

    def __init__(self, store: MemoryStore, reader: ArchiveReader) -> None:
        self.store = store
        self.reader = reader
        self.verified: VerifyReport | None = None

    def run(self, *, dry_run: bool = False) -> ImportReport:
        started = time.perf_counter()
        if self.verified is None:
            self.verified = self.reader.verify()
        box = self._secret_box(dry_run)
        report = ImportReport(dry_run=dry_run)
        staging = StagingFolder(self.store.data_dir)
        merge = Merge(self.store, self.reader, box, report, staging, dry_run)
        try:
            applied = self.store.writer.write(merge.apply)
        except DryRunDone as done:
            done.report.seconds = round(time.perf_counter() - started, 3)
            return done.report
        except BaseException:
            for path in merge.moved:
                path.unlink(missing_ok=True)
            raise
        finally:
            staging.remove()
        self._push_archive_vectors(applied, report)
        report.vectors_embedded = self.store.sync_vectors().upserted
        report.seconds = round(time.perf_counter() - started, 3)
        log.info("imported archive: %d added, %d updated, %d duplicates skipped",
                 sum(report.added.values()), report.updated, report.duplicates)
        return report

    def _secret_box(self, dry_run: bool) -> VaultKeys:
        """The keys that seal imported secrets: the store's vault (unlocked), or for a dry run
        into a store without a vault, a throw-away key (nothing is committed)."""
        vault = self.store.vault
        assert self.verified is not None
        if not self.verified.secrets or vault.is_unlocked:
            return vault
        if dry_run and not vault.is_set_up:
            throwaway = VaultKeys(load=lambda: None, save=lambda _record: None)
            throwaway.unlock(secrets.token_hex(16))
            return throwaway
        raise VaultLocked(
            "This archive holds vault secrets: unlock the vault first (its passphrase, or "
            "--passphrase-file F) so they can be sealed with this store's key."
        )

    def _push_archive_vectors(self, applied: dict[str, tuple[str, dict[str, Any]]],
                              report: ImportReport) -> None:
        """Reuse the archive's vectors when they came from the same embedding model."""
        manifest = self.reader.manifest
        embedder = self.store.embedder
        if not applied or (manifest.embedding_model, manifest.embedding_dimension) != (
            embedder.model_id, embedder.dimension
        ):
            return
        batch: list[tuple[str, bytes, dict[str, Any]]] = []
        for memory_id, raw in self.reader.vectors():
            target = applied.get(memory_id)
            if target is not None:
                batch.append((target[0], raw, target[1]))
            if len(batch) >= VECTOR_BATCH:
                report.vectors_reused += self._push(batch)
                batch = []
        if batch:
            report.vectors_reused += self._push(batch)

    def _push(self, batch: list[tuple[str, bytes, dict[str, Any]]]) -> int:
        ids = [item[0] for item in batch]
        matrix = np.stack([np.frombuffer(item[1], dtype="<f4") for item in batch])
        metas = [item[2] for item in batch]
        vectors = self.store.vectors
        self.store.writer.write(lambda db: vectors.upsert(ids, matrix, metas), transaction=False)

        def clear(db: Database) -> None:
            db.conn.executemany(
                "DELETE FROM vector_outbox WHERE memory_id = ? AND op = 'upsert'",
                [(i,) for i in ids],
            )

        self.store.writer.write(clear)
        return len(ids)


def import_archive(
    store: MemoryStore,
    path: str | Path,
    *,
    passphrase: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Verify ``path`` completely, then merge it into ``store`` in one transaction."""
    with ArchiveReader(path, passphrase) as reader:
        return ArchiveImporter(store, reader).run(dry_run=dry_run)
