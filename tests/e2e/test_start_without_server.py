"""``signoff start`` with no ``signoff serve`` running: the start flow runs in the command itself."""

from __future__ import annotations

import json

import pytest

from tests.e2e.serve_harness import Product

pytestmark = pytest.mark.slow

VCSE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]


def test_starting_without_a_server_opens_the_first_stage_and_queues_its_invitations(tmp_path, prefect_api):
    product = Product(
        tmp_path / "data", smtp_port=9, prefect_api=prefect_api, extra_env={"SIGNOFF_SMTP_HOST": ""}
    )
    started = product.start_spine_signoff(tmp_path)
    assert started.returncode == 0, started.stderr
    assert "signoff serve is not running" in started.stderr
    signoff_id = json.loads(started.stdout)["id"]
    assert [s["state"] for s in product.status(signoff_id)["stages"]][:2] == ["open", "pending"]
    queued = json.loads(product.cli("outbox", "--json").stdout)
    assert sorted((n["kind"], n["recipient"]) for n in queued) == [("invitation", r) for r in VCSE]
