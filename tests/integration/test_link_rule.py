"""Every edge asks the domain whether a link may decide: the use case refuses what the page refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from governance.adapters.database.tables import signoffs
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.action_view import LinkState, action_view
from governance.services.signoffs import decide_by_token
from governance.services.status import signoff_status
from tests.integration.signoffs_helpers import links, start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
REVIEWER = "chair@vcse.example.org"


def test_a_link_for_an_earlier_version_records_nothing_through_the_use_case_either(
    database, settings, tmp_path
):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    token = links(database, settings, signoff_id)["vcse", REVIEWER]
    with database.transaction() as connection:
        connection.execute(update(signoffs).where(signoffs.c.id == signoff_id).values(document_version=2))
    view = action_view(database, token)
    assert view is not None
    assert view.state is LinkState.CLOSED
    assert "version 1" in view.closed_reason
    result = decide_by_token(
        database, token, verdict=Verdict.APPROVE, comment="", now=NOW + timedelta(hours=1), settings=settings
    )
    assert result is not None
    assert not result.recorded
    assert "version 1" in result.message
    assert status_to_json(signoff_status(database, signoff_id))["stages"][0]["decisions"] == []
