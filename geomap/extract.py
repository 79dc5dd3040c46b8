"""News articles -> events: places through the gazetteer, types, actors, dates, evidence.

Each sentence that reports an event of the taxonomy (drills, deployments,
shelling, strikes, clashes, closures, agreements, meetings, statements) and
names a place gives one event per (place, type, date); the sentence is kept as
evidence with its character offsets into the article. Places named only as
regions ("the Kurdistan Region", "the Iran–KRG border") get a region-sized
uncertainty. Relative dates are resolved against the publication date when it
is known and left empty otherwise. The same event told by several articles
becomes one row with every source.

The result is an event table (:data:`geomap.events.BASE_COLUMNS` plus
``stated_distance_m``, ``evidence``, ``evidence_start``, ``evidence_end`` and
``article``), not yet classified.

Examples
--------
>>> from gazetteer import Gazetteer
>>> text = ("Iraqi and Iranian units began joint drills on Monday at the Bashmakh crossing, "
...         "only 250 metres from the border.")
>>> events = extract_events(text, published="2017-10-03", article="report.txt",
...                         gazetteer=Gazetteer())
>>> events.loc[0, ["event_type", "site", "date"]].tolist()
['military_exercise', 'bashmaq', '2017-10-02']
>>> float(events.loc[0, "stated_distance_m"])
250.0
>>> events.loc[0, "actors"]
['Iraq', 'Iran']
>>> start, end = events.loc[0, ["evidence_start", "evidence_end"]]
>>> text[start:end] == events.loc[0, "evidence"]
True
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from geomap._article import Article, article_from_text, read_article
from geomap._article_events import Event, article_events, merge_events
from geomap._extract_dates import parse_published
from geomap.errors import InputError
from geomap.events import event_id
from geomap.progress import progress

if TYPE_CHECKING:
    import geopandas as gpd

    from gazetteer.sites import Match
    from geomap._normalise import GazetteerLike

__all__ = [
    "EXTRACT_COLUMNS",
    "Article",
    "extract_events",
    "extract_from_files",
    "flag_stated_distances",
    "read_article",
]

#: Several articles are long work: from this many on, a terminal shows a progress bar.
ARTICLES_FOR_A_BAR: Final = 20

logger = logging.getLogger(__name__)

#: Columns the extractor adds to the base columns.
EXTRACT_COLUMNS: Final[dict[str, str]] = {
    "stated_distance_m": "distance to the border the text states, in metres, or null",
    "evidence": "the sentence that reports the event (first article)",
    "evidence_start": "offset of that sentence in the article text",
    "evidence_end": "offset of the end of that sentence",
    "article": "file name or URL of the article(s), '; '-separated when merged",
}


def extract_events(
    text: str | Article,
    *,
    published: str | date | None = None,
    article: str | None = None,
    gazetteer: GazetteerLike | None = None,
) -> gpd.GeoDataFrame:
    """Extract the events an article reports.

    Parameters
    ----------
    text : str or Article
        The article's text (plain) or an :class:`Article` from :func:`read_article`.
    published : str or date, optional
        Publication date (``YYYY-MM-DD``), for relative dates ("on Monday",
        "yesterday"); without it they give no date.
    article : str, optional
        File name or URL, kept in ``article`` and ``sources``.
    gazetteer : object with ``resolve(name, context=...)``, optional
        Default: ``gazetteer.Gazetteer()``.

    Returns
    -------
    GeoDataFrame
        The event table in EPSG:4326, one row per (place, type, date).

    Examples
    --------
    >>> from gazetteer import Gazetteer
    >>> gaz = Gazetteer()
    >>> events = extract_events("Exports of dates rose in Erbil last year.", gazetteer=gaz)
    >>> len(events)
    0
    """
    if isinstance(text, Article):
        source = text
        if published is not None:
            source = Article(
                source.name, source.text, parse_published(published), source.url, source.title
            )
    else:
        source = article_from_text(text, name=article or "<text>", published=published)
    gaz = gazetteer if gazetteer is not None else _default_gazetteer()
    return _frame(article_events(source, gaz, {}))


def extract_from_files(
    paths: Iterable[str | Path],
    *,
    published: str | date | None = None,
    gazetteer: GazetteerLike | None = None,
    failures: list[str] | None = None,
    empty: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """Extract the events of several article files and merge those they share.

    A file that cannot be read adds ``"path: reason"`` to ``failures`` (or
    raises :class:`~geomap.errors.InputError` when ``failures`` is None); an
    article with no event adds its path to ``empty`` (or logs a warning).

    Examples
    --------
    >>> failures = []
    >>> from gazetteer import Gazetteer
    >>> gaz = Gazetteer()
    >>> events = extract_from_files(["no-such.txt"], failures=failures, gazetteer=gaz)
    >>> len(events), failures
    (0, ['no-such.txt: no such file'])
    """
    gaz = gazetteer if gazetteer is not None else _default_gazetteer()
    cache: dict[str, Match | None] = {}
    merged: dict[tuple[str, str, str | None], Event] = {}
    files = list(paths)
    for path in progress(files, desc="extracting", unit="articles", threshold=ARTICLES_FOR_A_BAR):
        try:
            source = read_article(path, published=published)
        except InputError as exc:
            if failures is None:
                raise
            failures.append(" ".join(str(exc).split()))
            continue
        events = article_events(source, gaz, cache)
        if not events:
            _say_empty(str(path), empty)
        merge_events(merged, events)
    return _frame(list(merged.values()))


def flag_stated_distances(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``distance_disagrees``: stated and computed distances differ beyond the uncertainty.

    Null where the text states no distance or the event is not classified.

    Examples
    --------
    >>> import geopandas as gpd
    >>> frame = gpd.GeoDataFrame({"stated_distance_m": [250.0, None], "distance_m": [4000.0, 10.0],
    ...                           "uncertainty_m": [6000.0, 0.0]}, geometry=[None, None])
    >>> flag_stated_distances(frame)["distance_disagrees"].tolist()
    [False, None]
    """
    out = events.copy()
    flags: list[bool | None] = []
    for stated, computed, uncertainty in zip(
        _column(out, "stated_distance_m"),
        _column(out, "distance_m"),
        _column(out, "uncertainty_m"),
        strict=True,
    ):
        if _missing(stated) or _missing(computed):
            flags.append(None)
        else:
            allowed = 0.0 if _missing(uncertainty) else float(uncertainty)
            flags.append(bool(abs(float(stated) - float(computed)) > allowed))
    out["distance_disagrees"] = flags
    out["distance_disagrees"] = out["distance_disagrees"].astype(object)
    return out


