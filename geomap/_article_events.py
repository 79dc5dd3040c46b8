"""One article's text -> events: sentence by sentence, with what earlier sentences said.

See :mod:`geomap.extract` for the public functions and DESIGN.md for the rules:
a sentence gives events when it has an unhedged type cue and a place; each type
takes the place nearest its cue; a sentence without a place may continue the
event just before it.

Examples
--------
>>> from gazetteer import Gazetteer
>>> from geomap._article import article_from_text
>>> art = article_from_text("Turkish jets struck Zakho on 1 May 2020.", name="a.txt")
>>> [(e.location.site, e.event_type, e.day) for e in article_events(art, Gazetteer(), {})]
[('zakho', 'air_drone_strike', ('2020-05-01', 'day'))]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from geomap import _extract_rules as rules
from geomap._actors import CAPITALS
from geomap._actors import actor_spans as find_actors
from geomap._article import Article
from geomap._extract_dates import (
    WORD_NUMBERS,
    DateMention,
    date_near,
    dates_from_anchors,
    event_anchors,
    find_dates,
    is_relative_to_event,
)
from geomap._locate import Location, locate_mention, region_location, region_mentions
from geomap._places import place_mentions, split_sentences, strip_dateline

if TYPE_CHECKING:
    from gazetteer.sites import Match
    from geomap._normalise import GazetteerLike

__all__ = ["Event", "article_events", "merge_events"]

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
class Event:
    """An event being built: one per (place, type, date) in an article."""

    location: Location
    event_type: str
    day: tuple[str, str] | None
    actors: list[str]
    stated_m: float | None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    quoted: set[tuple[str, int]] = field(default_factory=set)

    def add_evidence(self, items: Sequence[dict[str, Any]]) -> None:
        """Keep each quoted sentence once (an article and an offset)."""
        for item in items:
            mark = (str(item["article"]), int(item["start"]))
            if mark not in self.quoted:
                self.quoted.add(mark)
                self.evidence.append(item)

    @property
    def key(self) -> tuple[str, str, str | None]:
        place = self.location.site or self.location.place.lower()
        return place, self.event_type, self.day[0] if self.day else None


@dataclass
class _Context:
    """What an article's previous sentences said, for sentences that continue them."""

    paragraph: int = -1
    actors: list[str] = field(default_factory=list)
    day: tuple[str, str] | None = None
    places: dict[str, list[Location]] = field(default_factory=dict)
    age: int = 99
    #: Dated meetings at a site so far in the article (a visit's other meetings take its place).
    meetings: list[tuple[Location, str]] = field(default_factory=list)
    #: Days the article gives to votes and elections ("the 25 September referendum"),
    #: read from its sentences (``spans``) when a sentence first needs them.
    anchors: dict[str, set[str]] | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


#: Types whose place is where people met or signed: a region does not locate them.
_NEEDS_SITE: Final = frozenset({"meeting", "agreement", "statement"})
_LIST_GAP: Final = re.compile(
    r"[\s,]*(?:and|or|as\s+well\s+as)?[\s,]*(?:the\s+)?(?:villages?\s+of\s+)?"
)


def article_events(
    source: Article, gazetteer: GazetteerLike | None, cache: dict[str, Match | None]
) -> list[Event]:
    events: dict[tuple[str, str, str | None], Event] = {}
    context = _Context()
    context.spans = split_sentences(source.text)
    for start, end in context.spans:
        paragraph = source.text.count("\n", 0, start)
        if paragraph != context.paragraph:
            context.paragraph, context.actors, context.day = paragraph, [], None
        found = _sentence_events(
            source, start, min(end, start + _MAX_SENTENCE), gazetteer, cache, context
        )
        merge_events(events, found)
    return list(events.values())


def _sentence_events(
    source: Article,
    start: int,
    end: int,
    gazetteer: GazetteerLike | None,
    cache: dict[str, Match | None],
    context: _Context,
) -> list[Event]:
    sentence = source.text[start:end]
    context.age += 1
    words = set(rules.words_of(sentence))
    types = rules.event_types(sentence, words)
    if not types or rules.is_background(sentence, words):
        return []
    body = sentence[strip_dateline(sentence) :]
    actor_spans = find_actors(body)
    actors = list(dict.fromkeys(actor for _, _, actor in actor_spans)) or list(context.actors)
    located = _locations(body, actor_spans, actors, gazetteer, cache, words)
    visit = bool(context.meetings) and "meeting" in types
    if not located and (context.age > 2 or not context.places) and not visit:
        if actors:
            context.actors = actors
        return []  # no place here, and no event just before to continue
    regions = [(a, b) for a, b, location in located if location.is_region]
    named = [
        actor for a, b, actor in actor_spans if not any(ra <= a and b <= rb for ra, rb in regions)
    ]
    actors = list(dict.fromkeys(named)) or list(context.actors)
    dates = find_dates(body, source.published, words)
    if not (_RELATIVE_WORDS.isdisjoint(words) or _ANCHOR_WORDS.isdisjoint(words)) and (
        is_relative_to_event(body)
    ):
        if context.anchors is None:
            context.anchors = _anchors(source, context.spans)
        relative = dates_from_anchors(body, context.anchors)
        dates = sorted(dates + relative, key=lambda m: m.start)
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
        day = _event_day(body, dates, cue) or (context.day if not dates else None)
        if not chosen and etype == "meeting":
            chosen = _visit_place(context.meetings, day)
        if not chosen:
            continue
        places[etype] = chosen
        for location in chosen:
            events.append(Event(location, etype, day, list(actors), stated, [dict(evidence)]))
    context.meetings.extend(
        (e.location, e.day[0])
        for e in events
        if e.event_type == "meeting" and e.day and e.day[1] == "day" and not e.location.is_region
    )
    if events:
        context.places, context.age = places, 0
        context.day = events[0].day
    if actors:
        context.actors = actors
    return events


