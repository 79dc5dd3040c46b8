"""The compiled classification kernel (numba): one parallel pass over the events.

Per event: the point-in-polygon grids give ``side`` and ``in_krg``; the point is
turned into earth-centred coordinates in the frontier's frame (see
:mod:`geomap._index`) and the bounding-box hierarchy over the frontier edges is
searched nearest box first for the least straight-line (chord) distance. On the
ellipsoid the chord ranks geodesic lengths to within :func:`~geomap._index.chord_slack`,
so only edges that close to the best are measured: the geodesic length of a chord
is the arc of the normal section along it, ``2R asin(c / 2R)`` with ``R`` the
radius of curvature (Euler) in the chord's direction at its middle latitude —
within 4 mm of geographiclib up to 300 km and 0.2 m at :data:`NEAR_M` (measured).
The crossings that can be nearest come from a per-cell list. The same pass gives
the band and whether it is certain.

Events outside the frontier's domain or farther than :data:`NEAR_M` get status 2
and are finished by the exact path in :mod:`geomap._reference`; null coordinates
get status 1.

Import this module only when numba is wanted: importing compiles nothing, the
first call compiles the kernel or loads it from numba's on-disk cache.

Examples
--------
>>> kernel_available()
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numba as nb
import numpy as np
import numpy.typing as npt

from geomap._index import (
    A_WGS84,
    CHORD_SLACK_CUBIC,
    CHORD_SLACK_M,
    E2_WGS84,
    LEAF_SIZE,
    FrontierIndex,
    PolygonGrid,
)

__all__ = ["classify_arrays", "is_compiled", "kernel_available", "will_compile"]

#: Geodesic distances (m) up to which the chord's arc stands for the geodesic length.
NEAR_M = 800_000.0
#: Events per work item of the parallel loop.
BLOCK = 2048
#: Candidate edges kept while searching (more: the event takes the exact path).
CANDIDATES = 64

_INV_A = 1.0 / A_WGS84
_INV_1E2 = 1.0 / (1.0 - E2_WGS84)
_INV_MB = 1.0 / (A_WGS84 * (1.0 - E2_WGS84))

_JIT: dict[str, Any] = {"nogil": True, "cache": True, "fastmath": False, "error_model": "numpy"}

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_F = TypeVar("_F", bound=Callable[..., Any])


def _njit(**options: Any) -> Callable[[_F], _F]:
    """``numba.njit`` with the project's options; the compiled function keeps its signature."""
    return cast("Callable[[_F], _F]", nb.njit(**{**_JIT, **options}))


def kernel_available() -> bool:
    """True: this module imported, so numba is there."""
    return True


def is_compiled() -> bool:
    """True once the kernel is compiled (or loaded from numba's cache) in this process."""
    return bool(getattr(_kernel, "signatures", None))


def will_compile() -> bool:
    """True when the next call compiles the kernel: not in this process, not on disk.

    Asks numba's on-disk cache where its index file would be; False when that
    cannot be told (numba keeps this detail private).
    """
    if is_compiled():
        return False
    try:
        index = cast("Any", _kernel)._cache._cache_file._index_path
    except AttributeError:
        return False
    return not Path(index).exists()


@_njit()
def _slack(c: float) -> float:
    """:func:`geomap._index.chord_slack`, compiled."""
    return c * c * c * CHORD_SLACK_CUBIC + CHORD_SLACK_M


@_njit()
def _arc(v: FloatArray, frame: FloatArray) -> float:
    """Geodesic length (m) of the chord ``v`` from the event.

    ``frame`` holds the event's unit east and north vectors and the sine and cosine
    of its latitude. The arc of the normal section: ``2R asin(c/2R)`` by its series,
    ``R`` from Euler's formula at the chord's middle latitude.
    """
    c2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2]
    ve = v[0] * frame[0] + v[1] * frame[1] + v[2] * frame[2]
    vn = v[0] * frame[3] + v[1] * frame[4] + v[2] * frame[5]
    h2 = ve * ve + vn * vn
    if h2 == 0.0:
        return math.sqrt(c2)
    sin_p, cos_p = frame[6], frame[7]
    w0 = 1.0 - E2_WGS84 * sin_p * sin_p
    # latitude change to the chord's middle: half the northward part over M
    half = 0.5 * vn * w0 * math.sqrt(w0) * _INV_MB
    s = sin_p + cos_p * half
    w = 1.0 - E2_WGS84 * s * s
    inv_n = math.sqrt(w) * _INV_A
    inv_r = inv_n * (vn * vn * w * _INV_1E2 + ve * ve) / h2
    x2 = c2 * inv_r * inv_r / 4.0
    return float(math.sqrt(c2) * (1.0 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * 5.0 / 112.0))))


