"""Write a large synthetic events CSV, to measure streaming classification's memory.

Rows are random points over the frontier region (and a few bad rows: missing or
out-of-range coordinates) with a date, a type, a place and a short description;
the seed is fixed, so a given size always gives the same file::

    PYTHONPATH=. python scripts/make_big_csv.py output/big.csv --gigabytes 2
    /usr/bin/time -v geomap classify output/big.csv -o output/big_classified.csv

``/usr/bin/time -v`` reports the peak memory ("Maximum resident set size"); a
CSV above 256 MB is classified in chunks of 100 000 rows (``--chunk-rows``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TYPES = ("military_exercise", "shelling_artillery", "air_drone_strike", "deployment", "meeting")
PLACES = ("Penjwen", "Haji Omaran", "Sidakan", "Zakho", "Bashmakh", "Koya", "Batifa")
BLOCK = 500_000


def block(rng: np.random.Generator, start: int, rows: int) -> pd.DataFrame:
    """``rows`` events numbered from ``start``; about 1 in 1000 without usable coordinates."""
    lon = rng.uniform(42.0, 47.0, rows).round(5)
    lat = rng.uniform(34.0, 38.0, rows).round(5)
    frame = pd.DataFrame(
        {
            "id": [f"big-{i}" for i in range(start, start + rows)],
            "date": pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 2500, rows), "D"),
            "event_type": rng.choice(TYPES, rows),
            "lon": lon.astype(str),
            "lat": lat.astype(str),
            "place": rng.choice(PLACES, rows),
            "description": "reported activity near the border, "
            + pd.Series(rng.choice(PLACES, rows)),
        }
    )
    bad = rng.random(rows) < 0.001
    frame.loc[bad, "lat"] = np.where(rng.random(int(bad.sum())) < 0.5, "", "95.5")
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--gigabytes", type=float, default=2.0, help="approximate file size")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    target = args.gigabytes * 1e9
    rng = np.random.default_rng(args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with args.output.open("w", encoding="utf-8", newline="") as stream:
        while stream.tell() < target:
            block(rng, rows, BLOCK).to_csv(
                stream, index=False, header=rows == 0, lineterminator="\n"
            )
            rows += BLOCK
    size = args.output.stat().st_size
    print(f"{args.output}: {rows} rows, {size / 1e9:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
