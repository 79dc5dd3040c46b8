"""A small gazetteer over the packaged curated sites, for the extraction tests.

It looks names and aliases up in ``gazetteer/data/sites.csv`` (case and
diacritics folded, a leading "the"/"al-" dropped); the first row of a name wins.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from gazetteer.sites import Match, Site

SITES = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / "sites.csv"


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("–", "-").replace("‐", "-")
    for prefix in ("the ", "al-", "al "):
        text = text.removeprefix(prefix)
    return " ".join(text.split())


class SitesGazetteer:
    """``resolve(name, context=...)`` over the curated sites table."""

    def __init__(self, path: Path = SITES) -> None:
        self.index: dict[str, Site] = {}
        with path.open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                lat = float(row["lat"]) if row["lat"] else None
                lon = float(row["lon"]) if row["lon"] else None
                radius = float(row["radius_km"] or 5) * 1000
                site = Site(
                    row["key"],
                    row["name"],
                    row["kind"],
                    row["country"],
                    lat,
                    lon,
                    radius,
                    aliases=tuple(a for a in row["aliases"].split("|") if a),
                )
                for name in (row["name"], *site.aliases):
                    self.index.setdefault(fold(name), site)

    def resolve(self, name: str, *, context: str | None = None) -> Match | None:
        site = self.index.get(fold(name))
        if site is None:
            return None
        layer = "airports" if site.kind == "airport" else "curated"
        return Match(name, site, layer, 1.0, site.uncertainty_m)
