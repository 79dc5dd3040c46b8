"""The compiled classification kernel (numba): one parallel pass over the events.

Per event: project to the frontier's Lambert conformal plane; find the nearest
frontier edge in the plane through the bounding-box hierarchy; take every edge
whose planar distance could still be the geodesic minimum (planar distances are
bounded by the projection's scale factors); measure each on the ellipsoid and
keep the least. Geodesic lengths up to :data:`NEAR_M` integrate the inverse
scale factor along the chord (Simpson; the projection is conformal, so this is
the length of the chord's preimage, within millimetres of the geodesic at these
ranges); longer ones use Vincenty's inverse formula plus one Newton step of the
foot point along the edge. The same pass answers the nearest crossing and the
point-in-polygon tests (side, region).

Events outside the projection's domain get status 2 and are finished by the
exact path in :mod:`geomap._reference`; null coordinates get status 1.

Import this module only when numba is wanted: importing compiles nothing, the
first call compiles (and caches) the kernel.

Examples
--------
>>> kernel_available()
True
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from geomap._index import A_WGS84, E_WGS84, F_WGS84, FrontierIndex, PolygonGrid

__all__ = ["classify_arrays", "is_compiled", "kernel_available"]

#: Geodesic lengths below this (planar metres) use the scale-factor integral.
NEAR_M = 150_000.0
#: Slack (metres) when deciding which edges might still be the nearest.
TOLERANCE_M = 1.0

_JIT = {"nogil": True, "cache": True, "fastmath": False}


def kernel_available() -> bool:
    """True: this module imported, so numba is there."""
    return True


def is_compiled() -> bool:
    """True once the kernel is compiled (or loaded from numba's cache) in this process."""
    return bool(_kernel.signatures)


@nb.njit(**_JIT)
def _project(lon: float, lat: float, lon0: float, n: float, af: float, rho0: float) -> tuple[float, float, float]:
    phi = math.radians(lat)
    s = math.sin(phi)
    t = math.tan(math.pi / 4 - phi / 2) / ((1 - E_WGS84 * s) / (1 + E_WGS84 * s)) ** (E_WGS84 / 2)
    rho = af * t**n
    theta = n * math.radians(lon - lon0)
    return rho * math.sin(theta), rho0 - rho * math.cos(theta), rho


@nb.njit(**_JIT)
def _inv_scale(rho: float, rho_first: float, rho_step: float, table: np.ndarray) -> float:
    u = (rho - rho_first) / rho_step
    i = int(math.floor(u))
    last = table.shape[0] - 2
    i = 0 if i < 0 else (last if i > last else i)
    f = u - i
    return table[i] * (1.0 - f) + table[i + 1] * f


@nb.njit(**_JIT)
def _rho_at(x: float, y: float, rho0: float) -> float:
    return math.sqrt(x * x + (rho0 - y) * (rho0 - y))


@nb.njit(**_JIT)
def _chord_length(px: float, py: float, qx: float, qy: float, rho0: float,
                  rho_first: float, rho_step: float, table: np.ndarray) -> float:  # fmt: skip
    """Geodesic length of the chord P-Q: Simpson's rule on 1/k along it."""
    d = math.hypot(qx - px, qy - py)
    fp = _inv_scale(_rho_at(px, py, rho0), rho_first, rho_step, table)
    fm = _inv_scale(_rho_at((px + qx) / 2, (py + qy) / 2, rho0), rho_first, rho_step, table)
    fq = _inv_scale(_rho_at(qx, qy, rho0), rho_first, rho_step, table)
    return d * (fp + 4 * fm + fq) / 6


@nb.njit(**_JIT)
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
    ds = kb * ss * (c2sm + kb / 4 * (cs * (-1 + 2 * c2sm * c2sm)
                    - kb / 6 * c2sm * (-3 + 4 * ss * ss) * (-3 + 4 * c2sm * c2sm)))  # fmt: skip
    az2 = math.atan2(cu1 * math.sin(lam), -su1 * cu2 + cu1 * su2 * math.cos(lam))
    return b * ka * (sigma - ds), az2


@nb.njit(**_JIT)
def _box_d2(box: np.ndarray, node: int, x: float, y: float) -> float:
    dx = max(box[node, 0] - x, 0.0, x - box[node, 2])
    dy = max(box[node, 1] - y, 0.0, y - box[node, 3])
    return dx * dx + dy * dy


@nb.njit(**_JIT)
def _edge_t_d2(e: np.ndarray, i: int, x: float, y: float) -> tuple[float, float]:
    ex, ey = e[i, 2] - e[i, 0], e[i, 3] - e[i, 1]
    ll = ex * ex + ey * ey
    t = 0.0 if ll == 0.0 else ((x - e[i, 0]) * ex + (y - e[i, 1]) * ey) / ll
    t = 0.0 if t < 0.0 else (1.0 if t > 1.0 else t)
    qx, qy = e[i, 0] + t * ex - x, e[i, 1] + t * ey - y
    return t, qx * qx + qy * qy


@nb.njit(**_JIT)
def _nearest_planar(box: np.ndarray, leaves: int, e: np.ndarray, x: float, y: float) -> float:
    """Smallest planar squared distance from (x, y) to an edge (depth-first, nearer child first)."""
    stack = np.empty(64, dtype=np.int64)
    top = 0
    stack[0] = 1
    top = 1
    best = math.inf
    m = e.shape[0]
    while top > 0:
        top -= 1
        node = stack[top]
        if _box_d2(box, node, x, y) >= best:
            continue
        if node >= leaves:
            first = (node - leaves) * 4
            for i in range(first, min(first + 4, m)):
                d2 = _edge_t_d2(e, i, x, y)[1]
                best = min(best, d2)
            continue
        a, b = 2 * node, 2 * node + 1
        da, db = _box_d2(box, a, x, y), _box_d2(box, b, x, y)
        if da <= db:
            a, b, da, db = b, a, db, da
        if da < best:  # the farther child first, so the nearer one is popped next
            stack[top] = a
            top += 1
        if db < best:
            stack[top] = b
            top += 1
    return best


@nb.njit(**_JIT)
def _ratio(rho_p: float, d: float, proj: np.ndarray, table: np.ndarray) -> float:
    """Upper bound of (largest / smallest) scale factor on paths from the point to the frontier."""
    rho_first, rho_step, imax = proj[4], proj[5], int(proj[8])
    lo = min(rho_p, proj[6]) - 0.1 * d
    hi = max(rho_p, proj[7]) + 0.1 * d
    f_lo, f_hi = _inv_scale(lo, rho_first, rho_step, table), _inv_scale(hi, rho_first, rho_step, table)
    fmin, fmax = min(f_lo, f_hi), max(f_lo, f_hi)
    if lo <= rho_first + imax * rho_step <= hi:  # 1/k is unimodal in rho: its peak is inside
        fmax = max(fmax, table[imax])
    return fmax / fmin * (1.0 + 1e-9)


@nb.njit(**_JIT)
def _geodesic_to(lon: float, lat: float, x: float, y: float, qlon: float, qlat: float,
                 qx: float, qy: float, rho0: float, rho_first: float, rho_step: float,
                 table: np.ndarray) -> tuple[float, float]:  # fmt: skip
    """Geodesic distance P→Q and the azimuth at Q pointing away from P (NaN azimuth if short)."""
    if math.hypot(qx - x, qy - y) < NEAR_M:
        return _chord_length(x, y, qx, qy, rho0, rho_first, rho_step, table), math.nan
    return _vincenty(lon, lat, qlon, qlat)


@nb.njit(**_JIT)
def _edge_distance(i: int, t: float, lon: float, lat: float, x: float, y: float,
                   ell: np.ndarray, exy: np.ndarray, lon0: float, n: float, rho0: float,
                   rho_first: float, rho_step: float, table: np.ndarray) -> float:  # fmt: skip
    """Geodesic distance from the point to edge ``i`` at its planar foot ``t`` (+ a Newton step)."""
    qlon = ell[i, 0] + t * (ell[i, 2] - ell[i, 0])
    qlat = ell[i, 1] + t * (ell[i, 3] - ell[i, 1])
    qx = exy[i, 0] + t * (exy[i, 2] - exy[i, 0])
    qy = exy[i, 1] + t * (exy[i, 3] - exy[i, 1])
    d, az = _geodesic_to(lon, lat, x, y, qlon, qlat, qx, qy, rho0, rho_first, rho_step, table)
    if math.isnan(az) or math.isnan(d):
        return d
    # far point: move the foot along the edge by the along-edge part of the geodesic
    ex, ey = exy[i, 2] - exy[i, 0], exy[i, 3] - exy[i, 1]
    length = math.hypot(ex, ey)
    if length == 0.0:
        return d
    edge_az = math.atan2(ex, ey) + n * math.radians(qlon - lon0)
    k = 1.0 / _inv_scale(_rho_at(qx, qy, rho0), rho_first, rho_step, table)
    step = -d * math.cos(az - edge_az) * k / length  # az points away from P
    t2 = min(max(t + step, 0.0), 1.0)
    if abs(t2 - t) * length < 1e-3:
        return d
    d2 = _vincenty(lon, lat, ell[i, 0] + t2 * (ell[i, 2] - ell[i, 0]), ell[i, 1] + t2 * (ell[i, 3] - ell[i, 1]))[0]
    return d2 if d2 < d else d


@nb.njit(**_JIT)
def _in_grid(g_origin: np.ndarray, g_status: np.ndarray, g_start: np.ndarray, g_members: np.ndarray,
             g_edges: np.ndarray, lon: float, lat: float) -> bool:  # fmt: skip
    x0, y0, dx, dy, fx, fy = g_origin[0], g_origin[1], g_origin[2], g_origin[3], g_origin[4], g_origin[5]
    ny, nx = g_status.shape
    c = int(math.floor((lon - x0) / dx))
    r = int(math.floor((lat - y0) / dy))
    if c < 0 or r < 0 or c >= nx or r >= ny:
        return False
    inside = g_status[r, c] == 1
    cell = r * nx + c
    a, b = g_start[cell], g_start[cell + 1]
    if a == b:
        return inside
    rx, ry = x0 + (c + fx) * dx, y0 + (r + fy) * dy
    for k in range(a, b):
        j = g_members[k]
        ax, ay, bx, by = g_edges[j, 0], g_edges[j, 1], g_edges[j, 2], g_edges[j, 3]
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


@nb.njit(parallel=True, **_JIT)
def _kernel(lon_in: np.ndarray, lat_in: np.ndarray, proj: np.ndarray, domain: np.ndarray,
            ell: np.ndarray, exy: np.ndarray, eseg: np.ndarray, box: np.ndarray, leaves: int,
            table: np.ndarray, cll: np.ndarray, cxy: np.ndarray,
            g_origin: np.ndarray, g_status: np.ndarray, g_status_off: np.ndarray, g_shape: np.ndarray,
            g_start: np.ndarray, g_start_off: np.ndarray, g_members: np.ndarray, g_members_off: np.ndarray,
            g_edges: np.ndarray, g_edges_off: np.ndarray, n_countries: int, has_region: bool,
            dist: np.ndarray, seg: np.ndarray, side: np.ndarray, in_region: np.ndarray,
            cross: np.ndarray, cross_m: np.ndarray, status: np.ndarray) -> None:  # fmt: skip
    lon0, n, af, rho0, rho_first, rho_step = proj[0], proj[1], proj[2], proj[3], proj[4], proj[5]
    for p in nb.prange(lon_in.shape[0]):
        lon, lat = lon_in[p], lat_in[p]
        dist[p], seg[p], side[p], in_region[p], cross[p], cross_m[p] = math.nan, -1, -1, -1, -1, math.nan
        if not (math.isfinite(lon) and math.isfinite(lat)):
            status[p] = 1
            continue
        status[p] = 0
        # side and region: point-in-polygon grids, in lon/lat
        for g in range(n_countries + (1 if has_region else 0)):
            sh0, sh1 = g_shape[g, 0], g_shape[g, 1]
            st = g_status[g_status_off[g] : g_status_off[g] + sh0 * sh1].reshape((sh0, sh1))
            hit = _in_grid(g_origin[g], st, g_start[g_start_off[g] : g_start_off[g + 1]],
                           g_members[g_members_off[g] : g_members_off[g + 1]],
                           g_edges[g_edges_off[g] : g_edges_off[g + 1]], lon, lat)  # fmt: skip
            if g < n_countries:
                if hit and side[p] < 0:
                    side[p] = g
            else:
                in_region[p] = 1 if hit else 0
        if not (domain[0] <= lon <= domain[2] and domain[1] <= lat <= domain[3]):
            status[p] = 2
            continue
        x, y, rho_p = _project(lon, lat, lon0, n, af, rho0)
        # nearest edge: planar search, then every edge that might be nearer on the ellipsoid
        u = math.sqrt(_nearest_planar(box, leaves, exy, x, y))
        limit = u * _ratio(rho_p, u, proj, table) + TOLERANCE_M
        limit2 = limit * limit
        best, best_seg = math.inf, -1
        stack = np.empty(64, dtype=np.int64)
        stack[0] = 1
        top = 1
        m = exy.shape[0]
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
            first = (node - leaves) * 4
            for i in range(first, min(first + 4, m)):
                t, d2 = _edge_t_d2(exy, i, x, y)
                if d2 <= limit2:
                    d = _edge_distance(i, t, lon, lat, x, y, ell, exy, lon0, n, rho0, rho_first, rho_step, table)
                    if d < best:
                        best, best_seg = d, eseg[i]
        if not math.isfinite(best):
            status[p] = 2
            continue
        dist[p], seg[p] = best, best_seg
        # nearest crossing: few points, all tested
        nc = cxy.shape[0]
        if nc > 0:
            cu = math.inf
            for c in range(nc):
                cu = min(cu, math.hypot(cxy[c, 0] - x, cxy[c, 1] - y))
            climit = cu * _ratio(rho_p, cu, proj, table) + TOLERANCE_M
            cbest, cidx = math.inf, -1
            for c in range(nc):
                if math.hypot(cxy[c, 0] - x, cxy[c, 1] - y) <= climit:
                    d = _geodesic_to(lon, lat, x, y, cll[c, 0], cll[c, 1], cxy[c, 0], cxy[c, 1],
                                     rho0, rho_first, rho_step, table)[0]  # fmt: skip
                    if d < cbest:
                        cbest, cidx = d, c
            if not math.isfinite(cbest):
                status[p] = 2
                continue
            cross[p], cross_m[p] = cidx, cbest


def _flat_grids(index: FrontierIndex) -> tuple[np.ndarray, ...]:
    grids: list[PolygonGrid] = list(index.countries) + ([index.region] if index.region else [])
    origin = np.array([[g.x0, g.y0, g.dx, g.dy, g.REF_FX, g.REF_FY] for g in grids] or [[0.0] * 6])
    shape = np.array([[g.ny, g.nx] for g in grids] or [[0, 0]], dtype=np.int64)

    def flat(parts: list[np.ndarray], dtype: type, width: int = 0) -> tuple[np.ndarray, np.ndarray]:
        off = np.zeros(len(parts) + 1, dtype=np.int64)
        off[1:] = np.cumsum([len(a) for a in parts])
        empty = np.zeros((0, width) if width else 0, dtype=dtype)
        return (np.concatenate(parts).astype(dtype) if parts else empty), off

    status, status_off = flat([g.status.ravel() for g in grids], np.int8)
    start, start_off = flat([g.cell_start for g in grids], np.int64)
    members, members_off = flat([g.cell_edges for g in grids], np.int64)
    edges, edges_off = flat([g.edges for g in grids], np.float64, 4)
    return origin, status, status_off, shape, start, start_off, members, members_off, edges, edges_off


_FLAT: dict[int, tuple[FrontierIndex, tuple[np.ndarray, ...]]] = {}


def classify_arrays(index: FrontierIndex, lon: np.ndarray, lat: np.ndarray) -> dict[str, np.ndarray]:
    """Run the kernel on coordinate arrays; see :func:`geomap._reference.classify_arrays`."""
    cached = _FLAT.get(id(index))
    if cached is None or cached[0] is not index:
        cached = (index, _flat_grids(index))
        _FLAT.clear()
        _FLAT[id(index)] = cached
    origin, st, st_off, shape, start, start_off, members, members_off, edges, edges_off = cached[1]
    lcc = index.lcc
    proj = np.array([lcc.lon0, lcc.n, lcc.af, lcc.rho0, *index.rho_table, *index.frontier_rho,
                     float(np.argmax(index.inv_scale))])  # fmt: skip
    size = len(lon)
    out = {
        "distance_m": np.empty(size), "segment": np.empty(size, np.int8), "side": np.empty(size, np.int8),
        "in_krg": np.empty(size, np.int8), "crossing": np.empty(size, np.int16),
        "crossing_m": np.empty(size), "status": np.empty(size, np.int8),
    }  # fmt: skip
    _kernel(
        np.ascontiguousarray(lon, dtype=np.float64), np.ascontiguousarray(lat, dtype=np.float64),
        proj, np.array(index.domain), index.edge_lonlat, index.edge_xy, index.edge_segment,
        index.bvh, index.bvh_leaves, index.inv_scale, index.crossing_lonlat, index.crossing_xy,
        origin, st, st_off, shape, start, start_off, members, members_off, edges, edges_off,
        len(index.countries), index.region is not None,
        out["distance_m"], out["segment"], out["side"], out["in_krg"], out["crossing"],
        out["crossing_m"], out["status"],
    )  # fmt: skip
    return out
