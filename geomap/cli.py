"""The ``geomap`` command line: thin click commands over the library.

Exit status: 0 on success, 1 on bad input or failure (one line on stderr, no
traceback unless ``--debug``), 2 on usage errors, 143 when stopped by SIGTERM
(after removing any temporary output file).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

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


#: Exit status after SIGTERM, as a shell reports a process killed by it.
TERMINATED = 128 + signal.SIGTERM


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds the stack like Ctrl-C, so half-written temporary files are removed."""
    click.echo("geomap: terminated", err=True)
    raise SystemExit(TERMINATED)


def _on_sigterm_unwind(ctx: click.Context) -> None:
    """Handle SIGTERM for the life of the command (only the main thread can)."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Print the version; read only here, so that other commands never pay for it."""
    if not value or ctx.resilient_parsing:
        return
    from geomap import _version

    click.echo(f"geomap, version {_version()}")
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version, help="Show the version and exit.")  # fmt: skip
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
    _on_sigterm_unwind(ctx)
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
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
force_option = click.option(
    "--force",
    is_flag=True,
    help="Write through an output symlink that points outside its directory.",
)


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
    if failures and len(events) == 0:
        ctx.exit(1)  # nothing was read: leave any existing output alone
    if failures:
        ctx.meta["geomap.failed"] = True
    return events


def _report_problems(ctx: click.Context, events: gpd.GeoDataFrame) -> None:
    if "problem" not in events.columns:
        return
    count = int(events["problem"].notna().sum())
    if count:
        where = "see the 'problem' column"
        _say(ctx, f"geomap: {count} of {len(events)} rows could not be located ({where})")


def _finish(ctx: click.Context) -> None:
    if ctx.meta.get("geomap.failed"):
        ctx.exit(1)


# ----------------------------------------------------------------------------- commands


@main.command()
@inputs_argument
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file (.geojson, .csv, .gpkg, .parquet) or - for GeoJSON on stdout.",
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False),
    help="Write rows that could not be located here instead of into the output.",
)
@click.option(
    "--format",
    "fmt",
    help="Input format when detection is not enough (csv, geojson, acled, gdelt, ucdp).",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    metavar="N",
    help="Stream one CSV input N rows at a time in constant memory (automatic above 256 MB).",
)
@bands_option
@frontier_option
@region_option
# --- dask engine (geomap/_cli_dask.py)
@click.option(
    "--engine",
    type=click.Choice(["memory", "dask"]),
    default="memory",
    show_default=True,
    help="dask: one large Parquet/CSV input, partition by partition, to a GeoParquet directory.",
)
@click.option(
    "--scheduler",
    default="threads",
    show_default=True,
    metavar="NAME|ADDRESS",
    help="With --engine dask: threads, processes, synchronous or tcp://HOST:PORT.",
)
@click.option(
    "--partitions",
    "npartitions",
    type=click.IntRange(min=1),
    help="With --engine dask: repartition the input into this many parts.",
)
# ---
@force_option
@click.pass_context
def classify(
    ctx: click.Context,
    inputs: tuple[str, ...],
    output: str,
    rejects: str | None,
    fmt: str | None,
    chunk_rows: int | None,
    bands: tuple[float, ...] | None,
    frontier_path: Path | None,
    region_path: Path | None,
    engine: str,
    scheduler: str,
    npartitions: int | None,
    force: bool,
) -> None:
    """Classify events by geodesic distance to the frontier.

    INPUT is an event table (CSV, GeoJSON, ACLED, GDELT, UCDP), a news article
    (.txt, .html) or - for stdin; with no INPUT, the bundled demo events. A
    large CSV table is streamed in chunks when the output is CSV, GeoJSON or GPKG.
    With --engine dask, INPUT is one (Geo)Parquet file or directory, or CSV
    files, read in partitions, and -o names the GeoParquet directory to write.
    """
    if engine == "dask":
        from geomap._cli_dask import classify_with_dask

        classify_with_dask(ctx, inputs, output, rejects=rejects, fmt=fmt, bands=bands,
                           frontier_path=frontier_path, region_path=region_path,
                           scheduler=scheduler, npartitions=npartitions)  # fmt: skip
        return
    from geomap.classification import classify as classify_events
    from geomap.readers import split_rejects
    from geomap.writers import write

    frontier = _frontier(frontier_path, region_path)
    if _streamable(inputs, fmt, output, rejects, chunk_rows):
        _classify_stream(ctx, inputs[0], output, frontier, bands, chunk_rows, force)
        return
    events = _read_inputs(ctx, inputs, fmt=fmt)
    classified = _flag_stated(classify_events(events, frontier, bands=bands))
    if rejects:
        classified, rejected = split_rejects(classified)
        write(rejected, rejects, force=force)
        _say(ctx, f"geomap: {len(rejected)} rejected rows written to {rejects}")
    else:
        _report_problems(ctx, classified)
    write(classified, output, force=force)
    if output != "-":
        _say(ctx, f"geomap: {len(classified)} events written to {output}")
    _finish(ctx)


