"""Starting a real Prefect server next to ``signoff serve`` (or using the one PREFECT_API_URL names)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from governance.adapters.child_process import start_tied_to_parent
from governance.adapters.loopback import free_port, wait_until

__all__ = [
    "HEALTH_TIMEOUT_SECONDS",
    "PrefectServer",
    "free_port",
    "healthy",
    "prefect_home",
    "use_prefect_home",
]

HEALTH_TIMEOUT_SECONDS = 90


def prefect_home(data_dir: Path) -> Path:
    return (data_dir / "prefect").resolve()


def use_prefect_home(data_dir: Path) -> None:
    """Keep Prefect's own files in the data directory (before ``import prefect``)."""
    os.environ.setdefault("PREFECT_HOME", str(prefect_home(data_dir)))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:  # noqa: S310 - loopback URL
            return bool(response.status == 200)
    except OSError:
        return False


class PrefectServer:
    """``prefect server start`` as a child process on a loopback port; it stops when we die."""

    def __init__(self, data_dir: Path, *, port: int | None = None, database_url: str | None = None) -> None:
        self.port = port or free_port()
        self.database_url = database_url  # None: the server's own SQLite file in its home
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
        if self.database_url is not None:
            env["PREFECT_API_DATABASE_CONNECTION_URL"] = self.database_url
        command = [sys.executable, "-m", "prefect", "server", "start"]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            # Tied to this process through a launcher, not preexec_fn: we have threads by now.
            self.process = start_tied_to_parent(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(
            lambda: healthy(self.api_url),
            timeout=HEALTH_TIMEOUT_SECONDS,
            timeout_message=(
                f"the Prefect server did not answer within {HEALTH_TIMEOUT_SECONDS}s; see {self.log_path}"
            ),
            gave_up=self._exited,
        )

    def _exited(self) -> str | None:
        if self.process is not None and self.process.poll() is not None:
            return f"the Prefect server stopped while starting; see {self.log_path}"
        return None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
