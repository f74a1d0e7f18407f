"""Portable ``.engram`` archives of a store (format: ``docs/ARCHIVE_FORMAT.md``).

The package holds one job per module, imported directly (this file re-exports nothing, so
importing one of them does not load the others):

* :mod:`memory.archive.format`: member names, the manifest, JSONL records and the limits
  that keep a hostile archive harmless (pure parsing, never touches a store);
* :mod:`memory.archive.crypto`: passphrase encryption of the whole archive, chunked;
* :mod:`memory.archive.reader`: opens and verifies an archive without touching a store;
* :mod:`memory.archive.export`: writes a store to an archive;
* :mod:`memory.archive.importer` and :mod:`memory.archive.merge`: verify, then merge an
  archive into a store in one transaction;
* :mod:`memory.archive.text_export`: Markdown and CSV exports for reading.
"""
