"""Child processes started through the launcher die with their parent, even when it is SIGKILLed,
although the parent has threads (so no ``preexec_fn``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from governance.adapters.child_process import LAUNCHER, PARENT_GONE
from governance.adapters.loopback import wait_until

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = "import time; time.sleep(600)  # tied child"
TIED_SLEEPER = f"""
import sys, threading, time
from governance.adapters.child_process import start_tied_to_parent
threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
child = start_tied_to_parent([sys.executable, "-c", {SLEEPER!r}])
print(child.pid, flush=True)
time.sleep(600)
"""
PREFECT_SERVER = """
import sys, threading, time
from pathlib import Path
from governance.adapters.prefect_server import PrefectServer
threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
server = PrefectServer(Path(sys.argv[1]))
server.start()
print(server.process.pid, flush=True)
time.sleep(600)
"""


def gone(pid: int) -> bool:
    """No such process any more, or only its zombie waiting for init to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def became_the_command(pid: int) -> bool:
    line = command_line(pid)
    return SLEEPER in line and LAUNCHER not in line


def start_parent(code: str, *args: str) -> tuple[subprocess.Popen[str], int]:
    parent = subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    assert line.strip().isdigit(), f"the parent printed {line!r} instead of its child's pid"
    return parent, int(line)


def kill(parent: subprocess.Popen[str]) -> None:
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)


def test_a_tied_child_becomes_its_command_and_stops_when_its_threaded_parent_is_killed() -> None:
    parent, child = start_parent(TIED_SLEEPER)
    try:
        # The launcher execs: the same pid becomes the real command.
        wait_until(lambda: became_the_command(child), timeout=20, timeout_message="the launcher never exec'd")
    finally:
        kill(parent)
    wait_until(lambda: gone(child), timeout=20, timeout_message=f"child {child} outlived its parent")


def test_the_launcher_refuses_to_start_a_command_for_a_parent_that_is_already_gone() -> None:
    not_my_parent = "1" if os.getpid() != 1 else "2"
    launched = subprocess.run(
        [sys.executable, "-m", LAUNCHER, not_my_parent, sys.executable, "-c", "print('started')"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (launched.returncode, launched.stdout) == (PARENT_GONE, "")


@pytest.mark.slow
def test_the_prefect_server_stops_when_signoff_serve_is_killed(tmp_path: Path) -> None:
    parent, server = start_parent(PREFECT_SERVER, str(tmp_path))
    try:
        assert "prefect server start" in command_line(server)
    finally:
        kill(parent)
    wait_until(lambda: gone(server), timeout=30, timeout_message=f"Prefect server {server} outlived serve")
