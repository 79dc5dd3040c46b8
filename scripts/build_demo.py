# ruff: noqa: E501  (the demo table reads best one event per line)
"""Write geomap/data/sample_events.csv: the events of the founding reports, as facts.

Each event is restated here in the team's own words; coordinates and
uncertainties come from the curated gazetteer table (gazetteer/data/sites.csv),
so re-run this script after that table changes::

    python scripts/build_demo.py
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "gazetteer" / "data" / "sites.csv"
OUT = ROOT / "geomap" / "data" / "sample_events.csv"

# (id, date, precision, type, actors, place as reported, site key, extra uncertainty factor,
#  description, outlet, stated distance in metres)
EVENTS: list[tuple[str, str, str, str, str, str, str, float, str, str, str]] = [
    ("demo-01", "2017-10-02", "day", "military_exercise", "Iran;Iraq", "Bashmakh crossing", "bashmaq", 1.0,
     "First joint Iran-Iraq exercise since 1979: tanks and infantry at the Bashmakh border post, "
     "reported by the Kurdish customs chief as 250 m from the border.", "founding report 004", "250"),
    ("demo-02", "2017-09-01", "month", "military_exercise", "Iraq;Turkey", "near the Khabur crossing",
     "ibrahim_khalil", 5.0,
     "Joint Iraqi-Turkish drills near the Khabur crossing on the Turkish side, in late September, "
     "after the independence referendum.", "founding report 000", ""),
    ("demo-03", "2017-09-29", "day", "airspace_closure", "Iraq", "Erbil International Airport",
     "erbil_airport", 1.0,
     "Baghdad's ban on international flights to and from the Region's airports takes effect.",
     "founding report 000", ""),
    ("demo-04", "2017-09-29", "day", "airspace_closure", "Iraq;Iran", "Sulaimaniyah International Airport",
     "sulaymaniyah_airport", 1.0,
     "International flights to Sulaymaniyah halted under the same ban; Iran also stopped its flights "
     "to the Region's airports.", "founding report 001", ""),
    ("demo-05", "2017-09-27", "day", "meeting", "Iran;Iraq", "Tehran", "tehran", 1.0,
     "Iraq's army chief of staff meets Iran's chief of staff in Tehran to discuss military "
     "cooperation on the shared border.", "founding report 001", ""),
    ("demo-06", "2022-11-01", "month", "missile_strike", "IRGC;Iranian Kurdish opposition groups",
     "outskirts of Kirkuk", "kirkuk", 2.0,
     "IRGC rockets hit positions of Iranian Kurdish opposition groups inside the Region; the report "
     "places the targets on the outskirts of Kirkuk.", "founding report 003", ""),
    ("demo-07", "2022-11-01", "month", "air_drone_strike", "IRGC;Iranian Kurdish opposition groups",
     "outskirts of Kirkuk", "kirkuk", 2.0,
     "Kamikaze drones used in the same IRGC campaign against Iranian Kurdish groups.",
     "founding report 003", ""),
    ("demo-08", "2023-03-19", "day", "agreement", "Iraq;Iran", "Baghdad", "baghdad", 1.0,
     "Iraq and Iran sign a border security agreement: coordinated protection of the shared border "
     "and an end to armed Kurdish opposition groups' presence near it.", "founding report 003", ""),
    ("demo-09", "2023-12-03", "day", "meeting", "Iran;Iraq", "Baghdad", "baghdad", 1.0,
     "Iran's chief of staff meets Iraq's interior minister and prime minister on border security "
     "during a three-day visit.", "founding report 003", ""),
    ("demo-10", "2023-12-04", "day", "meeting", "Iran;Iraq", "Baghdad", "baghdad", 1.0,
     "Iraq's president receives Iran's chief of staff; joint drills on the shared border proposed.",
     "founding report 003", ""),
]

COLUMNS = ["id", "date", "date_precision", "event_type", "actors", "place", "site", "lon", "lat",
           "uncertainty_m", "description", "source", "stated_distance_m"]


def load_sites() -> dict[str, dict[str, str]]:
    """Curated sites by key."""
    with SITES.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def rows() -> list[dict[str, str]]:
    """The demo rows with coordinates from the curated sites."""
    sites = load_sites()
    out = []
    for ev_id, date, prec, etype, actors, place, key, widen, text, outlet, stated in EVENTS:
        site = sites[key]
        radius_m = float(site["radius_km"]) * 1000.0 * widen
        out.append({
            "id": ev_id, "date": date, "date_precision": prec, "event_type": etype,
            "actors": actors, "place": place, "site": key, "lon": site["lon"], "lat": site["lat"],
            "uncertainty_m": f"{radius_m:.0f}", "description": text, "source": outlet,
            "stated_distance_m": stated,
        })
    return out


def main() -> None:
    """Write the CSV atomically."""
    fd, tmp = tempfile.mkstemp(dir=OUT.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows())
    Path(tmp).replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(EVENTS)} events)")


if __name__ == "__main__":
    main()
