"""Classify events by their geodesic distance to the frontier.

:func:`classify` adds to an event table the columns of
:data:`geomap.events.CLASSIFIED_COLUMNS`: the geodesic (WGS84) distance to the
nearest point of the frontier lines and which segment that is, the distance
band, whether the band is certain given the event's ``uncertainty_m``, the
country polygon containing the event (``side``), whether it lies in the
Kurdistan Region polygon, and the nearest official crossing.

Two engines give the same answers: ``"numba"``, one compiled parallel pass
(:mod:`geomap._kernel`), and ``"numpy"``, the reference built from shapely and
pyproj (:mod:`geomap._reference`). ``"auto"`` takes numba when it is installed.
The search structures are built once per :class:`~geomap.frontier.Frontier`.

Bands are half-open: an event exactly at an edge belongs to the farther band.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import LineString, Point, box
>>> from geomap.frontier import Frontier
>>> f = Frontier(
...     segments=gpd.GeoDataFrame({"segment": ["IR-KRG"]},
...                               geometry=[LineString([(45, 35), (45, 36)])], crs=4326),
...     countries=gpd.GeoDataFrame({"iso2": ["IQ", "IR"], "name": ["Iraq", "Iran"]},
...                                geometry=[box(44, 35, 45, 36), box(45, 35, 46, 36)], crs=4326),
...     region=gpd.GeoDataFrame({"name": ["Kurdistan Region"]},
...                             geometry=[box(44, 35.5, 45, 36)], crs=4326),
...     crossings=gpd.GeoDataFrame({"key": ["x"]}, geometry=[Point(45, 35.5)], crs=4326),
... )
>>> events = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[Point(44.99, 35.7), None], crs=4326)
>>> out = classify(events, f, engine="numpy")
>>> out[["id", "band", "side", "in_krg", "nearest_crossing"]].to_dict("records")[0]
{'id': 'a', 'band': '0-1 km', 'side': 'IQ', 'in_krg': True, 'nearest_crossing': 'x'}
>>> round(float(out.distance_m[0]), 1), out.band.isna().tolist()
(905.0, [False, True])
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from geomap.errors import DependencyError, FrontierError, InputError
from geomap.settings import DEFAULT_BANDS_KM, band_labels, parse_bands

if TYPE_CHECKING:
    import geopandas as gpd

    from geomap._index import FrontierIndex
    from geomap.frontier import Frontier

__all__ = ["Engine", "classify", "classify_arrays", "prepare"]

logger = logging.getLogger(__name__)

Engine = Literal["auto", "numba", "numpy"]

#: Events per engine call: bounds the engines' working memory.
CHUNK_SIZE = 1_000_000
#: From this many rows, point coordinates are read by two threads.
_PARALLEL_READ_ROWS = 100_000

_INDEXES: dict[int, tuple[Frontier, FrontierIndex]] = {}
_DEFAULT: list[Frontier] = []


def _frontier_index(frontier: Frontier) -> FrontierIndex:
    """The search structures of ``frontier``, built on first use."""
    from geomap._index import FrontierIndex

    cached = _INDEXES.get(id(frontier))
    if cached is not None and cached[0] is frontier:
        return cached[1]
    index = FrontierIndex.build(frontier)
    if len(_INDEXES) >= 4:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[id(frontier)] = (frontier, index)
    return index


def _default_frontier() -> Frontier:
    if not _DEFAULT:
        try:
            from geomap.frontier import load_frontier  # type: ignore[attr-defined,unused-ignore]
        except ImportError:  # pragma: no cover - before the packaged frontier exists
            msg = "no packaged frontier: pass a Frontier"
            raise FrontierError(msg) from None
        _DEFAULT.append(load_frontier())
    return _DEFAULT[0]


def _resolve_engine(engine: str) -> Literal["numba", "numpy"]:
    if engine not in ("auto", "numba", "numpy"):
        msg = f"unknown engine {engine!r}: use 'auto', 'numba' or 'numpy'"
        raise InputError(msg)
    if engine == "numpy":
        return "numpy"
    try:
        import geomap._kernel  # noqa: F401
    except Exception as exc:  # numba missing, or broken (e.g. built for another numpy)
        logger.debug("numba kernel unavailable (%s): using the numpy engine", exc)
        if engine == "numba":
            msg = "engine 'numba' needs numba: pip install numba"
            raise DependencyError(msg) from None
        return "numpy"
    return "numba"


def prepare(frontier: Frontier | None = None, *, engine: Engine = "auto") -> None:
    """Build the frontier's search structures and compile the kernel ahead of time.

    :func:`classify` does this on its first call; call ``prepare`` first when that
    call must not pay for it (a benchmark, a server). The compiled kernel is cached on
    disk by numba, so later processes only load it.

    Parameters
    ----------
    frontier : Frontier, optional
        The packaged frontier when None.
    engine : {"auto", "numba", "numpy"}
        The engine to get ready.

    Examples
    --------
    >>> prepare()
    >>> classify_arrays([45.0], [36.0])["side"].tolist()
    [2]
    """
    frontier = frontier if frontier is not None else _default_frontier()
    index = _frontier_index(frontier)
    use = _resolve_engine(engine)
    lon, lat = index.edge_lonlat[:1, 0], index.edge_lonlat[:1, 1]  # a point on the line
    _run(use, index, frontier, lon, lat, np.zeros(1), _bands_m(None))


def classify_arrays(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    frontier: Frontier | None = None,
    *,
    engine: Engine = "auto",
    bands: Sequence[float] | str | None = None,
    uncertainty_m: npt.ArrayLike | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """Classify coordinate arrays (degrees; NaN where there is no location).

    The events are processed in chunks of :data:`CHUNK_SIZE`, so the working
    memory stays bounded whatever the number of events.

    Parameters
    ----------
    lon, lat : array_like
        Coordinates in degrees (EPSG:4326).
    frontier : Frontier, optional
        The packaged frontier when None.
    engine : {"auto", "numba", "numpy"}
        The compiled kernel or the reference engine; same results.
    bands : sequence of float or str, optional
        Band edges in km (default :data:`geomap.settings.DEFAULT_BANDS_KM`).
    uncertainty_m : array_like, optional
        Radius of each location's uncertainty (NaN or absent: 0).

    Returns
    -------
    dict of str to ndarray
        Integer codes rather than labels: ``segment``, ``side`` and ``crossing``
        index ``segment_names``, ``country_codes`` and ``crossing_keys`` of the
        frontier's index, ``band`` the bands (-1: none); ``in_krg`` and
        ``band_certain`` are 1, 0 or -1 (no location); ``distance_m`` and
        ``crossing_m`` are metres (NaN: no location).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString, box
    >>> from geomap.frontier import Frontier
    >>> def frame(geom, **cols):
    ...     return gpd.GeoDataFrame(cols, geometry=[geom] if geom else [], crs=4326)
    >>> f = Frontier(frame(LineString([(45, 35), (45, 36)]), segment=["IR-KRG"]),
    ...              frame(box(44, 35, 45, 36), iso2=["IQ"], name=["Iraq"]),
    ...              frame(None, name=[]), frame(None, key=[]))
    >>> out = classify_arrays([44.9, float("nan")], [35.5, float("nan")], f, bands=[5, 10])
    >>> out["distance_m"].round(1).tolist(), out["side"].tolist(), out["in_krg"].tolist()
    ([9072.9, nan], [0, -1], [-1, -1])
    >>> out["band"].tolist(), out["band_certain"].tolist()
    ([1, -1], [1, -1])
    """
    frontier = frontier if frontier is not None else _default_frontier()
    index = _frontier_index(frontier)
    edges_m = _bands_m(bands)
    lon_a = np.asarray(lon, dtype=np.float64).ravel()
    lat_a = np.asarray(lat, dtype=np.float64).ravel()
    if lon_a.shape != lat_a.shape:
        msg = f"lon and lat differ in length: {len(lon_a)} and {len(lat_a)}"
        raise InputError(msg)
    unc = (
        np.zeros(len(lon_a))
        if uncertainty_m is None
        else np.asarray(uncertainty_m, dtype=np.float64).ravel()
    )
    unc = np.where(unc > 0, unc, 0.0)  # NaN and negative: no uncertainty
    use = _resolve_engine(engine)
    parts = []
    for a in range(0, max(len(lon_a), 1), CHUNK_SIZE):
        sl = slice(a, a + CHUNK_SIZE)
        parts.append(_run(use, index, frontier, lon_a[sl], lat_a[sl], unc[sl], edges_m))
    if len(parts) == 1:
        return parts[0]
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _run(
    use: str,
    index: FrontierIndex,
    frontier: Frontier,
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    unc: npt.NDArray[np.float64],
    edges_m: npt.NDArray[np.float64],
) -> dict[str, npt.NDArray[Any]]:
    from geomap import _reference

    if use == "numpy":
        out = _reference.classify_arrays(index, frontier, lon, lat)
        out["band"], out["band_certain"] = _reference.band_codes(out["distance_m"], unc, edges_m)
        out.pop("status")
        return out
    from geomap import _kernel

    if _kernel.will_compile():
        _say_compiling()
    out = _kernel.classify_arrays(index, lon, lat, unc, edges_m)
    far = np.flatnonzero(out.pop("status") == 2)
    if len(far):  # far from the frontier: the exact slow path
        logger.info("%d events far from the frontier take the exact path", len(far))
        d, s = _reference.finish_far(index, lon[far], lat[far])
        out["distance_m"][far], out["segment"][far] = d, s
        if len(index.crossing_keys):
            ci, cm = _reference.nearest_crossing(index, lon[far], lat[far])
            out["crossing"][far], out["crossing_m"][far] = ci, cm
        out["band"][far], out["band_certain"][far] = _reference.band_codes(d, unc[far], edges_m)
    return out


def _say_compiling() -> None:
    """Tell a person at a terminal why the first run waits (numba caches the result)."""
    from geomap.progress import is_enabled

    logger.info("compiling the classification kernel (cached for later runs)")
    if is_enabled():
        print("geomap: compiling the classification kernel, once (about 20 s)", file=sys.stderr)


def _coordinates(
    events: gpd.GeoDataFrame,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Longitudes and latitudes of point events; NaN for null and empty geometries.

    Reading coordinates out of shapely objects costs about as much as classifying
    them: the type and coordinate-count tests (which let go of the GIL) run on two
    halves at once for large inputs, and x and y are read only where there is a point.
    """
    import shapely

    geoms = events.geometry.to_numpy()
    n = len(geoms)
    kinds = np.empty(n, dtype=np.int64)
    count = np.empty(n, dtype=np.int64)

    def test(part: slice) -> None:
        kinds[part] = shapely.get_type_id(geoms[part])
        count[part] = shapely.get_num_coordinates(geoms[part])

    half = n // 2
    parts = [slice(0, half), slice(half, n)] if n >= _PARALLEL_READ_ROWS else [slice(0, n)]
    if len(parts) == 1:
        test(parts[0])
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(parts)) as pool:
            list(pool.map(test, parts))
    bad = (kinds != 0) & (kinds != -1)
    if bad.any():
        msg = f"classify needs point geometries: {int(bad.sum())} rows have other shapes"
        raise InputError(msg)
    located = count == 1
    if located.all():
        return shapely.get_x(geoms), shapely.get_y(geoms)
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    points = geoms[located]
    lon[located], lat[located] = shapely.get_x(points), shapely.get_y(points)
    return lon, lat


