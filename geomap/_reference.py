"""The reference classification engine: numpy, shapely and pyproj only.

Slower than :mod:`geomap._kernel` but built from independent parts, so the
tests can compare the two: pyproj's own Lambert projection and a shapely
``STRtree`` pick the candidate edges; each candidate edge is taken as a
geodesic and the foot point found by Newton steps with pyproj's ``Geod``
(Karney's algorithms); side and region come from ``shapely.contains_xy``.

It also finishes, for both engines, the events outside the projection's domain
(:func:`finish_far`): all frontier vertices are measured with ``Geod`` and the
edges around the nearest one refined.

Examples
--------
>>> import numpy as np
>>> _argmin_per_group(np.array([0, 0, 1]), np.array([5.0, 2.0, 7.0]), 2).tolist()
[1, 2]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from geomap._index import FrontierIndex
    from geomap.frontier import Frontier

__all__ = ["band_codes", "classify_arrays", "finish_far", "geodesic_to_edges", "nearest_crossing"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Point-vertex pairs measured per batch on the exact far path.
_BATCH_PAIRS = 2_000_000
_NEWTON_STEPS = 4
_CACHE: dict[int, tuple[Any, ...]] = {}


def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def _argmin_per_group(group: IntArray, value: FloatArray, groups: int) -> IntArray:
    """Index (into ``value``) of the smallest value of each group; -1 for empty groups."""
    order = np.lexsort((value, group))
    first = np.full(groups, -1, dtype=np.int64)
    g = group[order]
    is_first = np.ones(len(g), dtype=bool)
    is_first[1:] = g[1:] != g[:-1]
    first[g[is_first]] = order[is_first]
    return first


def geodesic_to_edges(
    index: FrontierIndex, lon: FloatArray, lat: FloatArray, edge: IntArray, t0: FloatArray
) -> FloatArray:
    """Geodesic distance from points to geodesic edges, Newton steps from fraction ``t0``."""
    geod = _geod()
    e = index.edge_lonlat[edge]
    az_edge, _, length = geod.inv(e[:, 0], e[:, 1], e[:, 2], e[:, 3])
    s = np.clip(t0, 0.0, 1.0) * length
    best = np.full(len(lon), np.inf)
    for _ in range(_NEWTON_STEPS):
        qlon, qlat, back = geod.fwd(e[:, 0], e[:, 1], az_edge, s)
        az_to_p, _, d = geod.inv(qlon, qlat, lon, lat)
        best = np.minimum(best, d)
        forward = np.asarray(back) + 180.0
        s = np.clip(s + d * np.cos(np.radians(az_to_p - forward)), 0.0, length)
    for ends in ((0, 1), (2, 3)):  # the vertices themselves (a clamped foot)
        best = np.minimum(best, geod.inv(e[:, ends[0]], e[:, ends[1]], lon, lat)[2])
    return best


def _state(index: FrontierIndex) -> tuple[Any, ...]:
    import shapely
    from pyproj import Transformer

    cached = _CACHE.get(id(index))
    if cached is not None and cached[0] is index:
        return cached
    to_plane = Transformer.from_crs("EPSG:4326", index.lcc.proj4(), always_xy=True)
    e = index.edge_lonlat
    x0, y0 = to_plane.transform(e[:, 0], e[:, 1])
    x1, y1 = to_plane.transform(e[:, 2], e[:, 3])
    xy = np.column_stack([x0, y0, x1, y1])
    tree = shapely.STRtree(shapely.linestrings(xy.reshape(-1, 2, 2)))
    cached = (index, to_plane, xy, tree)
    _CACHE.clear()
    _CACHE[id(index)] = cached
    return cached


def _planar_t(xy: FloatArray, edge: IntArray, x: FloatArray, y: FloatArray) -> FloatArray:
    e = xy[edge]
    ex, ey = e[:, 2] - e[:, 0], e[:, 3] - e[:, 1]
    ll = np.where(ex * ex + ey * ey == 0, 1.0, ex * ex + ey * ey)
    return np.clip(((x - e[:, 0]) * ex + (y - e[:, 1]) * ey) / ll, 0.0, 1.0)


def _ratio(index: FrontierIndex, rho: FloatArray, d: FloatArray) -> FloatArray:
    """Bound of the scale-factor ratio between the point and the frontier (as the kernel)."""
    first, step = index.rho_table
    table = index.inv_scale
    lo = np.minimum(rho, index.frontier_rho[0]) - 0.1 * d
    hi = np.maximum(rho, index.frontier_rho[1]) + 0.1 * d
    grid = first + step * np.arange(len(table))
    f_lo, f_hi = np.interp(lo, grid, table), np.interp(hi, grid, table)
    peak = int(np.argmax(table))
    fmax = np.where((lo <= grid[peak]) & (grid[peak] <= hi), table[peak], np.maximum(f_lo, f_hi))
    fmax = np.maximum(fmax, np.maximum(f_lo, f_hi))
    out: FloatArray = fmax / np.minimum(f_lo, f_hi) * (1 + 1e-9)
    return out


def _nearest_edges(
    index: FrontierIndex, lon: FloatArray, lat: FloatArray
) -> tuple[FloatArray, IntArray]:
    """Distance and segment for points inside the domain, via STRtree candidates."""
    import shapely

    _, to_plane, xy, tree = _state(index)
    x, y = to_plane.transform(lon, lat)
    pts = shapely.points(x, y)
    (qi, _), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    u = np.empty(len(lon))
    u[qi] = dist
    rho = np.hypot(x, index.lcc.rho0 - y)
    limit = u * _ratio(index, rho, u) + 1.0
    p, edge = tree.query(pts, predicate="dwithin", distance=limit)
    t0 = _planar_t(xy, edge, x[p], y[p])
    d = geodesic_to_edges(index, lon[p], lat[p], edge, t0)
    pick = _argmin_per_group(p, d, len(lon))
    return d[pick], index.edge_segment[edge[pick]].astype(np.int64)


def finish_far(
    index: FrontierIndex, lon: FloatArray, lat: FloatArray
) -> tuple[FloatArray, IntArray]:
    """Exact distance and segment for any points (slow: every vertex is measured)."""
    if len(lon) == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    geod = _geod()
    e = index.edge_lonlat
    vlon, vlat = np.append(e[:, 0], e[-1, 2]), np.append(e[:, 1], e[-1, 3])
    nearest = np.empty(len(lon), dtype=np.int64)
    rows = max(1, _BATCH_PAIRS // len(vlon))
    for a in range(0, len(lon), rows):
        b = min(a + rows, len(lon))
        plon, vl = np.broadcast_arrays(lon[a:b, None], vlon[None, :])
        plat, vt = np.broadcast_arrays(lat[a:b, None], vlat[None, :])
        d = geod.inv(plon.ravel(), plat.ravel(), vl.ravel(), vt.ravel())[2].reshape(b - a, -1)
        nearest[a:b] = np.argmin(d, axis=1)
    # vertex v ends edge v-1 and starts edge v (pieces may not join: both are still edges)
    edge = np.concatenate([np.clip(nearest - 1, 0, len(e) - 1), np.clip(nearest, 0, len(e) - 1)])
    p = np.concatenate([np.arange(len(lon))] * 2)
    d = geodesic_to_edges(index, lon[p], lat[p], edge, np.full(len(p), 0.5))
    pick = _argmin_per_group(p, d, len(lon))
    return d[pick], index.edge_segment[edge[pick]].astype(np.int64)


def _polygons(frontier: Frontier) -> tuple[list[Any], Any]:
    import shapely

    countries = list(frontier.countries.geometry)
    for geom in countries:
        shapely.prepare(geom)
    region_parts = [g for g in frontier.region.geometry if g is not None and not g.is_empty]
    region = shapely.union_all(region_parts) if region_parts else None
    if region is not None:
        shapely.prepare(region)
    return countries, region


def classify_arrays(
    index: FrontierIndex, frontier: Frontier, lon: FloatArray, lat: FloatArray
) -> dict[str, npt.NDArray[Any]]:
    """Classify coordinate arrays (NaN = no location).

    Returns arrays ``distance_m``, ``segment`` (index into ``index.segment_names``,
    -1 none), ``side`` (index into ``index.country_codes``, -1 none), ``in_krg``
    (1, 0, -1 none), ``crossing`` (index, -1 none), ``crossing_m`` and ``status``
    (0 done, 1 no location).
    """
    import shapely

    size = len(lon)
    ok = np.isfinite(lon) & np.isfinite(lat)
    out: dict[str, npt.NDArray[Any]] = {
        "distance_m": np.full(size, np.nan),
        "segment": np.full(size, -1, np.int8),
        "side": np.full(size, -1, np.int8),
        "in_krg": np.full(size, -1, np.int8),
        "crossing": np.full(size, -1, np.int16),
        "crossing_m": np.full(size, np.nan),
        "status": np.where(ok, 0, 1).astype(np.int8),
    }
    if not ok.any():  # no located event: nothing to measure (numpy cannot reshape size 0)
        return out
    lo, la = lon[ok], lat[ok]
    w, s, e, n = index.domain
    near = (lo >= w) & (lo <= e) & (la >= s) & (la <= n)
    dist, seg = np.empty(len(lo)), np.empty(len(lo), dtype=np.int64)
    if near.any():
        dist[near], seg[near] = _nearest_edges(index, lo[near], la[near])
    if (~near).any():
        dist[~near], seg[~near] = finish_far(index, lo[~near], la[~near])
    out["distance_m"][ok], out["segment"][ok] = dist, seg
    countries, region = _polygons(frontier)
    side = np.full(len(lo), -1, dtype=np.int8)
    for i, geom in reversed(list(enumerate(countries))):  # the first country listed wins
        side[shapely.contains_xy(geom, lo, la)] = i
    out["side"][ok] = side
    if region is not None:
        out["in_krg"][ok] = shapely.contains_xy(region, lo, la)
    if len(index.crossing_keys):
        ci, cm = nearest_crossing(index, lo, la)
        out["crossing"][ok], out["crossing_m"][ok] = ci, cm
    return out


def nearest_crossing(
    index: FrontierIndex, lon: FloatArray, lat: FloatArray
) -> tuple[IntArray, FloatArray]:
    if len(lon) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    geod = _geod()
    c = index.crossing_lonlat
    plon, clon = np.broadcast_arrays(lon[:, None], c[None, :, 0])
    plat, clat = np.broadcast_arrays(lat[:, None], c[None, :, 1])
    d = geod.inv(plon.ravel(), plat.ravel(), clon.ravel(), clat.ravel())[2].reshape(len(lon), -1)
    idx = np.argmin(d, axis=1)
    return idx, d[np.arange(len(lon)), idx]


def band_codes(dist: FloatArray, unc: FloatArray, edges_m: FloatArray) -> tuple[IntArray, IntArray]:
    """Band index (half-open ``[lower, upper)``) and certainty (1, 0; -1: no distance).

    Examples
    --------
    >>> band, certain = band_codes(np.array([999.0, 1000.0, np.nan]), np.array([0.0, 5.0, 0.0]),
    ...                            np.array([1000.0, 5000.0]))
    >>> band.tolist(), certain.tolist()
    ([0, 1, -1], [1, 0, -1])
    """
    located = np.isfinite(dist)
    safe = np.where(located, dist, 0.0)
    band = np.where(located, np.searchsorted(edges_m, safe, side="right"), -1)
    near = np.searchsorted(edges_m, np.maximum(safe - unc, 0.0), side="right")
    far = np.searchsorted(edges_m, safe + unc, side="right")
    certain = np.where(located, (near == far).astype(np.int8), -1)
    return band.astype(np.int8), certain.astype(np.int8)
