"""The map page in a real browser: Debian's chromium driven by selenium.

The browser runs headless with every background service off, a fresh profile,
and a proxy that leads nowhere, so a request the page makes fails and shows in
the DevTools network log, which each test reads.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _chromium as chromium
import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geomap.classification import classify
from geomap.frontier import load_frontier
from geomap.readers import read_inputs
from geomap.render import render_map, save_map

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).parent / "data" / "hostile_events.csv"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "output"
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")

if not chromium.available():
    pytest.skip("needs Debian chromium and chromium-driver", allow_module_level=True)
pytest.importorskip("selenium.webdriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = chromium.start(
        tmp_path_factory.mktemp("chromium-profile"), {"browser": "ALL", "performance": "ALL"}
    )
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def frontier() -> Any:
    return load_frontier()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, frontier: Any) -> dict[str, Path]:
    """Offline pages: the demo, the hostile corpus, and 3,000 clustered events."""
    out = tmp_path_factory.mktemp("pages")
    demo, _ = read_inputs([])
    hostile, _ = read_inputs([str(HOSTILE)])
    rng = np.random.default_rng(7)
    n = 3000
    many = gpd.GeoDataFrame(
        {
            "event_type": rng.choice(["shelling_artillery", "air_drone_strike", "meeting"], n),
            "date": [
                f"2020-{m:02d}-{d:02d}"
                for m, d in zip(rng.integers(1, 13, n), rng.integers(1, 29, n), strict=True)
            ],
            "date_precision": "day",
            "description": [f"event {i}" for i in range(n)],
        },
        geometry=[
            Point(x, y)
            for x, y in zip(rng.uniform(43, 46, n), rng.uniform(35.5, 37.2, n), strict=True)
        ],
        crs=4326,
    )
    built = {
        "demo": render_map(classify(demo, frontier), frontier, offline=True, title="Demo"),
        "hostile": render_map(
            classify(hostile, frontier),
            frontier,
            offline=True,
            title="</script><img src=x onerror=\"document.title='pwned'\">",
        ),
        "many": render_map(classify(many, frontier), frontier, offline=True),
    }
    paths = {}
    for name, page in built.items():
        paths[name] = out / f"{name}.html"
        save_map(page, paths[name])
    return paths


def _open(driver: Any, path: Path) -> list[str]:
    """Load a page and wait for the map; return the URLs it requested."""
    driver.get_log("performance")  # drop what came before
    driver.get_log("browser")
    driver.get(path.as_uri())
    deadline = time.monotonic() + 60
    while not driver.execute_script("return !!(window.geomap && geomap.instances.length)"):
        assert time.monotonic() < deadline, "the map did not initialise"
        time.sleep(0.2)
    time.sleep(0.5)
    messages = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    return [
        m["params"]["request"]["url"]
        for m in messages
        if m["method"] == "Network.requestWillBeSent"
    ]


def _errors(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_offline_page_renders_with_no_request(browser: Any, pages: dict[str, Path]) -> None:
    requests = _open(browser, pages["demo"])
    assert [u for u in requests if not u.startswith(LOCAL_SCHEMES)] == []
    assert _errors(browser) == []
    assert browser.execute_script("return geomap.instances[0].drawnCount()") == 10
    assert (
        browser.execute_script("return document.querySelectorAll('canvas.gm-events').length") == 1
    )
    assert (
        browser.execute_script(
            "return document.querySelectorAll('path.leaflet-interactive').length"
        )
        > 20
    )
    assert browser.title == "Demo"


def test_layer_control_lists_every_layer(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["demo"])
    text = browser.execute_script(
        "return document.querySelector('.leaflet-control-layers-list').textContent"
    )
    for name in (
        "Basemap: countries, Kurdistan Region",
        "Towns",
        "Distance bands",
        "Frontier",
        "Crossings",
        "Events: military exercise (2)",
        "Events: meeting (3)",
        "Events: airspace closure (2)",
        "Heat map of events",
    ):
        assert name in text
    # switching a type off in the layer control hides its events, on shows them again
    toggle = (
        "var label = Array.prototype.find.call("
        " document.querySelectorAll('.leaflet-control-layers-overlays label'),"
        " function (l) { return l.textContent.indexOf('Events: meeting') >= 0; });"
        "label.querySelector('input').click();"
        "return new Promise(function (done) {"
        " setTimeout(function () { done(geomap.instances[0].drawnCount()); }, 100); });"
    )
    assert browser.execute_script(toggle) == 7
    assert browser.execute_script(toggle) == 10


def _event_offset(browser: Any, index: int) -> tuple[int, int]:
    """Offset of an event's pixel from the centre of the map element."""
    x, y, w, h = browser.execute_script(
        "var s = geomap.instances[0], p = s.map.latLngToContainerPoint(s.latLng(arguments[0])),"
        " size = s.map.getSize(); return [p.x, p.y, size.x, size.y];",
        index,
    )
    return round(x - w / 2), round(y - h / 2)


