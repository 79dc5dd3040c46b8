"""The frontier: the Iran–KRG and Turkey–KRG border segments, the country
polygons around them, the Kurdistan Region polygon and the official crossings.

The packaged default is derived from OpenStreetMap data by
``scripts/build_frontier.py`` (see ``geomap/data/SOURCES.md``); any part can be
replaced by a user's own file.

INTERFACE (filled in by the frontier work): ``Frontier`` and ``load_frontier``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["SEGMENTS", "Frontier"]

SEGMENTS = ("IR-KRG", "TR-KRG")


@dataclass(frozen=True)
class Frontier:
    """The frontier model; every frame is in EPSG:4326.

    Attributes
    ----------
    segments : GeoDataFrame
        One row per segment: ``segment`` ("IR-KRG", "TR-KRG"), LineString geometry.
    countries : GeoDataFrame
        ``iso2`` (IQ, IR, TR, SY), ``name``; (Multi)Polygon geometry clipped to the region.
    region : GeoDataFrame
        One row: ``name`` ("Kurdistan Region"), (Multi)Polygon geometry.
    crossings : GeoDataFrame
        ``key``, ``name``, ``name_other`` (the name on the other side), ``country``,
        ``segment``; Point geometry on the border line.
    """

    segments: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    region: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame
