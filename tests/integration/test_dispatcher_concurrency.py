"""``signoff serve``'s dispatcher runs the steps of different sign-offs side by side: a slow mail
server sending one sign-off's invitations does not hold up another's. Real Prefect API, real
databases (SQLite and PostgreSQL), and a real SMTP server on loopback that answers only once two
messages are in flight."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from flows.dispatcher import prefect_clients, run_owed_work
from flows.runtime import Runtime
from governance.domain.london_time import utc_now
from tests.integration.signoffs_helpers import start_spine_signoff
from tests.integration.smtp_server import ScriptedHandler, scripted_server

TOGETHER_WITHIN_SECONDS = 20.0  # only reached when the steps run one after another


@dataclass
class WaitsForCompany(ScriptedHandler):
    """Holds each message until another is in flight too (or gives up), and notes the most at once."""

    in_flight: int = 0
    most_at_once: int = 0
    company: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.in_flight += 1
        self.most_at_once = max(self.most_at_once, self.in_flight)
        if self.in_flight >= 2:
            self.company.set()
        try:
            await asyncio.wait_for(self.company.wait(), timeout=TOGETHER_WITHIN_SECONDS)
        except TimeoutError:
            pass
        finally:
            self.in_flight -= 1
        return await super().handle_DATA(server, session, envelope)


async def one_pass(runtime: Runtime) -> int:
    async with prefect_clients():  # as the dispatcher's thread runs it
        return await run_owed_work(runtime)


def test_the_invitations_of_two_signoffs_are_sent_side_by_side_in_one_pass(
    prefect_api, settings, database, tmp_path
):
    # The mail client waits longer than the server holds a message, so only company releases it.
    settings = settings.model_copy(update={"step_concurrency": 2})
    first = start_spine_signoff(database, settings, now=utc_now(), tmp=tmp_path, title="First")
    second = start_spine_signoff(database, settings, now=utc_now(), tmp=tmp_path, title="Second")
    handler = WaitsForCompany()
    with scripted_server(handler) as smtp:
        patient = smtp.settings(timeout=2 * TOGETHER_WITHIN_SECONDS)  # outwaits the server's hold
        assert asyncio.run(one_pass(Runtime(settings, database, patient))) == 2
    assert handler.most_at_once == 2
    subjects = sorted(str(message["Subject"]) for message in handler.received)
    assert len(subjects) == 4
    assert sum("First" in subject for subject in subjects) == 2, (first, second, subjects)