def test_click_shows_escaped_popup(browser: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, pages["hostile"])
    title = browser.title
    assert title == "</script><img src=x onerror=\"document.title='pwned'\">"
    browser.execute_script(
        "var s = geomap.instances[0]; s.map.setView(s.latLng(6), 11, {animate: false});"
    )
    time.sleep(0.5)
    container = browser.find_element(By.CSS_SELECTOR, ".folium-map")
    dx, dy = _event_offset(browser, 6)
    # hover like a person: the tooltip names the event
    ActionChains(browser).move_to_element_with_offset(container, dx, dy).perform()
    tooltip = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".gm-event-tooltip")
    )
    assert "place </script><img" in tooltip.get_attribute("textContent")
    ActionChains(browser).move_to_element_with_offset(container, dx, dy).click().perform()
    popup = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".leaflet-popup-content")
    )
    text = WebDriverWait(browser, 10).until(lambda d: popup.text)  # after the fade-in
    assert "desc </script><img src=x onerror=document.title='pwned'>" in text
    assert popup.find_elements(By.TAG_NAME, "img") == []
    hrefs = [a.get_attribute("href") for a in popup.find_elements(By.TAG_NAME, "a")]
    assert hrefs and all(h.startswith("https://news.example.org/") for h in hrefs)
    assert browser.title == title


def test_xss_corpus_executes_nothing(browser: Any, pages: dict[str, Path]) -> None:
    requests = _open(browser, pages["hostile"])
    title = browser.title
    opened, links = browser.execute_script(
        """
        var s = geomap.instances[0], count = 0, links = [];
        function collect() {
          var open = s.map._popup.getElement();  // closed popups fade out for 200 ms
          open.querySelectorAll('.leaflet-popup-content a').forEach(function (a) {
            links.push(a.getAttribute('href'));
          });
        }
        s.visibleIndices().forEach(function (k) {
          s.showTooltip(k);  // what hovering an event shows
          s.openPopup(k);    // what clicking it shows
          collect();
          count++;
        });
        s.map.eachLayer(function (layer) {  // crossings and towns
          if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); }
          if (layer.getPopup && layer.getPopup()) { layer.openPopup(); count++; }
        });
        return [count, links];
        """
    )
    assert opened >= 9 + 15  # every event and every crossing
    time.sleep(0.5)
    assert browser.title == title
    assert (
        browser.execute_script(
            "return document.querySelectorAll('img[src=\"x\"], svg[onload]').length"
        )
        == 0
    )
    assert len(links) == 9  # one http(s) source per event; javascript: and data: are text
    assert all(link.startswith("https://news.example.org/") for link in links)
    tooltips = browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('.leaflet-tooltip'),"
        " function (t) { return t.textContent; }).join('\\n')"
    )
    assert "crossing" in tooltips  # the crossings' tooltips were opened
    tooltip = browser.execute_script(
        "geomap.instances[0].showTooltip(3); return document.querySelector("
        "'.gm-event-tooltip').textContent"
    )
    assert "`${document.title='pwned'}` backtick" in tooltip
    assert [u for u in requests if not u.startswith(LOCAL_SCHEMES)] == []
    assert _errors(browser) == []


def test_time_filter_hides_and_shows(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["demo"])

    def slide(start: str, end: str) -> int:
        visible: int = browser.execute_script(
            """
            var s = geomap.instances[0], t = s.timeControl;
            function day(iso) { return Math.round(Date.parse(iso + 'T00:00:00Z') / 86400000); }
            t.from.value = day(arguments[0]); t.to.value = day(arguments[1]);
            t.from.dispatchEvent(new Event('input'));
            return new Promise(function (done) {
              setTimeout(function () { done(s.visible); }, 400);
            });
            """,
            start,
            end,
        )
        return visible

    assert slide("2000-01-01", "2030-01-01") == 10
    # demo-02 is dated 2017-09 (month precision): shown for any day of September
    assert slide("2017-09-20", "2017-09-25") == 1
    assert browser.execute_script(
        "var s = geomap.instances[0];"
        "return s.visibleIndices().map(function (k) {"
        " return new Date(s.events.d0[k] * 86400000).toISOString().slice(0, 10); });"
    ) == ["2017-09-01"]
    assert browser.execute_script("return geomap.instances[0].drawnCount()") == 1
    assert slide("2017-10-02", "2017-10-02") == 1
    assert slide("2017-10-03", "2022-10-31") == 0
    assert slide("2022-11-30", "2022-11-30") == 2  # the two 2022-11 month-precision events
    assert slide("2000-01-01", "2030-01-01") == 10


