"""``signoff bench`` as a table: each figure, its worst case beside its baseline, and each case."""

from __future__ import annotations

import sys
from typing import Any, TextIO


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and abs(value) < 10:
        return f"{value:.3f}"
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def print_table(figures: dict[str, dict[str, Any]], *, out: TextIO | None = None) -> None:
    """One row per figure (value, unit, baseline, ratio, target), then an indented row per case."""
    stream = out or sys.stdout
    header = f"{'figure':<8} {'value':>10} {'unit':<4} {'baseline':>10} {'ratio':>8}  {'target':<34} met"
    print(header, file=stream)
    for name, figure in figures.items():
        ratio = _number(figure.get("ratio"))
        row = (
            f"{name:<8} {_number(figure['value']):>10} {figure['unit']:<4} "
            f"{_number(figure.get('baseline')):>10} {ratio:>8}  {figure['target']!s:<34} "
            f"{'yes' if figure.get('met') else 'no'}"
        )
        print(row, file=stream)
        if figure.get("error"):
            print(f"  - not measured: {figure['error']}", file=stream)
        for case in figure.get("cases", []):
            if "skipped" in case:
                print(f"  - {case['name']}: skipped ({case['skipped']})", file=stream)
                continue
            print(
                f"  - {case['name']}: {_number(case['value'])} {figure['unit']} "
                f"(baseline {_number(case['baseline'])}, ratio {_number(case['ratio'])})",
                file=stream,
            )