@_njit()
def _foot(e: FloatArray, i: int, p: FloatArray, v: FloatArray) -> float:
    """Chord ``v`` from ``p`` to the nearest point of edge ``i``; its squared length."""
    ax, ay, az = e[i, 0], e[i, 1], e[i, 2]
    ex, ey, ez = e[i, 3] - ax, e[i, 4] - ay, e[i, 5] - az
    ll = ex * ex + ey * ey + ez * ez
    t = 0.0 if ll == 0.0 else ((p[0] - ax) * ex + (p[1] - ay) * ey + (p[2] - az) * ez) / ll
    t = 0.0 if t < 0.0 else (1.0 if t > 1.0 else t)
    v[0], v[1], v[2] = ax + t * ex - p[0], ay + t * ey - p[1], az + t * ez - p[2]
    return float(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])


@_njit()
def _to_point(points: FloatArray, c: int, p: FloatArray, v: FloatArray) -> float:
    """Chord ``v`` from ``p`` to point ``c``; its squared length."""
    v[0], v[1], v[2] = points[c, 0] - p[0], points[c, 1] - p[1], points[c, 2] - p[2]
    return float(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])


@_njit()
def _box_d2(box: FloatArray, node: int, x: float, y: float) -> float:
    dx = max(box[node, 0] - x, 0.0, x - box[node, 2])
    dy = max(box[node, 1] - y, 0.0, y - box[node, 3])
    return float(dx * dx + dy * dy)


@_njit()
def _in_grid(
    origin: FloatArray,
    shape: npt.NDArray[np.int64],
    status: npt.NDArray[np.int8],
    start: npt.NDArray[np.int64],
    members: npt.NDArray[np.int64],
    edges: FloatArray,
    lon: float,
    lat: float,
) -> bool:
    """Point in polygon: the cell's answer, or a parity count from its reference point."""
    x0, y0, dx, dy, fx, fy = origin[0], origin[1], origin[2], origin[3], origin[4], origin[5]
    ny, nx = shape[0], shape[1]
    c = math.floor((lon - x0) / dx)
    r = math.floor((lat - y0) / dy)
    if c < 0 or r < 0 or c >= nx or r >= ny:
        return False
    cell = r * nx + c
    inside = bool(status[cell] == 1)
    a, b = start[cell], start[cell + 1]
    if a == b:
        return inside
    rx, ry = x0 + (c + fx) * dx, y0 + (r + fy) * dy
    for k in range(a, b):
        j = members[k]
        ax, ay, bx, by = edges[j, 0], edges[j, 1], edges[j, 2], edges[j, 3]
        # does segment R-P cross edge A-B? (proper crossing by orientation signs)
        o1 = (bx - ax) * (ry - ay) - (by - ay) * (rx - ax)
        o2 = (bx - ax) * (lat - ay) - (by - ay) * (lon - ax)
        if (o1 > 0) == (o2 > 0):
            continue
        o3 = (lon - rx) * (ay - ry) - (lat - ry) * (ax - rx)
        o4 = (lon - rx) * (by - ry) - (lat - ry) * (bx - rx)
        if (o3 > 0) != (o4 > 0):
            inside = not inside
    return inside


@_njit()
def _band(d: float, edges_m: FloatArray) -> int:
    """Index of the half-open band [lower, upper) holding ``d``."""
    k = 0
    for e in edges_m:
        if d >= e:
            k += 1
    return k