def test_demo_page_is_painted_to_its_edges(
    browser: Any, pages: dict[str, Path], tmp_path: Path
) -> None:
    """Country fills show in every corner of the view, not only where painting began.

    An animated first zoom once left the vector layers unpainted below and right of
    a line in headless Chromium while the geometry was complete.
    """
    from collections import Counter

    from PIL import Image

    from geomap.render import COUNTRY_COLORS

    _open(browser, pages["demo"])
    time.sleep(1.0)
    shot = tmp_path / "demo.png"
    browser.save_screenshot(str(shot))
    image = Image.open(shot).convert("RGB")
    # Inland points away from the frontier, bands and towns: south-west, south-east,
    # north-west and north-east of the view.
    probes = {"IQ": (33.9, 43.2), "IR": (33.7, 47.6), "TR": (38.6, 41.6), "SY": (36.2, 41.2)}
    for iso, (lat, lon) in probes.items():
        x, y = browser.execute_script(
            "var p = geomap.instances[0].map.latLngToContainerPoint([arguments[0], arguments[1]]);"
            "return [Math.round(p.x), Math.round(p.y)];",
            lat,
            lon,
        )
        assert 5 <= x < image.width - 5 and 5 <= y < image.height - 5, (iso, x, y)
        patch = Counter(
            image.getpixel((x + dx, y + dy)) for dx in range(-4, 5) for dy in range(-4, 5)
        )
        colour = patch.most_common(1)[0][0]
        want = tuple(int(COUNTRY_COLORS[iso][k : k + 2], 16) for k in (1, 3, 5))
        assert max(abs(a - b) for a, b in zip(colour, want, strict=True)) <= 3, (iso, colour)


def test_clustered_page_and_screenshot(
    browser: Any, pages: dict[str, Path], tmp_path: Path
) -> None:
    from PIL import Image

    requests = _open(browser, pages["many"])
    assert [u for u in requests if not u.startswith(LOCAL_SCHEMES)] == []
    assert _errors(browser) == []
    assert browser.execute_script("return geomap.instances[0].visible") == 3000
    clusters = browser.execute_script(
        "return geomap.instances[0].canvas._hits"
        ".filter(function (h) { return h.count > 1; }).length"
    )
    assert 0 < clusters < 3000
    assert browser.execute_script("return geomap.instances[0].drawnCount()") == 3000
    browser.execute_script("var s = geomap.instances[0]; s.map.addLayer(s.groups.heat);")
    time.sleep(0.5)
    shot = tmp_path / "many.png"
    browser.save_screenshot(str(shot))
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200
    if SCREENSHOTS.is_dir():
        shutil.copy(shot, SCREENSHOTS / "map_clustered_offline.png")
        _open(browser, pages["demo"])
        browser.save_screenshot(str(SCREENSHOTS / "map_demo_offline.png"))


def test_popup_compares_a_stated_distance(browser: Any, tmp_path: Path) -> None:
    """An article's "250 metres from the border" shows in the popup, with the verdict."""
    from click.testing import CliRunner

    from geomap.cli import main

    article = tmp_path / "report.txt"
    article.write_text(
        "Units held drills at the Bashmakh crossing, 250 metres from the border.\n"
        "Troops held drills near Erbil, 300 metres from the border.\n",
        encoding="utf-8",
    )
    page = tmp_path / "map.html"
    result = CliRunner().invoke(
        main, ["map", "--offline", "--published", "2022-11-20", str(article), "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    _open(browser, page)
    texts = browser.execute_script(
        "var s = geomap.instances[0], out = [];"
        "for (var k = 0; k < s.events.n; k++) {"
        "  out.push(s.openPopup(k).getElement().textContent); s.map.closePopup(); }"
        "return out;"
    )
    stated = sorted(
        line for text in texts for line in [text.split("Stated distance")[1].split("Band")[0]]
    )
    assert stated == ["250 m, agrees", "300 m, differs from the computed distance"]
