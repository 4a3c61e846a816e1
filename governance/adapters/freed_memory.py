"""Handing the memory a long-running process has freed back to the operating system.

CPython frees objects into the C allocator, and glibc keeps freed pages in its per-thread arenas
rather than returning them: a ``signoff serve`` running steps in several threads grew by a few
megabytes per hundred sign-offs handled although its Python objects did not (measured with
tracemalloc). ``malloc_trim(0)`` returns what is free. On a C library without it (musl, macOS)
this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
import time
from collections.abc import Callable
from typing import Any


@functools.cache
def _trim() -> Callable[[int], Any] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    function = getattr(ctypes.CDLL(name), "malloc_trim", None)
    return function if callable(function) else None


class FreedMemoryReturner:
    """Returns freed memory when called, at most once every ``every_seconds`` (a call walks the heap)."""

    def __init__(self, *, every_seconds: float = 10.0) -> None:
        self.every_seconds = every_seconds
        self._last = float("-inf")
        self._lock = threading.Lock()

    def __call__(self) -> bool:
        """True when memory was handed back now."""
        trim = _trim()
        with self._lock:
            now = time.monotonic()
            if trim is None or now - self._last < self.every_seconds:
                return False
            self._last = now
        trim(0)
        return True
