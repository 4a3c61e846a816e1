"""A long-running serve hands freed memory back to the operating system, not on every pass."""

from __future__ import annotations

import platform

import pytest

from governance.adapters.freed_memory import FreedMemoryReturner


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_is_handed_back_at_most_once_an_interval() -> None:
    returner = FreedMemoryReturner(every_seconds=3600)
    assert returner() is True
    assert returner() is False  # within the hour: the heap is not walked again


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_with_no_interval_every_call_hands_freed_memory_back() -> None:
    returner = FreedMemoryReturner(every_seconds=0)
    assert [returner(), returner()] == [True, True]