@_njit()
def _nearest_edge(
    p: FloatArray,
    frame: FloatArray,
    edges: FloatArray,
    box: FloatArray,
    leaves: int,
    guess: int,
    v: FloatArray,
    stack: IntArray,
    bound: FloatArray,
    cand: IntArray,
    chord: FloatArray,
) -> tuple[float, int]:
    """Geodesic distance to the nearest edge and that edge (-1: take the exact path).

    ``guess`` (a piece near the event, -1: none) gives the first bound. The search
    keeps every edge whose chord is within the slack of the best so far (``chord``
    holds squared lengths); those are measured at the end. A box's planar distance
    bounds its chords below.
    """
    m = edges.shape[0]
    x, y = p[0], p[1]
    nc = 0
    best2, limit2 = math.inf, math.inf
    if guess >= 0:  # a piece near the event: its neighbours bound the search from the start
        for i in range(max(guess - 1, 0), min(guess + 2, m)):
            d2 = _foot(edges, i, p, v)
            if d2 < best2:
                best2 = d2
        c = math.sqrt(best2)
        limit2 = (c + _slack(c)) ** 2
    stack[0], bound[0] = 1, 0.0
    top = 1
    while top > 0:
        top -= 1
        if bound[top] > limit2:
            continue
        node = stack[top]
        if node < leaves:
            a, b = 2 * node, 2 * node + 1
            da, db = _box_d2(box, a, x, y), _box_d2(box, b, x, y)
            if da < db:  # push the farther child first: the nearer one is popped next
                a, b, da, db = b, a, db, da
            if da <= limit2:
                stack[top], bound[top] = a, da
                top += 1
            if db <= limit2:
                stack[top], bound[top] = b, db
                top += 1
            continue
        first = (node - leaves) * LEAF_SIZE
        improved = False
        for i in range(first, min(first + LEAF_SIZE, m)):
            d2 = _foot(edges, i, p, v)
            if d2 > limit2:
                continue
            if nc == cand.shape[0]:  # full: keep the candidates still within the limit
                k = 0
                for j in range(nc):
                    if chord[j] <= limit2:
                        cand[k], chord[k] = cand[j], chord[j]
                        k += 1
                nc = k
                if nc == cand.shape[0]:
                    return math.nan, -1
            cand[nc], chord[nc] = i, d2
            nc += 1
            if d2 < best2:
                best2, improved = d2, True
        if improved:
            c = math.sqrt(best2)
            limit2 = (c + _slack(c)) ** 2
    best, best_edge = math.inf, -1
    for j in range(nc):
        if chord[j] <= limit2:
            i = cand[j]
            _foot(edges, i, p, v)
            d = _arc(v, frame)
            if d < best or (d == best and i < best_edge):
                best, best_edge = d, i
    return best, best_edge


@_njit()
def _nearest_crossing(
    p: FloatArray,
    frame: FloatArray,
    points: FloatArray,
    cell: int,
    start: IntArray,
    members: IntArray,
    v: FloatArray,
) -> tuple[float, int]:
    """Geodesic distance to the nearest crossing and its index.

    The candidates are those listed for the event's ``cell`` (-1: outside the grid,
    every crossing).
    """
    inside = cell >= 0
    a, b = 0, points.shape[0]
    if inside:
        a, b = start[cell], start[cell + 1]
    best2 = math.inf
    for k in range(a, b):
        best2 = min(best2, _to_point(points, members[k] if inside else k, p, v))
    limit = math.sqrt(best2)
    limit += _slack(limit)
    best, best_c = math.inf, -1
    for k in range(a, b):
        c = members[k] if inside else k
        if _to_point(points, c, p, v) <= limit * limit:
            d = _arc(v, frame)
            if d < best or (d == best and c < best_c):
                best, best_c = d, c
    return best, best_c


@_njit()
def _side_region(
    lon: float,
    lat: float,
    a_origin: FloatArray,
    a_code: npt.NDArray[np.int8],
    grids: tuple[Any, ...],
    n_countries: int,
    has_region: bool,
) -> tuple[int, int]:
    """Side (the first country holding the point, -1 none) and in-region (1, 0; -1 none).

    From the answer grid where no boundary crosses the cell, else one test per polygon.
    """
    (
        g_origin,
        g_shape,
        g_status,
        g_status_off,
        g_start,
        g_start_off,
        g_members,
        g_members_off,
        g_edges,
        g_edges_off,
    ) = grids
    ac = math.floor((lon - a_origin[0]) / a_origin[2])
    ar = math.floor((lat - a_origin[1]) / a_origin[3])
    code = 0  # outside the grid: outside every polygon
    if 0 <= ac < a_code.shape[1] and 0 <= ar < a_code.shape[0]:
        code = a_code[ar, ac]
    if code >= 0:
        return (code >> 1) - 1, (code & 1) if has_region else -1
    side, region = -1, -1
    for g in range(n_countries + (1 if has_region else 0)):
        if g < n_countries and side >= 0:
            continue
        hit = _in_grid(
            g_origin[g],
            g_shape[g],
            g_status[g_status_off[g] : g_status_off[g + 1]],
            g_start[g_start_off[g] : g_start_off[g + 1]],
            g_members[g_members_off[g] : g_members_off[g + 1]],
            g_edges[g_edges_off[g] : g_edges_off[g + 1]],
            lon,
            lat,
        )
        if g < n_countries:
            if hit:
                side = g
        else:
            region = 1 if hit else 0
    return side, region


