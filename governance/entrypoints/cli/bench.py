"""``signoff bench``: measure the product's figures beside their baselines."""

from __future__ import annotations

import typer

from governance.entrypoints.cli.common import fail, print_json


def register(app: typer.Typer) -> None:
    app.command("bench")(bench)


def bench(
    figures: list[str] | None = typer.Argument(
        None, help="Figures to measure, e.g. P5; default P1..P6 (D1 and S1 run only when named)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="An object keyed by figure: value, unit, baseline, ratio, target, cases."
    ),
) -> None:
    """Measure each figure beside its baseline and print the ratio and the target.

    PostgreSQL variants run when SIGNOFF_BENCH_POSTGRES_URL names a server; otherwise they are
    listed as skipped.
    """
    from governance.benchmarks.catalogue import FIGURES, run
    from governance.benchmarks.table import print_table

    unknown = [name for name in figures or [] if name not in FIGURES]
    if unknown:
        fail(f"no figure {', '.join(unknown)}; known figures: {', '.join(FIGURES)}")
    measured = run(figures or None)
    if as_json:
        print_json(measured)
    else:
        print_table(measured)
