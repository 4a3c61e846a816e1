"""P6: wall time of ``signoff --help`` in a fresh process, against ``python -c pass``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from governance.benchmarks.figure import Case, Figure, median_seconds

TARGET_SECONDS = 0.3
REPETITIONS = 15


def _run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


def measure() -> Figure:
    signoff = str(Path(sys.executable).with_name("signoff"))
    value = median_seconds(lambda: _run(signoff, "--help"), repetitions=REPETITIONS)
    baseline = median_seconds(lambda: _run(sys.executable, "-c", "pass"), repetitions=REPETITIONS)
    return Figure(
        unit="s",
        target=f"< {TARGET_SECONDS:g} s",
        description="`signoff --help` in a fresh process (median); baseline: `python -c pass`",
        cases=[Case("signoff --help", value, baseline, details={"runs": REPETITIONS})],
        worse="higher",
        met=lambda value, _ratio: value < TARGET_SECONDS,
    )
