"""What a flow run needs besides its parameters: the settings, the database, where mail goes.

Nothing here is global state a flow run finds by chance. The process that runs flows says which
runtime they use, around the work: ``with running(runtime): ...`` (``signoff serve``'s
dispatcher, ``signoff start`` with no server running, a test). A flow run in a process of its own
(a Prefect worker, the scheduled jobs' subprocess) starts from ``governance.entrypoints.worker_flows``,
which builds its runtime from the environment with an explicit function before the steps run.
Secrets never travel as flow parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from governance.settings import Settings

if TYPE_CHECKING:
    from governance.adapters.database.database import Database
    from governance.adapters.mail.smtp import SmtpSettings


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database
    smtp: SmtpSettings | None


class NoRuntimeBound(RuntimeError):
    """A flow step ran where nobody said which settings and database it works on."""


# A context variable, not a module list: each thread and event loop sees only what was bound
# around its own work, and the binding ends with the block that made it.
_active: ContextVar[Runtime | None] = ContextVar("signoff_runtime", default=None)


@contextmanager
def running(runtime: Runtime) -> Iterator[Runtime]:
    """Flow runs started inside this block (in this thread or its tasks) use ``runtime``."""
    token = _active.set(runtime)
    try:
        yield runtime
    finally:
        _active.reset(token)


def current() -> Runtime:
    """The runtime bound around the flow run in progress."""
    runtime = _active.get()
    if runtime is None:
        msg = (
            "no runtime is bound for this flow run: run flows inside `with running(runtime):`, "
            "or start them from governance.entrypoints.worker_flows in a process of their own"
        )
        raise NoRuntimeBound(msg)
    return runtime
