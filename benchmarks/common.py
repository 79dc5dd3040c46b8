"""Shared parts of the benchmarks: synthetic events, timing, memory, a geodesic oracle.

Events are reproducible (fixed seed): half are scattered within 30 km of the
packaged frontier (uniform along its length, uniform offset in a random
direction), half uniformly over the box around it (lon 40–49, lat 33–39.5).

Examples
--------
>>> lon, lat = make_events(1000)
>>> lon.shape, bool(((40 < lon) & (lon < 49)).all())
((1000,), True)
>>> t = median_time(lambda: sum(range(1000)), repeat=3)
>>> t > 0
True
>>> peak_rss_mb() > 0
True
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SEED = 20171010
#: Share of events placed near the frontier, and how near.
NEAR_SHARE = 0.5
NEAR_M = 30_000.0
#: The box the other events fill (lon_min, lat_min, lon_max, lat_max).
BOX = (40.0, 33.0, 49.0, 39.5)
#: A regional projection (metres) to scatter events around the line.
_SCATTER_CRS = "+proj=lcc +lat_1=34 +lat_2=38 +lat_0=36 +lon_0=44.5 +datum=WGS84 +units=m"
#: Band edges (metres) every method uses.
BAND_EDGES_M = (1_000.0, 5_000.0, 15_000.0, 30_000.0, 60_000.0)

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    """One measurement: ``n`` events through ``method`` in ``seconds``."""

    method: str
    n: int
    seconds: float
    peak_rss_mb: float | None = None
    max_error_m: float | None = None
    median_error_m: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Events per second."""
        return self.n / self.seconds if self.seconds > 0 else math.inf

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready), with the rate."""
        return {**asdict(self), "rate": self.rate}


# ----------------------------------------------------------------------------- events


def frontier_lines() -> list[FloatArray]:
    """The packaged frontier's lines as (k, 2) lon/lat arrays."""
    import shapely

    from geomap.frontier import load_frontier

    lines = []
    for geom in load_frontier().segments.geometry:
        for part in shapely.get_parts(geom):
            lines.append(np.asarray(shapely.get_coordinates(part), dtype=np.float64))
    return lines


def make_events(n: int, seed: int = SEED) -> tuple[FloatArray, FloatArray]:
    """``n`` synthetic event coordinates (lon, lat in degrees), reproducible.

    Examples
    --------
    >>> a = make_events(10)
    >>> b = make_events(10)
    >>> bool((a[0] == b[0]).all())
    True
    """
    from pyproj import Transformer

    rng = np.random.default_rng(seed)
    n_near = int(n * NEAR_SHARE)
    lon = np.empty(n)
    lat = np.empty(n)
    lon[n_near:] = rng.uniform(BOX[0], BOX[2], n - n_near)
    lat[n_near:] = rng.uniform(BOX[1], BOX[3], n - n_near)
    fwd = Transformer.from_crs(4326, _SCATTER_CRS, always_xy=True)
    xy = [np.column_stack(fwd.transform(line[:, 0], line[:, 1])) for line in frontier_lines()]
    path = np.concatenate(xy)
    step = np.hypot(*np.diff(path, axis=0).T)
    step[np.cumsum([len(p) for p in xy])[:-1] - 1] = 0.0  # no jump between lines
    along = np.concatenate([[0.0], np.cumsum(step)])
    s = rng.uniform(0.0, along[-1], n_near)
    i = np.clip(np.searchsorted(along, s, side="right") - 1, 0, len(step) - 1)
    frac = np.where(step[i] > 0, (s - along[i]) / np.where(step[i] > 0, step[i], 1.0), 0.0)
    base = path[i] + (path[i + 1] - path[i]) * frac[:, None]
    radius = rng.uniform(0.0, NEAR_M, n_near)
    angle = rng.uniform(0.0, 2 * math.pi, n_near)
    inv = Transformer.from_crs(_SCATTER_CRS, 4326, always_xy=True)
    lon[:n_near], lat[:n_near] = inv.transform(
        base[:, 0] + radius * np.cos(angle), base[:, 1] + radius * np.sin(angle)
    )
    order = rng.permutation(n)
    return lon[order], lat[order]