def _flag_stated(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Events from articles that state a distance get ``distance_disagrees``."""
    if "stated_distance_m" not in events.columns:
        return events
    from geomap.extract import flag_stated_distances

    return flag_stated_distances(events)


#: CSV inputs larger than this are classified in chunks (when the output allows it).
STREAM_BYTES = 256 * 1024 * 1024


def _streamable(
    inputs: Sequence[str], fmt: str | None, output: str, rejects: str | None, chunk_rows: int | None
) -> bool:
    from geomap.readers import can_stream

    if len(inputs) != 1 or fmt not in (None, "csv") or rejects or not can_stream(inputs[0]):
        return False
    if Path(output).suffix.lower() in (".parquet", ".geoparquet"):
        return False
    return chunk_rows is not None or Path(inputs[0]).stat().st_size > STREAM_BYTES


def _classify_stream(
    ctx: click.Context,
    path: str,
    output: str,
    frontier: Frontier,
    bands: tuple[float, ...] | None,
    chunk_rows: int | None,
    force: bool,
) -> None:
    """Read, classify and write one CSV table chunk by chunk."""
    from geomap.classification import classify as classify_events
    from geomap.errors import RowsRejectedWarning
    from geomap.progress import progress
    from geomap.readers import read_events_chunks
    from geomap.writers import write_chunks

    unlocated = [0]

    def classified() -> Iterator[gpd.GeoDataFrame]:
        chunks = read_events_chunks(path, chunk_rows=chunk_rows or 100_000)
        for chunk in progress(chunks, desc="classifying", unit="chunks"):
            unlocated[0] += int(chunk["problem"].notna().sum())
            yield classify_events(chunk, frontier, bands=bands)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RowsRejectedWarning)  # counted here instead
        rows = write_chunks(classified(), output, force=force)
    if unlocated[0]:
        what = "rows could not be located (see the 'problem' column)"
        _say(ctx, f"geomap: {unlocated[0]} of {rows} {what}")
    if output != "-":
        _say(ctx, f"geomap: {rows} events written to {output}")


@main.command()
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file (.geojson or .gpkg) or - for GeoJSON on stdout.",
)
@bands_option
@frontier_option
@region_option
@force_option
@click.pass_context
def frontier(
    ctx: click.Context,
    output: str,
    bands: tuple[float, ...] | None,
    frontier_path: Path | None,
    region_path: Path | None,
    force: bool,
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
    write_layers(output, layers, force=force)
    if output != "-":
        _say(ctx, f"geomap: frontier layers written to {output}")


@main.command(name="map")
@inputs_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_MAP_PATH,
    show_default=True,
    help="HTML file to write.",
)
@click.option(
    "--offline", is_flag=True, help="One self-contained file: no request leaves the page."
)
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
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date of the articles (for relative dates).",
)
@click.option("--title", help="Title of the page.")
@bands_option
@frontier_option
@region_option
@force_option
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
    force: bool,
) -> None:
    """Draw events on a layered HTML map of the frontier.

    INPUT is an event table or a news article (.txt, .html); tables and
    articles may be mixed. With no INPUT, the bundled demo events.
    """
    from geomap.classification import classify as classify_events
    from geomap.render import render_map, save_map

    events = _read_inputs(ctx, inputs, published=published)
    model = _frontier(frontier_path, region_path)
    classified = _flag_stated(classify_events(events, model, bands=bands))
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
    save_map(page, output, force=force)
    _say(ctx, f"geomap: map of {len(classified)} events written to {output}")
    _finish(ctx)


from geomap._cli_geocode import geocode  # noqa: E402

main.add_command(geocode)

from geomap._cli_extract import extract  # noqa: E402

main.add_command(extract)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
