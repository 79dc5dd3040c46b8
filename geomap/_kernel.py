"""The compiled classification kernel (numba): one parallel pass over the events.

Per event: the point-in-polygon grids give ``side`` and ``in_krg``; the point is
projected to the frontier's Lambert conformal plane and the bounding-box hierarchy
over the frontier edges is searched nearest box first. Every edge is ranked by the
geodesic length of the chord from the point to its planar foot point: the
projection is conformal, so that length is the integral of the inverse scale
factor ``1/k`` along the chord (Simpson's rule on a table of ``1/k``; within 0.2 m
of the geodesic up to :data:`NEAR_M`, measured against geographiclib). An edge is
skipped when even its planar distance times the least ``1/k`` near the point
cannot beat the best length so far, and a box when its planar distance is beyond
that bound (a per-leaf bound from the slope of ``1/k`` cost more than it saved). The same
pass gives the nearest crossing, the band and whether the band is certain.

Events farther than :data:`NEAR_M` from the frontier (or its crossings) get
status 2 and are finished by the exact path in :mod:`geomap._reference`; null
coordinates get status 1.

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
from typing import Any, TypeVar, cast

import numba as nb
import numpy as np
import numpy.typing as npt

from geomap._index import A_WGS84, E_WGS84, F_WGS84, LEAF_SIZE, FrontierIndex, PolygonGrid

__all__ = ["classify_arrays", "is_compiled", "kernel_available"]

#: Planar distances (m) up to which the chord integral stands for the geodesic length.
NEAR_M = 500_000.0
#: Newton steps of the foot point on the far path.
FAR_NEWTON_STEPS = 3
#: Slack (m) when deciding which edges might still be the nearest.
TOLERANCE_M = 0.5
#: Least 1/k accepted near an event: beyond it the event takes the exact path.
MIN_INV_SCALE = 0.985
#: Events per work item of the parallel loop.
BLOCK = 2048

_JIT: dict[str, Any] = {"nogil": True, "cache": True, "fastmath": False, "error_model": "numpy"}

FloatArray = npt.NDArray[np.float64]
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


@_njit()
def _project(
    lon: float, lat: float, lon0: float, n: float, af: float, rho0: float
) -> tuple[float, float, float]:
    phi = math.radians(lat)
    s = math.sin(phi)
    t = math.tan(math.pi / 4 - phi / 2) / ((1 - E_WGS84 * s) / (1 + E_WGS84 * s)) ** (E_WGS84 / 2)
    rho = af * t**n
    theta = n * math.radians(lon - lon0)
    return rho * math.sin(theta), rho0 - rho * math.cos(theta), rho


@_njit()
def _inv_scale(rho: float, rho_first: float, rho_step: float, table: FloatArray) -> float:
    u = (rho - rho_first) / rho_step
    last = table.shape[0] - 2
    if u <= 0.0:
        return float(table[0])
    if u >= last:
        return float(table[last + 1])
    i = int(u)
    f = u - i
    return float(table[i] * (1.0 - f) + table[i + 1] * f)


@_njit()
def _f_at(
    x: float, y: float, rho0: float, rho_first: float, rho_step: float, table: FloatArray
) -> float:
    return _inv_scale(math.sqrt(x * x + (rho0 - y) * (rho0 - y)), rho_first, rho_step, table)


@_njit()
def _least_inv_scale(
    rho: float, r: float, rho_first: float, rho_step: float, table: FloatArray
) -> float:
    """Least 1/k within cone radius ``rho`` ± ``r`` (1/k has one interior maximum)."""
    return min(
        _inv_scale(rho - r, rho_first, rho_step, table),
        _inv_scale(rho + r, rho_first, rho_step, table),
    )


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
    x: float,
    y: float,
    rho_p: float,
    fp: float,
    proj: FloatArray,
    table: FloatArray,
    exy: FloatArray,
    box: FloatArray,
    leaves: int,
    stack: npt.NDArray[np.int64],
) -> tuple[float, int]:
    """Geodesic distance to the nearest edge and that edge (-1: take the exact path)."""
    rho0, rho_first, rho_step = proj[3], proj[4], proj[5]
    m = exy.shape[0]
    best, best_edge = math.inf, -1
    limit2 = math.inf  # squared planar distance beyond which no edge can win
    stack[0] = 1
    top = 1
    while top > 0:
        top -= 1
        node = stack[top]
        if _box_d2(box, node, x, y) > limit2:
            continue
        if node < leaves:
            a, b = 2 * node, 2 * node + 1
            da, db = _box_d2(box, a, x, y), _box_d2(box, b, x, y)
            if da < db:  # push the farther child first: the nearer one is popped next
                a, b, da, db = b, a, db, da
            if da <= limit2:
                stack[top] = a
                top += 1
            if db <= limit2:
                stack[top] = b
                top += 1
            continue
        first = (node - leaves) * LEAF_SIZE
        for i in range(first, min(first + LEAF_SIZE, m)):
            ax, ay = exy[i, 0], exy[i, 1]
            ex, ey = exy[i, 2] - ax, exy[i, 3] - ay
            ll = ex * ex + ey * ey
            t = 0.0 if ll == 0.0 else ((x - ax) * ex + (y - ay) * ey) / ll
            t = 0.0 if t < 0.0 else (1.0 if t > 1.0 else t)
            qx, qy = ax + t * ex, ay + t * ey
            d2 = (qx - x) * (qx - x) + (qy - y) * (qy - y)
            if d2 > limit2:
                continue
            u = math.sqrt(d2)
            fm = _f_at((x + qx) / 2, (y + qy) / 2, rho0, rho_first, rho_step, table)
            fq = _f_at(qx, qy, rho0, rho_first, rho_step, table)
            d = u * (fp + 4.0 * fm + fq) / 6.0
            if d < best:
                best, best_edge = d, i
                # an edge at planar distance u_e is at least u_e * fmin away
                r = best * 1.02 + TOLERANCE_M
                fmin = _least_inv_scale(rho_p, r, rho_first, rho_step, table)
                if fmin < MIN_INV_SCALE:
                    return math.nan, -1
                lim = best / fmin + TOLERANCE_M
                limit2 = lim * lim
    return best, best_edge


@_njit()
def _vincenty(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[float, float]:
    """Geodesic distance (m) and the forward azimuth at point 2 (radians); NaN if no convergence."""
    b = A_WGS84 * (1 - F_WGS84)
    f = F_WGS84
    u1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    big_l = math.radians(lon2 - lon1)
    su1, cu1, su2, cu2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    lam = big_l
    for _ in range(100):
        sl, cl = math.sin(lam), math.cos(lam)
        ss = math.sqrt((cu2 * sl) ** 2 + (cu1 * su2 - su1 * cu2 * cl) ** 2)
        if ss == 0.0:
            return 0.0, 0.0
        cs = su1 * su2 + cu1 * cu2 * cl
        sigma = math.atan2(ss, cs)
        sa = cu1 * cu2 * sl / ss
        c2a = 1 - sa * sa
        c2sm = cs - 2 * su1 * su2 / c2a if c2a != 0.0 else 0.0
        c = f / 16 * c2a * (4 + f * (4 - 3 * c2a))
        prev = lam
        lam = big_l + (1 - c) * f * sa * (sigma + c * ss * (c2sm + c * cs * (-1 + 2 * c2sm * c2sm)))
        if abs(lam - prev) < 1e-12:
            break
    else:
        return math.nan, 0.0
    u_sq = c2a * (A_WGS84 * A_WGS84 - b * b) / (b * b)
    ka = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    kb = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    ds = (
        kb
        * ss
        * (
            c2sm
            + kb
            / 4
            * (
                cs * (-1 + 2 * c2sm * c2sm)
                - kb / 6 * c2sm * (-3 + 4 * ss * ss) * (-3 + 4 * c2sm * c2sm)
            )
        )
    )
    az2 = math.atan2(cu1 * math.sin(lam), -su1 * cu2 + cu1 * su2 * math.cos(lam))
    return b * ka * (sigma - ds), az2


@_njit()
def _far_edge_distance(
    i: int,
    t: float,
    lon: float,
    lat: float,
    ell: FloatArray,
    exy: FloatArray,
    proj: FloatArray,
    table: FloatArray,
) -> float:
    """Geodesic distance (Vincenty) to edge ``i``, the foot moved along it by Newton steps."""
    lon0, n, rho0, rho_first, rho_step = proj[0], proj[1], proj[3], proj[4], proj[5]
    ex, ey = exy[i, 2] - exy[i, 0], exy[i, 3] - exy[i, 1]
    length = math.hypot(ex, ey)
    best = math.inf
    for _ in range(FAR_NEWTON_STEPS):
        qlon = ell[i, 0] + t * (ell[i, 2] - ell[i, 0])
        qlat = ell[i, 1] + t * (ell[i, 3] - ell[i, 1])
        d, az = _vincenty(lon, lat, qlon, qlat)
        if math.isnan(d):
            return math.nan
        best = min(best, d)
        if length == 0.0:
            break
        qx, qy = exy[i, 0] + t * ex, exy[i, 1] + t * ey
        edge_az = math.atan2(ex, ey) + n * math.radians(qlon - lon0)
        k = 1.0 / _f_at(qx, qy, rho0, rho_first, rho_step, table)
        t2 = min(max(t - d * math.cos(az - edge_az) * k / length, 0.0), 1.0)  # az points away
        if abs(t2 - t) * length < 1e-3:
            break
        t = t2
    return best


@_njit()
def _chord_slack(d: float) -> float:
    """Bound of (chord integral - geodesic length) at length ``d`` (measured: 10x below)."""
    return float(d * 2e-5 * (d / 1e6) ** 2.5 + 1.0)


@_njit()
def _refine_far(
    x: float,
    y: float,
    lon: float,
    lat: float,
    rho_p: float,
    fp: float,
    best: float,
    proj: FloatArray,
    table: FloatArray,
    ell: FloatArray,
    exy: FloatArray,
    box: FloatArray,
    leaves: int,
    stack: npt.NDArray[np.int64],
) -> tuple[float, int]:
    """Exact distance for a far event: every edge whose chord length is near the best."""
    rho0, rho_first, rho_step = proj[3], proj[4], proj[5]
    top_est = best + _chord_slack(best)
    fmin = _least_inv_scale(rho_p, top_est * 1.02 + TOLERANCE_M, rho_first, rho_step, table)
    if fmin < MIN_INV_SCALE:
        return math.nan, -1
    lim = top_est / fmin + TOLERANCE_M
    limit2 = lim * lim
    m = exy.shape[0]
    exact, exact_edge = math.inf, -1
    stack[0] = 1
    top = 1
    while top > 0:
        top -= 1
        node = stack[top]
        if _box_d2(box, node, x, y) > limit2:
            continue
        if node < leaves:
            stack[top] = 2 * node
            stack[top + 1] = 2 * node + 1
            top += 2
            continue
        first = (node - leaves) * LEAF_SIZE
        for i in range(first, min(first + LEAF_SIZE, m)):
            ax, ay = exy[i, 0], exy[i, 1]
            ex, ey = exy[i, 2] - ax, exy[i, 3] - ay
            ll = ex * ex + ey * ey
            t = 0.0 if ll == 0.0 else ((x - ax) * ex + (y - ay) * ey) / ll
            t = 0.0 if t < 0.0 else (1.0 if t > 1.0 else t)
            qx, qy = ax + t * ex, ay + t * ey
            d2 = (qx - x) * (qx - x) + (qy - y) * (qy - y)
            if d2 > limit2:
                continue
            fm = _f_at((x + qx) / 2, (y + qy) / 2, rho0, rho_first, rho_step, table)
            fq = _f_at(qx, qy, rho0, rho_first, rho_step, table)
            if math.sqrt(d2) * (fp + 4.0 * fm + fq) / 6.0 > top_est:
                continue
            d = _far_edge_distance(i, t, lon, lat, ell, exy, proj, table)
            if math.isnan(d):
                return math.nan, -1
            if d < exact:
                exact, exact_edge = d, i
    return exact, exact_edge


@_njit()
def _nearest_crossing(
    x: float,
    y: float,
    lon: float,
    lat: float,
    rho_p: float,
    fp: float,
    proj: FloatArray,
    table: FloatArray,
    cxy: FloatArray,
    cll: FloatArray,
) -> tuple[float, int]:
    """Geodesic distance to the nearest crossing and its index (-1: take the exact path)."""
    rho0, rho_first, rho_step = proj[3], proj[4], proj[5]
    nc = cxy.shape[0]
    u2min = math.inf
    for c in range(nc):
        dx, dy = cxy[c, 0] - x, cxy[c, 1] - y
        u2min = min(u2min, dx * dx + dy * dy)
    umin = math.sqrt(u2min)
    r = umin * 1.05 + TOLERANCE_M
    fmin = _least_inv_scale(rho_p, r, rho_first, rho_step, table)
    fmax = max(
        _inv_scale(rho_p - r, rho_first, rho_step, table),
        _inv_scale(rho_p + r, rho_first, rho_step, table),
        table[int(proj[8])],
    )
    if fmin < MIN_INV_SCALE:
        return math.nan, -1
    limit = (umin * fmax + _chord_slack(umin * fmax)) / fmin + TOLERANCE_M
    limit2 = limit * limit
    best, best_c = math.inf, -1
    for c in range(nc):
        qx, qy = cxy[c, 0], cxy[c, 1]
        u2 = (qx - x) * (qx - x) + (qy - y) * (qy - y)
        if u2 <= limit2:
            fm = _f_at((x + qx) / 2, (y + qy) / 2, rho0, rho_first, rho_step, table)
            fq = _f_at(qx, qy, rho0, rho_first, rho_step, table)
            d = math.sqrt(u2) * (fp + 4.0 * fm + fq) / 6.0
            if d < best:
                best, best_c = d, c
    if best <= NEAR_M:
        return best, best_c
    # far: measure on the ellipsoid every crossing whose chord length is near the best
    top_est = best + _chord_slack(best)
    exact, exact_c = math.inf, -1
    for c in range(nc):
        qx, qy = cxy[c, 0], cxy[c, 1]
        u2 = (qx - x) * (qx - x) + (qy - y) * (qy - y)
        if u2 <= limit2:
            fm = _f_at((x + qx) / 2, (y + qy) / 2, rho0, rho_first, rho_step, table)
            fq = _f_at(qx, qy, rho0, rho_first, rho_step, table)
            if math.sqrt(u2) * (fp + 4.0 * fm + fq) / 6.0 <= top_est:
                d = _vincenty(lon, lat, cll[c, 0], cll[c, 1])[0]
                if math.isnan(d):
                    return math.nan, -1
                if d < exact:
                    exact, exact_c = d, c
    return exact, exact_c


@_njit(parallel=True)
def _kernel(
    lon_in: FloatArray,
    lat_in: FloatArray,
    unc_in: FloatArray,
    edges_m: FloatArray,
    proj: FloatArray,
    domain: FloatArray,
    ell: FloatArray,
    exy: FloatArray,
    eseg: npt.NDArray[np.int8],
    box: FloatArray,
    leaves: int,
    table: FloatArray,
    cxy: FloatArray,
    cll: FloatArray,
    g_origin: FloatArray,
    g_shape: npt.NDArray[np.int64],
    g_status: npt.NDArray[np.int8],
    g_status_off: npt.NDArray[np.int64],
    g_start: npt.NDArray[np.int64],
    g_start_off: npt.NDArray[np.int64],
    g_members: npt.NDArray[np.int64],
    g_members_off: npt.NDArray[np.int64],
    g_edges: FloatArray,
    g_edges_off: npt.NDArray[np.int64],
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
) -> None:
    lon0, n, af, rho0, rho_first, rho_step = proj[0], proj[1], proj[2], proj[3], proj[4], proj[5]
    size = lon_in.shape[0]
    blocks = (size + BLOCK - 1) // BLOCK
    for blk in nb.prange(blocks):
        stack = np.empty(128, dtype=np.int64)
        for p in range(blk * BLOCK, min(size, (blk + 1) * BLOCK)):
            lon, lat = lon_in[p], lat_in[p]
            dist[p], seg[p], side[p], in_region[p] = math.nan, -1, -1, -1
            cross[p], cross_m[p], band[p], certain[p] = -1, math.nan, -1, -1
            if not (math.isfinite(lon) and math.isfinite(lat)):
                status[p] = 1
                continue
            status[p] = 0
            # side (the first country holding the point) and region: from the answer
            # grid where no boundary crosses the cell, else one test per polygon
            ac = math.floor((lon - a_origin[0]) / a_origin[2])
            ar = math.floor((lat - a_origin[1]) / a_origin[3])
            code = 0  # outside the grid: outside every polygon
            if 0 <= ac < a_code.shape[1] and 0 <= ar < a_code.shape[0]:
                code = a_code[ar, ac]
            if code >= 0:
                side[p] = (code >> 1) - 1
                if has_region:
                    in_region[p] = code & 1
            else:
                for g in range(n_countries + (1 if has_region else 0)):
                    if g < n_countries and side[p] >= 0:
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
                            side[p] = g
                    else:
                        in_region[p] = 1 if hit else 0
            if not (domain[0] <= lon <= domain[2] and domain[1] <= lat <= domain[3]):
                status[p] = 2
                continue
            x, y, rho_p = _project(lon, lat, lon0, n, af, rho0)
            fp = _inv_scale(rho_p, rho_first, rho_step, table)
            d, i = _nearest_edge(x, y, rho_p, fp, proj, table, exy, box, leaves, stack)
            if i >= 0 and d > NEAR_M:
                d, i = _refine_far(
                    x, y, lon, lat, rho_p, fp, d, proj, table, ell, exy, box, leaves, stack
                )
            if i < 0:
                status[p] = 2
                continue
            if cxy.shape[0] > 0:
                cm, c = _nearest_crossing(x, y, lon, lat, rho_p, fp, proj, table, cxy, cll)
                if c < 0:
                    status[p] = 2
                    continue
                cross[p], cross_m[p] = c, cm
            dist[p], seg[p] = d, eseg[i]
            band[p] = _band(d, edges_m)
            u = unc_in[p]
            if u > 0.0:
                certain[p] = 1 if _band(max(d - u, 0.0), edges_m) == _band(d + u, edges_m) else 0
            else:
                certain[p] = 1


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


_FLAT: dict[int, tuple[FrontierIndex, tuple[npt.NDArray[Any], ...]]] = {}


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
        cached = (index, _flat_grids(index))
        _FLAT.clear()
        _FLAT[id(index)] = cached
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
    ) = cached[1]
    a_origin, a_code = _answers(index)
    lcc = index.lcc
    slope = float(np.abs(np.diff(index.inv_scale)).max() / index.rho_table[1]) * (1 + 1e-6)
    proj = np.array(
        [
            lcc.lon0,
            lcc.n,
            lcc.af,
            lcc.rho0,
            *index.rho_table,
            *index.frontier_rho,
            float(np.argmax(index.inv_scale)),
            slope,
        ]
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
    _kernel(
        np.ascontiguousarray(lon, dtype=np.float64),
        np.ascontiguousarray(lat, dtype=np.float64),
        np.ascontiguousarray(uncertainty, dtype=np.float64),
        np.ascontiguousarray(edges_m, dtype=np.float64),
        proj,
        np.array(index.domain),
        index.edge_lonlat,
        index.edge_xy,
        index.edge_segment,
        index.bvh,
        index.bvh_leaves,
        index.inv_scale,
        index.crossing_xy,
        index.crossing_lonlat,
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
    )
    return out
