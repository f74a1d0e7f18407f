"""The real-application evaluation corpus (issue 12): scenes shown by Chromium and xterm on
Xvfb, captured through ``engram capture`` and ``engram ingest``, and an independent checker
that shares no code with ``memory/`` or ``capture/``."""
