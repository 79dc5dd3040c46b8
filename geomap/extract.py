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
>>> text = ("Iraqi and Iranian units began joint drills on Monday at the Bashmakh crossing, "
...         "only 250 metres from the border.")
>>> events = extract_events(text, published="2017-10-03", article="report.txt",
...                         gazetteer=_ExampleGazetteer())
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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from geomap import _extract_rules as rules
from geomap._article import Article, article_from_text, read_article
from geomap._extract_dates import date_near, find_dates, parse_published
from geomap._locate import Location, locate_mention, region_location, region_mentions
from geomap._places import place_mentions, split_sentences, strip_dateline
from geomap.errors import InputError
from geomap.events import event_id

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

logger = logging.getLogger(__name__)

#: Columns the extractor adds to the base columns.
EXTRACT_COLUMNS: Final[dict[str, str]] = {
    "stated_distance_m": "distance to the border the text states, in metres, or null",
    "evidence": "the sentence that reports the event (first article)",
    "evidence_start": "offset of that sentence in the article text",
    "evidence_end": "offset of the end of that sentence",
    "article": "file name or URL of the article(s), '; '-separated when merged",
}
# Sentences longer than this are read only in part (a run-on without full stops).
_MAX_SENTENCE: Final = 1_500
_DISTANCE: Final = re.compile(
    r"\b(?P<value>\d{1,3}(?:[,.]\d{3})*(?:\.\d+)?|a|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|fifteen|twenty|thirty|fifty|hundred)\s?(?:-\s?)?(?P<unit>metres|meters|m|kilometres|"
    r"kilometers|km|kms|miles?)\b(?:\s+(?:away|inside|deep|north|south|east|west|off)){0,2}\s+"
    r"(?:from|of|inside|off|into|beyond)\s+(?:the\s+)?(?:[\w'’–-]+\s+){0,2}?(?:border|frontier|"
    r"boundary)\b",
    re.IGNORECASE,
)
_WORD_NUMBERS: Final = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "hundred": 100,
}
_UNIT_M: Final = {
    "m": 1.0,
    "metres": 1.0,
    "meters": 1.0,
    "km": 1000.0,
    "kms": 1000.0,
    "kilometres": 1000.0,
    "kilometers": 1000.0,
    "mile": 1609.344,
    "miles": 1609.344,
}
_UNIT_WORDS: Final = frozenset(_UNIT_M)
_CLAUSE_END: Final = re.compile(r"[;:]|,\s|\s[–—]\s")


@dataclass
class _Event:
    """An event being built: one per (place, type, date) in an article."""

    location: Location
    event_type: str
    day: tuple[str, str] | None
    actors: list[str]
    stated_m: float | None
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str | None]:
        place = self.location.site or self.location.place.lower()
        return place, self.event_type, self.day[0] if self.day else None


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
    >>> gaz = _ExampleGazetteer()
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
    return _frame(_article_events(source, gaz, {}))


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
    >>> gaz = _ExampleGazetteer()
    >>> events = extract_from_files(["no-such.txt"], failures=failures, gazetteer=gaz)
    >>> len(events), failures
    (0, ['no-such.txt: no such file'])
    """
    gaz = gazetteer if gazetteer is not None else _default_gazetteer()
    cache: dict[str, Match | None] = {}
    merged: dict[tuple[str, str, str | None], _Event] = {}
    for path in paths:
        try:
            source = read_article(path, published=published)
        except InputError as exc:
            if failures is None:
                raise
            failures.append(" ".join(str(exc).split()))
            continue
        events = _article_events(source, gaz, cache)
        if not events:
            _say_empty(str(path), empty)
        _merge(merged, events)
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


# ============================================================================ one article


@dataclass
class _Context:
    """What an article's previous sentences said, for sentences that continue them."""

    paragraph: int = -1
    actors: list[str] = field(default_factory=list)
    day: tuple[str, str] | None = None
    places: dict[str, list[Location]] = field(default_factory=dict)
    age: int = 99


