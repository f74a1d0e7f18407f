"""Export a store and import it elsewhere: real SQLite, real Chroma, real ONNX embedder."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from memory.archive.export import export_archive
from memory.archive.importer import import_archive
from memory.archive.reader import ArchiveReader
from memory.embedder import Embedder
from memory.errors import InvalidInput, VaultLocked
from memory.store import MemoryStore
from tests.memory.archive_seed import PASSPHRASE, add_frames, dump, fingerprint, populate

#: Cheap scrypt for tests that derive many keys; the default (2**15) is covered below.
FAST_KDF = 10


@pytest.fixture
def source(tmp_path: Path, embedder: Embedder):
    with MemoryStore(tmp_path / "source", embedder=embedder) as store:
        seeded = populate(store)
        yield store, seeded


def test_round_trip_is_identical_and_idempotent(source, tmp_path: Path, embedder) -> None:
    store, seeded = source
    archive = tmp_path / "backup.engram"
    report = export_archive(store, archive, passphrase=PASSPHRASE)
    assert report.encrypted and report.memories["vault"] == 4 and report.frame_images == 4
    assert report.vectors == sum(store.counts().values())
    expected = dump(store)

    with MemoryStore(tmp_path / "target", embedder=embedder) as target:
        target.vault.unlock(PASSPHRASE)
        first = import_archive(target, archive, passphrase=PASSPHRASE)
        assert sum(first.added.values()) == len(expected["memories"])
        assert first.vectors_reused == report.vectors and first.vectors_embedded == 0
        assert first.frames_added == 5 and first.images_added == 4
        got = dump(target)
        assert got["memories"] == expected["memories"]
        assert got["history"] == expected["history"]
        assert got["links"] == expected["links"]
        assert got["frames"] == expected["frames"]
        assert got["searches"] == expected["searches"]
        assert got == expected
        for secret in seeded.secrets[1:]:
            assert secret in {target.reveal_secret(seeded.ids[f"vault{n}"]) for n in range(3)}
        assert target.vectors.count() == sum(target.counts().values())

        before = fingerprint(target.data_dir)
        second = import_archive(target, archive, passphrase=PASSPHRASE)
        assert sum(second.added.values()) == 0 and second.history_added == 0
        assert second.unchanged == len(expected["memories"])
        assert (second.links_added, second.frames_added, second.images_added) == (0, 0, 0)
        assert dump(target) == expected
        after = fingerprint(target.data_dir)
        assert {k for k in after if k.startswith("frames/")} == {
            k for k in before if k.startswith("frames/")
        }


def test_conflicting_versions_keep_the_newest_and_the_older_in_history(
    source, tmp_path: Path, embedder
) -> None:
    store, seeded = source
    archive = tmp_path / "v1.engram"
    export_archive(store, archive, passphrase=PASSPHRASE, log2_n=FAST_KDF)
    with MemoryStore(tmp_path / "target", embedder=embedder) as target:
        target.vault.unlock(PASSPHRASE)
        import_archive(target, archive, passphrase=PASSPHRASE)
        # Both sides change after the copy: the source's semantic memory is newer, the
        # target's procedural memory is newer.
        target.update(seeded.ids["procedural"], {"summary": "Local VPN procedure v3"})
        store.update(seeded.ids["semantic"], {"summary": "Sarah now owns all budgets"})
        archive2 = tmp_path / "v2.engram"
        export_archive(store, archive2, passphrase=PASSPHRASE, log2_n=FAST_KDF)
        report = import_archive(target, archive2, passphrase=PASSPHRASE)
        assert (report.updated, report.kept_local) == (1, 1)
        assert sum(report.added.values()) == 0
        semantic = target.get(seeded.ids["semantic"])
        assert semantic.fields["summary"] == "Sarah now owns all budgets"
        merge = target.history(seeded.ids["semantic"])[-1]
        assert merge.op == "merge" and merge.before and merge.after
        assert merge.before["fields"]["summary"] == "Sarah owns the marketing and travel budgets"
        procedural = target.get(seeded.ids["procedural"])
        assert procedural.fields["summary"] == "Local VPN procedure v3"
        kept = target.history(seeded.ids["procedural"])[-1]
        assert kept.op == "merge" and kept.before["fields"]["summary"] == "Set up the office VPN"
        # the newer text is what search finds (its vector came from the archive)
        from memory.retrieval import HybridRetriever

        hits = [r.memory.id for r in HybridRetriever(target).search("all budgets")]
        assert hits[0] == seeded.ids["semantic"]


def test_same_content_under_another_id_is_not_duplicated(tmp_path: Path, embedder) -> None:
    with MemoryStore(tmp_path / "a", embedder=embedder) as a:
        a.add("semantic", {"name": "Lisbon", "summary": "Capital of Portugal"})
        a.add("core", {"label": "persona", "value": "terse"})
        a.add("episodic", {"summary": "Only in A", "occurred_at": "2024-01-01T00:00:00Z"})
        export_archive(a, tmp_path / "a.engram")
    with MemoryStore(tmp_path / "b", embedder=embedder) as b:
        b.add("semantic", {"name": "Lisbon", "summary": "Capital of Portugal"})
        local_core = b.add("core", {"label": "persona", "value": "chatty"})
        report = import_archive(b, tmp_path / "a.engram")
        assert report.duplicates == 1 and report.added["episodic"] == 1
        assert b.counts() == {"core": 1, "episodic": 1, "semantic": 1, "procedural": 0,
                              "resource": 0, "vault": 0}
        # the core memory with the same label is the same memory: the newer value wins
        assert b.get(local_core.id).fields["value"] in ("terse", "chatty")
        assert report.updated + report.kept_local == 1


def test_dry_run_reports_and_changes_nothing(source, tmp_path: Path, embedder) -> None:
    store, _seeded = source
    archive = tmp_path / "x.engram"
    export_archive(store, archive, passphrase=PASSPHRASE, log2_n=FAST_KDF)
    with MemoryStore(tmp_path / "target", embedder=embedder) as target:
        report = import_archive(target, archive, passphrase=PASSPHRASE, dry_run=True)
        assert report.dry_run and sum(report.added.values()) == len(dump(store)["memories"])
        assert report.frames_added == 5
        assert sum(target.counts().values()) == 0
        assert not target.vault.is_set_up
        assert not (target.data_dir / "frames").exists()
        assert not list(target.data_dir.glob(".import-*"))


def test_secrets_need_encryption_and_an_unlocked_vault(source, tmp_path: Path, embedder) -> None:
    store, _ = source
    with pytest.raises(InvalidInput, match="must be encrypted"):
        export_archive(store, tmp_path / "plain.engram")
    assert not (tmp_path / "plain.engram").exists()
    assert not list(tmp_path.glob(".plain.engram*"))
    store.vault.lock()
    with pytest.raises(VaultLocked):
        export_archive(store, tmp_path / "locked.engram", passphrase=PASSPHRASE)
    store.vault.unlock(PASSPHRASE)
    export_archive(store, tmp_path / "ok.engram", passphrase=PASSPHRASE, log2_n=FAST_KDF)
    with MemoryStore(tmp_path / "target", embedder=embedder) as target:
        target.vault.unlock("another passphrase")
        target.vault.lock()
        with pytest.raises(VaultLocked, match="unlock the vault"):
            import_archive(target, tmp_path / "ok.engram", passphrase=PASSPHRASE)
        assert sum(target.counts().values()) == 0


def test_no_frames_and_another_embedding_model(source, tmp_path: Path, embedder) -> None:
    """An archive from another embedding model gets its vectors rebuilt locally."""
    store, seeded = source
    archive = tmp_path / "nf.engram"
    report = export_archive(store, archive, passphrase=PASSPHRASE, include_frames=False,
                            log2_n=FAST_KDF)
    assert report.frames == 0 and report.frame_images == 0
    with ArchiveReader(archive, PASSPHRASE) as reader:
        assert not reader.manifest.includes_frames
        assert not [n for n in reader.infos if n.startswith("frames/")]

    class OtherModel(Embedder):
        """The same ONNX model under another id: stands in for a user's different model."""

        model_id = "another-embedding-model"

    other = OtherModel()
    with MemoryStore(tmp_path / "target", embedder=other) as target:
        target.vault.unlock(PASSPHRASE)
        result = import_archive(target, archive, passphrase=PASSPHRASE)
        assert result.vectors_reused == 0
        assert result.vectors_embedded == sum(target.counts().values())
        assert target.vectors.count() == sum(target.counts().values())
        assert target.get(seeded.ids["episodic"]).provenance["frames"] == seeded.frame_ids[:2]


