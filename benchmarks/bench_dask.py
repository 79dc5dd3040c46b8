"""The dask engine against the in-memory path, file to file.

Both read the same GeoParquet file of ``n`` events, normalise the rows with
``geomap.read_events``, classify and write GeoParquet: ``engine=memory`` in one
piece (what ``geomap classify IN.parquet -o OUT.parquet`` does), ``engine=dask``
with :func:`geomap.distributed.classify_parquet` in ``partitions`` parts on the
threads scheduler. Writing the input file is not timed.

Run: ``PYTHONPATH=. python -m benchmarks.bench_dask --n 1e5 --option engine=dask``
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

from benchmarks.common import (
    Result,
    events_frame,
    main_for,
    make_events,
    median_time,
    peak_rss_mb,
    warm_up,
)


def run(
    n: int,
    *,
    repeat: int = 1,
    reference: str | None = None,
    engine: str = "dask",
    partitions: int | str = 4,
) -> Result:
    """Classify a GeoParquet file of ``n`` events, file to file."""
    from geomap.classification import classify
    from geomap.distributed import classify_parquet
    from geomap.readers import read_events
    from geomap.writers import write

    warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "events.parquet"
        events = events_frame(*make_events(n))
        events["id"] = events["id"].astype(str)
        events.to_parquet(source)
        del events

        def memory() -> None:
            write(classify(read_events(source)), Path(tmp) / "out.parquet")

        def dask() -> None:
            classify_parquet(source, Path(tmp) / "out", npartitions=int(partitions))

        if engine not in ("memory", "dask"):
            msg = f"unknown engine {engine!r}: use memory or dask"
            raise ValueError(msg)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seconds = median_time(memory if engine == "memory" else dask, repeat=repeat)
    extra = {"partitions": int(partitions)} if engine == "dask" else {}
    return Result(f"file to file, {engine}", n, seconds, peak_rss_mb=peak_rss_mb(), extra=extra)


if __name__ == "__main__":
    main_for(run, __doc__.splitlines()[0])
