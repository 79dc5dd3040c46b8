"""Place mentions -> locations: regions named in words, and sites through the gazetteer.

A region ("the Kurdistan Region", "northern Iraq", "the Iran–KRG border")
becomes a circle from ``geomap/data/regions.csv`` whose radius covers the whole
region, so classification can never give its events a precise band. A place
candidate (:mod:`geomap._places`) is a site when the gazetteer resolves it: a
curated or airport match is taken as it is; a GeoNames or online match only
when the text marks the words as a place ("near X", "X crossing").

Examples
--------
>>> found = region_mentions("Drills on Iran's borders with the Kurdistan Region.")
>>> [(r.key, r.text) for r in found]
[('iran_krg_border', "Iran's borders with the Kurdistan Region")]
>>> [r.key for r in region_mentions("Jets struck targets in northern Iraq.")]
['northern_iraq']
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Final

from geomap._places import PlaceMention

if TYPE_CHECKING:
    from gazetteer.sites import Match
    from geomap._normalise import GazetteerLike

__all__ = ["Location", "Region", "locate_mention", "region_mentions", "regions"]

_PARTY: Final = (
    r"(?:Iraqi\s+Kurdistan|Kurdistan\s+Region|Kurdish\s+region|KRG|Kurdistan|Iranian|Iran|"
    r"Iraqi|Iraq|Turkish|Turkey|Türkiye|Irani)"
)
_BORDER: Final = r"(?:borders?|frontiers?|boundary)"
_PAIR_PATTERNS: Final = (
    re.compile(
        rf"\b(?:the\s+)?(?P<a>{_PARTY})\s?[–—-]\s?(?P<b>{_PARTY})\s+{_BORDER}(?:\s+areas?)?\b"
    ),
    re.compile(
        rf"\b(?P<a>{_PARTY})(?:'s|’s)\s+(?:\w+\s+)?{_BORDER}(?:\s+areas?)?\s+with\s+"
        rf"(?:the\s+)?(?P<b>{_PARTY})\b"
    ),
    re.compile(
        rf"\b(?:the\s+)?{_BORDER}(?:\s+areas?)?\s+between\s+(?:the\s+)?(?P<a>{_PARTY})\s+"
        rf"and\s+(?:the\s+)?(?P<b>{_PARTY})\b"
    ),
    re.compile(
        rf"\b(?:the\s+)?(?P<a>Iranian|Turkish)\s+side\s+of\s+the\s+(?P<b>{_PARTY})\s+{_BORDER}\b"
    ),
    re.compile(
        rf"\b(?:the\s+)?(?P<a>Iranian|Turkish|Iraqi)\s+{_BORDER}(?:\s+areas?)?\b"
        r"(?!\s+(?:guards?|forces|police|troops|units|commanders?|officials?|officers?|posts?|"
        r"security|authorities|crossings?|gates?|points?|patrols?|control))"
    ),
    re.compile(rf"\b{_BORDER}\s+with\s+(?P<a>Iran|Turkey)\b"),
    re.compile(
        rf"\b{_BORDER}(?:\s+areas?)?\s+with\s+(?:the\s+)?(?P<k>Kurdistan\s+Region|Iraqi\s+Kurdistan|"
        rf"KRG|Kurdistan)\b"
    ),
)
_REGION_PATTERNS: Final = (
    (
        "northern_iraq",
        re.compile(
            r"\b(?:northern\s+Iraq|north\s+of\s+Iraq|Iraq's\s+north|Iraq’s\s+north|north\s+Iraq)\b"
        ),
    ),
    (
        "kurdistan_region",
        re.compile(
            r"\b(?:the\s+)?(?:Kurdistan\s+Region(?:\s+of\s+Iraq)?|Iraqi\s+Kurdistan|Kurdistan\s+region|"
            r"(?:autonomous\s+)?(?:Iraqi\s+)?Kurdish\s+(?:region|regions|enclave)(?:\s+of\s+"
            r"(?:northern\s+)?Iraq)?|Region's|Region’s|KRI|Kurdistan(?!\s+(?:Regional|Workers|Democratic|"
            r"Freedom|Region\s+Government|Region\s+Security|government)))\b"
        ),
    ),
)
_BORDER_WORDS: Final = frozenset(
    ["border", "borders", "borderlands", "frontier", "frontiers", "boundary"]
)
_REGION_WORDS: Final = _BORDER_WORDS | {
    "kurdistan",
    "kurdish",
    "krg",
    "kri",
    "region",
    "regions",
    "north",
    "northern",
}
_BORDER_WORD: Final = re.compile(r"[Bb]order|[Ff]rontier|[Bb]oundary")
_REGION_TRIGGERS: Final = {
    "northern_iraq": frozenset({"north", "northern"}),
    "kurdistan_region": frozenset({"kurdistan", "kurdish", "region", "regions", "kri"}),
}
_GENERIC_BORDER: Final = re.compile(
    r"\b(?:on|along|at|near|in|across|to|into|over)\s+(?:the\s+|their\s+|its\s+|both\s+)?"
    r"(?:shared\s+|common\s+|joint\s+)?(?:border|frontier)(?:s|lands)?(?:\s+(?:areas?|regions?|"
    r"zones?|strip))?\b(?!\s+(?:security|guards?|forces|control|issues?|agreements?|police|"
    r"crossings?|posts?|gates?))"
)
_COUNTRY: Final = {
    "iraqi kurdistan": "KRG",
    "kurdistan region": "KRG",
    "kurdish region": "KRG",
    "krg": "KRG",
    "kurdistan": "KRG",
    "iranian": "IR",
    "iran": "IR",
    "irani": "IR",
    "iraqi": "IQ",
    "iraq": "IQ",
    "turkish": "TR",
    "turkey": "TR",
    "türkiye": "TR",
}
_PAIRS: Final = {
    frozenset({"IR", "KRG"}): "iran_krg_border",
    frozenset({"TR", "KRG"}): "turkey_krg_border",
    frozenset({"IR", "IQ"}): "iran_iraq_border",
    frozenset({"TR", "IQ"}): "turkey_iraq_border",
    frozenset({"IR"}): "iran_iraq_border",
    frozenset({"TR"}): "turkey_iraq_border",
}
_ACTOR_COUNTRY: Final = {
    "Iran": "IR",
    "IRGC": "IR",
    "Iraq": "IQ",
    "Turkey": "TR",
    "KRG/Peshmerga": "KRG",
}
#: Widening of the uncertainty (metres) for a place given only approximately.
_QUALIFIER_M: Final = {
    "near": 5_000.0,
    "close to": 5_000.0,
    "around": 5_000.0,
    "outside": 5_000.0,
    "outskirts of": 10_000.0,
    "vicinity of": 10_000.0,
    "area of": 10_000.0,
    "north of": 20_000.0,
    "south of": 20_000.0,
    "east of": 20_000.0,
    "west of": 20_000.0,
}
_TRUSTED_LAYERS: Final = ("curated", "airports")
#: Least score of a match taken for a name the text does not mark as a place.
_UNCUED_SCORE: Final = 0.9


@dataclass(frozen=True)
class Region:
    """A region named in words: a centre and a radius that covers it (metres)."""

    key: str
    name: str
    lon: float
    lat: float
    radius_m: float


@dataclass(frozen=True)
class RegionMention:
    """Where a sentence names a region."""

    start: int
    end: int
    key: str
    text: str


@dataclass(frozen=True)
class Location:
    """Where an event happened: the place as written and what it resolved to."""

    place: str
    site: str | None
    lon: float | None
    lat: float | None
    uncertainty_m: float
    source: str | None
    is_region: bool = False


@functools.cache
def regions() -> dict[str, Region]:
    """The packaged regions, by key.

    Examples
    --------
    >>> sorted(regions())[:2]
    ['iran_iraq_border', 'iran_krg_border']
    """
    text = (files("geomap") / "data" / "regions.csv").read_text(encoding="utf-8")
    return {
        row["key"]: Region(
            row["key"], row["name"], float(row["lon"]), float(row["lat"]), float(row["radius_m"])
        )
        for row in csv.DictReader(text.splitlines())
    }


def region_mentions(
    sentence: str, actors: list[str] | None = None, words: set[str] | None = None
) -> list[RegionMention]:
    """Regions a sentence names; a bare "on the border" uses the actors to tell which border.

    Examples
    --------
    >>> [r.key for r in region_mentions("Troops massed on the border.", ["Turkey", "Iraq"])]
    ['turkey_iraq_border']
    >>> region_mentions("Troops massed on the border.", [])
    []
    """
    found: list[RegionMention] = []
    words = words if words is not None else set(re.findall(r"[a-z]+", sentence.lower()))
    if _REGION_WORDS.isdisjoint(words):
        return found
    windows = [] if _BORDER_WORDS.isdisjoint(words) else _border_windows(sentence)
    for pattern in _PAIR_PATTERNS:
        for match in (m for lo, hi in windows for m in pattern.finditer(sentence, lo, hi)):
            parties = {
                _COUNTRY[" ".join(match[g].lower().split())]
                for g in ("a", "b", "k")
                if g in match.groupdict() and match[g]
            }
            if "k" in match.groupdict():
                neighbours = {_ACTOR_COUNTRY.get(a, "") for a in actors or []} & {"IR", "TR"}
                if len(neighbours) != 1:
                    continue
                parties |= neighbours
            if len(parties) == 1 and "a" in match.groupdict() and match.groupdict().get("b"):
                continue
            key = _PAIRS.get(frozenset(parties)) or _PAIRS.get(frozenset(parties - {"IQ"}))
            if key is not None:
                _add(found, RegionMention(match.start(), match.end(), key, match[0]))
    for key, pattern in _REGION_PATTERNS:
        if _REGION_TRIGGERS[key].isdisjoint(words):
            continue
        for match in pattern.finditer(sentence):
            _add(found, RegionMention(match.start(), match.end(), key, match[0]))
    key = _border_from_actors(actors or [])
    if key is not None:
        for match in (m for lo, hi in windows for m in _GENERIC_BORDER.finditer(sentence, lo, hi)):
            text = match[0].split(None, 1)[1]
            _add(found, RegionMention(match.end() - len(text), match.end(), key, text))
    return sorted(found, key=lambda r: r.start)


def _border_windows(sentence: str) -> list[tuple[int, int]]:
    """Stretches of the sentence around each "border" word (merged), where border phrases can be."""
    windows: list[tuple[int, int]] = []
    for match in _BORDER_WORD.finditer(sentence):
        lo, hi = max(0, match.start() - 90), min(len(sentence), match.end() + 120)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def _add(found: list[RegionMention], mention: RegionMention) -> None:
    if not any(mention.start < r.end and r.start < mention.end for r in found):
        found.append(mention)


def _border_from_actors(actors: list[str]) -> str | None:
    countries = {_ACTOR_COUNTRY[a] for a in actors if a in _ACTOR_COUNTRY}
    if "IR" in countries and "TR" in countries:
        return None
    if "KRG" in countries and ("IR" in countries or "TR" in countries):
        return _PAIRS[frozenset(countries - {"IQ"})]
    if "IR" in countries or "TR" in countries:
        return _PAIRS[frozenset(countries - {"KRG"})]
    return None


def region_location(mention: RegionMention) -> Location:
    """The location of a region mention: its circle, ``is_region`` true.

    Examples
    --------
    >>> loc = region_location(region_mentions("in northern Iraq")[0])
    >>> loc.site, loc.uncertainty_m > 100_000, loc.is_region
    ('northern_iraq', True, True)
    """
    region = regions()[mention.key]
    place = mention.text.removeprefix("the ").removeprefix("The ")
    return Location(place, region.key, region.lon, region.lat, region.radius_m, "curated", True)


def locate_mention(
    gazetteer: GazetteerLike, mention: PlaceMention, context: str, cache: dict[str, Match | None]
) -> Location | None:
    """Resolve a place candidate through the gazetteer; ``None`` when it is not a place.

    A name is first looked up alone: an exact, unambiguous answer stands (a town
    named in a sentence about the border is still the town). Otherwise the
    sentence is passed as context to choose among the sites of the name. A
    name the text does not mark as a place ("near X", "X crossing") must be a
    curated site or airport matched almost exactly. ``cache`` keeps the
    context-free answers across calls.
    """
    for name in mention.names:
        match = _resolve(gazetteer, name, context, cache)
        if match is None:
            continue
        cued = mention.cue is not None or mention.kind is not None
        if not cued and (match.layer not in _TRUSTED_LAYERS or match.score < _UNCUED_SCORE):
            continue
        site = match.site
        widening = _QUALIFIER_M.get(mention.cue or "", 0.0)
        radii = [float(r) for r in (match.uncertainty_m, site.uncertainty_m) if r == r]
        uncertainty = max(radii, default=0.0) + widening
        return Location(mention.text, site.key, site.lon, site.lat, uncertainty, match.layer)
    return None


def _resolve(
    gazetteer: GazetteerLike, name: str, context: str, cache: dict[str, Match | None]
) -> Match | None:
    if name in cache:
        match = cache[name]
    else:
        match = _ask(gazetteer, name, None)
        if len(cache) < 50_000:
            cache[name] = match
    if match is None or (match.score >= 1.0 and not match.ambiguous):
        return match
    return _ask(gazetteer, name, context) or match


def _ask(gazetteer: GazetteerLike, name: str, context: str | None) -> Match | None:
    try:
        return gazetteer.resolve(name, context=context)
    except (LookupError, ValueError):
        return None
