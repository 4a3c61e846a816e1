"""Starting a real Prefect server next to ``signoff serve`` (or using the one PREFECT_API_URL names)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HEALTH_TIMEOUT_SECONDS = 90
PR_SET_PDEATHSIG = 1


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def prefect_home(data_dir: Path) -> Path:
    return (data_dir / "prefect").resolve()


def use_prefect_home(data_dir: Path) -> None:
    """Keep Prefect's own files in the data directory (before ``import prefect``)."""
    os.environ.setdefault("PREFECT_HOME", str(prefect_home(data_dir)))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def _die_with_parent() -> None:
    """Ask Linux to stop the Prefect server if ``signoff serve`` is killed (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:  # noqa: S310 - loopback URL
            return bool(response.status == 200)
    except OSError:
        return False


class PrefectServer:
    """``prefect server start`` as a child process on a loopback port."""

    def __init__(self, data_dir: Path, *, port: int | None = None) -> None:
        self.port = port or free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.ui_url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "prefect-server.log"
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = os.environ | {
            "PREFECT_HOME": str(prefect_home(self.data_dir)),
            "PREFECT_UI_API_URL": self.api_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        }
        env.pop("PREFECT_API_URL", None)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                msg = f"the Prefect server stopped while starting; see {self.log_path}"
                raise RuntimeError(msg)
            if healthy(self.api_url):
                return
            time.sleep(0.25)
        msg = f"the Prefect server did not answer within {HEALTH_TIMEOUT_SECONDS}s; see {self.log_path}"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
