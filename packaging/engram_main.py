"""Entry point of the frozen build (PyInstaller): the same ``engram`` command."""

from app.cli import main

raise SystemExit(main())
