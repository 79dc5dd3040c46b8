"""Precomputed search structures over a :class:`~geomap.frontier.Frontier`.

Built once per frontier (numpy and shapely only) and shared by both engines of
:mod:`geomap.classification`:

* the frontier edges and crossings as earth-centred (ECEF, WGS84) coordinates,
  rotated so the frontier's region faces the z axis: the straight-line (chord)
  distance between two points ranks their geodesic distance, and the compiled
  kernel turns a chord into a geodesic length (see :mod:`geomap._kernel`);
* a bounding-box hierarchy over those edges (an implicit binary tree over runs of
  consecutive edges; boxes in the rotated x-y plane bound the chord from below);
* per cell of a lon/lat grid, the crossings that can be nearest to a point of it;
* a Lambert conformal conic projection (ellipsoidal, WGS84) fitted to the
  frontier and a table of its inverse scale factor, with which the numpy engine
  picks candidate edges;
* one point-in-polygon grid per polygon layer (each country, the region):
  cells wholly inside or outside are answered from the grid, cells crossed by the
  boundary keep their edges for an exact crossing-parity test.

Examples
--------
>>> import numpy as np
>>> lcc = Lcc.fit(42.0, 34.0, 46.0, 38.0)
>>> x, y = lcc.forward(np.array([lcc.lon0]), np.array([36.0]))
>>> bool(abs(x[0]) < 1e-6)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geomap.frontier import Frontier

__all__ = [
    "A_WGS84",
    "E2_WGS84",
    "E_WGS84",
    "F_WGS84",
    "CandidateGrid",
    "FrontierIndex",
    "Lcc",
    "PolygonGrid",
    "ecef",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

A_WGS84 = 6378137.0
F_WGS84 = 1.0 / 298.257223563
E2_WGS84 = F_WGS84 * (2.0 - F_WGS84)
E_WGS84 = math.sqrt(E2_WGS84)

#: Edges per leaf of the bounding-box hierarchy.
LEAF_SIZE = 4
#: Degrees added around the frontier's bounding box: inside this domain the
#: projection drives the search; outside it a slower exact path is used.
DOMAIN_MARGIN_LAT = 15.0
DOMAIN_MARGIN_LON = 20.0
#: Grid cells per polygon edge: cells crossed by the boundary hold few edges each.
CELLS_PER_EDGE = 64
#: Cells of the grid that answers side and region without a polygon test.
ANSWER_CELLS = 1_000_000
#: Cell size (degrees) of the grid of candidate crossings, and its margin around
#: the frontier's bounding box (outside it every crossing is a candidate).
CROSSING_CELL_DEG = 0.05
#: Longest chord (m) an edge is measured along; longer edges are cut.
MAX_PIECE_M = 1000.0
#: :func:`chord_slack` is ``c³ · CHORD_SLACK_CUBIC + CHORD_SLACK_M`` (also in the kernel).
CHORD_SLACK_CUBIC = 4e-17
CHORD_SLACK_M = 0.01
CROSSING_MARGIN_DEG = 3.0
#: Entries of the inverse-scale-factor table.
SCALE_TABLE_SIZE = 8192


def _m(phi: FloatArray) -> FloatArray:
    s = np.sin(phi)
    out: FloatArray = np.cos(phi) / np.sqrt(1.0 - E_WGS84**2 * s * s)
    return out


def _t(phi: FloatArray) -> FloatArray:
    s = np.sin(phi)
    out: FloatArray = np.tan(np.pi / 4 - phi / 2) / ((1 - E_WGS84 * s) / (1 + E_WGS84 * s)) ** (
        E_WGS84 / 2
    )
    return out


@dataclass(frozen=True)
class Lcc:
    """Lambert conformal conic with two standard parallels on WGS84 (EPSG method 9802).

    ``lat1``, ``lat2`` are the standard parallels and ``lat0`` = their mean the
    latitude of origin (degrees); ``n``, ``af`` (a·F) and ``rho0`` are the cone constant,
    the scaled cone
    factor and the radius of the latitude of origin; ``lon0`` is in degrees.
    """

    lon0: float
    lat1: float
    lat2: float
    n: float
    af: float
    rho0: float

    @classmethod
    def fit(cls, lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> Lcc:
        """Fit the projection to a bounding box: standard parallels at 1/6 and 5/6 of it."""
        span = max(lat_max - lat_min, 1.0)
        mid = (lat_min + lat_max) / 2
        lat1, lat2 = math.radians(mid - span / 3), math.radians(mid + span / 3)
        m1, m2 = _m(np.array([lat1, lat2]))
        t1, t2 = _t(np.array([lat1, lat2]))
        n = float((math.log(m1) - math.log(m2)) / (math.log(t1) - math.log(t2)))
        af = float(A_WGS84 * m1 / (n * t1**n))
        rho0 = float(af * _t(np.array([(lat1 + lat2) / 2]))[0] ** n)
        return cls(
            float(lon_min + lon_max) / 2, math.degrees(lat1), math.degrees(lat2), n, af, rho0
        )

    def proj4(self) -> str:
        """The same projection as a PROJ string (for pyproj)."""
        lat0 = (self.lat1 + self.lat2) / 2
        return (
            f"+proj=lcc +lat_1={self.lat1!r} +lat_2={self.lat2!r} +lat_0={lat0!r} "
            f"+lon_0={self.lon0!r} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        )

    def forward(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Project degrees to metres."""
        rho = self.af * _t(np.radians(lat)) ** self.n
        theta = self.n * np.radians(lon - self.lon0)
        return rho * np.sin(theta), self.rho0 - rho * np.cos(theta)

    def lat_of_rho(self, rho: FloatArray) -> FloatArray:
        """Latitude (radians) of the parallel with cone radius ``rho``."""
        t = (rho / self.af) ** (1.0 / self.n)
        phi = np.pi / 2 - 2 * np.arctan(t)
        for _ in range(12):
            s = np.sin(phi)
            phi = np.pi / 2 - 2 * np.arctan(
                t * ((1 - E_WGS84 * s) / (1 + E_WGS84 * s)) ** (E_WGS84 / 2)
            )
        return phi

    def inverse_scale(self, phi: FloatArray) -> FloatArray:
        """1/k, the geodesic length of one projected metre, at latitude ``phi`` (radians)."""
        rho = self.af * _t(phi) ** self.n
        out: FloatArray = A_WGS84 * _m(phi) / (self.n * rho)
        return out


