"""Map pages at 1k / 10k / 100k events: build time, HTML size, headless Chromium load time.

Three pages of the same points, side by side:

- ``geomap``: :func:`geomap.render_map` (full popups, types, time filter, heat), offline;
- ``fastcluster``: folium's ``FastMarkerCluster`` (no popups, no types, no time filter);
- ``markers``: plain folium, one ``folium.Marker`` with a popup per event.

Every page is made self-contained the same way (Leaflet and, for folium's
pages, Leaflet.markercluster inlined from the XStatic packages; no tiles), so
Chromium loads nothing from the network. Load time runs from navigation start
until the markers or clusters are on the page (for geomap: its script has drawn
the events). Needs the ``bench`` extra (xstatic-leaflet-markercluster).

The events are synthetic (seeded): points in the frontier region, types, dates
(a fifth month-precision), actors, places, descriptions (about 24,000 distinct
texts per 100,000 events) and one source URL per four events (a report covering
several events); they are classified before rendering.

Usage::

    PYTHONPATH=. python benchmarks/bench_map.py                  # 1k, 10k, 100k
    PYTHONPATH=. python benchmarks/bench_map.py --sizes 1000 --keep output/bench
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from geomap import assets
from geomap.classification import classify
from geomap.events import EVENT_TYPES
from geomap.frontier import load_frontier
from geomap.render import render_map

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
OUTLETS = ("Rudaw", "Kurdistan 24", "Anadolu", "IRNA", "Shafaq News", "Reuters", "AFP", "BasNews")
ACTORS = ("Iran", "Iraq", "Turkey", "KRG", "Peshmerga", "IRGC", "PKK", "Turkish Armed Forces")
VERBS = {
    "shelling_artillery": "Artillery shelling reported near",
    "air_drone_strike": "Drone strike on a vehicle near",
    "military_exercise": "Joint drills held near",
    "deployment": "Troops deployed near",
    "ground_clash": "Clashes between patrols near",
}


def synthetic_events(n: int, seed: int = 42) -> gpd.GeoDataFrame:
    """``n`` reproducible events in the frontier region."""
    import csv
    from importlib import resources

    rng = np.random.default_rng(seed)
    towns = [
        r["name"]
        for r in csv.DictReader(
            resources.files("geomap")
            .joinpath("data", "towns.csv")
            .read_text(encoding="utf-8")
            .splitlines()
        )
    ]
    lon = rng.uniform(42.3, 46.5, n)
    lat = rng.uniform(34.8, 37.4, n)
    types = rng.choice(EVENT_TYPES, n, p=_weights())
    days = rng.integers(0, 3650, n)
    precision = rng.choice(["day", "month", "year"], n, p=[0.77, 0.2, 0.03])
    dates = (np.datetime64("2015-01-01") + days.astype("timedelta64[D]")).astype(str)
    dates = [
        d[:8] + "01" if p == "month" else (d[:5] + "01-01" if p == "year" else d)
        for d, p in zip(dates, precision, strict=True)
    ]
    places = rng.choice(towns, n)
    articles = np.arange(n) // 4  # a report covers about four events
    outlets = [OUTLETS[a % len(OUTLETS)] for a in articles]
    return gpd.GeoDataFrame(
        {
            "id": [f"bench-{i}" for i in range(n)],
            "date": dates,
            "date_precision": precision,
            "event_type": types,
            "actors": [list(rng.choice(ACTORS, 2, replace=False)) for _ in range(n)],
            "place": [f"near {p}" for p in places],
            "site": None,
            "location_source": "coordinates",
            "uncertainty_m": rng.choice([500.0, 2000.0, 5000.0], n),
            "description": [
                f"{VERBS.get(t, 'Reported activity near')} {p}; {k} reported in the area."
                for t, p, k in zip(types, places, rng.integers(1, 40, n), strict=True)
            ],
            "sources": [
                [
                    {
                        "outlet": o,
                        "url": f"https://news.example.org/{o.lower().replace(' ', '-')}/{a}",
                        "quote": None,
                    }
                ]
                for a, o in zip(articles, outlets, strict=True)
            ],
            "problem": None,
        },
        geometry=[Point(x, y) for x, y in zip(lon, lat, strict=True)],
        crs=4326,
    )


def _weights() -> list[float]:
    weights = np.ones(len(EVENT_TYPES))
    for name, w in (("shelling_artillery", 6), ("air_drone_strike", 5), ("ground_clash", 3)):
        weights[EVENT_TYPES.index(name)] = w
    return list(weights / weights.sum())


def _markercluster() -> list[tuple[str, str]]:
    """Leaflet.markercluster's script and styles, from XStatic-Leaflet-MarkerCluster."""
    import xstatic.pkg.leaflet_markercluster as package

    base = Path(package.BASE_DIR)
    css = "\n".join(
        (base / n).read_text(encoding="utf-8")
        for n in ("MarkerCluster.css", "MarkerCluster.Default.css")
    )
    js = (base / "leaflet.markercluster.js").read_text(encoding="utf-8")
    return [
        ("markercluster_css", assets.inline_style(css)),
        ("markercluster", assets.inline_script(js)),
    ]


def _inline_folium(page: Any) -> None:
    """Make a plain folium page self-contained the way geomap's offline page is."""
    from branca.element import Element

    class Raw(Element):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return self.text

    header = page.get_root().header
    for name, element in [*assets.offline_assets(), *_markercluster()]:
        header.add_child(Raw(element), name=name)


