"""Engram's composition root: settings, data folder, service wiring, CLI and workers."""