def _bands_m(bands: Sequence[float] | str | None) -> npt.NDArray[np.float64]:
    if bands is None:
        edges: Sequence[float] = DEFAULT_BANDS_KM
    elif isinstance(bands, str):
        edges = parse_bands(bands)
    else:
        edges = parse_bands(",".join(str(float(b)) for b in bands))
    return np.asarray(edges, dtype=np.float64) * 1000.0


def classify(
    events: gpd.GeoDataFrame,
    frontier: Frontier | None = None,
    *,
    bands: Sequence[float] | str | None = None,
    engine: Engine = "auto",
) -> gpd.GeoDataFrame:
    """Add distance, band, segment, side, region and nearest crossing to events.

    Parameters
    ----------
    events : GeoDataFrame
        Point events, any CRS (reprojected to EPSG:4326; no CRS means EPSG:4326).
        Null or empty geometries are kept and get null classification. An
        optional ``uncertainty_m`` column (NaN or absent: 0) drives ``band_certain``.
    frontier : Frontier, optional
        The packaged frontier when None.
    bands : sequence of float or str, optional
        Band edges in km (default :data:`geomap.settings.DEFAULT_BANDS_KM`).
    engine : {"auto", "numba", "numpy"}
        The compiled kernel or the reference engine; same results.

    Returns
    -------
    GeoDataFrame
        A copy in EPSG:4326, rows and other columns kept in order, with
        ``distance_m``, ``segment``, ``band``, ``band_certain``, ``side``,
        ``in_krg``, ``nearest_crossing`` and ``nearest_crossing_m``.

    Examples
    --------
    The Bashmaq crossing lies on the Iran–KRG line; Erbil is well inside the Region:

    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> events = gpd.GeoDataFrame(
    ...     {"id": ["bashmaq", "erbil"]},
    ...     geometry=[Point(46.0052, 35.5758), Point(44.009, 36.191)], crs=4326)
    >>> out = classify(events)
    >>> out[["id", "band", "segment", "side", "in_krg"]].values.tolist()
    [['bashmaq', '0-1 km', 'IR-KRG', 'IQ', True], ['erbil', '>60 km', 'TR-KRG', 'IQ', True]]
    """
    import geopandas as gpd

    if not isinstance(events, gpd.GeoDataFrame):
        msg = f"classify needs a GeoDataFrame, not {type(events).__name__}"
        raise InputError(msg)
    edges_m = _bands_m(bands)
    frontier = frontier if frontier is not None else _default_frontier()
    out = (
        events.to_crs(4326)
        if events.crs is not None and events.crs.to_epsg() != 4326
        else events.copy()
    )
    if out.crs is None:
        out = out.set_crs(4326)
    lon, lat = _coordinates(out)
    codes = classify_arrays(
        lon, lat, frontier, engine=engine, bands=bands, uncertainty_m=_uncertainty(out)
    )
    _add_columns(out, codes, _frontier_index(frontier), edges_m)
    return out


