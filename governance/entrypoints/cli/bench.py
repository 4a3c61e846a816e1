"""``signoff bench``: measure the product's figures against their targets."""

from __future__ import annotations

import typer

from governance.entrypoints.cli.common import fail, print_json


def register(app: typer.Typer) -> None:
    app.command("bench")(bench)


def bench(
    figures: list[str] | None = typer.Argument(
        None, help="Figures to measure, e.g. P5; default: all but the slow ones (S1 starts signoff serve)."
    ),
    as_json: bool = typer.Option(False, "--json", help="An object keyed by figure name."),
) -> None:
    """Measure each figure beside its baseline and print the ratio and the target."""
    from governance.benchmarks.figures import BENCHMARKS, print_table, run_benchmarks

    unknown = [name for name in figures or [] if name not in BENCHMARKS]
    if unknown:
        fail(f"no figure {', '.join(unknown)}; known figures: {', '.join(BENCHMARKS)}")
    measured = run_benchmarks(figures or None)
    if as_json:
        print_json(measured)
    else:
        print_table(measured)