@dataclass(frozen=True)
class Grid:
    """A regular lon/lat grid.

    Corner ``(x0, y0)``, cells ``dx`` by ``dy`` degrees, ``nx`` columns and ``ny``
    rows, numbered row by row.
    """

    x0: float
    y0: float
    dx: float
    dy: float
    nx: int
    ny: int


@dataclass(frozen=True)
class PolygonGrid(Grid):
    """Point-in-polygon structure for one polygon layer (lon/lat, straight edges).

    ``status[row, col]`` is 1 when the cell's reference point is inside; cells
    with edges (``cell_start``/``cell_edges``, CSR) need the parity test along
    the segment from the reference point to the query point.
    """

    status: npt.NDArray[np.int8]
    cell_start: IntArray
    cell_edges: IntArray
    edges: FloatArray  # (m, 4): x0, y0, x1, y1

    #: Fraction of a cell from its corner to the reference point (irrational-ish,
    #: so the point does not fall on grid-aligned data).
    REF_FX = 0.5 + 0.0123456789
    REF_FY = 0.5 - 0.0098765431

    @classmethod
    def build(cls, geometry: object, target_cells: int | None = None) -> PolygonGrid:
        """Build the grid of a (Multi)Polygon (or a collection of them)."""
        import shapely

        edges = _ring_edges(geometry)
        xmin, ymin, xmax, ymax = shapely.total_bounds(geometry)
        pad = 1e-6
        xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
        cells = target_cells or int(np.clip(CELLS_PER_EDGE * len(edges), 4096, 4_000_000))
        aspect = (xmax - xmin) / (ymax - ymin)
        nx = max(int(math.sqrt(cells * aspect)), 1)
        ny = max(int(cells / nx), 1)
        dx, dy = (xmax - xmin) / nx, (ymax - ymin) / ny
        status = _scanline_status(edges, xmin, ymin, dx, dy, nx, ny, cls.REF_FX, cls.REF_FY)
        start, members = _cell_edges(edges, xmin, ymin, dx, dy, nx, ny)
        return cls(xmin, ymin, dx, dy, nx, ny, status, start, members, edges)


