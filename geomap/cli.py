"""The ``geomap`` command line: thin click commands over the library.

Exit status: 0 on success, 1 on bad input or failure (one line on stderr, no
traceback unless ``--debug``), 2 on usage errors.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geomap import __version__
from geomap.settings import DEFAULT_MAP_PATH, parse_bands

if TYPE_CHECKING:
    import geopandas as gpd

    from geomap.frontier import Frontier

__all__ = ["main"]

logger = logging.getLogger(__name__)

# Errors that become a one-line message; anything else is a bug and keeps its traceback.
_USER_ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, LookupError, ImportError)


class _Group(click.Group):
    """A click group that turns expected errors into one line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except _USER_ERRORS as exc:
            if ctx.meta.get("geomap.debug"):
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            click.echo(f"geomap: error: {message}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="geomap")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for more).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def main(ctx: click.Context, debug: bool, verbose: int, quiet: bool) -> None:
    """Map and classify border activity on the Iran–KRG and Turkey–KRG frontier.

    Reads event tables (CSV, GeoJSON, ACLED, GDELT, UCDP) or news articles,
    measures each event's geodesic distance to the frontier and draws maps.
    """
    ctx.meta["geomap.debug"] = debug
    ctx.meta["geomap.quiet"] = quiet
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="geomap: %(levelname)s: %(message)s")
    logging.captureWarnings(True)


# ----------------------------------------------------------------------------- shared options


