#!/usr/bin/env python3
"""Throughput, memory and accuracy of ``geomap.classify`` on the packaged frontier.

Self-contained (imports nothing else from ``benchmarks/``). Events: half within
30 km of the frontier, half uniform in the frontier's bounding box widened by 2°.
Prints a Markdown table::

    PYTHONPATH=. python benchmarks/bench_classify.py                # 1e5, 1e6, 1e7, error
    PYTHONPATH=. python benchmarks/bench_classify.py --sizes 100000 --no-big --error 0

Throughput is the median of ``--repeats`` runs after :func:`geomap.classification.prepare`
(index built, kernel compiled); "CPU µs/event" is process CPU time over all threads,
which is less sensitive than wall time to other processes on a shared machine. The
10^7 run happens in a child process whose peak resident memory is reported. The
error is the largest difference from an exact geodesic distance computed with
geographiclib over ``--error`` events.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

SEED = 20260101


def events(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Half within 30 km of the frontier, half uniform around it (lon, lat)."""
    from pyproj import Geod

    from geomap.frontier import load_frontier

    rng = np.random.default_rng(seed)
    vertices = np.concatenate(list(load_frontier().line_coords().values()))
    near = n // 2
    v = vertices[rng.integers(0, len(vertices), near)]
    lon1, lat1, _ = Geod(ellps="WGS84").fwd(
        v[:, 0], v[:, 1], rng.uniform(0, 360, near), rng.uniform(0, 30_000, near)
    )
    (w, s), (e, n_) = vertices.min(axis=0) - 2.0, vertices.max(axis=0) + 2.0
    lon2, lat2 = rng.uniform(w, e, n - near), rng.uniform(s, n_, n - near)
    order = rng.permutation(n)
    return np.concatenate([lon1, lon2])[order], np.concatenate([lat1, lat2])[order]