@_njit()
def _event_frame(
    lon: float, lat: float, rotation: FloatArray, p: FloatArray, frame: FloatArray
) -> None:
    """The event in the frontier's frame (``p``) and its east/north vectors there (``frame``)."""
    phi, lam = math.radians(lat), math.radians(lon)
    sin_p, cos_p, sin_l, cos_l = math.sin(phi), math.cos(phi), math.sin(lam), math.cos(lam)
    nu = A_WGS84 / math.sqrt(1.0 - E2_WGS84 * sin_p * sin_p)
    x, y, z = nu * cos_p * cos_l, nu * cos_p * sin_l, nu * (1.0 - E2_WGS84) * sin_p
    nx, ny, nz = -sin_p * cos_l, -sin_p * sin_l, cos_p
    for k in range(3):
        r0, r1, r2 = rotation[k, 0], rotation[k, 1], rotation[k, 2]
        p[k] = r0 * x + r1 * y + r2 * z
        frame[k] = -r0 * sin_l + r1 * cos_l
        frame[3 + k] = r0 * nx + r1 * ny + r2 * nz
    frame[6], frame[7] = sin_p, cos_p


@_njit()
def _order(lon: FloatArray, lat: FloatArray, grid: FloatArray) -> IntArray:
    """Event positions sorted by grid cell (counting sort; outside the grid last)."""
    nx, ny = int(grid[4]), int(grid[5])
    n = lon.shape[0]
    key = np.empty(n, dtype=np.int64)
    count = np.zeros(nx * ny + 2, dtype=np.int64)
    for e in range(n):
        k = nx * ny
        if math.isfinite(lon[e]) and math.isfinite(lat[e]):
            col = math.floor((lon[e] - grid[0]) / grid[2])
            row = math.floor((lat[e] - grid[1]) / grid[3])
            if 0 <= col < nx and 0 <= row < ny:
                k = int(row * nx + col)
        key[e] = k
        count[k + 1] += 1
    for k in range(1, count.shape[0]):
        count[k] += count[k - 1]
    out = np.empty(n, dtype=np.int64)
    for e in range(n):
        out[count[key[e]]] = e
        count[key[e]] += 1
    return out