def events_frame(lon: FloatArray, lat: FloatArray) -> Any:
    """A GeoDataFrame of point events in EPSG:4326 with an ``id`` column."""
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"id": np.arange(len(lon))}, geometry=shapely.points(lon, lat), crs=4326
    )


# ----------------------------------------------------------------------------- timing


def median_time(run: Callable[[], object], *, repeat: int = 3) -> float:
    """Median wall time (s) of ``repeat`` calls of ``run``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident memory (MiB) of a process so far (VmHWM in /proc)."""
    text = Path(f"/proc/{pid}/status").read_text()
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")  # pragma: no cover - not Linux


def warm_up() -> None:
    """Build the packaged frontier's index and compile the kernel before timing.

    ``geomap.classification.prepare`` does both; a tiny classification then
    loads the rest of the code path.
    """
    import geomap.classification as classification

    prepare = getattr(classification, "prepare", None)
    if prepare is not None:
        prepare()
    lon, lat = make_events(64, seed=1)
    classification.classify_arrays(lon, lat)
    classification.classify(events_frame(lon, lat))


# ----------------------------------------------------------------------------- accuracy


def _geodesic_to_edge(geod: Any, lon: float, lat: float, a: FloatArray, b: FloatArray) -> float:
    """Least geodesic distance (m) from a point to the geodesic edge a–b (geographiclib).

    Golden-section search along the edge, to a millimetre: the distance is
    unimodal along an edge much shorter than the distance to it.
    """
    line = geod.InverseLine(a[1], a[0], b[1], b[0])

    def dist(s: float) -> float:
        p = line.Position(s)
        return float(geod.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"])

    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    lo, hi = 0.0, float(line.s13)
    m1, m2 = hi - (hi - lo) * ratio, lo + (hi - lo) * ratio
    d1, d2 = dist(m1), dist(m2)
    while hi - lo > 1e-3:
        if d1 <= d2:
            hi, m2, d2 = m2, m1, d1
            m1 = hi - (hi - lo) * ratio
            d1 = dist(m1)
        else:
            lo, m1, d1 = m1, m2, d2
            m2 = lo + (hi - lo) * ratio
            d2 = dist(m2)
    return min(d1, d2, dist(0.0), dist(float(line.s13)))


def reference_distances(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Geodesic distance (m) of each point to the frontier lines, by geographiclib.

    Planar distances in a regional conformal projection (scale error < 0.1 %
    over the events' box) pick the candidate edges: every edge within 0.2 % +
    20 m of the planar minimum; geographiclib measures each.
    """
    from geographiclib.geodesic import Geodesic
    from pyproj import Geod, Transformer

    geod = Geodesic.WGS84
    ellipsoid = Geod(ellps="WGS84")  # GeographicLib's C port: only to choose the edges
    fwd = Transformer.from_crs(4326, _SCATTER_CRS, always_xy=True)
    inv = Transformer.from_crs(_SCATTER_CRS, 4326, always_xy=True)
    lines = frontier_lines()
    a = np.concatenate([ln[:-1] for ln in lines])
    b = np.concatenate([ln[1:] for ln in lines])
    ax, ay = fwd.transform(a[:, 0], a[:, 1])
    bx, by = fwd.transform(b[:, 0], b[:, 1])
    px, py = fwd.transform(lon, lat)
    out = np.empty(len(lon))
    for k in range(len(lon)):
        planar, fx, fy = _planar_to_edges(px[k], py[k], ax, ay, bx, by)
        near = np.flatnonzero(planar <= planar.min() * 1.002 + 20.0)
        # The geodesic distance to each planar foot point bounds the edge's distance
        # from above (to centimetres); search only the edges that can still win.
        flon, flat = inv.transform(fx[near], fy[near])
        bound = ellipsoid.inv(np.full(len(near), lon[k]), np.full(len(near), lat[k]), flon, flat)[2]
        near = near[bound <= bound.min() + 1.0]
        out[k] = min(_geodesic_to_edge(geod, lon[k], lat[k], a[j], b[j]) for j in near)
    return out


def _planar_to_edges(
    px: float, py: float, ax: FloatArray, ay: FloatArray, bx: FloatArray, by: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Planar distance from a point to each edge, and the foot points."""
    dx, dy = bx - ax, by - ay
    length2 = np.where(dx * dx + dy * dy > 0, dx * dx + dy * dy, 1.0)
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0.0, 1.0)
    fx, fy = ax + t * dx, ay + t * dy
    return np.hypot(fx - px, fy - py), fx, fy


def sample_indices(n: int, size: int, seed: int = SEED) -> npt.NDArray[np.int64]:
    """A reproducible sample of ``min(n, size)`` row indices."""
    rng = np.random.default_rng(seed + 1)
    return np.sort(rng.choice(n, size=min(n, size), replace=False))


def errors(measured: FloatArray, reference: FloatArray) -> tuple[float, float]:
    """(max, median) absolute error in metres."""
    diff = np.abs(np.asarray(measured, dtype=np.float64) - reference)
    return float(diff.max()), float(np.median(diff))


def band_codes(distance_m: FloatArray) -> npt.NDArray[np.int64]:
    """Band index of each distance (half-open bands, as geomap)."""
    result: npt.NDArray[np.int64] = np.searchsorted(BAND_EDGES_M, distance_m, side="right")
    return result


# ----------------------------------------------------------------------------- machine


def machine_info() -> dict[str, str]:
    """CPU, cores, memory, load, Python and key library versions."""
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cores": str(os.cpu_count()),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        info["memory"] = f"{total_kb / 1024 / 1024:.1f} GiB"
    for module in ("numpy", "numba", "shapely", "geopandas", "pyproj"):
        try:
            info[module] = __import__(module).__version__
        except ImportError:  # pragma: no cover
            info[module] = "missing"
    return info


def run_json(module: str, args: list[str], *, timeout: float = 3600) -> dict[str, Any]:
    """Run ``python -m benchmarks.<module> ARGS --json`` in a fresh process; its JSON result.

    A fresh process per measurement keeps peak-memory figures apart.
    """
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        msg = f"benchmarks.{module} {' '.join(args)} failed: {tail[0]}"
        raise RuntimeError(msg)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ----------------------------------------------------------------------------- command line


def save_reference(path: Path, n: int, size: int) -> None:
    """Write the geographiclib distances of a sample of ``make_events(n)`` to ``path`` (.npz)."""
    lon, lat = make_events(n)
    index = sample_indices(n, size)
    np.savez(path, n=n, index=index, distance=reference_distances(lon[index], lat[index]))


def load_reference(
    path: str | Path | None, n: int
) -> tuple[npt.NDArray[np.int64], FloatArray] | None:
    """(sample indices, reference distances) when ``path`` holds a reference for ``n`` events."""
    if path is None:
        return None
    with np.load(path) as data:
        if int(data["n"]) != n:
            return None
        return data["index"], data["distance"]


def main_for(run: Callable[..., Result], description: str, argv: list[str] | None = None) -> None:
    """The command line of one benchmark module: ``--n N [--repeat R] [--reference F] [--json]``."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=float, default=1e5, help="number of events (1e6 allowed)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    parser.add_argument("--reference", help="an .npz from save_reference, for distance errors")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a keyword option of the benchmark's run()",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)
    options = dict(item.split("=", 1) for item in args.option)
    result = run(int(args.n), repeat=args.repeat, reference=args.reference, **options)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(
            f"{result.method}: {result.n:,} events in {result.seconds:.3f} s = "
            f"{result.rate:,.0f}/s; peak RSS {result.peak_rss_mb or 0:.0f} MiB; "
            f"max error {result.max_error_m} m"
        )
        for key, value in result.extra.items():
            print(f"  {key}: {value:.4g}" if isinstance(value, float) else f"  {key}: {value}")