def timed(fn: Any, repeats: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of ``fn()``."""
    walls, cpus = [], []
    for _ in range(repeats):
        c, t = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def throughput(sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    import geopandas as gpd

    from geomap.classification import classify, classify_arrays, prepare
    from geomap.frontier import load_frontier

    frontier = load_frontier()
    prepare(frontier)
    rows = []
    for n in sizes:
        lon, lat = events(n)
        frame = gpd.GeoDataFrame(
            {"id": np.arange(n)}, geometry=gpd.points_from_xy(lon, lat), crs=4326
        )
        for api, fn in (
            ("classify_arrays", lambda lon=lon, lat=lat: classify_arrays(lon, lat, frontier)),
            ("classify (GeoDataFrame)", lambda frame=frame: classify(frame, frontier)),
        ):
            load = os.getloadavg()[0]
            wall, cpu = timed(fn, repeats)
            rows.append(
                {
                    "n": n,
                    "api": api,
                    "events_s": n / wall,
                    "cpu_us": cpu / n * 1e6,
                    "load": load,
                    "repeats": repeats,
                }
            )
    return rows


def _big_child(n: int) -> None:
    """Run in a child: classify ``n`` events through classify_arrays; print JSON."""
    from geomap.classification import classify_arrays, prepare
    from geomap.frontier import load_frontier

    frontier = load_frontier()
    prepare(frontier)
    lon, lat = events(n)
    load = os.getloadavg()[0]
    t = time.perf_counter()
    out = classify_arrays(lon, lat, frontier)
    wall = time.perf_counter() - t
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "n": n,
                "wall": wall,
                "peak_mib": peak_kib / 1024,
                "load": load,
                "located": int(np.isfinite(out["distance_m"]).sum()),
            }
        )
    )


def big(n: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(n)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


# ----------------------------------------------------------------------------- accuracy


def _exact_factory() -> Any:
    from geographiclib.geodesic import Geodesic
    from pyproj import Transformer

    from geomap.frontier import LOCAL_CRS, load_frontier

    geod = Geodesic.WGS84
    to_plane = Transformer.from_crs("EPSG:4326", LOCAL_CRS, always_xy=True)
    lonlat = np.concatenate(
        [np.column_stack([xy[:-1], xy[1:]]) for xy in load_frontier().line_coords().values()]
    )
    x0, y0 = to_plane.transform(lonlat[:, 0], lonlat[:, 1])
    x1, y1 = to_plane.transform(lonlat[:, 2], lonlat[:, 3])
    ex, ey = x1 - x0, y1 - y0

    def to_edge(lon: float, lat: float, e: np.ndarray) -> float:
        line = geod.InverseLine(e[1], e[0], e[3], e[2])
        ends = min(
            geod.Inverse(lat, lon, e[1], e[0])["s12"], geod.Inverse(lat, lon, e[3], e[2])["s12"]
        )
        if line.s13 == 0:
            return float(ends)
        s, best = line.s13 / 2, math.inf
        for _ in range(20):
            foot = line.Position(s)
            to_p = geod.Inverse(foot["lat2"], foot["lon2"], lat, lon)
            best = min(best, to_p["s12"])
            new = min(
                max(s + to_p["s12"] * math.cos(math.radians(to_p["azi1"] - foot["azi2"])), 0.0),
                line.s13,
            )
            if abs(new - s) < 1e-4:
                break
            s = new
        return float(min(best, ends))

    @functools.cache
    def exact(lon: float, lat: float) -> float:
        x, y = to_plane.transform(lon, lat)
        t = np.clip(((x - x0) * ex + (y - y0) * ey) / (ex * ex + ey * ey), 0, 1)
        planar = np.hypot(x0 + t * ex - x, y0 + t * ey - y)
        cand = np.flatnonzero(planar <= planar.min() * 1.005 + 20.0)
        return min(to_edge(lon, lat, lonlat[i]) for i in cand)

    return exact


def accuracy(n: int) -> dict[str, Any]:
    from geomap.classification import classify_arrays

    lon, lat = events(n, seed=SEED + 1)
    exact = _exact_factory()
    truth = np.array([exact(float(a), float(b)) for a, b in zip(lon, lat, strict=True)])
    out: dict[str, Any] = {"n": n}
    for engine in ("numba", "numpy"):
        got = classify_arrays(lon, lat, engine=engine)["distance_m"]  # type: ignore[arg-type]
        err = np.abs(got - truth)
        out[engine] = (float(err.max()), float(np.median(err)))
    return out


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated event counts")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--big", type=int, default=10_000_000, help="events of the memory run")
    parser.add_argument("--no-big", action="store_true")
    parser.add_argument("--error", type=int, default=10_000, help="events of the accuracy sample")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _big_child(args.child)
        return 0
    import numba

    print(
        f"machine: {os.cpu_count()} CPUs, numba threads {numba.get_num_threads()}, "
        f"load before: {os.getloadavg()}\n"
    )
    print("| events | API | events/s (median) | CPU µs/event | load avg (1 min) |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for row in throughput([int(float(s)) for s in args.sizes.split(",")], args.repeats):
        print(
            f"| {row['n']:,} | {row['api']} | {row['events_s']:,.0f} | {row['cpu_us']:.2f} "
            f"| {row['load']:.1f} |"
        )
    if not args.no_big:
        b = big(args.big)
        print(
            f"\n10^7 run: {b['n']:,} events through classify_arrays in {b['wall']:.1f} s "
            f"({b['n'] / b['wall']:,.0f} events/s), peak RSS {b['peak_mib']:,.0f} MiB, "
            f"load {b['load']:.1f}"
        )
    if args.error:
        a = accuracy(args.error)
        for engine in ("numba", "numpy"):
            mx, med = a[engine]
            print(
                f"\ndistance error vs geographiclib, {engine} engine, {a['n']:,} events: "
                f"max {mx:.3f} m, median {med:.4f} m"
            )
    print(f"\nload after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
