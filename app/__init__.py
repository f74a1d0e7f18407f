"""Engram's composition root: settings, data folder, service wiring, CLI and workers."""

#: The one place the version is written; pyproject.toml reads it (``dynamic = ["version"]``),
#: so the wheel, the Debian package and ``engram --version`` always agree.
__version__ = "0.1.0"