@_njit(parallel=True)
def _kernel(
    lon_in: FloatArray,
    lat_in: FloatArray,
    unc_in: FloatArray,
    edges_m: FloatArray,
    domain: FloatArray,
    rotation: FloatArray,
    edges: FloatArray,
    eseg: npt.NDArray[np.int8],
    box: FloatArray,
    leaves: int,
    crossings: FloatArray,
    c_grid: FloatArray,
    c_start: IntArray,
    c_members: IntArray,
    guesses: IntArray,
    grids: tuple[Any, ...],
    n_countries: int,
    has_region: bool,
    a_origin: FloatArray,
    a_code: npt.NDArray[np.int8],
    dist: FloatArray,
    seg: npt.NDArray[np.int8],
    side: npt.NDArray[np.int8],
    in_region: npt.NDArray[np.int8],
    cross: npt.NDArray[np.int16],
    cross_m: FloatArray,
    band: npt.NDArray[np.int8],
    certain: npt.NDArray[np.int8],
    status: npt.NDArray[np.int8],
    order: IntArray,
) -> None:
    size = lon_in.shape[0]
    blocks = (size + BLOCK - 1) // BLOCK
    for blk in nb.prange(blocks):
        stack = np.empty(128, dtype=np.int64)
        bound = np.empty(128)
        cand = np.empty(CANDIDATES, dtype=np.int64)
        chord = np.empty(CANDIDATES)
        p, v, frame = np.empty(3), np.empty(3), np.empty(8)
        first = blk * BLOCK
        count = min(size, first + BLOCK) - first
        # the block's events, in place order (inputs gathered, outputs scattered back)
        b_lon, b_lat, b_unc = np.empty(count), np.empty(count), np.empty(count)
        for e in range(count):
            o = order[first + e]
            b_lon[e], b_lat[e], b_unc[e] = lon_in[o], lat_in[o], unc_in[o]
        b_dist, b_cross_m = np.empty(count), np.empty(count)
        b_seg, b_side = np.empty(count, np.int8), np.empty(count, np.int8)
        b_in_region, b_band = np.empty(count, np.int8), np.empty(count, np.int8)
        b_certain, b_status = np.empty(count, np.int8), np.empty(count, np.int8)
        b_cross = np.empty(count, np.int16)
        for e in range(count):
            lon, lat = b_lon[e], b_lat[e]
            b_dist[e], b_seg[e], b_side[e], b_in_region[e] = math.nan, -1, -1, -1
            b_cross[e], b_cross_m[e], b_band[e], b_certain[e] = -1, math.nan, -1, -1
            if not (math.isfinite(lon) and math.isfinite(lat)):
                b_status[e] = 1
                continue
            b_status[e] = 2
            s, r = _side_region(lon, lat, a_origin, a_code, grids, n_countries, has_region)
            b_side[e], b_in_region[e] = s, r
            if not (domain[0] <= lon <= domain[2] and domain[1] <= lat <= domain[3]):
                continue
            _event_frame(lon, lat, rotation, p, frame)
            col = math.floor((lon - c_grid[0]) / c_grid[2])
            row = math.floor((lat - c_grid[1]) / c_grid[3])
            cell = -1
            if 0 <= col < c_grid[4] and 0 <= row < c_grid[5]:
                cell = int(row * c_grid[4] + col)
            guess = guesses[cell] if cell >= 0 else -1
            d, i = _nearest_edge(p, frame, edges, box, leaves, guess, v, stack, bound, cand, chord)
            if i < 0 or d > NEAR_M:
                continue
            if crossings.shape[0] > 0:
                cm, c = _nearest_crossing(p, frame, crossings, cell, c_start, c_members, v)
                if c < 0 or cm > NEAR_M:
                    continue
                b_cross[e], b_cross_m[e] = c, cm
            b_status[e] = 0
            b_dist[e], b_seg[e] = d, eseg[i]
            b_band[e] = _band(d, edges_m)
            u = b_unc[e]
            if u > 0.0:
                b_certain[e] = 1 if _band(max(d - u, 0.0), edges_m) == _band(d + u, edges_m) else 0
            else:
                b_certain[e] = 1
        for e in range(count):
            o = order[first + e]
            dist[o], seg[o], side[o], in_region[o] = b_dist[e], b_seg[e], b_side[e], b_in_region[e]
            cross[o], cross_m[o], band[o] = b_cross[e], b_cross_m[e], b_band[e]
            certain[o], status[o] = b_certain[e], b_status[e]


def _flat_grids(index: FrontierIndex) -> tuple[npt.NDArray[Any], ...]:
    grids: list[PolygonGrid] = list(index.countries) + ([index.region] if index.region else [])
    origin = np.array([[g.x0, g.y0, g.dx, g.dy, g.REF_FX, g.REF_FY] for g in grids] or [[0.0] * 6])
    shape = np.array([[g.ny, g.nx] for g in grids] or [[0, 0]], dtype=np.int64)

    def flat(
        parts: list[npt.NDArray[Any]], dtype: type, width: int = 0
    ) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
        off = np.zeros(len(parts) + 1, dtype=np.int64)
        off[1:] = np.cumsum([len(a) for a in parts])
        empty: npt.NDArray[Any] = np.zeros((0, width) if width else 0, dtype=dtype)
        return (np.concatenate(parts).astype(dtype) if parts else empty), off

    status, status_off = flat([g.status.ravel() for g in grids], np.int8)
    start, start_off = flat([g.cell_start for g in grids], np.int64)
    members, members_off = flat([g.cell_edges for g in grids], np.int64)
    edges, edges_off = flat([g.edges for g in grids], np.float64, 4)
    return (
        origin,
        shape,
        status,
        status_off,
        start,
        start_off,
        members,
        members_off,
        edges,
        edges_off,
    )


def _answers(index: FrontierIndex) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    a = index.answers
    return np.array([a.x0, a.y0, a.dx, a.dy]), a.code


