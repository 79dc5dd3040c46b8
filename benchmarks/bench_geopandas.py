"""Plain geopandas, what a user would otherwise write: ``to_crs`` + ``.distance`` + ``pd.cut``.

The events are projected to UTM zone 38N (EPSG:32638, the usual choice for
Iraq), measured with ``GeoSeries.distance`` to the packaged full-resolution
frontier (both segments as one line) and binned with ``pd.cut`` into the same
half-open bands. Distances are planar in UTM, so they carry its scale error.
Segment, side, region and crossing are not computed: the figures flatter
geopandas.

Run: ``PYTHONPATH=. python -m benchmarks.bench_geopandas --n 1e5``
"""

from __future__ import annotations

import math

import numpy as np

from benchmarks.common import (
    BAND_EDGES_M,
    Result,
    errors,
    events_frame,
    load_reference,
    main_for,
    make_events,
    median_time,
    peak_rss_mb,
)

UTM = "EPSG:32638"


def run(n: int, *, repeat: int = 3, reference: str | None = None, crs: str = UTM) -> Result:
    """Distance and band of ``n`` synthetic events with plain geopandas."""
    import pandas as pd

    from geomap.frontier import load_frontier

    events = events_frame(*make_events(n))
    line = load_frontier().segments.to_crs(crs).union_all()
    edges = [0.0, *BAND_EDGES_M, math.inf]
    distance = np.empty(n)

    def once() -> None:
        projected = events.to_crs(crs)
        d = projected.distance(line)
        pd.cut(d, edges, right=False)
        distance[:] = d.to_numpy()

    seconds = median_time(once, repeat=repeat)
    result = Result("geopandas", n, seconds, peak_rss_mb=peak_rss_mb(), extra={"crs": crs})
    sample = load_reference(reference, n)
    if sample is not None:
        result.max_error_m, result.median_error_m = errors(distance[sample[0]], sample[1])
    return result


if __name__ == "__main__":
    main_for(run, __doc__.splitlines()[0])
