"""The spellings of a site that the name index holds, and when two sites are one place.

Examples
--------
>>> from gazetteer.sites import Site
>>> s = Site(key="bashmaq", name="Bashmaq border crossing", kind="crossing", country="IQ",
...          lat=35.58, lon=46.0, uncertainty_m=6000.0, aliases=("Bashmagh", "BSQ"))
>>> [(spelling, how) for spelling, how, _ in spellings(s)]
[('Bashmaq border crossing', 'name'), ('Bashmagh', 'alias'), ('BSQ', 'code')]
>>> core_name("Habur border gate (Turkish side)")
'habur'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final, Literal

from gazetteer.names import fold, phonetic_key
from gazetteer.sites import Layer, Site

__all__ = ["CODE", "GENERIC", "How", "Named", "core_name", "distance_m", "same_place",
           "spellings", "twin"]  # fmt: skip

How = Literal["name", "alias", "native", "core", "code"]


# Words that name what a place is, not which place: dropped from names to index their core.
GENERIC: Final = frozenset({"border", "crossing", "crossings", "gate", "terminal", "post", "city",
                            "mountains", "mountain", "mount", "range", "region", "valley",
                            "sinir", "kapisi", "point", "checkpoint"})  # fmt: skip
CODE: Final = re.compile(r"^[A-Z0-9]{3,4}$")
_PARENS: Final = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Named:
    """An indexed spelling of a site."""

    site: Site
    layer: Layer
    how: How
    order: int


def distance_m(a: Site, b: Site) -> float:
    """Great-circle distance in metres (haversine; enough to tell places apart)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h)))


def same_place(a: Site, b: Site) -> bool:
    """Same key, paired crossings, or each within the other's uncertainty."""
    if a.key == b.key or a.paired_site == b.key or b.paired_site == a.key:
        return True
    reach = max(a.uncertainty_m, b.uncertainty_m)
    return distance_m(a, b) <= reach


def core_name(name: str) -> str | None:
    """A name without parentheses and generic words ("Bashmaq border crossing" -> "bashmaq")."""
    words = fold(_PARENS.sub(" ", name)).split()
    core = [w for w in words if w not in GENERIC]
    if not core or len(core) == len(words):
        return None
    return " ".join(core)


def spellings(site: Site) -> list[tuple[str, How, str]]:
    """``(spelling, how, phonetic key)`` of a site's name, aliases, native names and core name."""
    found: list[tuple[str, How, str]] = []
    seen: set[str] = set()
    candidates: list[tuple[str, How]] = [(site.name, "name")]
    candidates += [(a, "alias") for a in site.aliases]
    candidates += [(n, "native") for n in site.native_names]
    core = core_name(site.name)
    if core is not None:
        candidates.append((core, "core"))
    for spelling, how in candidates:
        if CODE.match(spelling):
            found.append((spelling, "code", spelling))
            continue
        key = phonetic_key(spelling)
        if key and key not in seen:
            seen.add(key)
            found.append((spelling, how, key))
    return found


def twin(
    site: Site, spellings: list[tuple[str, How, str]], curated: dict[str, list[Site]]
) -> Site | None:
    """The curated site that is this one: a shared spelling, within its uncertainty."""
    for _, how, key in spellings:
        if how == "code":
            continue
        for other in curated.get(key, ()):
            if distance_m(site, other) <= max(other.uncertainty_m, site.uncertainty_m):
                return other
    return None
