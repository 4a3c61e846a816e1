"""The slow benchmark figure S1 really drives ``signoff serve`` (its value is printed, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_the_decision_to_email_latency_is_measured_under_signoff_serve(tmp_path):
    signoff = str(Path(sys.executable).with_name("signoff"))
    result = subprocess.run(
        [signoff, "bench", "S1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    figure = json.loads(result.stdout)["S1"]
    assert figure["unit"] == "s"
    assert figure["value"] > 0
