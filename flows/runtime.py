"""What a flow run needs besides its parameters: the settings, the database, where mail goes.

``signoff serve`` binds these once; a flow run started elsewhere (a worker) builds them from the
environment. Secrets never travel as flow parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.adapters.database.database import Database
from governance.adapters.mail.smtp import SmtpSettings
from governance.services.delivery import smtp_settings
from governance.settings import Settings


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database
    smtp: SmtpSettings | None


_bound: list[Runtime] = []


def bind(runtime: Runtime) -> None:
    """Make ``runtime`` the one every flow run in this process uses."""
    _bound[:] = [runtime]


def current() -> Runtime:
    """The bound runtime, or one built from ``SIGNOFF_*`` environment variables."""
    if not _bound:
        settings = Settings()
        db = Database(settings.sqlalchemy_url)
        db.migrate()
        smtp = None if settings.uses_mail_sink else smtp_settings(settings)
        bind(Runtime(settings, db, smtp))
    return _bound[0]
