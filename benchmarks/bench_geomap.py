"""geomap.classify: every column (distance, band, segment, side, in_krg, crossing).

``api=frame`` times ``geomap.classify`` on a GeoDataFrame (frame in, frame out);
above ``chunk`` events the frame is built and classified one chunk at a time, as
a stream or the dask engine would, so memory stays bounded. ``api=arrays``
times ``geomap.classification.classify_arrays`` on coordinate arrays (codes out).
The index build and the kernel's compilation happen before timing.

Run: ``PYTHONPATH=. python -m benchmarks.bench_geomap --n 1e6``
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.common import (
    FloatArray,
    Result,
    errors,
    events_frame,
    load_reference,
    main_for,
    make_events,
    median_time,
    peak_rss_mb,
    warm_up,
)

#: Largest frame built at once.
CHUNK = 1_000_000


def run(
    n: int,
    *,
    repeat: int = 3,
    reference: str | None = None,
    api: str = "frame",
    chunk: int | str = CHUNK,
) -> Result:
    """Classify ``n`` synthetic events; the median of ``repeat`` runs."""
    from geomap.classification import classify, classify_arrays

    chunk = int(chunk)
    lon, lat = make_events(n)
    warm_up()
    distance = np.empty(n)
    if api == "arrays":

        def once() -> None:
            distance[:] = classify_arrays(lon, lat)["distance_m"]
    elif api == "frame" and n <= chunk:
        events = events_frame(lon, lat)

        def once() -> None:
            distance[:] = classify(events)["distance_m"].to_numpy()
    elif api == "frame":
        return _chunked(lon, lat, chunk, reference)
    else:
        msg = f"unknown api {api!r}: use frame or arrays"
        raise ValueError(msg)
    seconds = median_time(once, repeat=repeat)
    result = Result(f"geomap.{'classify_arrays' if api == 'arrays' else 'classify'}", n, seconds)
    return _finish(result, distance, reference)


def _chunked(lon: FloatArray, lat: FloatArray, chunk: int, reference: str | None) -> Result:
    """One run, frame by frame; only the classification is timed."""
    from geomap.classification import classify

    n = len(lon)
    distance = np.empty(n)
    seconds = 0.0
    for start in range(0, n, chunk):
        events = events_frame(lon[start : start + chunk], lat[start : start + chunk])
        begin = time.perf_counter()
        out = classify(events)
        seconds += time.perf_counter() - begin
        distance[start : start + chunk] = out["distance_m"].to_numpy()
        del events, out
    result = Result("geomap.classify", n, seconds, extra={"chunk": chunk})
    return _finish(result, distance, reference)


def _finish(result: Result, distance: FloatArray, reference: str | None) -> Result:
    result.peak_rss_mb = peak_rss_mb()
    sample = load_reference(reference, result.n)
    if sample is not None:
        result.max_error_m, result.median_error_m = errors(distance[sample[0]], sample[1])
    return result


if __name__ == "__main__":
    main_for(run, __doc__.splitlines()[0])
