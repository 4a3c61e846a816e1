"""What a running ``signoff serve`` tells other commands: its addresses, kept in the data directory."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

RUNTIME_FILE = "runtime.json"


def write_runtime(data_dir: Path, **facts: Any) -> None:
    """Record the server's addresses (atomically) for commands run from another terminal."""
    data_dir.mkdir(parents=True, exist_ok=True)
    draft = data_dir / f".{RUNTIME_FILE}.{os.getpid()}"
    draft.write_text(json.dumps(facts, indent=2))
    draft.replace(data_dir / RUNTIME_FILE)


def read_runtime(data_dir: Path) -> dict[str, Any]:
    """The addresses the running server recorded, or {} when none is recorded."""
    path = data_dir / RUNTIME_FILE
    try:
        facts: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return facts


def clear_runtime(data_dir: Path) -> None:
    (data_dir / RUNTIME_FILE).unlink(missing_ok=True)


def server_alive(facts: dict[str, Any]) -> bool:
    """True when the recorded ``signoff serve`` process is still running."""
    pid = facts.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