_RELATIVE_WORDS: Final = frozenset({"before", "after", "eve", "ahead", "prior", "following"})
_ANCHOR_WORDS: Final = frozenset(
    {"referendum", "referendums", "vote", "votes", "voted", "voters", "voting", "ballot", "poll"}
    | {"polls", "election", "elections"}
)
_ANCHOR_TEXT: Final = re.compile(r"\b(?:[Rr]eferend|[Vv]ot|[Pp]oll|[Ee]lection|[Bb]allot)")
#: The days of the visit around a dated meeting that other meetings of the article may share.
_VISIT_DAYS: Final = 3
#: "X said on 10 September that ...": a statement's date, just before "that".
_SAID_ON: Final = re.compile(
    r"\b(?:said|says|announced|stated|reported|claimed|confirmed|told\s+[\w-]+(?:\s+[\w-]+)?)"
    r"\s+(?:(?:late|early)\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)
_THAT_HAD: Final = re.compile(r"\s*,?\s*that\b[^.;]*?\bhad\b", re.IGNORECASE)
#: Words that put the reported event on the statement's own day ("had struck overnight").
_SAME_DAY: Final = re.compile(
    r"\b(?:overnight|(?:earlier|later)\s+(?:that|the\s+same|in\s+the)\s+day|that\s+(?:morning|"
    r"day|afternoon|evening)|hours\s+earlier|the\s+same\s+day)\b",
    re.IGNORECASE,
)


def _anchors(source: Article, spans: list[tuple[int, int]]) -> dict[str, set[str]]:
    """The days of votes and elections the article states (for "a day before the referendum")."""
    found: dict[str, set[str]] = {}
    starts = [start for start, _ in spans]
    seen: set[int] = set()
    for match in _ANCHOR_TEXT.finditer(source.text):
        index = bisect_right(starts, match.start()) - 1
        if index < 0 or index in seen or match.start() >= spans[index][1]:
            continue
        seen.add(index)
        sentence = source.text[spans[index][0] : spans[index][1]]
        days_of = event_anchors(sentence, source.published)
        if days_of and not rules.event_types(sentence):  # else the day may be the event's own
            for kind, days in days_of.items():
                found.setdefault(kind, set()).update(days)
    return found


def _event_day(body: str, dates: list[DateMention], cue: int) -> tuple[str, str] | None:
    """The date nearest the cue, leaving out a statement's date when the event came before it.

    "The party said on 10 September that missiles had struck its camp": 10 September
    is when it was said, not when the camp was struck.
    """
    usable = [m for m in dates if not _statement_date(body, m, cue)]
    return date_near(usable, cue)


def _statement_date(body: str, mention: DateMention, cue: int) -> bool:
    if cue <= mention.end:
        return False
    if _SAID_ON.search(body, max(0, mention.start - 40), mention.start) is None:
        return False
    reported = _THAT_HAD.match(body, mention.end, min(len(body), cue + 60))
    return reported is not None and _SAME_DAY.search(body, mention.end) is None


def _visit_place(
    meetings: list[tuple[Location, str]], day: tuple[str, str] | None
) -> list[Location]:
    """The site of the article's latest meeting within a few days of ``day``, if any.

    A report of a visit names the city once and dates the other meetings of the visit.
    """
    if day is None or day[1] != "day":
        return []
    when = date.fromisoformat(day[0])
    for location, other in reversed(meetings):
        if abs((date.fromisoformat(other) - when).days) <= _VISIT_DAYS:
            return [location]
    return []


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
    """Every site and region the sentence names, with its span.

    A capital that names its government ("Tehran denied") is a place only when the
    text makes it one ("struck Baghdad").
    """
    taken = [(a, b) for a, b, _ in actor_spans]
    capitals = [(a, b) for a, b in taken if body[a:b].lower() in CAPITALS]
    region_spans = [
        r
        for r in region_mentions(body, actors, words)
        if not any(a <= r.start and r.end <= b and (b - a) > (r.end - r.start) for a, b in taken)
    ]
    found = [(r.start, r.end, region_location(r)) for r in region_spans]
    if gazetteer is not None:
        exclude = [s for s in taken if s not in capitals] + [(r.start, r.end) for r in region_spans]
        for mention in place_mentions(body, exclude=exclude):
            if mention.cue == "from" and not body[: mention.start].endswith("to and from "):
                continue  # where people or fire came from, not where it happened
            if mention.cue in _WEAK_CUES and _overlaps(mention.start, mention.end, capitals):
                continue
            location = locate_mention(gazetteer, mention, body, cache)
            if location is not None:
                found.append((mention.start, mention.end, location))
    return found


#: Words before a name that do not make a capital a place ("Erbil and Tehran agreed").
_WEAK_CUES: Final = frozenset({None, "and", "of", "between", "by", "on", "from"})


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def _stated_distance(body: str) -> float | None:
    match = _DISTANCE.search(body)
    if match is None:
        return None
    text = match["value"].lower().replace(",", "")
    value = float(WORD_NUMBERS.get(text, text))
    return value * _UNIT_M[match["unit"].lower()]


def merge_events(merged: dict[tuple[str, str, str | None], Event], events: Sequence[Event]) -> None:
    """Add ``events`` to ``merged`` (by place, type and date), joining actors and sources."""
    for event in events:
        known = merged.get(event.key)
        if known is None:
            merged[event.key] = event
            event.quoted.update((str(e["article"]), int(e["start"])) for e in event.evidence)
            continue
        known.actors.extend(a for a in event.actors if a not in known.actors)
        known.add_evidence(event.evidence)
        if known.stated_m is None:
            known.stated_m = event.stated_m
