"""``geomap geocode``: resolve place names through the gazetteer and print the answers.

Examples
--------
>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(geocode, ["--json", "Koysinjaq"])
>>> import json; answer = json.loads(result.output)
>>> (answer["key"], answer["layer"], answer["uncertainty_m"], result.exit_code)
('koya', 'curated', 4000.0, 0)
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from gazetteer import Match

__all__ = ["geocode", "match_record"]

_COLUMNS = ("query", "place", "lat", "lon", "uncertainty", "layer", "score", "ambiguous")


def _printable(text: str) -> str:
    """News text as data: control and format characters shown as escapes, never obeyed."""
    return "".join(
        c if unicodedata.category(c)[0] != "C" else f"\\u{ord(c):04x}" for c in str(text)
    )


def match_record(query: str, match: Match | None) -> dict[str, Any]:
    """The JSON record of one answer (``"key": null`` when unresolved).

    Examples
    --------
    >>> match_record("Atlantis", None)["key"] is None
    True
    """
    if match is None:
        return {"query": query, "key": None, "name": None, "lat": None, "lon": None,
                "kind": None, "country": None, "layer": None, "score": None,
                "uncertainty_m": None, "ambiguous": None, "alternatives": []}  # fmt: skip
    site = match.site
    located = site.is_located and math.isfinite(match.uncertainty_m)
    return {
        "query": query,
        "key": site.key,
        "name": site.name,
        "lat": site.lat,
        "lon": site.lon,
        "kind": site.kind,
        "country": site.country,
        "layer": match.layer,
        "score": match.score,
        "uncertainty_m": match.uncertainty_m if located else None,
        "ambiguous": match.ambiguous,
        "alternatives": [alt.key for alt in match.alternatives],
    }


def _row(record: dict[str, Any]) -> tuple[str, ...]:
    lat, lon, unc = record["lat"], record["lon"], record["uncertainty_m"]
    ambiguous = "yes: " + ", ".join(record["alternatives"]) if record["ambiguous"] else "no"
    return (
        _printable(record["query"]),
        f"{_printable(record['name'])} [{record['key']}]",
        "-" if lat is None else f"{lat:.5f}",
        "-" if lon is None else f"{lon:.5f}",
        "unlocated" if unc is None else f"{unc / 1000:g} km",
        str(record["layer"]),
        f"{record['score']:.2f}",
        ambiguous,
    )


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in (_COLUMNS, *rows)) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in (_COLUMNS, *rows)]  # fmt: skip
    return "\n".join(lines)


@click.command("geocode")
@click.argument("names", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per NAME per line.")
@click.option("--explain", is_flag=True, help="Show candidates, scores and why the answer won.")
@click.option("--context", metavar="TEXT", help="Text around the names (context words count).")
@click.option(
    "--sites",
    "sites",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own sites CSV, merged over the packaged one (repeatable).",
)
@click.option("--online", is_flag=True, help="Ask Nominatim for names no offline layer knows.")
@click.option("--user-agent", metavar="UA", help="User agent for --online (name and contact).")
@click.pass_context
def geocode(
    ctx: click.Context,
    names: tuple[str, ...],
    as_json: bool,
    explain: bool,
    context: str | None,
    sites: tuple[Path, ...],
    online: bool,
    user_agent: str | None,
) -> None:
    """Resolve place NAMEs offline: place, coordinates, uncertainty, source layer, score.

    Unknown names are reported on stderr and make the exit status 1; the
    other names are still answered.
    """
    from gazetteer import Gazetteer, GazetteerError

    try:
        gaz = Gazetteer.from_files(*sites, online=online, user_agent=user_agent)
        answers = [(name, gaz.resolve(name, context=context)) for name in names]
    except GazetteerError as exc:
        click.echo(f"geomap: error: {' '.join(str(exc).split())}", err=True)
        ctx.exit(1)
    records = [match_record(name, match) for name, match in answers]
    if as_json:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    elif explain:
        click.echo("\n\n".join(gaz.explain(n, context=context) for n in names))
    else:
        found = [_row(r) for r in records if r["key"] is not None]
        if found:
            click.echo(_table(found))
    unknown = [r["query"] for r in records if r["key"] is None]
    for query in unknown:
        click.echo(f"geomap: {_printable(query)!r}: not found", err=True)
    if unknown:
        ctx.exit(1)