def _ring_edges(geometry: object) -> FloatArray:
    import shapely

    rings = shapely.boundary(np.asarray(geometry, dtype=object).ravel())
    coords, index = shapely.get_coordinates(shapely.get_parts(rings), return_index=True)
    same = index[1:] == index[:-1]
    return np.column_stack([coords[:-1][same], coords[1:][same]]).astype(np.float64)


def _scanline_status(
    edges: FloatArray,
    x0: float,
    y0: float,
    dx: float,
    dy: float,
    nx: int,
    ny: int,
    fx: float,
    fy: float,
) -> npt.NDArray[np.int8]:
    """Inside (1) / outside (0) of every cell's reference point, by ray parity along rows."""
    ya, yb = edges[:, 1], edges[:, 3]
    lo, hi = np.minimum(ya, yb), np.maximum(ya, yb)
    # rows whose reference y lies in [lo, hi)
    r0 = np.ceil((lo - y0) / dy - fy).astype(np.int64)
    r1 = np.ceil((hi - y0) / dy - fy).astype(np.int64)
    r0, r1 = np.clip(r0, 0, ny), np.clip(r1, 0, ny)
    count = r1 - r0
    edge_of = np.repeat(np.arange(len(edges)), count)
    row = np.repeat(r0, count) + (
        np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    )
    yr = y0 + (row + fy) * dy
    e = edges[edge_of]
    x = e[:, 0] + (yr - e[:, 1]) * (e[:, 2] - e[:, 0]) / (e[:, 3] - e[:, 1])
    # the crossing flips every cell of the row whose reference point lies east of it
    col = np.clip(np.floor((x - x0) / dx - fx).astype(np.int64) + 1, 0, nx)
    flips = np.zeros((ny, nx + 1), dtype=np.int64)
    np.add.at(flips, (row, col), 1)
    return (np.cumsum(flips[:, :nx], axis=1) % 2).astype(np.int8)


def _cell_edges(
    edges: FloatArray, x0: float, y0: float, dx: float, dy: float, nx: int, ny: int
) -> tuple[IntArray, IntArray]:
    """CSR lists of the edges passing through each cell (each edge once per cell)."""
    pieces, piece_edge = _pieces(edges, dx, dy)
    cell, of = _box_cells(pieces, x0, y0, dx, dy, nx, ny)
    pairs = np.unique(cell * len(edges) + piece_edge[of])
    cell, edge = pairs // len(edges), pairs % len(edges)
    start = np.zeros(nx * ny + 1, dtype=np.int64)
    np.add.at(start, cell + 1, 1)
    return np.cumsum(start), edge.astype(np.int64)


@dataclass(frozen=True)
class AnswerGrid(Grid):
    """Side and region answered per cell where no polygon boundary crosses the cell.

    ``code[row, col]`` is ``2 * (side + 1) + in_region`` (``side`` the first country
    holding the cell, -1 none), or -1 where a boundary passes: those cells take the
    exact per-polygon test of :class:`PolygonGrid`.
    """

    code: npt.NDArray[np.int8]

    @classmethod
    def build(
        cls, countries: Sequence[object], region: object | None, cells: int = ANSWER_CELLS
    ) -> AnswerGrid:
        """Rasterise the countries and the region (lon/lat polygons) on one grid."""
        import shapely

        layers = [*countries, *([region] if region is not None else [])]
        if not layers:
            return cls(0.0, 0.0, 1.0, 1.0, 1, 1, np.zeros((1, 1), dtype=np.int8))
        xmin, ymin, xmax, ymax = shapely.total_bounds(np.asarray(layers, dtype=object))
        pad = 1e-6
        xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
        nx = max(int(math.sqrt(cells * (xmax - xmin) / (ymax - ymin))), 1)
        ny = max(int(cells / nx), 1)
        dx, dy = (xmax - xmin) / nx, (ymax - ymin) / ny
        side = np.full((ny, nx), -1, dtype=np.int64)
        crossed = np.zeros((ny, nx), dtype=bool)
        in_region = np.zeros((ny, nx), dtype=np.int64)
        # a cell's answer is that of its centre when no boundary touches it
        for g, geom in enumerate(layers):
            edges = _ring_edges(geom)
            status = _scanline_status(edges, xmin, ymin, dx, dy, nx, ny, 0.5, 0.5)
            crossed |= _touched(edges, xmin, ymin, dx, dy, nx, ny)
            if g < len(countries):
                side = np.where((side < 0) & (status == 1), g, side)
            else:
                in_region = status.astype(np.int64)
        code = np.where(crossed, -1, 2 * (side + 1) + in_region).astype(np.int8)
        return cls(xmin, ymin, dx, dy, nx, ny, code)


