"""Child processes that Linux stops when their parent dies, even when the parent is SIGKILLed.

Setting PR_SET_PDEATHSIG in ``preexec_fn`` would do it, but ``preexec_fn`` runs Python in the
forked child before ``exec``, which is unsafe once the parent has threads (a lock another thread
held at fork time is never released in the child); ``signoff serve`` has threads before it starts
the Prefect server. So the child starts as this small module instead, through a plain
``subprocess.Popen``: it asks for the death signal for itself, checks that the parent that started
it is still there, then ``exec``s the real command, which keeps the setting (and the pid).

    python -m governance.adapters.child_process PARENT_PID COMMAND [ARG ...]

Linux sends the signal when the *thread* that started the child ends, so start it from the
thread that lives as long as the process (the main thread).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from typing import Any

PR_SET_PDEATHSIG = 1
LAUNCHER = "governance.adapters.child_process"
PARENT_GONE = 3


def start_tied_to_parent(command: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    """``subprocess.Popen(command, **popen)``, but the child gets SIGTERM when this process dies."""
    launcher = [sys.executable, "-m", LAUNCHER, str(os.getpid())]
    return subprocess.Popen([*launcher, *command], **popen)


def ask_for_signal_when_parent_dies(signum: int = signal.SIGTERM) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies; False where it cannot."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return False
    return bool(libc.prctl(PR_SET_PDEATHSIG, signum) == 0)


def main(argv: list[str]) -> int:
    """Tie this process to its parent, then become ``argv[1:]``."""
    if len(argv) < 2 or not argv[0].isdigit():
        sys.stderr.write(f"usage: python -m {LAUNCHER} PARENT_PID COMMAND [ARG ...]\n")
        return 2
    parent, command = int(argv[0]), argv[1:]
    ask_for_signal_when_parent_dies()
    if os.getppid() != parent:  # the parent died before the request took effect: nobody to serve
        return PARENT_GONE
    os.execvp(command[0], command)  # noqa: S606 - the command our parent asked for
    return 0  # never reached: exec replaced this program, or raised


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
