"""Instruments for "the pipeline runs with networking disabled".

Two ways of watching sockets, both classified by the same rule (:func:`violations`):

* A child process runs inside a fresh network namespace (``unshare --net``: no interface
  but a loopback that is down, so no route anywhere) under ``strace -f``, which logs every
  socket system call of the process and its threads, including those made by native code
  (libxcb, onnxruntime, llama.cpp, Chroma's Rust core).
* In this process, :class:`PythonSocketRecorder` records the socket calls made through
  Python (an audit hook plus ``socket.socket.listen``), :func:`trace_this_process` attaches
  strace to this process itself (so native threads are seen here too), and
  :func:`inet_socket_inodes` lists the TCP/UDP/raw sockets this process holds, as the
  kernel sees them.

The rule: Unix-domain sockets are allowed (the X server is reached through
``/tmp/.X11-unix``); nothing may listen, accept, resolve a name, or connect or send to an
internet address. The one inet socket tolerated is urllib3's IPv6 capability probe, which
binds a socket to ``[::1]`` port 0 and closes it without listening or connecting: urllib3
runs it at import time (``urllib3.util.connection.HAS_IPV6``) and rapidocr imports
``requests`` (hence urllib3) for its model downloader, which Engram never calls.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: strace: the network system calls only; the seccomp filter stops the child on those alone.
STRACE = ["strace", "-f", "--seccomp-bpf", "-qq", "-e", "trace=%network"]


@dataclass(frozen=True)
class SocketCall:
    """One socket operation: ``call`` (socket, connect, bind, listen, sendto, getaddrinfo…),
    the address family (``AF_UNIX``, ``AF_INET6``… or None when unknown) and a detail: the
    address for connect/bind/send, the whole strace line for traced calls."""

    call: str
    family: str | None
    address: Any = None

    def is_urllib3_ipv6_probe(self) -> bool:
        if self.call != "bind" or self.family != "AF_INET6":
            return False
        if isinstance(self.address, tuple):  # recorded in Python: ('::1', 0)
            return tuple(self.address[:2]) == ("::1", 0)
        text = str(self.address)  # traced: the strace line
        return "htons(0)" in text and '"::1"' in text


def violations(calls: list[SocketCall]) -> list[str]:
    """Every call that is networking (see the module docstring); empty when all is well."""
    found: list[str] = []
    probes = sum(call.is_urllib3_ipv6_probe() for call in calls)
    inet_sockets = 0
    for call in calls:
        if call.call in ("listen", "accept", "accept4"):
            found.append(f"{call.call}: {call.address}")
        elif call.call in ("getaddrinfo", "gethostbyname", "gethostbyname_ex",
                           "gethostbyaddr", "getnameinfo"):
            found.append(f"name lookup {call.call}: {call.address}")
        elif call.call in ("socket", "socketpair"):
            if call.family != "AF_UNIX":
                inet_sockets += 1
        elif call.family not in (None, "AF_UNIX") and not call.is_urllib3_ipv6_probe():
            found.append(f"{call.call} {call.family}: {call.address}")
    if inet_sockets > probes:
        found.append(f"{inet_sockets} non-Unix sockets created, only {probes} of them "
                     "urllib3's IPv6 probe: "
                     + "; ".join(str(c.address) for c in calls
                                 if c.call == "socket" and c.family != "AF_UNIX"))
    return found


# -- strace ------------------------------------------------------------------------------

_CALL = re.compile(r"^(?:\d+\s+)?(?P<call>[a-z0-9_]+)\((?P<args>.*)$")
_FAMILY = re.compile(r"sa_family=(AF_[A-Z0-9_]+)")


def parse_strace(text: str) -> list[SocketCall]:
    """The socket calls in an ``strace -f -e trace=%network`` log. ``<... resumed>`` halves
    are skipped: the ``<unfinished ...>`` half already holds the call and its address."""
    calls = []
    for line in text.splitlines():
        match = _CALL.match(line.strip())
        if match is None:
            continue  # "+++ exited", "--- SIGCHLD", "<... connect resumed>"
        call, args = match["call"], match["args"]
        if call in ("socket", "socketpair"):
            family: str | None = args.split(",", 1)[0].strip()
        else:
            family_match = _FAMILY.search(args)
            family = family_match.group(1) if family_match else None
        calls.append(SocketCall(call, family, line.strip()))
    return calls


def require_offline_tools() -> list[str]:
    """The command prefix that runs a program in a network namespace of its own under
    strace, or a skip (a failure on CI) saying what is missing."""
    missing = [tool for tool in ("unshare", "strace") if shutil.which(tool) is None]
    prefix = None
    if not missing:
        for candidate in (["unshare", "--net"], ["unshare", "--net", "--map-root-user"]):
            done = subprocess.run([*candidate, "--", "true"], capture_output=True, timeout=20)
            if done.returncode == 0:
                prefix = candidate
                break
        else:
            missing.append("permission to create a network namespace (root or user "
                           "namespaces)")
    if prefix is None:
        message = "needs " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return prefix


@dataclass
class OfflineRun:
    """One traced child: its exit code, output and socket calls."""

    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    calls: list[SocketCall]


def run_offline(netns: list[str], argv: list[str], *, log: Path, env: dict[str, str],
                cwd: Path, timeout: float = 240) -> OfflineRun:
    """Run ``argv`` in a new network namespace under strace; ``log`` keeps the trace."""
    done = subprocess.run([*netns, "--", *STRACE, "-o", str(log), *argv], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)
    return OfflineRun(argv, done.returncode, done.stdout, done.stderr,
                      parse_strace(log.read_text()))


# -- in this process -----------------------------------------------------------------------

ATTACH_TIMEOUT = 30.0


@contextmanager
def trace_this_process(log: Path) -> Iterator[list[SocketCall]]:
    """strace attached to this very process (every thread, and threads started later) for
    the block's duration: native code's socket calls, which no Python hook sees. The list
    it yields is filled when the block ends."""
    if shutil.which("strace") is None:
        if os.environ.get("CI"):
            pytest.fail("needs strace")
        pytest.skip("needs strace")
    _allow_ptrace_by_children(True)  # Yama's ptrace_scope=1 forbids tracing a parent
    try:
        tracer = subprocess.Popen(
            ["strace", "-f", "-e", "trace=%network", "-o", str(log), "-p", str(os.getpid())],
            stderr=subprocess.PIPE, text=True)
        timer = threading.Timer(ATTACH_TIMEOUT, tracer.kill)  # a stuck attach fails
        timer.start()
        try:
            assert tracer.stderr is not None
            attached = tracer.stderr.readline()  # "Process N attached with M threads"
        finally:
            timer.cancel()
    finally:
        _allow_ptrace_by_children(False)
    if "attached" not in attached:
        tracer.kill()
        tracer.communicate()
        pytest.fail(f"strace could not attach to this process: {attached.strip()}")
    calls: list[SocketCall] = []
    try:
        yield calls
    finally:
        tracer.terminate()  # strace detaches from every thread and exits
        tracer.communicate(timeout=30)
    calls.extend(parse_strace(log.read_text()))


def _allow_ptrace_by_children(allow: bool) -> None:
    """``prctl(PR_SET_PTRACER, ANY or 0)``; harmless (EINVAL) where Yama is absent."""
    import ctypes

    pr_set_ptracer, any_tracer = 0x59616D61, ctypes.c_ulong(-1 & 0xFFFFFFFFFFFFFFFF)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_ptracer, any_tracer if allow else ctypes.c_ulong(0), 0, 0, 0)


_AUDITED = {
    "socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
}
_recorders: list[PythonSocketRecorder] = []
_hook_installed = False


def _family_name(family: Any) -> str | None:
    try:
        return socket.AddressFamily(family).name
    except (ValueError, TypeError):
        return None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _recorders or event not in _AUDITED:
        return
    name = event.removeprefix("socket.")
    if name == "__new__":
        call = SocketCall("socket", _family_name(args[1]), args[1:])
    elif name in ("connect", "bind", "sendto", "sendmsg"):
        call = SocketCall(name, _family_name(args[0].family), args[1])
    else:  # a name lookup
        call = SocketCall(name, None, args[:2])
    for recorder in _recorders:
        recorder.calls.append(call)


class PythonSocketRecorder:
    """Socket calls made through Python while :meth:`recording` is active: an audit hook
    (``sys.addaudithook``: creation, connect, bind, send, name lookups, even on sockets of
    subclasses or made before) and ``socket.socket.listen`` (which raises no audit event)."""

    def __init__(self) -> None:
        self.calls: list[SocketCall] = []

    @contextmanager
    def recording(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[PythonSocketRecorder]:
        global _hook_installed
        if not _hook_installed:  # an audit hook cannot be removed: install one, forever
            sys.addaudithook(_audit)
            _hook_installed = True
        original_listen: Callable[..., Any] = socket.socket.listen

        def listen(sock: socket.socket, *args: Any) -> Any:
            self.calls.append(SocketCall("listen", _family_name(sock.family),
                                         sock.getsockname()))
            return original_listen(sock, *args)

        monkeypatch.setattr(socket.socket, "listen", listen)
        _recorders.append(self)
        try:
            yield self
        finally:
            _recorders.remove(self)
            monkeypatch.setattr(socket.socket, "listen", original_listen)


def inet_socket_inodes() -> dict[str, str]:
    """This process's TCP, UDP and raw sockets in any state (inode -> table and state), as
    the kernel lists them in /proc/self/net: sockets opened by native code show up too."""
    mine = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[8:-1])
    found = {}
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        path = Path(f"/proc/self/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            parts = line.split()
            if len(parts) > 9 and parts[9] in mine:
                found[parts[9]] = f"{table} state {parts[3]}"
    return found
