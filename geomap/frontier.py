"""The frontier: the Iran–KRG and Turkey–KRG border segments, the country
polygons around them, the Kurdistan Region polygon and the official crossings.

The packaged default is derived from OpenStreetMap data by
``scripts/build_frontier.py`` (see ``geomap/data/SOURCES.md``); any part can be
replaced by a user's own file.

Examples
--------
>>> from geomap.frontier import load_frontier
>>> frontier = load_frontier()
>>> list(frontier.segments["segment"])
['IR-KRG', 'TR-KRG']
>>> sorted(frontier.countries["iso2"])
['IQ', 'IR', 'SY', 'TR']
"""

from __future__ import annotations

import functools
import itertools
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from geomap.errors import FrontierError, GeomapWarning
from geomap.settings import DEFAULT_BANDS_KM, band_labels

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd
    import numpy as np

__all__ = [
    "LAYERS",
    "LOCAL_CRS",
    "SEGMENTS",
    "Frontier",
    "band_polygons",
    "load_frontier",
]

SEGMENTS = ("IR-KRG", "TR-KRG")

#: Layer names, in a GeoPackage or as the ``layer`` property of GeoJSON features.
LAYERS: Final = ("segments", "countries", "region", "crossings")

#: Local conformal projection of the frontier region (metres). Its scale factor is
#: within 0.9994–1.0006 over lat 33–39, so lengths measured in it are off by < 0.06 %.
LOCAL_CRS: Final = (
    "+proj=lcc +lat_1=34 +lat_2=38 +lat_0=36 +lon_0=44.5 +datum=WGS84 +units=m +no_defs"
)

#: Columns each layer must have (besides geometry), and optional ones kept when present.
_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "segments": ("segment",),
    "countries": ("iso2",),
    "region": (),
    "crossings": ("key", "name"),
}
_OPTIONAL: Final[dict[str, tuple[str, ...]]] = {
    "segments": (),
    "countries": ("name",),
    "region": ("name",),
    "crossings": ("name_other", "country", "border", "segment", "snap_m"),
}
_GEOM_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "segments": ("LineString", "MultiLineString"),
    "countries": ("Polygon", "MultiPolygon"),
    "region": ("Polygon", "MultiPolygon"),
    "crossings": ("Point",),
}
_PACKAGED: Final = "frontier.geojson"
_REGION_NAME: Final = "Kurdistan Region"


@dataclass(frozen=True)
class Frontier:
    """The frontier model; every frame is in EPSG:4326.

    Treat the frames as read-only: the packaged frontier is cached and shared.

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

    Examples
    --------
    >>> frontier = load_frontier()
    >>> {name: len(xy) > 1000 for name, xy in frontier.line_coords().items()}
    {'IR-KRG': True, 'TR-KRG': True}
    """

    segments: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    region: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame

    def line_coords(self) -> dict[str, np.ndarray]:
        """Each segment's vertices as an ``(n, 2)`` array of lon, lat, in line order.

        Returns
        -------
        dict
            Segment name -> float64 array of shape ``(n, 2)``.

        Examples
        --------
        >>> xy = load_frontier().line_coords()["TR-KRG"]
        >>> xy.shape[1], bool((xy[:, 0] > 42).all() and (xy[:, 0] < 45).all())
        (2, True)
        """
        import shapely

        return {
            str(name): shapely.get_coordinates(geom)
            for name, geom in zip(self.segments["segment"], self.segments.geometry, strict=False)
        }


def load_frontier(path: str | Path | None = None, *, region: str | Path | None = None) -> Frontier:
    """Load the frontier: the packaged data, or a user file with the same layers.

    Parameters
    ----------
    path : str or Path, optional
        A GeoPackage with layers ``segments``, ``countries``, ``region``, ``crossings``,
        or a GeoJSON whose features carry a ``layer`` property with those names.
        ``segments`` is required; a layer the file lacks is taken from the packaged
        data. ``None`` loads the packaged frontier (cached: repeated calls are cheap).
    region : str or Path, optional
        A polygon file (any format GDAL reads) replacing the Kurdistan Region polygon;
        all its polygons are merged into one.

    Returns
    -------
    Frontier

    Raises
    ------
    FrontierError
        When a file cannot be read or does not hold valid frontier layers.

    Examples
    --------
    >>> frontier = load_frontier()
    >>> frontier is load_frontier()
    True
    >>> frontier.region["name"].iloc[0]
    'Kurdistan Region'
    >>> load_frontier("no-such-file.gpkg")
    Traceback (most recent call last):
    ...
    geomap.errors.FrontierError: cannot read frontier file no-such-file.gpkg: file not found
    """
    base = _packaged() if path is None else _from_file(Path(path))
    if region is None:
        return base
    return Frontier(base.segments, base.countries, _read_region(Path(region)), base.crossings)