#: Types whose place is where people met or signed: a region does not locate them.
_NEEDS_SITE: Final = frozenset({"meeting", "agreement", "statement"})
_LIST_GAP: Final = re.compile(
    r"[\s,]*(?:and|or|as\s+well\s+as)?[\s,]*(?:the\s+)?(?:villages?\s+of\s+)?"
)


def _article_events(
    source: Article, gazetteer: GazetteerLike | None, cache: dict[str, Match | None]
) -> list[_Event]:
    events: dict[tuple[str, str, str | None], _Event] = {}
    context = _Context()
    for start, end in split_sentences(source.text):
        paragraph = source.text.count("\n", 0, start)
        if paragraph != context.paragraph:
            context.paragraph, context.actors, context.day = paragraph, [], None
        found = _sentence_events(
            source, start, min(end, start + _MAX_SENTENCE), gazetteer, cache, context
        )
        _merge(events, found)
    return list(events.values())


def _sentence_events(
    source: Article,
    start: int,
    end: int,
    gazetteer: GazetteerLike | None,
    cache: dict[str, Match | None],
    context: _Context,
) -> list[_Event]:
    sentence = source.text[start:end]
    context.age += 1
    words = set(rules.words_of(sentence))
    types = rules.event_types(sentence, words)
    if not types or rules.is_background(sentence, words):
        return []
    body = sentence[strip_dateline(sentence) :]
    actor_spans = rules.actor_spans(body)
    actors = list(dict.fromkeys(actor for _, _, actor in actor_spans)) or list(context.actors)
    located = _locations(body, actor_spans, actors, gazetteer, cache, words)
    regions = [(a, b) for a, b, location in located if location.is_region]
    named = [
        actor for a, b, actor in actor_spans if not any(ra <= a and b <= rb for ra, rb in regions)
    ]
    actors = list(dict.fromkeys(named)) or list(context.actors)
    dates = find_dates(body, source.published, words)
    stated = _stated_distance(body) if not _UNIT_WORDS.isdisjoint(words) else None
    evidence = {
        "outlet": source.name,
        "url": source.url,
        "quote": sentence,
        "article": source.url or source.name,
        "start": start,
        "end": end,
    }
    events = []
    places: dict[str, list[Location]] = {}
    hedges = rules.hedge_positions(body, words)
    for etype in types:
        cue = _reported_cue(body, etype, hedges)
        if cue is None:
            continue
        candidates = [item for item in located if not (etype in _NEEDS_SITE and item[2].is_region)]
        chosen = _nearest(body, candidates, cue)
        if not chosen and context.age <= 2 and etype not in _NEEDS_SITE:
            chosen = context.places.get(etype, [])
        if not chosen:
            continue
        places[etype] = chosen
        day = date_near(dates, cue) or (context.day if not dates else None)
        for location in chosen:
            events.append(_Event(location, etype, day, list(actors), stated, [dict(evidence)]))
    if events:
        context.places, context.age = places, 0
        context.day = events[0].day
    if actors:
        context.actors = actors
    return events


def _nearest(body: str, located: list[tuple[int, int, Location]], cue: int) -> list[Location]:
    """The location nearest the cue, with the sites listed beside it ("A, B and C")."""
    if not located:
        return []
    ordered = sorted(located, key=lambda item: item[0])
    best = min(range(len(ordered)), key=lambda i: _distance(ordered[i], cue))
    if ordered[best][2].is_region:  # "on the border near Piranshahr": the site says where
        after = [
            i
            for i in range(best + 1, len(ordered))
            if not ordered[i][2].is_region and ordered[i][0] - ordered[best][1] <= 30
        ]
        best = after[0] if after else best
    first = last = best
    while first > 0 and _listed(body, ordered[first - 1], ordered[first]):
        first -= 1
    while last + 1 < len(ordered) and _listed(body, ordered[last], ordered[last + 1]):
        last += 1
    chosen: dict[str, Location] = {}
    for _, _, location in ordered[first : last + 1]:
        chosen.setdefault(location.site or location.place, location)
    return list(chosen.values())


