"""Engram's desktop front end (PySide6 only). Talks to app/memory services through ui.ops."""