def _bands_option(value: str | None) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        return parse_bands(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _bands_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    return _bands_option(value)


bands_option = click.option(
    "--bands",
    callback=_bands_callback,
    metavar="KM,KM,...",
    help="Distance band edges in km (default 1,5,15,30,60).",
)
frontier_option = click.option(
    "--frontier",
    "frontier_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Frontier file (GeoJSON/GPKG with the packaged layers) instead of the packaged one.",
)
region_option = click.option(
    "--region",
    "region_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own Kurdistan Region polygon (GeoJSON/GPKG) instead of the packaged approximation.",
)
inputs_argument = click.argument("inputs", nargs=-1, metavar="[INPUT]...")


def _frontier(frontier_path: Path | None, region_path: Path | None) -> Frontier:
    from geomap.frontier import load_frontier

    return load_frontier(frontier_path, region=region_path)


def _say(ctx: click.Context, message: str) -> None:
    if not ctx.meta.get("geomap.quiet"):
        click.echo(message, err=True)


def _read_inputs(
    ctx: click.Context,
    inputs: Sequence[str],
    *,
    published: str | None = None,
    fmt: str | None = None,
) -> gpd.GeoDataFrame:
    """Read every input (tables and articles); the bundled demo when there is none."""
    from geomap.errors import RowsRejectedWarning
    from geomap.readers import read_inputs

    with warnings.catch_warnings():
        # The commands count unlocated rows themselves (see _report_problems).
        warnings.simplefilter("ignore", RowsRejectedWarning)
        events, failures = read_inputs(list(inputs), format=fmt, published=published)
    for failure in failures:
        click.echo(f"geomap: error: {failure}", err=True)
    if failures:
        ctx.meta["geomap.failed"] = True
    return events


def _report_problems(ctx: click.Context, events: gpd.GeoDataFrame) -> None:
    if "problem" not in events.columns:
        return
    count = int(events["problem"].notna().sum())
    if count:
        _say(ctx, f"geomap: {count} of {len(events)} rows could not be located (see the 'problem' column)")


def _finish(ctx: click.Context) -> None:
    if ctx.meta.get("geomap.failed"):
        ctx.exit(1)


# ----------------------------------------------------------------------------- commands


@main.command()
@inputs_argument
@click.option("-o", "--output", default="-", show_default=True, help="Output file (.geojson, .csv, .gpkg, .parquet) or - for GeoJSON on stdout.")
@click.option("--rejects", type=click.Path(dir_okay=False), help="Write rows that could not be located here instead of into the output.")
@click.option("--format", "fmt", help="Input format when detection is not enough (csv, geojson, acled, gdelt, ucdp).")
@bands_option
@frontier_option
@region_option
@click.pass_context
def classify(
    ctx: click.Context,
    inputs: tuple[str, ...],
    output: str,
    rejects: str | None,
    fmt: str | None,
    bands: tuple[float, ...] | None,
    frontier_path: Path | None,
    region_path: Path | None,
) -> None:
    """Classify events by geodesic distance to the frontier.

    INPUT is an event table (CSV, GeoJSON, ACLED, GDELT, UCDP), a news article
    (.txt, .html) or - for stdin; with no INPUT, the bundled demo events.
    """
    from geomap.classification import classify as classify_events
    from geomap.readers import split_rejects
    from geomap.writers import write

    events = _read_inputs(ctx, inputs, fmt=fmt)
    frontier = _frontier(frontier_path, region_path)
    classified = classify_events(events, frontier, bands=bands)
    if rejects:
        classified, rejected = split_rejects(classified)
        write(rejected, rejects)
        _say(ctx, f"geomap: {len(rejected)} rejected rows written to {rejects}")
    else:
        _report_problems(ctx, classified)
    write(classified, output)
    if output != "-":
        _say(ctx, f"geomap: {len(classified)} events written to {output}")
    _finish(ctx)


@main.command()
@click.option("-o", "--output", default="-", show_default=True, help="Output file (.geojson or .gpkg) or - for GeoJSON on stdout.")
@bands_option
@frontier_option
@region_option
@click.pass_context
def frontier(
    ctx: click.Context,
    output: str,
    bands: tuple[float, ...] | None,
    frontier_path: Path | None,
    region_path: Path | None,
) -> None:
    """Write the frontier: segments, distance bands, region and crossings."""
    from geomap.frontier import band_polygons
    from geomap.writers import write_layers

    model = _frontier(frontier_path, region_path)
    layers = {
        "frontier": model.segments,
        "bands": band_polygons(model, bands),
        "region": model.region,
        "crossings": model.crossings,
        "countries": model.countries,
    }
    write_layers(output, layers)
    if output != "-":
        _say(ctx, f"geomap: frontier layers written to {output}")


@main.command(name="map")
@inputs_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_MAP_PATH, show_default=True, help="HTML file to write.")
@click.option("--offline", is_flag=True, help="One self-contained file: no request leaves the page.")
@click.option("--tiles", is_flag=True, help="With --offline, still add online base tiles.")
@click.option(
    "--tile-provider",
    metavar="NAME",
    help="An xyzservices tile provider to show first (e.g. Esri.WorldTopoMap); implies --tiles.",
)
@click.option(
    "--cluster-threshold",
    type=click.IntRange(min=0),
    metavar="N",
    help="Cluster events above N located events (default 500).",
)
@click.option("--heat/--no-heat", default=True, show_default=True, help="Add the heat layer.")
@click.option(
    "--time-control/--no-time-control", default=True, show_default=True, help="Add the time filter."
)
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date of the articles (for relative dates).")
@click.option("--title", help="Title of the page.")
@bands_option
@frontier_option
@region_option
@click.pass_context
def map_command(
    ctx: click.Context,
    inputs: tuple[str, ...],
    output: Path,
    offline: bool,
    tiles: bool,
    tile_provider: str | None,
    cluster_threshold: int | None,
    heat: bool,
    time_control: bool,
    published: str | None,
    title: str | None,
    bands: tuple[float, ...] | None,
    frontier_path: Path | None,
    region_path: Path | None,
) -> None:
    """Draw events on a layered HTML map of the frontier.

    INPUT is an event table or a news article (.txt, .html); tables and
    articles may be mixed. With no INPUT, the bundled demo events.
    """
    from geomap.classification import classify as classify_events
    from geomap.render import render_map, save_map

    events = _read_inputs(ctx, inputs, published=published)
    model = _frontier(frontier_path, region_path)
    classified = classify_events(events, model, bands=bands)
    _report_problems(ctx, classified)
    options: dict[str, Any] = {
        "offline": offline,
        "tiles": tiles or not offline or tile_provider is not None,
        "bands": bands,
        "tile_provider": tile_provider,
        "cluster_threshold": cluster_threshold,
        "heat": heat,
        "time_control": time_control,
    }
    if title:
        options["title"] = title
    page = render_map(classified, model, **options)
    save_map(page, output)
    _say(ctx, f"geomap: map of {len(classified)} events written to {output}")
    _finish(ctx)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
