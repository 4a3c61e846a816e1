"""The runtime flow runs work on (settings, database, mail transport), built here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flows.runtime import Runtime
from governance.adapters.database.database import Database
from governance.adapters.mail.smtp import SmtpSettings
from governance.domain.london_time import shift_clock
from governance.services.delivery import smtp_settings
from governance.settings import Settings


def mail_transport(settings: Settings, *, sink_port: int | None = None) -> SmtpSettings | None:
    """Where flow runs in this process send mail: the SMTP server, the mail sink listening on
    ``sink_port``, or nowhere (None: with neither, they only queue; ``signoff serve`` sends)."""
    if settings.uses_mail_sink and sink_port is None:
        return None
    return smtp_settings(settings, sink_port=sink_port)


def runtime_here(settings: Settings, db: Database, *, sink_port: int | None = None) -> Runtime:
    """The runtime of a process that already holds its settings and database."""
    return Runtime(settings, db, mail_transport(settings, sink_port=sink_port))


@contextmanager
def runtime_from_environment() -> Iterator[Runtime]:
    """The runtime of a flow run in a process of its own (a Prefect worker, the scheduled jobs'
    subprocess): settings from ``SIGNOFF_*`` variables and a database connection of its own, closed
    when the run ends. It never migrates: the process that serves did that at start-up."""
    settings = Settings()
    shift_clock(settings.clock_offset_days)
    db = Database(settings.sqlalchemy_url)
    try:
        yield runtime_here(settings, db)
    finally:
        db.dispose()


def child_process_environment(settings: Settings) -> dict[str, str]:
    """What a flow-run subprocess of this process cannot work out for itself: the values fixed at
    start-up (the base URL this server answers on, the data directory resolved against this working
    directory). Never a secret: the child reads those from where this process did."""
    return {"SIGNOFF_BASE_URL": settings.base_url, "SIGNOFF_DATA_DIR": str(settings.data_dir.resolve())}