def _pieces(edges: FloatArray, dx: float, dy: float) -> tuple[FloatArray, IntArray]:
    """Edges cut into pieces at most one cell long, and the edge each piece comes from."""
    span = np.maximum(
        np.abs(edges[:, 2] - edges[:, 0]) / dx, np.abs(edges[:, 3] - edges[:, 1]) / dy
    )
    count = np.maximum(np.ceil(span).astype(np.int64), 1)
    edge_of = np.repeat(np.arange(len(edges)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    n = np.repeat(count, count).astype(np.float64)
    e = edges[edge_of]
    t0, t1 = (k / n)[:, None], ((k + 1) / n)[:, None]
    a, b = e[:, :2], e[:, 2:]
    return np.column_stack([a + (b - a) * t0, a + (b - a) * t1]), edge_of


def _box_cells(
    edges: FloatArray, x0: float, y0: float, dx: float, dy: float, nx: int, ny: int
) -> tuple[IntArray, IntArray]:
    """Every (cell, edge) pair where the edge's bounding box touches the cell."""
    eps = 1e-9
    c0 = np.floor((np.minimum(edges[:, 0], edges[:, 2]) - x0) / dx - eps).astype(np.int64)
    c1 = np.floor((np.maximum(edges[:, 0], edges[:, 2]) - x0) / dx + eps).astype(np.int64)
    r0 = np.floor((np.minimum(edges[:, 1], edges[:, 3]) - y0) / dy - eps).astype(np.int64)
    r1 = np.floor((np.maximum(edges[:, 1], edges[:, 3]) - y0) / dy + eps).astype(np.int64)
    c0, c1 = np.clip(c0, 0, nx - 1), np.clip(c1, 0, nx - 1)
    r0, r1 = np.clip(r0, 0, ny - 1), np.clip(r1, 0, ny - 1)
    w, h = c1 - c0 + 1, r1 - r0 + 1
    count = w * h
    edge_of = np.repeat(np.arange(len(edges)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    wk = np.repeat(w, count)
    cell = (np.repeat(r0, count) + k // wk) * nx + np.repeat(c0, count) + k % wk
    return cell, edge_of


def _touched(
    edges: FloatArray, x0: float, y0: float, dx: float, dy: float, nx: int, ny: int
) -> npt.NDArray[np.bool_]:
    """Cells that some edge passes through (its pieces' bounding boxes touch them)."""
    pieces, _ = _pieces(edges, dx, dy)
    cell, _ = _box_cells(pieces, x0, y0, dx, dy, nx, ny)
    out = np.zeros(nx * ny, dtype=bool)
    out[cell] = True
    return out.reshape(ny, nx)


def ecef(lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Earth-centred coordinates (m, WGS84) of points on the ellipsoid, one row each.

    Examples
    --------
    >>> ecef(np.array([0.0, 90.0]), np.array([0.0, 0.0])).round(3).tolist()
    [[6378137.0, 0.0, 0.0], [0.0, 6378137.0, 0.0]]
    """
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    nu = A_WGS84 / np.sqrt(1.0 - E2_WGS84 * np.sin(phi) ** 2)
    return np.column_stack(
        [
            nu * np.cos(phi) * np.cos(lam),
            nu * np.cos(phi) * np.sin(lam),
            nu * (1.0 - E2_WGS84) * np.sin(phi),
        ]
    ).reshape(-1, 3)


def _rotation(lon: float, lat: float) -> FloatArray:
    """Rows east, north, up at (lon, lat): ECEF to a frame whose x-y plane is level there."""
    lam, phi = math.radians(lon), math.radians(lat)
    return np.array(
        [
            [-math.sin(lam), math.cos(lam), 0.0],
            [-math.sin(phi) * math.cos(lam), -math.sin(phi) * math.sin(lam), math.cos(phi)],
            [math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)],
        ]
    )


def _chord_pieces(
    a: FloatArray, b: FloatArray, seg: npt.NDArray[np.int8]
) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """Edges as chords (ECEF ends, one row each), long ones cut into pieces on the ellipsoid.

    Returns the pieces and their segments.

    A chord sags below the surface by ``L²/8R`` (2 cm at 1 km): pieces of at most
    :data:`MAX_PIECE_M` keep the distance to a chord that close to the distance to
    the edge. Cut points are chord points moved along their direction from the
    earth's centre onto the ellipsoid.
    """
    length = np.linalg.norm(b - a, axis=1)
    count = np.maximum(np.ceil(length / MAX_PIECE_M).astype(np.int64), 1)
    edge_of = np.repeat(np.arange(len(a)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    n = np.repeat(count, count).astype(np.float64)

    def surface(t: FloatArray) -> FloatArray:
        q = a[edge_of] + (b[edge_of] - a[edge_of]) * t[:, None]
        scale = 1.0 / np.sqrt(
            (q[:, 0] ** 2 + q[:, 1] ** 2) / A_WGS84**2
            + q[:, 2] ** 2 / (A_WGS84 * (1 - F_WGS84)) ** 2
        )
        return q * scale[:, None]

    start, end = surface(k / n), surface((k + 1) / n)
    first, last = k == 0, k + 1 == n
    start[first], end[last] = a[edge_of[first]], b[edge_of[last]]
    return np.column_stack([start, end]), seg[edge_of]


def chord_slack(c: FloatArray | float) -> FloatArray | float:
    """Metres by which ranking by chord can differ from ranking by geodesic length.

    The geodesic length of a chord ``c`` is ``c (1 + c²/24R² + ...)`` with ``R`` the
    radius of curvature along it, which differs between directions by < 0.7 %.
    """
    return c * c * c * CHORD_SLACK_CUBIC + CHORD_SLACK_M


@dataclass(frozen=True)
class CandidateGrid(Grid):
    """Per cell of a lon/lat grid, the points that can be nearest to a point of the cell.

    A point is kept for a cell when its chord distance from the cell's centre is
    within ``D + 2h`` (plus :func:`chord_slack`), ``D`` the least such distance and
    ``h`` the farthest the cell reaches from its centre.
    """

    start: IntArray
    members: IntArray

    @classmethod
    def build(
        cls,
        points: FloatArray,
        rotation: FloatArray,
        bounds: tuple[float, float, float, float],
        cell: float,
    ) -> CandidateGrid:
        """The grid over ``bounds`` (lon/lat) for ``points`` (rotated ECEF, one per row)."""
        x0, y0 = bounds[0], max(bounds[1], -89.0)
        nx = max(1, math.ceil((bounds[2] - x0) / cell))
        ny = max(1, math.ceil((min(bounds[3], 89.0) - y0) / cell))
        if len(points) == 0:
            return cls(
                x0, y0, cell, cell, nx, ny, np.zeros(nx * ny + 1, np.int64), np.zeros(0, np.int64)
            )
        col, row = np.meshgrid(np.arange(nx), np.arange(ny))
        lon, lat = x0 + (col.ravel() + 0.5) * cell, y0 + (row.ravel() + 0.5) * cell
        centre = ecef(lon, lat) @ rotation.T
        reach = np.zeros(len(lon))
        for fx, fy in ((-0.5, -0.5), (-0.5, 0.5), (0.5, -0.5), (0.5, 0.5), (0.0, 0.5), (0.0, -0.5)):
            corner = ecef(lon + fx * cell, lat + fy * cell) @ rotation.T
            reach = np.maximum(reach, np.linalg.norm(corner - centre, axis=1))
        reach = reach * 1.01 + 1.0
        dist = np.linalg.norm(centre[:, None, :] - points[None, :, :], axis=2)
        top = dist.min(axis=1) + 2.0 * reach
        keep = dist <= (top + chord_slack(top))[:, None]
        cells, members = np.nonzero(keep)
        start = np.zeros(nx * ny + 1, dtype=np.int64)
        np.add.at(start, cells + 1, 1)
        return cls(x0, y0, cell, cell, nx, ny, np.cumsum(start), members.astype(np.int64))


@dataclass(frozen=True)
class FrontierIndex:
    """Everything the classification kernels need, as flat arrays.

    Edges are the straight pieces of the frontier lines between consecutive
    vertices; ``edge_segment`` indexes ``segment_names``.
    """

    lcc: Lcc
    domain: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
    segment_names: tuple[str, ...]
    edge_lonlat: FloatArray  # (m, 4)
    edge_segment: npt.NDArray[np.int8]
    rotation: FloatArray  # (3, 3): ECEF to the frontier's frame
    chord: FloatArray  # (k, 6): ends of the edges' pieces (<= MAX_PIECE_M) in that frame
    chord_segment: npt.NDArray[np.int8]
    bvh: FloatArray  # (2 * leaves, 4): minx, miny, maxx, maxy of the chords; node 1 = root
    bvh_leaves: int
    frontier_rho: tuple[float, float]  # cone radii spanned by the frontier
    rho_table: tuple[float, float]  # rho of the first entry, step
    inv_scale: FloatArray
    crossing_keys: tuple[str, ...]
    crossing_lonlat: FloatArray  # (c, 2)
    crossing_chord: FloatArray  # (c, 3)
    crossing_cells: CandidateGrid
    country_codes: tuple[str, ...]
    countries: tuple[PolygonGrid, ...]
    region: PolygonGrid | None
    answers: AnswerGrid

    @classmethod
    def build(cls, frontier: Frontier) -> FrontierIndex:
        """Build the index of ``frontier`` (all frames in EPSG:4326)."""
        import shapely

        from geomap.errors import FrontierError

        names, pieces = _segment_pieces(frontier)
        if not pieces:
            msg = "the frontier has no segment lines"
            raise FrontierError(msg)
        lonlat = np.concatenate([p for p, _ in pieces])
        seg = np.concatenate([np.full(len(p), s, dtype=np.int8) for p, s in pieces])
        lon_min, lat_min = lonlat[:, [0, 2]].min(), lonlat[:, [1, 3]].min()
        lon_max, lat_max = lonlat[:, [0, 2]].max(), lonlat[:, [1, 3]].max()
        lcc = Lcc.fit(lon_min, lat_min, lon_max, lat_max)
        domain = (
            lon_min - DOMAIN_MARGIN_LON,
            max(lat_min - DOMAIN_MARGIN_LAT, -80.0),
            lon_max + DOMAIN_MARGIN_LON,
            min(lat_max + DOMAIN_MARGIN_LAT, 80.0),
        )
        xy = np.column_stack(
            [*lcc.forward(lonlat[:, 0], lonlat[:, 1]), *lcc.forward(lonlat[:, 2], lonlat[:, 3])]
        )
        rho = np.hypot(xy[:, [0, 2]], lcc.rho0 - xy[:, [1, 3]])
        rho_first, rho_step, table = _scale_table(lcc, domain)
        rotation = _rotation((lon_min + lon_max) / 2, (lat_min + lat_max) / 2)
        chord, chord_seg = _chord_pieces(
            ecef(lonlat[:, 0], lonlat[:, 1]), ecef(lonlat[:, 2], lonlat[:, 3]), seg
        )
        chord = chord @ np.kron(np.eye(2), rotation.T)
        bvh, leaves = _build_bvh(chord[:, [0, 1, 3, 4]])
        keys, c_lonlat = _crossings(frontier)
        c_chord = ecef(c_lonlat[:, 0], c_lonlat[:, 1]) @ rotation.T
        margin = CROSSING_MARGIN_DEG
        cells = CandidateGrid.build(
            c_chord,
            rotation,
            (lon_min - margin, lat_min - margin, lon_max + margin, lat_max + margin),
            CROSSING_CELL_DEG,
        )
        codes = tuple(str(c) for c in frontier.countries["iso2"])
        grids = tuple(PolygonGrid.build(g) for g in frontier.countries.geometry)
        region_geoms = [g for g in frontier.region.geometry if g is not None and not g.is_empty]
        region = PolygonGrid.build(region_geoms) if region_geoms else None
        answers = AnswerGrid.build(
            list(frontier.countries.geometry),
            shapely.union_all(region_geoms) if region_geoms else None,
        )
        return cls(
            lcc,
            domain,
            names,
            lonlat,
            seg,
            rotation,
            chord,
            chord_seg,
            bvh,
            leaves,
            (float(rho.min()), float(rho.max())),
            (rho_first, rho_step),
            table,
            keys,
            c_lonlat,
            c_chord,
            cells,
            codes,
            grids,
            region,
            answers,
        )


def _segment_pieces(frontier: Frontier) -> tuple[tuple[str, ...], list[tuple[FloatArray, int]]]:
    import shapely

    names: list[str] = []
    pieces: list[tuple[FloatArray, int]] = []
    for name, geom in zip(frontier.segments["segment"], frontier.segments.geometry, strict=False):
        if geom is None or geom.is_empty:
            continue
        if str(name) not in names:
            names.append(str(name))
        for line in shapely.get_parts(
            shapely.line_merge(geom) if geom.geom_type != "LineString" else geom
        ):
            c = shapely.get_coordinates(line)
            if len(c) >= 2:
                pieces.append((np.column_stack([c[:-1], c[1:]]), names.index(str(name))))
    return tuple(names), pieces


def _crossings(frontier: Frontier) -> tuple[tuple[str, ...], FloatArray]:
    import shapely

    c = frontier.crossings
    if c is None or len(c) == 0:
        return (), np.zeros((0, 2))
    ok = ~(c.geometry.isna() | c.geometry.is_empty).to_numpy()
    keys = tuple(str(k) for k in c["key"].to_numpy()[ok])
    return keys, shapely.get_coordinates(c.geometry.to_numpy()[ok]).astype(np.float64)


def _build_bvh(xy: FloatArray) -> tuple[FloatArray, int]:
    m = len(xy)
    leaves = max(1, -(-m // LEAF_SIZE))
    size = 1 << max(0, (leaves - 1).bit_length())
    box = np.empty((2 * size, 4))
    box[:, :2], box[:, 2:] = np.inf, -np.inf
    lo = np.minimum(xy[:, :2], xy[:, 2:])
    hi = np.maximum(xy[:, :2], xy[:, 2:])
    starts = np.arange(0, m, LEAF_SIZE)
    box[size : size + len(starts), :2] = np.minimum.reduceat(lo, starts)
    box[size : size + len(starts), 2:] = np.maximum.reduceat(hi, starts)
    for node in range(size - 1, 0, -1):
        a, b = box[2 * node], box[2 * node + 1]
        box[node] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
    return box, size


def _scale_table(
    lcc: Lcc, domain: tuple[float, float, float, float]
) -> tuple[float, float, FloatArray]:
    """1/k on a uniform grid of cone radius covering the domain (with a margin)."""
    lats = np.radians(np.array([domain[1] - 5.0, domain[3] + 5.0]))
    rho = lcc.af * _t(lats) ** lcc.n
    lo, hi = float(rho.min()), float(rho.max())
    grid = np.linspace(lo, hi, SCALE_TABLE_SIZE)
    table = lcc.inverse_scale(lcc.lat_of_rho(grid))
    return lo, (hi - lo) / (SCALE_TABLE_SIZE - 1), table