_FLAT: dict[int, tuple[FrontierIndex, tuple[npt.NDArray[Any], ...], IntArray]] = {}


@_njit(parallel=True)
def _guess_kernel(
    lon: FloatArray,
    lat: FloatArray,
    rotation: FloatArray,
    edges: FloatArray,
    box: FloatArray,
    leaves: int,
    out: IntArray,
) -> None:
    for blk in nb.prange((lon.shape[0] + BLOCK - 1) // BLOCK):
        stack, bound = np.empty(128, dtype=np.int64), np.empty(128)
        cand, chord = np.empty(CANDIDATES, dtype=np.int64), np.empty(CANDIDATES)
        p, v, frame = np.empty(3), np.empty(3), np.empty(8)
        for k in range(blk * BLOCK, min(lon.shape[0], (blk + 1) * BLOCK)):
            _event_frame(lon[k], lat[k], rotation, p, frame)
            out[k] = _nearest_edge(p, frame, edges, box, leaves, -1, v, stack, bound, cand, chord)[
                1
            ]


def _cell_guesses(index: FrontierIndex) -> IntArray:
    """The piece nearest to the centre of every cell of ``index.crossing_cells``."""
    cells = index.crossing_cells
    col, row = np.meshgrid(np.arange(cells.nx), np.arange(cells.ny))
    lon = (cells.x0 + (col.ravel() + 0.5) * cells.dx).astype(np.float64)
    lat = (cells.y0 + (row.ravel() + 0.5) * cells.dy).astype(np.float64)
    out = np.empty(len(lon), dtype=np.int64)
    _guess_kernel(lon, lat, index.rotation, index.chord, index.bvh, index.bvh_leaves, out)
    return out


def classify_arrays(
    index: FrontierIndex,
    lon: FloatArray,
    lat: FloatArray,
    uncertainty: FloatArray,
    edges_m: FloatArray,
) -> dict[str, npt.NDArray[Any]]:
    """Run the kernel on coordinate arrays; see :func:`geomap._reference.classify_arrays`."""
    cached = _FLAT.get(id(index))
    if cached is None or cached[0] is not index:
        cached = (index, _flat_grids(index), _cell_guesses(index))
        _FLAT.clear()
        _FLAT[id(index)] = cached
    guesses = cached[2]
    a_origin, a_code = _answers(index)
    cells = index.crossing_cells
    c_grid = np.array(
        [cells.x0, cells.y0, cells.dx, cells.dy, cells.nx, cells.ny], dtype=np.float64
    )
    size = len(lon)
    out: dict[str, npt.NDArray[Any]] = {
        "distance_m": np.empty(size),
        "segment": np.empty(size, np.int8),
        "side": np.empty(size, np.int8),
        "in_krg": np.empty(size, np.int8),
        "crossing": np.empty(size, np.int16),
        "crossing_m": np.empty(size),
        "band": np.empty(size, np.int8),
        "band_certain": np.empty(size, np.int8),
        "status": np.empty(size, np.int8),
    }
    # events taken cell by cell (each block gathers its events and scatters its
    # results back): those of one cell share the search structures they touch,
    # which then stay in the processor's caches
    lon_c = np.ascontiguousarray(lon, dtype=np.float64)
    lat_c = np.ascontiguousarray(lat, dtype=np.float64)
    order = _order(lon_c, lat_c, c_grid)
    # blocks handed out one at a time: sorted by place, some blocks cost more than others
    previous = nb.set_parallel_chunksize(1)
    try:
        _kernel(
            lon_c,
            lat_c,
            np.ascontiguousarray(uncertainty, dtype=np.float64),
            np.ascontiguousarray(edges_m, dtype=np.float64),
            np.array(index.domain),
            index.rotation,
            index.chord,
            index.chord_segment,
            index.bvh,
            index.bvh_leaves,
            index.crossing_chord,
            c_grid,
            cells.start,
            cells.members,
            guesses,
            cached[1],
            len(index.countries),
            index.region is not None,
            a_origin,
            a_code,
            out["distance_m"],
            out["segment"],
            out["side"],
            out["in_krg"],
            out["crossing"],
            out["crossing_m"],
            out["band"],
            out["band_certain"],
            out["status"],
            order,
        )
    finally:
        nb.set_parallel_chunksize(previous)
    return out
