"""Background work yields to the user and gives memory back.

The thread that runs it lowers its own CPU priority (nice) and, on Linux, its I/O priority
(``ioprio_set``, best-effort class, lowest level). Linux keeps both per thread and hands them
to threads the lowered thread starts later (the ONNX Runtime and llama.cpp pools it creates),
so one call at the top of a worker loop covers the work it spawns. Elsewhere
``os.setpriority`` may not exist: nothing changes there.

OCR and the models allocate and free large buffers from several threads; glibc keeps the
freed memory in per-thread arenas. :func:`trim_heap` after a burst of work and
:func:`limit_heap_arenas` at start give it back (about 100-190 MB after an OCR burst here).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import platform
import threading

log = logging.getLogger(__name__)

#: The nice value background threads run at (0 normal, 19 lowest).
BACKGROUND_NICE = 10

_IOPRIO_WHO_PROCESS = 1
_IOPRIO_CLASS_BE = 2
_IOPRIO_CLASS_SHIFT = 13
_SYS_IOPRIO_SET = {"x86_64": 251, "aarch64": 30, "i686": 289, "armv7l": 314}
_SYS_IOPRIO_GET = {"x86_64": 252, "aarch64": 31, "i686": 290, "armv7l": 315}


_M_ARENA_MAX = -8


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def thread_nice(thread_id: int | None = None) -> int:
    """The nice value of a thread (the calling one by default)."""
    return os.getpriority(os.PRIO_PROCESS, thread_id or threading.get_native_id())


def thread_io_priority(thread_id: int | None = None) -> tuple[int, int] | None:
    """(class, level) of a thread's I/O priority; None where it cannot be read."""
    number = _SYS_IOPRIO_GET.get(platform.machine())
    libc = _libc() if number is not None and os.name == "posix" else None
    if libc is None or number is None:
        return None
    value = libc.syscall(number, _IOPRIO_WHO_PROCESS, thread_id or threading.get_native_id())
    if value < 0:
        return None
    return value >> _IOPRIO_CLASS_SHIFT, value & ((1 << _IOPRIO_CLASS_SHIFT) - 1)


def lower_thread_priority(nice: int = BACKGROUND_NICE) -> bool:
    """Run the calling thread (and the threads it starts from now on) at ``nice`` and at
    the lowest best-effort I/O priority. True when the CPU priority was lowered."""
    if not hasattr(os, "setpriority"):
        return False
    tid = threading.get_native_id()
    try:
        if os.getpriority(os.PRIO_PROCESS, tid) < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
    except OSError as exc:
        log.info("could not lower the priority of a background thread: %s", exc)
        return False
    number = _SYS_IOPRIO_SET.get(platform.machine())
    libc = _libc() if number is not None else None
    if libc is not None and number is not None:
        value = (_IOPRIO_CLASS_BE << _IOPRIO_CLASS_SHIFT) | 7
        if libc.syscall(number, _IOPRIO_WHO_PROCESS, tid, value) != 0:
            log.info("could not lower the I/O priority of a background thread (errno %d)",
                     ctypes.get_errno())
    return True


def trim_heap() -> bool:
    """Return freed heap memory to the system (glibc ``malloc_trim``); False elsewhere."""
    libc = _libc() if platform.libc_ver()[0] == "glibc" else None
    if libc is None or not hasattr(libc, "malloc_trim"):
        return False
    libc.malloc_trim(0)
    return True


def limit_heap_arenas(arenas: int = 2) -> bool:
    """Cap glibc's per-thread malloc arenas (a long-running app with many worker threads
    otherwise keeps up to eight per core); False where that cannot be set."""
    libc = _libc() if platform.libc_ver()[0] == "glibc" else None
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, arenas))
