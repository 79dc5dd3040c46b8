"""Write geomap/data/regions.csv: the areas news names without a place, as circles.

"The Kurdistan Region", "northern Iraq" or "the Iran–KRG border" locate an event
only to a region. Each region becomes a centre and a radius that covers it,
derived from the packaged frontier (geomap/data/frontier.geojson), so the
extractor can give such events a region-sized uncertainty::

    python scripts/build_regions.py
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import shapely
from pyproj import Geod
from shapely.geometry import box

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "geomap" / "data" / "regions.csv"
GEOD = Geod(ellps="WGS84")


def _circle(geometry: shapely.Geometry) -> tuple[float, float, float]:
    """Centre (lon, lat) and the geodesic radius in metres that covers every vertex."""
    minx, miny, maxx, maxy = geometry.bounds
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    coords = shapely.get_coordinates(geometry)
    n = len(coords)
    _, _, dist = GEOD.inv([lon] * n, [lat] * n, coords[:, 0], coords[:, 1])
    return round(lon, 4), round(lat, 4), float(round(max(dist), -3) + 1000)


def main() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from geomap.frontier import load_frontier

    frontier = load_frontier()
    countries = frontier.countries.set_index("iso2").geometry
    segments = frontier.segments.set_index("segment").geometry
    region = frontier.region.geometry.iloc[0]
    iraq = countries["IQ"]
    shapes = {
        "kurdistan_region": ("the Kurdistan Region", region),
        "iran_krg_border": ("the Iran–KRG border", segments["IR-KRG"]),
        "turkey_krg_border": ("the Turkey–KRG border", segments["TR-KRG"]),
        "iran_iraq_border": ("the Iran–Iraq border", iraq.boundary.intersection(countries["IR"])),
        "turkey_iraq_border": (
            "the Turkey–Iraq border",
            iraq.boundary.intersection(countries["TR"]),
        ),
        "northern_iraq": ("northern Iraq", iraq.intersection(box(38, 35, 50, 38))),
    }
    rows = [
        {
            "key": key,
            "name": name,
            **dict(zip(("lon", "lat", "radius_m"), _circle(shape), strict=True)),
        }
        for key, (name, shape) in shapes.items()
    ]
    handle, temporary = tempfile.mkstemp(dir=OUT.parent, suffix=".csv")
    with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=["key", "name", "lon", "lat", "radius_m"])
        writer.writeheader()
        writer.writerows(rows)
    Path(temporary).replace(OUT)
    print(f"wrote {len(rows)} regions to {OUT}")


if __name__ == "__main__":
    main()
