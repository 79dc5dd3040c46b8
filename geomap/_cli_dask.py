"""``geomap classify --engine dask``: the command line side of :mod:`geomap.distributed`."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import click

__all__ = ["classify_with_dask"]


def classify_with_dask(
    ctx: click.Context,
    inputs: Sequence[str],
    output: str,
    *,
    rejects: str | None,
    fmt: str | None,
    bands: tuple[float, ...] | None,
    frontier_path: Path | None,
    region_path: Path | None,
    scheduler: str,
    npartitions: int | None,
) -> None:
    """Classify one large input into a directory of GeoParquet parts."""
    from geomap.distributed import classify_parquet
    from geomap.errors import RowsRejectedWarning
    from geomap.frontier import load_frontier

    if len(inputs) != 1:
        raise click.UsageError("--engine dask takes exactly one INPUT (a file, directory or glob)")
    if output == "-":
        raise click.UsageError("--engine dask writes a directory: give one with -o")
    if rejects:
        msg = "--rejects is for --engine memory; with dask see the 'problem' column"
        raise click.UsageError(msg)
    frontier = load_frontier(frontier_path, region=region_path)
    with warnings.catch_warnings():  # counted below instead, once
        warnings.simplefilter("ignore", RowsRejectedWarning)
        summary = classify_parquet(
            inputs[0], output, frontier=frontier, bands=bands, format=fmt,
            npartitions=npartitions, scheduler=scheduler,
        )  # fmt: skip
    quiet = ctx.meta.get("geomap.quiet")
    if summary.unlocated and not quiet:
        click.echo(
            f"geomap: {summary.unlocated} of {summary.rows} rows could not be located "
            "(see the 'problem' column)",
            err=True,
        )
    if not quiet:
        click.echo(
            f"geomap: {summary.rows} events written to {summary.output}/ "
            f"in {summary.partitions} GeoParquet parts",
            err=True,
        )
