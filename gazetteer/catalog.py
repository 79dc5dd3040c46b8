"""The packaged layers, read into :class:`~gazetteer.sites.Site` records.

Three files ship in ``gazetteer/data`` (see its ``SOURCES.md``):

* ``sites.csv`` -- the curated border sites (crossings, towns, areas);
* ``geonames_region.tsv`` -- GeoNames places of >= 500 people in the region;
* ``airports_region.csv`` -- airports and airfields in the region.

Each is read once per process (:func:`functools.cache`) with the
standard :mod:`csv` module; a user's own sites CSV is read by
:func:`read_sites_csv` with the curated columns.

Examples
--------
>>> sites = load_layer("curated")
>>> erbil = next(s for s in sites if s.key == "erbil")
>>> (erbil.name, erbil.kind, erbil.uncertainty_m)
('Erbil', 'city', 12000.0)
>>> in_region(erbil.lon, erbil.lat), in_region(51.42, 35.69)
(True, False)
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final, Literal, cast

from gazetteer.errors import SitesFileError
from gazetteer.sites import Layer, Site

__all__ = [
    "LAYER_FILES",
    "PACKAGED_LAYERS",
    "REGION",
    "in_region",
    "load_layer",
    "merge_sites",
    "read_sites_csv",
]

#: The frontier region (west, south, east, north) in degrees: the GeoNames
#: extract is cut to it and fuzzy matches must fall inside it.
REGION: Final = (40.5, 33.0, 48.0, 39.0)
PACKAGED_LAYERS: Final[tuple[Layer, ...]] = ("curated", "geonames", "airports")
LAYER_FILES: Final[Mapping[str, str]] = {
    "curated": "sites.csv",
    "geonames": "geonames_region.tsv",
    "airports": "airports_region.csv",
}
SITES_COLUMNS: Final = ("key", "name", "lat", "lon")
_CONFIDENCE: Final = frozenset({"high", "medium", "low"})
_AIRPORT_RADIUS_M: Final = 2_000.0
_DEFAULT_RADIUS_KM: Final = 1.0


def in_region(lon: float | None, lat: float | None) -> bool:
    """True when a point lies inside :data:`REGION`.

    Examples
    --------
    >>> in_region(45.0, 36.0), in_region(None, None)
    (True, False)
    """
    if lon is None or lat is None:
        return False
    west, south, east, north = REGION
    return west <= lon <= east and south <= lat <= north


def _data_path(filename: str) -> Path:
    return Path(str(resources.files("gazetteer") / "data" / filename))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


def _float(value: str | None, what: str, where: str) -> float | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        msg = f"{where}: {what} {text!r} is not a number"
        raise SitesFileError(msg) from None
    if not math.isfinite(number):
        msg = f"{where}: {what} {text!r} is not finite"
        raise SitesFileError(msg)
    return number


def _site_from_row(row: Mapping[str, str | None], where: str) -> Site:
    """One curated-format CSV row as a :class:`Site`."""
    key, name = (row.get("key") or "").strip(), (row.get("name") or "").strip()
    if not key or not name:
        msg = f"{where}: key and name are required"
        raise SitesFileError(msg)
    lat, lon = _float(row.get("lat"), "lat", where), _float(row.get("lon"), "lon", where)
    if (lat is None) != (lon is None):
        msg = f"{where}: lat and lon must both be given or both be empty"
        raise SitesFileError(msg)
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"{where}: coordinate ({lat}, {lon}) out of range"
        raise SitesFileError(msg)
    radius = _float(row.get("radius_km"), "radius_km", where)
    if radius is not None and radius <= 0:
        msg = f"{where}: radius_km must be positive"
        raise SitesFileError(msg)
    confidence = (row.get("confidence") or "medium").strip() or "medium"
    if confidence not in _CONFIDENCE:
        msg = f"{where}: confidence {confidence!r} is not high, medium or low"
        raise SitesFileError(msg)
    if lat is None:
        uncertainty = math.nan
    else:
        uncertainty = (radius if radius is not None else _DEFAULT_RADIUS_KM) * 1000.0
    return Site(
        key=key,
        name=name,
        kind=(row.get("kind") or "").strip() or "site",
        country=(row.get("country") or "").strip().upper(),
        lat=lat,
        lon=lon,
        uncertainty_m=uncertainty,
        aliases=_split(row.get("aliases")),
        native_names=_split(row.get("native_names")),
        admin1=(row.get("admin1") or "").strip(),
        paired_site=(row.get("paired_site") or "").strip() or None,
        source=(row.get("sources") or row.get("source") or "").strip(),
        confidence=cast(Literal["high", "medium", "low"], confidence),
    )


def read_sites_csv(path: str | Path) -> tuple[Site, ...]:
    """Read a sites CSV in the curated format (``key,name,lat,lon`` at least).

    Optional columns: ``aliases`` and ``native_names`` (``|`` separated),
    ``kind``, ``country``, ``admin1``, ``radius_km`` (default 1 km),
    ``paired_site``, ``sources``, ``confidence``.

    Raises
    ------
    SitesFileError
        The file is unreadable, lacks a required column, or a row is malformed
        (the message names the file and line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "mine.csv")
    ...     _ = path.write_text("key,name,lat,lon\\nfob1,FOB One,36.5,44.9\\n", encoding="utf-8")
    ...     read_sites_csv(path)[0].uncertainty_m
    1000.0
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in SITES_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                msg = f"{path}: missing column(s) {', '.join(missing)}"
                raise SitesFileError(msg)
            sites = [_site_from_row(row, f"{path}:{reader.line_num}") for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        msg = f"{path}: cannot read sites ({exc})"
        raise SitesFileError(msg) from exc
    keys = [s.key for s in sites]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        msg = f"{path}: duplicate key(s) {', '.join(duplicates)}"
        raise SitesFileError(msg)
    return tuple(sites)


def _geonames_uncertainty_m(population: int) -> float:
    """A town's radius grows with the square root of its population (2-25 km)."""
    return round(min(25.0, 2.0 + math.sqrt(max(population, 0)) / 100.0), 1) * 1000.0


def _geonames_kind(population: int) -> str:
    if population >= 100_000:
        return "city"
    return "town" if population >= 5_000 else "village"


def _read_geonames(path: Path) -> tuple[Site, ...]:
    sites = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            population = int(row["population"] or 0)
            sites.append(
                Site(
                    key=f"geonames:{row['geonameid']}",
                    name=row["name"],
                    kind=_geonames_kind(population),
                    country=row["country"],
                    lat=float(row["latitude"]),
                    lon=float(row["longitude"]),
                    uncertainty_m=_geonames_uncertainty_m(population),
                    aliases=_split(row["alternatenames"]),
                    admin1=row["admin1"],
                    source=f"GeoNames {row['geonameid']} (CC BY 4.0)",
                    confidence="high",
                    population=population,
                )
            )
    return tuple(sites)


def _read_airports(path: Path) -> tuple[Site, ...]:
    sites = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            codes = tuple(c for c in (row["iata"], row["icao"]) if c)
            city = row["city"].strip()
            aliases = (*codes, f"{city} airport") if city else codes
            sites.append(
                Site(
                    key=f"airport:{row['icao']}",
                    name=row["name"],
                    kind="airport",
                    country=row["country"],
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    uncertainty_m=_AIRPORT_RADIUS_M,
                    aliases=aliases,
                    admin1=row["subd"],
                    source=f"airportsdata {row['icao']} (MIT)",
                    confidence="high",
                )
            )
    return tuple(sites)


@cache
def load_layer(layer: Layer) -> tuple[Site, ...]:
    """The sites of one packaged layer (read once per process).

    Raises
    ------
    SitesFileError
        The packaged file is missing or unreadable.

    Examples
    --------
    >>> len(load_layer("curated")) >= 75
    True
    """
    if layer not in LAYER_FILES:
        msg = f"no packaged layer {layer!r} (choose from {', '.join(PACKAGED_LAYERS)})"
        raise SitesFileError(msg)
    path = _data_path(LAYER_FILES[layer])
    try:
        if layer == "curated":
            return read_sites_csv(path)
        if layer == "geonames":
            return _read_geonames(path)
        return _read_airports(path)
    except (OSError, KeyError, ValueError) as exc:
        if isinstance(exc, SitesFileError):
            raise
        msg = f"packaged layer {layer!r} unreadable ({path.name}: {exc})"
        raise SitesFileError(msg) from exc


def merge_sites(base: Iterable[Site], overrides: Iterable[Site]) -> tuple[Site, ...]:
    """``base`` with the sites of ``overrides`` replacing those of the same key, others appended.

    Examples
    --------
    >>> a = Site(key="a", name="A", kind="town", country="IQ", lat=36.0, lon=44.0,
    ...          uncertainty_m=1e3)
    >>> b = Site(key="a", name="A2", kind="town", country="IQ", lat=36.1, lon=44.0,
    ...          uncertainty_m=1e3)
    >>> [s.name for s in merge_sites([a], [b])]
    ['A2']
    """
    merged = {s.key: s for s in base}
    merged.update({s.key: s for s in overrides})
    return tuple(merged.values())
