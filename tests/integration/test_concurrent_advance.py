"""Steps of one sign-off never overlap, whichever workers run them: racing advances of one sign-off
serialise on its row (``FOR UPDATE`` on PostgreSQL, the write lock on SQLite), and every run after
the first finds nothing to do."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from governance.domain.events import StageOpened
from governance.domain.rules import Verdict
from governance.services.signoffs import advance_signoff, decide_by_token, work_waiting
from tests.integration.signoffs_helpers import links, queued, start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
VCSE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]
RUNS = 4


def test_racing_advances_of_one_signoff_open_its_next_stages_once(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    tokens = links(database, settings, signoff_id)
    for reviewer in VCSE:
        decide_by_token(
            database,
            tokens["vcse", reviewer],
            verdict=Verdict.APPROVE,
            comment="",
            now=LATER,
            settings=settings,
        )
    before = Counter(queued(database, signoff_id))
    start_together = threading.Barrier(RUNS)
    results: list[list[object]] = []

    def run() -> None:
        start_together.wait()
        results.append(list(advance_signoff(database, settings, signoff_id, now=LATER)))

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    opened = [sorted(e.stage_id for e in events if isinstance(e, StageOpened)) for events in results]
    assert sorted(opened) == [[], [], [], ["finance", "legal"]]
    added = Counter(queued(database, signoff_id)) - before
    assert {recipient: n for (kind, recipient), n in added.items() if kind == "invitation"} == {
        "legal@icb.example.nhs.uk": 1,
        "deputy.legal@icb.example.nhs.uk": 1,
        "cfo@icb.example.nhs.uk": 1,
    }
    assert [w for w in work_waiting(database, now=LATER) if w.step != "send email"] == []
