"""Every figure ``signoff bench`` knows, the module that measures it, and which run by default.

Modules are imported only when their figure runs, so measuring P5 never starts a server.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("signoff.bench")


@dataclass(frozen=True)
class Entry:
    module: str
    summary: str
    default: bool = True


FIGURES: dict[str, Entry] = {
    "P1": Entry("decisions", "decisions per second through POST /a/{token}, against raw INSERT+COMMIT"),
    "P2": Entry("watcher", "time to find the watcher's work among 1,000 / 10,000 / 100,000 sign-offs"),
    "P3": Entry("latency", "decision POST -> next stage's invitations at SMTP, against a bare flow"),
    "P4": Entry("footprint", "processes and memory while 10 / 1,000 / 10,000 sign-offs wait"),
    "P5": Entry("planning", "planning a 10-stage route over a two-year horizon"),
    "P6": Entry("startup", "`signoff --help` wall time, against `python -c pass`"),
    "L1": Entry("dashboard", "the dashboard page at 10 / 1,000 / 10,000 sign-offs in progress", False),
    "L2": Entry("long_running", "serve's threads and memory after handling 10 / 110 / 210 sign-offs", False),
    "D1": Entry("core_decision", "a stage-closing decision and the next stage opened, services only", False),
    "S1": Entry("serve_latency", "click -> next stage's invitations under signoff serve (one)", False),
}


def default_figures() -> list[str]:
    return [name for name, entry in FIGURES.items() if entry.default]


UNITS = {"P1": "/s", "P2": "ms", "P3": "s", "P4": "MB", "P5": "ms", "P6": "s", "L1": "ms", "L2": "MB"}


def measure(name: str) -> dict[str, Any]:
    """Measure one figure; its module's ``measure()`` returns a Figure (or, for D1/S1, a dict). A
    figure that fails is reported with its error, and the run goes on to the next figure."""
    try:
        module = importlib.import_module(f"governance.benchmarks.{FIGURES[name].module}")
        measured = module.measure()
    except Exception as error:  # a benchmark that breaks must not lose the figures measured beside it
        log.warning("figure %s could not be measured: %s", name, error)
        return failed(name, f"{type(error).__name__}: {error}")
    return dict(measured.as_dict() if hasattr(measured, "as_dict") else measured)


def failed(name: str, error: str) -> dict[str, Any]:
    """A figure that could not be measured, in the same shape as a measured one."""
    return {
        "value": None,
        "unit": UNITS.get(name, ""),
        "baseline": None,
        "ratio": None,
        "target": "-",
        "met": False,
        "error": error,
        "cases": [],
    }


def run(names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Measure the named figures (by default P1..P6) in order; returns them keyed by name."""
    return {name: measure(name) for name in names or default_figures()}
