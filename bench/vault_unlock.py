"""What the stronger vault KDF costs the user: seconds to unlock.

    python -m bench.vault_unlock --repeat 3 --json

Times, on a real store in a temporary folder (median of ``--repeat`` runs each):

* ``unlock_old_params``: unlocking a vault wrapped as the previous release did (scrypt
  n = 2^15) *including* its one-time re-wrap under today's parameters (a second scrypt);
* ``unlock``: an ordinary unlock afterwards (scrypt at ``vault_crypto.SCRYPT_N``);
* ``lock``: locking (zeroing the key).

Prints one JSON object with the parameters and the seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from memory import vault_crypto
from memory.embedder import Embedder
from memory.store import MemoryStore

PASSPHRASE = "bench passphrase"
OLD_N = 2**15


def _timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(repeat: int) -> dict[str, Any]:
    old, new, lock = [], [], []
    embedder = Embedder()
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp, \
                MemoryStore(Path(tmp) / "data", embedder=embedder) as store:
            current = vault_crypto.SCRYPT_N
            vault_crypto.SCRYPT_N = OLD_N  # the previous release's parameters
            try:
                store.vault.unlock(PASSPHRASE)
                store.add("vault", {"caption": "bench", "secret_value": "s3cret"})
                store.vault.lock()
            finally:
                vault_crypto.SCRYPT_N = current
            old.append(_timed(lambda s=store: s.vault.unlock(PASSPHRASE)))
            lock.append(_timed(store.vault.lock))
            new.append(_timed(lambda s=store: s.vault.unlock(PASSPHRASE)))
            store.vault.lock()
    return {
        "scrypt": {"n": vault_crypto.SCRYPT_N, "r": vault_crypto.SCRYPT_R,
                   "p": vault_crypto.SCRYPT_P, "old_n": OLD_N},
        "seconds": {"unlock_old_params": round(statistics.median(old), 3),
                    "unlock": round(statistics.median(new), 3),
                    "lock": round(statistics.median(lock), 6)},
        "repeat": repeat,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object (default)")
    args = parser.parse_args()
    print(json.dumps(run(args.repeat)))


if __name__ == "__main__":
    main()