def _strip(element: Any) -> None:
    element.default_js = []
    element.default_css = []


def page_geomap(events: gpd.GeoDataFrame, frontier: Any) -> str:
    html: str = render_map(events, frontier, offline=True).get_root().render()
    return html


def page_fastcluster(events: gpd.GeoDataFrame, frontier: Any) -> str:
    import folium
    from folium.plugins import FastMarkerCluster

    page = folium.Map(tiles=None)
    _strip(page)
    page.options["maxZoom"] = 18
    page.fit_bounds([[34.8, 42.3], [37.4, 46.5]])
    # folium's default callback draws AwesomeMarkers icons (a CDN plugin): use a plain divIcon
    callback = (
        "function (row) { return L.marker(new L.LatLng(row[0], row[1]),"
        " {icon: L.divIcon({className: 'bench-icon', iconSize: [12, 12]})}); }"
    )
    cluster = FastMarkerCluster([[p.y, p.x] for p in events.geometry], callback=callback)
    _strip(cluster)
    cluster.add_to(page)
    _inline_folium(page)
    html: str = page.get_root().render()
    return html


def page_markers(events: gpd.GeoDataFrame, frontier: Any) -> str:
    import html as html_module

    import folium

    page = folium.Map(tiles=None)
    _strip(page)
    page.options["maxZoom"] = 18
    page.fit_bounds([[34.8, 42.3], [37.4, 46.5]])
    for row in events.itertuples():
        text = html_module.escape(f"{row.date} {row.event_type}: {row.description}")
        folium.Marker([row.geometry.y, row.geometry.x], popup=folium.Popup(text)).add_to(page)
    _inline_folium(page)
    html: str = page.get_root().render()
    return html


READY = {
    "geomap": "return !!(window.geomap && geomap.instances.length && geomap.instances[0].ready"
    " && geomap.instances[0].drawnCount() > 0)",
    "fastcluster": "return document.readyState === 'complete'"
    " && !!document.querySelector('.marker-cluster, .leaflet-marker-icon')",
    "markers": "return document.readyState === 'complete'"
    " && !!document.querySelector('.leaflet-marker-icon')",
}


def load_seconds(path: Path, ready: str, timeout: float) -> float | None:
    """Seconds from navigation start until ``ready`` holds, in a fresh headless Chromium."""
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,900",
    ):
        options.add_argument(arg)
    options.page_load_strategy = "none"
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(timeout + 5)
    try:
        driver.get(path.as_uri())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if driver.execute_script(ready):
                    elapsed: float = driver.execute_script("return performance.now()") / 1000.0
                    return elapsed
            except TimeoutException:
                pass
            time.sleep(0.05)
        return None
    finally:
        driver.quit()


def run(
    sizes: list[int],
    keep: Path | None,
    timeout: float,
    marker_limit: int,
    pages: tuple[str, ...] = ("geomap", "fastcluster", "markers"),
) -> list[dict[str, Any]]:
    frontier = load_frontier()
    render_map(synthetic_events(10), frontier, offline=True)  # warm-up: band polygons, imports
    builders: dict[str, Callable[[gpd.GeoDataFrame, Any], str]] = {
        "geomap": page_geomap,
        "fastcluster": page_fastcluster,
        "markers": page_markers,
    }
    workdir = keep or Path(tempfile.mkdtemp(prefix="bench-map-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in sizes:
        events = synthetic_events(n)
        started = time.perf_counter()
        classified = classify(events, frontier)
        classify_s = time.perf_counter() - started
        for name, build in builders.items():
            if name not in pages:
                continue
            if name == "markers" and n > marker_limit:
                results.append(
                    {"n": n, "page": name, "skipped": f"more than {marker_limit} events"}
                )
                continue
            started = time.perf_counter()
            html = build(classified, frontier)
            build_s = time.perf_counter() - started
            path = workdir / f"{name}_{n}.html"
            path.write_text(html, encoding="utf-8")
            load_s = load_seconds(path, READY[name], timeout)
            row = {
                "n": n,
                "page": name,
                "build_s": round(build_s, 2),
                "size_mb": round(path.stat().st_size / 1e6, 2),
                "load_s": None if load_s is None else round(load_s, 2),
                "classify_s": round(classify_s, 2),
            }
            results.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            if keep is None:
                path.unlink()
    return results


def table(results: list[dict[str, Any]], timeout: float) -> str:
    lines = [
        "| events | page | Python build (s) | HTML (MB) | Chromium load (s) |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['n']:,} | {r['page']} | not built ({r['skipped']}) | | |")
            continue
        load = f"{r['load_s']:.2f}" if r["load_s"] is not None else f"> {timeout:.0f} (not ready)"
        lines.append(
            f"| {r['n']:,} | {r['page']} | {r['build_s']:.2f} | {r['size_mb']:.2f} | {load} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--pages", default="geomap,fastcluster,markers", help="pages to measure")
    parser.add_argument("--keep", type=Path, help="keep the pages in this directory")
    parser.add_argument("--timeout", type=float, default=150.0, help="load timeout per page (s)")
    parser.add_argument(
        "--marker-limit",
        type=int,
        default=100_000,
        help="build the one-Marker-per-event page only up to this many events",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    pages = tuple(args.pages.split(","))
    results = run(sizes, args.keep, args.timeout, args.marker_limit, pages)
    print(table(results, args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