def _distance(item: tuple[int, int, Location], cue: int) -> float:
    """Characters between a cue and a place; places after the cue count closer (English order)."""
    start, end, _ = item
    if start >= cue:
        return float(start - cue)
    return 1.5 * max(0, cue - end)


def _listed(body: str, left: tuple[int, int, Location], right: tuple[int, int, Location]) -> bool:
    gap = body[left[1] : right[0]]
    return len(gap) <= 30 and _LIST_GAP.fullmatch(gap) is not None and not left[2].is_region


def _reported_cue(body: str, etype: str, hedges: list[int]) -> int | None:
    """The first cue of ``etype`` that is reported rather than proposed, denied or wished.

    ``hedges`` are the positions of hedging words in the sentence; a cue is hedged when
    one comes before the end of its clause.
    """
    for position in rules.cue_positions(body, etype):
        if not hedges:
            return position
        clause_end = _CLAUSE_END.search(body, position)
        stop = clause_end.start() if clause_end else len(body)
        if hedges[0] >= stop:
            return position
    return None


def _locations(
    body: str,
    actor_spans: list[tuple[int, int, str]],
    actors: list[str],
    gazetteer: GazetteerLike | None,
    cache: dict[str, Match | None],
    words: set[str] | None = None,
) -> list[tuple[int, int, Location]]:
    """Every site and region the sentence names, with its span."""
    taken = [(a, b) for a, b, _ in actor_spans]
    region_spans = [
        r
        for r in region_mentions(body, actors, words)
        if not any(a <= r.start and r.end <= b and (b - a) > (r.end - r.start) for a, b in taken)
    ]
    found = [(r.start, r.end, region_location(r)) for r in region_spans]
    if gazetteer is not None:
        exclude = taken + [(r.start, r.end) for r in region_spans]
        for mention in place_mentions(body, exclude=exclude):
            if mention.cue == "from" and not body[: mention.start].endswith("to and from "):
                continue  # where people or fire came from, not where it happened
            location = locate_mention(gazetteer, mention, body, cache)
            if location is not None:
                found.append((mention.start, mention.end, location))
    return found


def _stated_distance(body: str) -> float | None:
    match = _DISTANCE.search(body)
    if match is None:
        return None
    text = match["value"].lower().replace(",", "")
    value = float(_WORD_NUMBERS.get(text, 0) if text in _WORD_NUMBERS else text)
    return value * _UNIT_M[match["unit"].lower()]


# ============================================================================ merging and the table


def _merge(merged: dict[tuple[str, str, str | None], _Event], events: Sequence[_Event]) -> None:
    for event in events:
        known = merged.get(event.key)
        if known is None:
            merged[event.key] = event
            continue
        known.actors.extend(a for a in event.actors if a not in known.actors)
        known.evidence.extend(e for e in event.evidence if e not in known.evidence)
        if known.stated_m is None:
            known.stated_m = event.stated_m


def _frame(events: list[_Event]) -> gpd.GeoDataFrame:
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


def _row(event: _Event) -> dict[str, Any]:
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


class _ExampleGazetteer:
    """Two crossings and a city, for the examples in this module's docstrings."""

    def resolve(self, name: str, *, context: str | None = None) -> Match | None:
        from gazetteer.sites import Match, Site

        sites = {
            "bashmakh crossing": Site(
                "bashmaq", "Bashmaq border crossing", "crossing", "IQ", 35.57577, 46.005218, 6000.0
            ),
            "erbil": Site("erbil", "Erbil", "city", "IQ", 36.19, 44.01, 12000.0),
        }
        site = sites.get(name.lower())
        return None if site is None else Match(name, site, "curated", 1.0, site.uncertainty_m)