def test_frames_with_clashing_ids_are_renumbered(source, tmp_path: Path, embedder) -> None:
    store, seeded = source
    archive = tmp_path / "f.engram"
    export_archive(store, archive, passphrase=PASSPHRASE, log2_n=FAST_KDF)
    with MemoryStore(tmp_path / "target", embedder=embedder) as target:
        target.vault.unlock(PASSPHRASE)
        local = add_frames(target, 3, marker="local", start=100)
        assert local[0] == seeded.frame_ids[0]  # the same ids, different frames
        report = import_archive(target, archive, passphrase=PASSPHRASE)
        assert report.frames_added == 5
        episodic = target.get(seeded.ids["episodic"])
        new_ids = episodic.provenance["frames"]
        assert set(new_ids).isdisjoint(local)
        rows = target.reader.execute(
            f"SELECT window_title, image_path FROM frames WHERE id IN ({new_ids[0]}, {new_ids[1]})"
            " ORDER BY id"
        ).fetchall()
        assert [r[0] for r in rows] == ["Window 0", "Window 1"]
        for _title, image_path in rows:
            assert (target.data_dir / image_path).is_file()


def test_manifest_documents_every_member(source, tmp_path: Path) -> None:
    store, seeded = source
    archive = tmp_path / "m.engram"
    for key in ("vault", "vault0", "vault1", "vault2"):
        store.purge(seeded.ids[key])
    store.vault.lock()
    export_archive(store, archive)  # no secrets left: a plain zip another tool can read
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "engram-archive" and manifest["format_version"] == 1
        assert set(manifest["members"]) == set(zf.namelist()) - {"manifest.json"}
        assert manifest["embedding_model"]["dimension"] == 384
        assert manifest["counts"]["memories"]["vault"] == 0
        first = json.loads(zf.read("memories/episodic.jsonl").splitlines()[0])
        assert first["type"] == "episodic" and "summary" in first["fields"]
