"""One settings object, read from ``SIGNOFF_*`` environment variables and passed down everywhere.

It is frozen: what start-up works out (the base URL of the server it runs) goes into the one
object it builds, with ``model_copy(update=...)``, before anything else sees it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class Settings(BaseSettings):
    """Everything the product can be told; defaults run it on one laptop."""

    model_config = SettingsConfigDict(env_prefix="SIGNOFF_", extra="ignore", frozen=True)

    data_dir: Path = Field(default=Path(".signoff"), description="SQLite database, documents, runtime state")
    database_url: str | None = Field(default=None, description="default: a SQLite file in data_dir")
    base_url: str = Field(default="http://127.0.0.1:8000", description="absolute prefix of emailed links")
    secret_key: SecretStr | None = Field(default=None, description="default: made once, kept in data_dir")
    routes_dir: Path = Path("config/routes")
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "signoff@localhost"
    mail_retry_seconds: float = 30.0
    mail_max_attempts: int = 10
    mail_lease_seconds: float = 120.0
    work_poll_seconds: float = 1.0
    step_concurrency: int = Field(
        default=4, ge=1, le=32, description="embedded: how many sign-offs' steps signoff serve runs at once"
    )
    watch_interval_seconds: float = Field(default=300.0, description="how often the reminder watcher runs")
    orchestration: Literal["embedded", "deployments"] = Field(
        default="embedded",
        description="embedded: steps run inside signoff serve; deployments: as runs on Prefect workers",
    )
    reconcile_interval_seconds: float = Field(
        default=60.0,
        gt=0,
        description="scaled out: how often owed steps a crash left behind are started again",
    )
    run_heartbeat_seconds: int = Field(
        default=30,
        ge=30,
        le=3600,
        description="scaled out: a worker's run reports it is alive this often; 3 missed and it is crashed",
    )
    prefect_port: int | None = None
    link_working_days: int = Field(default=20, ge=0, description="links stop deciding this long after due")
    link_rate_per_minute: int = Field(default=60, ge=1, description="requests to /a/* per client address")
    mail_from_name: str = Field(default="Governance sign-off", description="the sender's display name")
    governance_contact: str | None = Field(
        default=None, description="whom emails to a sign-off's lead name for questions (a team mailbox)"
    )
    oidc_issuer: str | None = Field(default=None, description="single sign-on: the OpenID Connect issuer")
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    sink_port: int | None = None
    max_upload_bytes: int = Field(
        default=25 * 1024 * 1024, ge=1, description="largest document the web takes"
    )
    clock_offset_days: int = Field(
        default=0,
        ge=0,
        le=3660,
        description="rehearsal only: run as if this many days later (to walk a route past its meetings)",
    )

    @property
    def sqlalchemy_url(self) -> str:
        """The database to use: the configured one, or SQLite in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'signoff.db'}"

    @property
    def runs_on_workers(self) -> bool:
        """Scaled out: each step is a run of a Prefect deployment that a worker picks up."""
        return self.orchestration == "deployments"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def mailbox_dir(self) -> Path:
        return self.data_dir / "mailbox"

    @property
    def uses_mail_sink(self) -> bool:
        """No SMTP server configured: mail goes to the built-in sink that feeds ``/mail``."""
        return not self.smtp_host

    @property
    def uses_single_sign_on(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def secure_cookies(self) -> bool:
        """Session cookies are ``Secure`` when the product is reached over https."""
        return self.base_url.lower().startswith("https://")

    def signing_key(self) -> bytes:
        """The secret for action links: configured, or made once and kept in the data directory."""
        if self.secret_key:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / SECRET_KEY_FILE
        if not path.exists():
            _create_once(path, secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


def _create_once(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` unless another process got there first (atomic link)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    draft.touch(mode=0o600)
    draft.write_text(content)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
