"""``signoff serve``: everything in one process; and the start flow run by the CLI when it is not running."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from flows.runtime import Runtime, running
from flows.schedules import start_scheduled_jobs
from governance.adapters.database.database import Database
from governance.adapters.prefect_server import PrefectServer, use_prefect_home
from governance.adapters.runtime_file import clear_runtime, read_runtime, server_alive, write_runtime
from governance.domain.london_time import utc_now
from governance.entrypoints.composition.flow_runtime import child_process_environment, runtime_here
from governance.settings import Settings

log = logging.getLogger("signoff")
# Prefect's runner logs a reconnect of its cancellation websocket (it then polls) with a traceback
# that reads like a crash on the lead's console; one line says the same.
QUIET_TRACEBACKS = ("prefect.FlowRunCancellingObserver",)


class WithoutTraceback(logging.Filter):
    """Keeps the record's message, drops its traceback."""

    quiets_tracebacks = True  # found by this mark, not by class: a reimported module has a new class

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


def quiet_prefect_reconnects() -> None:
    for name in QUIET_TRACEBACKS:
        logger = logging.getLogger(name)
        if not any(getattr(f, "quiets_tracebacks", False) for f in logger.filters):
            logger.addFilter(WithoutTraceback())


@dataclass(frozen=True)
class Addresses:
    web: str
    prefect_api: str
    prefect_ui: str | None
    mailbox: str | None


def connect_prefect(settings: Settings, stack: ExitStack) -> tuple[str, str | None]:
    """Use the Prefect API that PREFECT_API_URL names, or start a Prefect server of our own."""
    use_prefect_home(settings.data_dir)
    if os.environ.get("PREFECT_API_URL"):
        api = os.environ["PREFECT_API_URL"].rstrip("/")
        return api, os.environ.get("PREFECT_UI_URL") or api.removesuffix("/api")
    server = PrefectServer(settings.data_dir, port=settings.prefect_port)
    server.start()
    stack.callback(server.stop)
    os.environ["PREFECT_API_URL"] = server.api_url
    return server.api_url, server.ui_url


def start_mail_sink(settings: Settings, stack: ExitStack) -> int | None:
    """The built-in mail sink on loopback, when no SMTP server is configured."""
    if not settings.uses_mail_sink:
        return None
    from governance.adapters.mail.sink import MailSink

    sink = MailSink(settings.mailbox_dir, port=settings.sink_port)
    port = sink.start()
    stack.callback(sink.stop)
    return port


def serve(settings: Settings, db: Database, *, host: str, port: int, announce: Any = print) -> None:
    """Run the web app, the flows, the scheduled jobs and (if needed) the mail sink until stopped."""
    if settings.runs_on_workers:
        msg = (
            "SIGNOFF_ORCHESTRATION=deployments runs the steps on Prefect workers: "
            "run `signoff web` and `prefect worker start --pool signoff` instead (see docs/deploy.md)"
        )
        raise RuntimeError(msg)
    _refuse_a_second_server(settings)
    settings = settings_for_server(settings, host=host, port=port)
    quiet_prefect_reconnects()
    with ExitStack() as stack:
        sink_port = start_mail_sink(settings, stack)
        api, ui = connect_prefect(settings, stack)
        dispatcher = _start_dispatcher(runtime_here(settings, db, sink_port=sink_port), stack)
        _start_scheduled_jobs(settings, stack)
        web = f"http://{host}:{port}"
        write_runtime(
            settings.data_dir,
            pid=os.getpid(),
            web_url=web,
            prefect_api_url=api,
            prefect_ui_url=ui,
            sink_port=sink_port,
            started_at=utc_now().isoformat(),
        )
        stack.callback(clear_runtime, settings.data_dir)
        announce(_banner(Addresses(web, api, ui, f"{web}/mail" if sink_port else None)))
        _run_web(settings, db, host=host, port=port, on_change=dispatcher.nudge)


def _refuse_a_second_server(settings: Settings) -> None:
    facts = read_runtime(settings.data_dir)
    if server_alive(facts) and facts.get("pid") != os.getpid():
        where = f"pid {facts['pid']}, {facts.get('web_url')}"
        msg = f"signoff serve is already running for {settings.data_dir} ({where})"
        raise RuntimeError(msg)


def settings_for_server(settings: Settings, *, host: str, port: int) -> Settings:
    """The settings this server runs on, final before anything starts: emailed links point at it
    unless ``SIGNOFF_BASE_URL`` says otherwise."""
    if "base_url" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"base_url": f"http://{host}:{port}"})


def _start_dispatcher(runtime: Runtime, stack: ExitStack) -> Any:
    from flows.dispatcher import Dispatcher

    dispatcher = Dispatcher(runtime, poll_seconds=runtime.settings.work_poll_seconds)
    dispatcher.start()
    stack.callback(dispatcher.stop)
    return dispatcher


def serve_web(settings: Settings, db: Database, *, host: str, port: int) -> None:
    """The web app on its own. Scaled out, each recorded change asks Prefect for the steps it made
    owed; otherwise they are left for a ``signoff serve`` on the same database."""
    with ExitStack() as stack:
        on_change = None
        if settings.runs_on_workers:
            from governance.entrypoints.composition.orchestration import start_launcher

            on_change = start_launcher(settings, db, stack).nudge
        _run_web(settings, db, host=host, port=port, on_change=on_change)


def _start_scheduled_jobs(settings: Settings, stack: ExitStack) -> None:
    """The watcher on its schedule; each run is a subprocess that builds its own runtime from the
    environment, so it is told the values fixed at start-up (and nothing else)."""
    from governance.entrypoints.worker_flows import watch_stalls

    os.environ.update(child_process_environment(settings))
    start_scheduled_jobs(stack, watch_stalls, interval_seconds=settings.watch_interval_seconds)


def _run_web(settings: Settings, db: Database, *, host: str, port: int, on_change: Any) -> None:
    import uvicorn

    from governance.entrypoints.web.app import create_app

    app = create_app(settings, db, on_change=on_change)
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)  # URLs carry tokens


def _stop_on_terminate(_signum: int, _frame: Any) -> None:
    """SIGTERM stops like Ctrl+C, so the Prefect server, sink and runtime file are cleaned up."""
    raise KeyboardInterrupt


def _banner(addresses: Addresses) -> str:
    lines = [
        "signoff is running.",
        f"  Dashboard:     {addresses.web}/signoffs",
    ]
    if addresses.mailbox:
        lines.append(f"  Dev mailbox:   {addresses.mailbox}")
    if addresses.prefect_ui:
        lines.append(f"  Prefect UI:    {addresses.prefect_ui}")
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def run_start_flow_here(
    settings: Settings, db: Database, signoff_id: str, *, title: str, step: str = "start"
) -> None:
    """Open a new sign-off's first stage (or take its next ``step``) in this process, when no
    ``signoff serve`` is running; scaled out, ask Prefect's workers to."""
    if settings.runs_on_workers:
        from governance.entrypoints.composition.orchestration import launch_owed_steps

        try:
            launch_owed_steps(settings, db)
        except Exception as error:  # recorded already: the reconciler starts it once Prefect answers
            log.warning("could not ask Prefect to take the step now (%s); the reconciler will", error)
        return
    use_prefect_home(settings.data_dir)
    from flows.signoff import run_advance

    with running(runtime_here(settings, db)):
        asyncio.run(run_advance(signoff_id, document=title, step=step))