# --------------------------------------------------------------------------- reading


@functools.lru_cache(maxsize=1)
def _packaged() -> Frontier:
    """The packaged frontier (read once)."""
    from importlib.resources import as_file, files

    resource = files("geomap") / "data" / _PACKAGED
    with as_file(resource) as file:
        layers = _split_layers(_read(file), file)
    missing = [name for name in LAYERS if name not in layers]
    if missing:  # pragma: no cover - the packaged file is checked by tests
        raise FrontierError(f"packaged frontier data lacks layers: {', '.join(missing)}")
    return Frontier(**layers)


def _from_file(path: Path) -> Frontier:
    """A frontier from a user file; missing optional layers come from the package."""
    layers = _read_layers(path)
    if "segments" not in layers:
        raise FrontierError(f"frontier file {path} has no 'segments' layer")
    packaged = _packaged()
    return Frontier(
        segments=layers["segments"],
        countries=layers.get("countries", packaged.countries),
        region=layers.get("region", packaged.region),
        crossings=layers.get("crossings", packaged.crossings),
    )


def _read(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read one layer of a vector file as EPSG:4326; FrontierError when it cannot."""
    import geopandas as gpd

    if not path.exists():
        raise FrontierError(f"cannot read frontier file {path}: file not found")
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several unrelated types
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FrontierError(f"cannot read frontier file {path}: {reason}") from exc
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    return frame


def _read_layers(path: Path) -> dict[str, gpd.GeoDataFrame]:
    """The frontier layers of a GeoPackage (by layer name) or GeoJSON (by property)."""
    import pyogrio

    if not path.exists():
        raise FrontierError(f"cannot read frontier file {path}: file not found")
    try:
        names = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FrontierError(f"cannot read frontier file {path}: {reason}") from exc
    wanted = [name for name in LAYERS if name in names]
    if wanted:
        return {name: _clean(name, _read(path, name), path) for name in wanted}
    return _split_layers(_read(path), path)


def _split_layers(frame: gpd.GeoDataFrame, path: Path) -> dict[str, gpd.GeoDataFrame]:
    """Split a single-layer frame on its ``layer`` column."""
    if "layer" not in frame.columns:
        raise FrontierError(
            f"frontier file {path} has neither layers named {', '.join(LAYERS)} "
            "nor a 'layer' property"
        )
    unknown = sorted(set(frame["layer"].dropna().astype(str)) - set(LAYERS))
    if unknown:
        raise FrontierError(f"frontier file {path}: unknown layer values {unknown}")
    out = {}
    for name in LAYERS:
        part = frame[frame["layer"] == name]
        if len(part):
            out[name] = _clean(name, part.reset_index(drop=True), path)
    return out


def _clean(name: str, frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """Check one layer's columns and geometries; keep only the documented columns."""
    import geopandas as gpd
    import shapely

    where = f"frontier file {path}, layer {name!r}"
    missing = [col for col in _REQUIRED[name] if col not in frame.columns]
    if missing:
        raise FrontierError(f"{where}: missing column(s) {', '.join(missing)}")
    if len(frame) == 0:
        raise FrontierError(f"{where}: no features")
    geoms = frame.geometry.array
    if frame.geometry.isna().any() or shapely.is_empty(geoms).any():
        raise FrontierError(f"{where}: empty or missing geometries")
    bad = sorted(set(frame.geom_type) - set(_GEOM_TYPES[name]))
    if bad:
        raise FrontierError(f"{where}: geometry types {bad} not allowed here")
    cols = [c for c in (*_REQUIRED[name], *_OPTIONAL[name]) if c in frame.columns]
    out = gpd.GeoDataFrame(frame[cols].copy(), geometry=list(geoms), crs="EPSG:4326")
    if name == "segments":
        out = _clean_segments(out, where)
    elif name in ("countries", "region"):
        out = _valid_polygons(out, where)
        if name == "region":
            out = _one_region(out)
        elif "name" not in out.columns:
            out["name"] = out["iso2"]
        else:  # a GeoJSON mixing layers gives every feature every property
            out["name"] = out["name"].where(out["name"].notna(), out["iso2"])
    elif name == "crossings":
        for col in _OPTIONAL["crossings"]:
            if col not in out.columns:
                out[col] = None
        out = out[[*_REQUIRED[name], *_OPTIONAL[name], "geometry"]]
    return out


def _clean_segments(frame: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Segment names known, one LineString per segment (merged when multi-part)."""
    import shapely
    from shapely.ops import linemerge

    unknown = sorted(set(frame["segment"].astype(str)) - set(SEGMENTS))
    if unknown:
        raise FrontierError(f"{where}: unknown segment names {unknown}; use {SEGMENTS}")
    rows = []
    for seg in SEGMENTS:
        geoms = list(frame.geometry[frame["segment"] == seg])
        if not geoms:
            continue
        merged = linemerge(shapely.union_all(geoms)) if len(geoms) > 1 else geoms[0]
        if merged.geom_type == "MultiLineString":
            merged = linemerge(merged)
        if merged.geom_type != "LineString":
            raise FrontierError(f"{where}: segment {seg} is not one connected line")
        rows.append((seg, merged))
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {"segment": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs="EPSG:4326"
    )


def _valid_polygons(frame: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Repair invalid polygons with ``make_valid`` (with a warning)."""
    import shapely

    invalid = ~shapely.is_valid(frame.geometry.array)
    if invalid.any():
        warnings.warn(
            f"{where}: {int(invalid.sum())} invalid polygon(s) repaired with make_valid",
            GeomapWarning,
            stacklevel=4,
        )
        repaired = shapely.make_valid(frame.geometry.array)
        polys = [
            shapely.union_all(
                [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
            )
            for geom in repaired
        ]
        frame = frame.set_geometry(polys, crs="EPSG:4326")
    return frame


def _one_region(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """All region polygons merged into one row named after the first row (or the default)."""
    import geopandas as gpd
    import shapely

    name = _REGION_NAME
    if "name" in frame.columns and len(frame) == 1 and isinstance(frame["name"].iloc[0], str):
        name = frame["name"].iloc[0]
    geom = shapely.union_all(frame.geometry.array)
    return gpd.GeoDataFrame({"name": [name]}, geometry=[geom], crs="EPSG:4326")


def _read_region(path: Path) -> gpd.GeoDataFrame:
    """A user's region polygon file as the one-row region frame."""
    frame = _read(path)
    where = f"region file {path}"
    if len(frame) == 0:
        raise FrontierError(f"{where}: no features")
    polys = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    if len(polys) == 0:
        raise FrontierError(f"{where}: no polygons")
    polys = polys.reset_index(drop=True)
    return _one_region(_valid_polygons(polys, where))


# --------------------------------------------------------------------------- bands


def band_polygons(frontier: Frontier, edges_km: Sequence[float] | None = None) -> gpd.GeoDataFrame:
    """Ring-shaped polygons of the distance bands around the frontier segments.

    The band between ``lower_km`` and ``upper_km`` holds the points whose distance to
    the nearest segment lies in that range. Buffers are computed in ``LOCAL_CRS`` (a
    conformal projection whose scale factor stays within ±0.06 % over the region), so
    a band edge lies within 0.06 % of its nominal distance (≤ 36 m at 60 km); this is
    a drawing aid, the classification itself uses geodesic distances. Only the bands
    up to the last edge are returned (the open band beyond it has no polygon).

    Parameters
    ----------
    frontier : Frontier
    edges_km : sequence of float, optional
        Increasing band edges in km; default :data:`geomap.settings.DEFAULT_BANDS_KM`.

    Returns
    -------
    GeoDataFrame
        Columns ``band`` (label), ``lower_km``, ``upper_km``, Polygon/MultiPolygon
        geometry in EPSG:4326, nearest band first.

    Examples
    --------
    >>> bands = band_polygons(load_frontier(), [5, 15])
    >>> list(bands["band"]), list(bands["upper_km"])
    (['0-5 km', '5-15 km'], [5.0, 15.0])
    """
    import geopandas as gpd
    import shapely

    edges = tuple(float(e) for e in (DEFAULT_BANDS_KM if edges_km is None else edges_km))
    if not edges or edges[0] <= 0 or any(b <= a for a, b in itertools.pairwise(edges)):
        raise ValueError(f"band edges must be positive and strictly increasing: {edges}")
    lines = frontier.segments.to_crs(LOCAL_CRS).geometry.array
    merged = shapely.union_all(lines)
    buffers = [shapely.buffer(merged, e * 1000.0, quad_segs=16) for e in edges]
    rings = [buffers[0]] + [
        shapely.difference(outer, inner) for inner, outer in itertools.pairwise(buffers)
    ]
    labels = band_labels(edges)[: len(edges)]
    frame = gpd.GeoDataFrame(
        {
            "band": labels,
            "lower_km": [0.0, *edges[:-1]],
            "upper_km": list(edges),
        },
        geometry=rings,
        crs=LOCAL_CRS,
    )
    return frame.to_crs("EPSG:4326")
