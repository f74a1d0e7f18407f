"""Sub-commands of ``engram``, one module per area; each exposes ``register(subparsers)``."""
