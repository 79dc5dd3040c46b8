#!/usr/bin/env python3
"""How the compiled kernel's cost grows with the number of frontier vertices.

The packaged frontier lines are densified with ``shapely.segmentize`` (extra
vertices on the same lines, about 4x, 16x and 64x as many) and the same events
are classified against each; the table gives the kernel's CPU time per event
and how far the distances moved (densifying in degrees moves the line by
centimetres)::

    PYTHONPATH=. NUMBA_NUM_THREADS=1 python benchmarks/bench_vertices.py
    PYTHONPATH=. python benchmarks/bench_vertices.py --events 20000 --factors 1,4

Events: half within 30 km of the frontier, half around it (``benchmarks.common``).
CPU time is the least of ``--repeat`` runs after a warm-up, so other processes on
a shared machine disturb it less than wall time.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

#: Segment length (degrees) that gives about this many times the packaged vertices.
SEGMENT_DEG = {1: None, 4: 0.00035, 16: 0.00009, 64: 0.000022}


def main(argv: list[str] | None = None) -> int:
    import shapely

    from benchmarks.common import make_events
    from geomap import _kernel
    from geomap.classification import _bands_m, _frontier_index
    from geomap.frontier import Frontier, load_frontier

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--factors", default="1,4,16,64", help="of 1, 4, 16, 64")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    frontier = load_frontier()
    lon, lat = make_events(args.events)
    unc, edges_m = np.zeros(len(lon)), _bands_m(None)
    print("| vertices | pieces | CPU µs/event | max distance change (m) |")
    print("| ---: | ---: | ---: | ---: |")
    base = None
    for factor in (int(f) for f in args.factors.split(",")):
        segments = frontier.segments.copy()
        if SEGMENT_DEG[factor] is not None:
            segments["geometry"] = shapely.segmentize(
                segments.geometry.to_numpy(), SEGMENT_DEG[factor]
            )
        dense = Frontier(segments, frontier.countries, frontier.region, frontier.crossings)
        index = _frontier_index(dense)
        _kernel.classify_arrays(index, lon[:100], lat[:100], unc[:100], edges_m)
        best = np.inf
        for _ in range(args.repeat):
            start = time.process_time()
            out = _kernel.classify_arrays(index, lon, lat, unc, edges_m)
            best = min(best, time.process_time() - start)
        base = out["distance_m"] if base is None else base
        moved = float(np.nanmax(np.abs(out["distance_m"] - base)))
        print(f"| x{factor} | {len(index.chord):,} | {best / len(lon) * 1e6:.3f} | {moved:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
