"""Engram's memory core: schemas, the SQLite store, vectors, embeddings and retrieval.

Qt-free by rule: nothing under ``memory`` imports PySide6.
"""
