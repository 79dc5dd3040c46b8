"""The map page's structure, its data layer and the escaping of input text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from geomap._mapdata import date_ranges, unpack_ints
from geomap.classification import classify
from geomap.cli import main
from geomap.frontier import load_frontier
from geomap.readers import read_inputs
from geomap.render import render_map, save_map

DATA = Path(__file__).parent / "data"
HOSTILE = DATA / "hostile_events.csv"
_DATA_BLOCK = re.compile(
    r'<script type="application/json" id="geomap-data-[^"]+">(.*?)</script>', re.S
)


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def _page_data(html: str) -> dict[str, Any]:
    blocks = _DATA_BLOCK.findall(html)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


@pytest.fixture(scope="module")
def frontier() -> Any:
    return load_frontier()


@pytest.fixture(scope="module")
def demo(frontier: Any) -> gpd.GeoDataFrame:
    events, failures = read_inputs([])
    assert not failures
    return classify(events, frontier)


@pytest.fixture(scope="module")
def hostile(frontier: Any) -> gpd.GeoDataFrame:
    events, failures = read_inputs([str(HOSTILE)])
    assert not failures
    return classify(events, frontier)


@pytest.fixture(scope="module")
def demo_offline_html(demo: gpd.GeoDataFrame, frontier: Any) -> str:
    html: str = render_map(demo, frontier, offline=True).get_root().render()
    return html


def test_layers_and_control_last(demo: gpd.GeoDataFrame, frontier: Any) -> None:
    import folium

    page = render_map(demo, frontier, title="Demo")
    children = list(page._children.values())
    assert isinstance(children[-1], folium.LayerControl)
    html = page.get_root().render()
    names = re.findall(
        r'"((?:Events: |Basemap|Towns|Distance bands|Frontier|Crossings|Heat)[^"]*)"', html
    )
    for expected in (
        "Basemap",
        "Towns",
        "Distance bands",
        "Frontier",
        "Crossings",
        "Heat",
        "Events: military exercise",
        "Events: meeting",
    ):
        assert any(n.startswith(expected) for n in names), expected
    tiles = [c for c in children if isinstance(c, folium.TileLayer)]
    assert [t.tile_name for t in tiles] == [
        "OpenStreetMap.Mapnik",
        "OpenTopoMap",
        "Esri.WorldImagery",
    ]
    assert all(t.options.get("attribution") or "attribution" in str(t.__dict__) for t in tiles)


def test_offline_page_has_no_remote_reference(demo_offline_html: str) -> None:
    parsed = _parse(demo_offline_html)
    for tag, attrs in parsed.tags:
        for attr in ("src", "href", "srcset", "data"):
            value = attrs.get(attr) or ""
            assert not value.lower().startswith(("http:", "https:", "//")), (tag, attrs)
    assert not [t for t, a in parsed.tags if t == "link"]
    assert "tile.openstreetmap" not in demo_offline_html
    css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", demo_offline_html)
    assert css_urls and all(u.startswith("data:") or u.startswith("#") for u in css_urls)
    # Leaflet and markercluster-free page: Leaflet is inlined
    assert any("window.L" in text for _, text in parsed.scripts)


def test_online_page_loads_assets_as_folium_does(demo: gpd.GeoDataFrame, frontier: Any) -> None:
    html = render_map(demo, frontier).get_root().render()
    sources = [a.get("src") for t, a in _parse(html).tags if t == "script" and a.get("src")]
    assert any(s and "leaflet" in s for s in sources)
    assert "tile.openstreetmap.org" in html


def test_offline_tiles_only_when_asked(demo: gpd.GeoDataFrame, frontier: Any) -> None:
    html = render_map(demo, frontier, offline=True, tiles=True).get_root().render()
    assert "tile.openstreetmap.org" in html
    assert "L.tileLayer" not in render_map(demo, frontier, offline=True).get_root().render()


def test_tile_provider_first_and_unknown_rejected(demo: gpd.GeoDataFrame, frontier: Any) -> None:
    import folium

    page = render_map(demo, frontier, tile_provider="Esri.WorldTopoMap")
    tiles = [c for c in page._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles[0].tile_name == "Esri.WorldTopoMap"
    with pytest.raises(ValueError, match="unknown tile provider"):
        render_map(demo, frontier, tile_provider="No.Such.Provider")


def test_hostile_text_cannot_escape(hostile: gpd.GeoDataFrame, frontier: Any) -> None:
    html = (
        render_map(hostile, frontier, offline=True, title="</script><b>`${x}`\\'\"")
        .get_root()
        .render()
    )
    parsed = _parse(html)
    # the payloads stay inside the JSON data block: no script or element of their own
    carriers = [attrs.get("type") for attrs, text in parsed.scripts if "pwned" in text]
    assert carriers == ["application/json"]
    benign = _parse(render_map(hostile.iloc[:0], frontier, offline=True).get_root().render())
    assert len(parsed.scripts) == len(benign.scripts)
    assert not [a for t, a in parsed.tags if t in ("img", "svg") or "onerror" in a or "onload" in a]
    block = _DATA_BLOCK.findall(html)[0]
    assert "<" not in block and ">" not in block
    data = _page_data(html)
    # text arrives intact, to be shown with textContent
    assert "desc </script><img src=x onerror=document.title='pwned'>" in data["events"]["desc"]["v"]
    assert any("`${1}`" in a for a in data["events"]["actors"]["v"])
    # and no template engine ran over it while the page was assembled
    assert "desc {{ 7*7 }}{% raw %}{#" in data["events"]["desc"]["v"]
    assert data["title"] == "</script><b>`${x}`\\'\""
    assert "<title>&lt;/script&gt;&lt;b&gt;`${x}`\\&#x27;&#34;</title>" in html.replace(
        "&quot;", "&#34;"
    )


def test_links_only_for_http(hostile: gpd.GeoDataFrame, frontier: Any) -> None:
    data = _page_data(render_map(hostile, frontier, offline=True).get_root().render())
    links = [url for pairs in data["events"]["src"]["v"] for _, url in pairs]
    assert links and all(u is None or u.startswith("https://news.example.org/") for u in links)
    assert sum(u is not None for u in links) == len(hostile)


def test_month_precision_covers_the_month() -> None:
    start, end = date_ranges(["2017-09-01", "2017-09-30", "2016-02-11"], ["month", "day", "month"])
    assert end[0] == start[1] == end[1]  # 30 September lies in the month event's range
    assert end[2] - start[2] == 28  # February 2016: 29 days
    events = gpd.GeoDataFrame(
        {
            "event_type": ["meeting", "meeting"],
            "date": ["2017-09-01", None],
            "date_precision": ["month", None],
        },
        geometry=[Point(44, 36), Point(44.1, 36.1)],
        crs=4326,
    )
    layer = _page_data(render_map(events, tiles=False).get_root().render())["events"]
    assert unpack_ints(layer["d0"], 2) == [start[0], None]
    assert layer["prec"]["v"] == ["month"]  # the page extends the range to the month's end


def test_unlocated_rows_counted_not_drawn(frontier: Any) -> None:
    events = gpd.GeoDataFrame(
        {"event_type": ["meeting", "other", "other"], "problem": [None, "no place", "no place"]},
        geometry=[Point(44, 36), None, None],
        crs=4326,
    )
    data = _page_data(render_map(events, frontier, tiles=False).get_root().render())
    assert data["events"]["n"] == 1 and data["unlocated"] == 2


def test_cluster_threshold(demo: gpd.GeoDataFrame, frontier: Any) -> None:
    clustered = _page_data(
        render_map(demo, frontier, offline=True, cluster_threshold=3).get_root().render()
    )
    plain = _page_data(render_map(demo, frontier, offline=True).get_root().render())
    assert clustered["cluster"] is True and plain["cluster"] is False


def test_no_folium_object_per_event(frontier: Any) -> None:
    events = gpd.GeoDataFrame(
        {"event_type": ["meeting"] * 300, "date": ["2020-01-01"] * 300},
        geometry=[Point(44 + i / 1000, 36) for i in range(300)],
        crs=4326,
    )
    page = render_map(events, frontier, tiles=False)
    assert len(page._children) < 30
    assert _page_data(page.get_root().render())["events"]["n"] == 300


def test_options_reach_the_page(demo: gpd.GeoDataFrame, frontier: Any) -> None:
    html = (
        render_map(demo, frontier, heat=False, time_control=False, tiles=False).get_root().render()
    )
    data = _page_data(html)
    assert data["heat"] is False and data["timeControl"] is False
    assert "Heat map" not in html


def test_save_map_is_atomic(demo: gpd.GeoDataFrame, frontier: Any, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "map.html"
    save_map(render_map(demo, frontier, offline=True), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]


def test_cli_map_options(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = CliRunner().invoke(
        main,
        [
            "map",
            "--offline",
            "--no-heat",
            "--no-time-control",
            "--cluster-threshold",
            "2",
            "--title",
            "T<1>",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = _page_data(out.read_text(encoding="utf-8"))
    assert data["cluster"] is True and data["heat"] is False and data["title"] == "T<1>"


def test_cli_unknown_tile_provider_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["map", "--tile-provider", "Nope.Nope", "-o", str(tmp_path / "m.html")]
    )
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "geomap: error: unknown tile provider 'Nope.Nope' (see xyzservices.providers)"
    ]
