"""``geomap extract``: news articles -> classified events (GeoJSON, CSV or GPKG)."""

from __future__ import annotations

import click

__all__ = ["extract"]


@click.command()
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file (.geojson, .csv, .gpkg) or - for GeoJSON on stdout.",
)
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date of the articles (for 'on Monday', 'yesterday', ...).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write through an output symlink that points outside its directory.",
)
@click.pass_context
def extract(
    ctx: click.Context,
    articles: tuple[str, ...],
    output: str,
    published: str | None,
    force: bool,
) -> None:
    """Extract events from news articles (.txt, .md, .html) and classify them.

    An article that cannot be read gives a one-line error and the others still
    go through (exit status 1 at the end); one that yields no event says so.
    """
    from geomap._extract_dates import parse_published
    from geomap.classification import classify
    from geomap.extract import extract_from_files, flag_stated_distances
    from geomap.writers import write

    if published is not None and parse_published(published) is None:
        raise click.BadParameter(f"not a YYYY-MM-DD date: {published}", param_hint="--published")
    failures: list[str] = []
    empty: list[str] = []
    events = extract_from_files(list(articles), published=published, failures=failures, empty=empty)
    quiet = bool(ctx.meta.get("geomap.quiet"))
    for failure in failures:
        click.echo(f"geomap: error: {failure}", err=True)
    for name in empty:
        if not quiet:
            click.echo(f"geomap: {name}: no events found", err=True)
    if failures and len(events) == 0:
        ctx.exit(1)  # nothing was read: leave any existing output alone
    classified = flag_stated_distances(classify(events))
    write(classified, output, force=force)
    if output != "-" and not quiet:
        click.echo(f"geomap: {len(classified)} events written to {output}", err=True)
    if failures:
        ctx.exit(1)
