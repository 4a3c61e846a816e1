"""The product's own commands as child processes on loopback, and what they hold in memory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from governance.adapters.prefect_server import free_port
from governance.benchmarks.loopback import answers, wait_until

SIGNOFF = str(Path(sys.executable).with_name("signoff"))
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Running:
    process: subprocess.Popen[bytes]
    url: str


@contextmanager
def signoff_process(
    command: str, env: dict[str, str], *, log: Path, timeout: float = 120
) -> Iterator[Running]:
    """``signoff serve`` or ``signoff web`` on a free port, until the block ends (then SIGTERM)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = os.environ | {"SIGNOFF_BASE_URL": url} | env
    with log.open("ab") as output:
        process = subprocess.Popen(
            [SIGNOFF, command, "--port", str(port)], env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until(
            lambda: process.poll() is not None or answers(f"{url}/healthz"),
            timeout=timeout,
            what=f"signoff {command}",
        )
        if process.poll() is not None:
            msg = f"signoff {command} stopped while starting; see {log}"
            raise RuntimeError(msg)
        yield Running(process, url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def process_tree(root: int) -> list[int]:
    """``root`` and every process descended from it (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(parents.get(pid, []))
    return found


def resident_mb(pids: list[int]) -> float:
    """The resident memory of ``pids`` together, in MB (processes that ended count nothing)."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    return total / 1_000_000


def thread_count(pid: int) -> int:
    """How many threads ``pid`` runs now."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0
