"""The other stages: map pages, gazetteer resolution, extraction from articles.

``what=map``: ``n`` classified synthetic events drawn with ``geomap.render_map``
(offline, one self-contained file) and saved: build time, HTML size, and the
page's load time in headless Chromium (navigation start to the load event; Debian
``chromium`` + ``chromedriver`` through selenium, skipped when missing).

``what=gazetteer``: a fresh ``gazetteer.Gazetteer`` (cold cache) resolves ``n``
distinct names: the packaged curated names and aliases, then GeoNames names,
then made-up names no layer knows (the slow path), cycled as needed.

``what=extract``: ``geomap.extract_events`` on ``n`` short synthetic news
articles, each naming packaged sites in the kind of sentence the reports use.

Run: ``PYTHONPATH=. python -m benchmarks.bench_pipeline --n 1e4 --option what=map``
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    Result,
    events_frame,
    main_for,
    make_events,
    peak_rss_mb,
    warm_up,
)

_TYPES = ("shelling_artillery", "military_exercise", "air_drone_strike", "deployment", "meeting")
_SENTENCES = (
    "Iranian artillery shelled villages near {a} on Monday, local officials said.",
    "Turkish drones struck a vehicle outside {a}, two kilometres from the border.",
    "Iraqi and Iranian forces held joint military exercises at {a} with tanks and infantry.",
    "Border guards were deployed to {a} and {b} after the clashes.",
    "Officials from both sides met at {a} to discuss border security.",
)


def run(n: int, *, repeat: int = 1, reference: str | None = None, what: str = "map") -> Result:
    """One of the stages, ``n`` items."""
    stages = {"map": _map, "gazetteer": _gazetteer, "extract": _extract}
    if what not in stages:
        msg = f"unknown stage {what!r}: use one of {', '.join(stages)}"
        raise ValueError(msg)
    return stages[what](n)


# ----------------------------------------------------------------------------- map


def _map(n: int) -> Result:
    from geomap.classification import classify
    from geomap.render import render_map, save_map

    warm_up()
    events = classify(events_frame(*make_events(n)))
    events["event_type"] = [_TYPES[i % len(_TYPES)] for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        start = time.perf_counter()
        save_map(render_map(events, offline=True), path)
        seconds = time.perf_counter() - start
        extra: dict[str, Any] = {"html_mb": path.stat().st_size / 1e6}
        load = chromium_load_seconds(path)
        if load is not None:
            extra["chromium_load_s"] = load
    return Result("map page (offline)", n, seconds, peak_rss_mb=peak_rss_mb(), extra=extra)


def chromium_load_seconds(path: Path) -> float | None:
    """Seconds from navigation start to the load event in headless Chromium; None without it."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        return None
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.set_page_load_timeout(600)
        driver.get(path.resolve().as_uri())
        timing = driver.execute_script(
            "const t = performance.timing; return t.loadEventEnd - t.navigationStart;"
        )
        return float(timing) / 1000.0
    finally:
        driver.quit()


# ----------------------------------------------------------------------------- gazetteer


def _names(n: int) -> list[str]:
    names: list[str] = []
    with (ROOT / "gazetteer" / "data" / "sites.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            names.append(row["name"])
            names += [a for a in (row.get("aliases") or "").split("|") if a]
    with (ROOT / "gazetteer" / "data" / "geonames_region.tsv").open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream, delimiter="\t"))
    header = rows[0]
    column = header.index("name") if "name" in header else 1
    names += [row[column] for row in rows[1:] if len(row) > column]
    names = list(dict.fromkeys(names))
    names += [f"Nowhere-{i} village" for i in range(max(0, n - len(names)))]
    return names[:n]


def _gazetteer(n: int) -> Result:
    from gazetteer import Gazetteer

    names = _names(n)
    gazetteer = Gazetteer()
    gazetteer.resolve("Erbil")  # loads the packaged layers
    gazetteer = Gazetteer()
    start = time.perf_counter()
    found = sum(gazetteer.resolve(name) is not None for name in names)
    seconds = time.perf_counter() - start
    return Result(
        "gazetteer.resolve", n, seconds, peak_rss_mb=peak_rss_mb(), extra={"found": found}
    )


# ----------------------------------------------------------------------------- extraction


def _articles(n: int) -> list[str]:
    places = [name for name in _names(400) if not name.startswith("Nowhere")][:200]
    articles = []
    for i in range(n):
        a, b = places[i % len(places)], places[(7 * i + 3) % len(places)]
        body = " ".join(s.format(a=a, b=b) for s in _SENTENCES[i % 3 : i % 3 + 3])
        articles.append(f"Border report {i}\n\n{body}")
    return articles


def _extract(n: int) -> Result:
    from geomap.extract import extract_events

    articles = _articles(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extract_events(articles[0], published="2023-05-01")  # loads the gazetteer
        start = time.perf_counter()
        events = sum(len(extract_events(text, published="2023-05-01")) for text in articles)
        seconds = time.perf_counter() - start
    return Result(
        "extract_events (articles)", n, seconds, peak_rss_mb=peak_rss_mb(), extra={"events": events}
    )


if __name__ == "__main__":
    main_for(run, __doc__.splitlines()[0])