# ============================================================================ merging and the table


def _frame(events: list[Event]) -> gpd.GeoDataFrame:
    import geopandas as gpd
    from shapely.geometry import Point

    from geomap.events import ensure_columns

    rows = [_row(event) for event in events]
    geometry = [
        Point(e.location.lon, e.location.lat)
        if e.location.lon is not None and e.location.lat is not None
        else None
        for e in events
    ]
    columns = [
        "id",
        "date",
        "date_precision",
        "event_type",
        "actors",
        "place",
        "site",
        "location_source",
        "uncertainty_m",
        "description",
        "sources",
        "problem",
        *EXTRACT_COLUMNS,
    ]
    frame = gpd.GeoDataFrame(rows, columns=columns, geometry=gpd.GeoSeries(geometry, crs=4326))
    frame["stated_distance_m"] = frame["stated_distance_m"].astype(float)
    frame["uncertainty_m"] = frame["uncertainty_m"].astype(float)
    return ensure_columns(frame)


def _row(event: Event) -> dict[str, Any]:
    first = event.evidence[0]
    location = event.location
    located = location.lon is not None and location.lat is not None
    articles = list(dict.fromkeys(str(e["article"]) for e in event.evidence))
    day = event.day
    return {
        "id": event_id(
            articles[0], location.site or location.place, day[0] if day else None, event.event_type
        ),
        "date": day[0] if day else None,
        "date_precision": day[1] if day else None,
        "event_type": event.event_type,
        "actors": list(event.actors),
        "place": location.place,
        "site": location.site,
        "location_source": location.source if located else None,
        "uncertainty_m": location.uncertainty_m,
        "description": first["quote"],
        "sources": [dict(e) for e in event.evidence],
        "problem": None if located else f"site {location.site!r} has no coordinate",
        "stated_distance_m": event.stated_m,
        "evidence": first["quote"],
        "evidence_start": int(first["start"]),
        "evidence_end": int(first["end"]),
        "article": "; ".join(articles),
    }


def _say_empty(name: str, empty: list[str] | None) -> None:
    if empty is not None:
        empty.append(name)
    else:
        logger.warning("%s: no events found", name)


def _default_gazetteer() -> GazetteerLike | None:
    from geomap._normalise import _default_gazetteer as default

    gazetteer, why = default()
    if gazetteer is None:
        logger.warning("places cannot be looked up: %s", why)
    return gazetteer


def _column(frame: gpd.GeoDataFrame, name: str) -> list[Any]:
    return list(frame[name]) if name in frame.columns else [None] * len(frame)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