def _uncertainty(events: gpd.GeoDataFrame) -> npt.NDArray[np.float64]:
    import pandas as pd

    if "uncertainty_m" not in events.columns:
        return np.zeros(len(events))
    u = pd.to_numeric(events["uncertainty_m"], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return np.where(u > 0, u, 0.0)


def _categorical(
    out: gpd.GeoDataFrame, codes: npt.NDArray[Any], labels: Sequence[str], *, ordered: bool = False
) -> Any:
    """A categorical column from integer codes (-1: missing); no per-row Python objects."""
    import pandas as pd

    cat = pd.Categorical.from_codes(
        codes.astype(np.int16), categories=pd.Index(list(labels)), ordered=ordered
    )
    return pd.Series(cat, index=out.index, copy=False)


def _boolean(out: gpd.GeoDataFrame, codes: npt.NDArray[Any]) -> Any:
    """A nullable boolean column from 1, 0, -1 (missing)."""
    import pandas as pd

    values = pd.arrays.BooleanArray(codes == 1, codes < 0)
    return pd.Series(values, index=out.index, copy=False)


def _add_columns(
    out: gpd.GeoDataFrame,
    codes: dict[str, npt.NDArray[Any]],
    index: FrontierIndex,
    edges_m: npt.NDArray[np.float64],
) -> None:
    out["distance_m"] = codes["distance_m"]
    out["segment"] = _categorical(out, codes["segment"], index.segment_names)
    labels = band_labels(list(edges_m / 1000.0))
    out["band"] = _categorical(out, codes["band"], labels, ordered=True)
    out["band_certain"] = _boolean(out, codes["band_certain"])
    out["side"] = _categorical(out, codes["side"], index.country_codes)
    out["in_krg"] = _boolean(out, codes["in_krg"])
    out["nearest_crossing"] = _categorical(out, codes["crossing"], index.crossing_keys)
    out["nearest_crossing_m"] = codes["crossing_m"]
