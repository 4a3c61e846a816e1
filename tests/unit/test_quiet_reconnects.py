"""``signoff serve`` keeps Prefect's websocket reconnect notice to one line on the lead's console."""

from __future__ import annotations

import logging

from governance.entrypoints.composition.serving import quiet_prefect_reconnects


def test_the_runners_reconnect_warning_keeps_its_message_and_loses_its_traceback(caplog) -> None:
    quiet_prefect_reconnects()
    quiet_prefect_reconnects()  # idempotent: one filter, however often serve starts
    logger = logging.getLogger("prefect.FlowRunCancellingObserver")
    assert sum(getattr(f, "quiets_tracebacks", False) for f in logger.filters) == 1
    with caplog.at_level(logging.WARNING, logger=logger.name):
        reset = ConnectionResetError("Connection reset by peer")
        logger.warning("The websocket failed. Switching to polling mode.", exc_info=reset)
    (record,) = [r for r in caplog.records if r.name == logger.name]
    assert record.getMessage() == "The websocket failed. Switching to polling mode."
    assert record.exc_info is None
    assert "Traceback" not in caplog.text
