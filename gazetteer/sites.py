"""Value records of the gazetteer: :class:`Site` (a named place) and :class:`Match`.

Examples
--------
>>> s = Site(key="erbil", name="Erbil", kind="city", country="IQ", lat=36.19, lon=44.01,
...          uncertainty_m=12_000.0)
>>> m = Match(query="Arbil", site=s, layer="curated", score=1.0, uncertainty_m=12_000.0)
>>> (m.site.key, m.ambiguous)
('erbil', False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Layer", "Match", "Site"]

Layer = Literal["curated", "geonames", "airports", "online"]


@dataclass(frozen=True)
class Site:
    """A named place: a crossing, town, city, airport, capital, area or governorate.

    Coordinates are WGS84 degrees; ``lat``/``lon`` are ``None`` for a site whose
    position is not verified (it is known by name but never located).
    """

    key: str
    name: str
    kind: str
    country: str
    lat: float | None
    lon: float | None
    uncertainty_m: float
    aliases: tuple[str, ...] = ()
    native_names: tuple[str, ...] = ()
    admin1: str = ""
    paired_site: str | None = None
    source: str = ""
    confidence: Literal["high", "medium", "low"] = "medium"
    population: int | None = None

    @property
    def is_located(self) -> bool:
        """True when the site has a coordinate."""
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Match:
    """The answer to one query: which site, from which layer, how sure.

    ``uncertainty_m`` may be wider than the site's own (e.g. "outskirts of
    Kirkuk" or "Erbil province"). ``ambiguous`` is true when other candidates
    were about as good; they are listed in ``alternatives``.
    """

    query: str
    site: Site
    layer: Layer
    score: float
    uncertainty_m: float
    ambiguous: bool = False
    alternatives: tuple[Site, ...] = ()
