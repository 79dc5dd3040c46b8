"""The map: classified events on a layered folium page.

Layers, all in one layer control: base tiles (xyzservices providers), an offline
vector basemap (countries, the Kurdistan Region, towns), the frontier, the
distance bands, the crossings, one layer of events per event type (clustered
when many), a heat layer. Controls: time filter, legend, scale, full screen,
mouse coordinates.

Events are not folium objects: they travel as one compact JSON data layer
(:mod:`geomap._mapdata`) that ``geomap/static/geomap.js`` draws, so a page of
100,000 events stays small and fast. All text from the input reaches the page
only through ``textContent`` (or HTML-escaped by Python for folium tooltips).

Examples
--------
>>> from geomap.readers import read_inputs
>>> from geomap.classification import classify
>>> events, _ = read_inputs([])
>>> page = render_map(classify(events), offline=True)
>>> type(page).__name__
'Map'
>>> html = page.get_root().render()
>>> "Bashmakh" in html and "cdn.jsdelivr" not in html
True
"""

from __future__ import annotations

import html
import itertools
import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from geomap.events import EVENT_TYPES
from geomap.settings import DEFAULT_BANDS_KM, band_labels

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from geomap.frontier import Frontier

__all__ = ["DEFAULT_CLUSTER_THRESHOLD", "DEFAULT_TILE_PROVIDERS", "render_map", "save_map"]

logger = logging.getLogger(__name__)

#: Above this many located events, the event layers cluster (below zoom 13).
DEFAULT_CLUSTER_THRESHOLD: Final = 500

#: xyzservices providers offered as base layers: street map, topographic, satellite.
DEFAULT_TILE_PROVIDERS: Final = ("OpenStreetMap.Mapnik", "OpenTopoMap", "Esri.WorldImagery")

#: Colour and symbol of each event type.
TYPE_STYLES: Final[dict[str, tuple[str, str]]] = {
    "military_exercise": ("#1f77b4", "circle"),
    "deployment": ("#17becf", "square"),
    "shelling_artillery": ("#d62728", "triangle"),
    "missile_strike": ("#8c0000", "diamond"),
    "air_drone_strike": ("#ff7f0e", "triangle"),
    "ground_clash": ("#9467bd", "diamond"),
    "border_closure": ("#8c564b", "square"),
    "airspace_closure": ("#e377c2", "square"),
    "agreement": ("#2ca02c", "circle"),
    "meeting": ("#bcbd22", "circle"),
    "statement": ("#7f7f7f", "diamond"),
    "other": ("#444444", "circle"),
}

#: Fill colours of the distance bands, nearest first.
BAND_COLORS: Final = ("#b30000", "#e34a33", "#fc8d59", "#fdbb84", "#fdd49e", "#fef0d9")
SEGMENT_COLORS: Final = {"IR-KRG": "#006d2c", "TR-KRG": "#cc4c02"}
COUNTRY_COLORS: Final = {"IQ": "#f7f4e8", "IR": "#eef3e2", "TR": "#f3ebe8", "SY": "#ecebf3"}
# Display simplification (degrees): the frontier line stays detailed; country fills, the
# region outline and the band rings are drawing aids whose detail only costs paint time.
_SIMPLIFY_DEG: Final = 0.0005  # ~50 m: the frontier line
_SIMPLIFY_AREAS_DEG: Final = 0.003  # ~300 m: countries, region, bands


def render_map(
    events: gpd.GeoDataFrame,
    frontier: Frontier | None = None,
    *,
    offline: bool = False,
    tiles: bool | None = None,
    tile_provider: str | None = None,
    bands: Sequence[float] | None = None,
    title: str | None = None,
    cluster_threshold: int | None = None,
    heat: bool = True,
    time_control: bool = True,
) -> folium.Map:
    """Draw classified events on a layered map.

    Parameters
    ----------
    events : GeoDataFrame
        Output of :func:`geomap.classify` (unclassified events work too).
    frontier : Frontier, optional
        Default: the packaged frontier.
    offline : bool
        Inline every script and style sheet; no tiles unless ``tiles`` is true.
    tiles : bool, optional
        Add online base tiles; default: only when not offline.
    tile_provider : str, optional
        An xyzservices provider name (e.g. ``"Esri.WorldTopoMap"``), shown first.
    bands : sequence of float, optional
        Band edges in km, as used for classification.
    title : str, optional
        Page title, shown on the map.
    cluster_threshold : int, optional
        Cluster markers above this many located events (default 500).
    heat, time_control : bool
        Add the heat layer / the time filter.

    Returns
    -------
    folium.Map
        Shows inline in Jupyter; write it with :func:`save_map`.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> ev = gpd.GeoDataFrame({"event_type": ["meeting"]}, geometry=[Point(44, 36.2)], crs=4326)
    >>> page = render_map(ev, tiles=False, title="<Test>")
    >>> html = page.get_root().render()
    >>> "&lt;Test&gt;" in html and "<Test>" not in html
    True
    """
    import folium

    from geomap._mapdata import events_layer, located_count
    from geomap.frontier import load_frontier

    model = load_frontier() if frontier is None else frontier
    edges = tuple(DEFAULT_BANDS_KM if bands is None else bands)
    threshold = DEFAULT_CLUSTER_THRESHOLD if cluster_threshold is None else int(cluster_threshold)
    use_tiles = (not offline) if tiles is None else bool(tiles)
    types = _types_present(events)
    layer = events_layer(events, types, model)
    located = int(layer["n"])
    cluster = located > threshold

    page = folium.Map(tiles=None, control_scale=True, zoom_control=True)
    page.options.update({"maxZoom": 18, "minZoom": 3})  # folium gives these to tiles only
    # Jump to the data without a zoom animation: an animated first zoom (from the
    # minimum zoom) left the vector layers partly unpainted in headless Chromium.
    fit = folium.FitBounds(_bounds(events, model))
    fit.options["animate"] = False
    page.add_child(fit)
    if offline:
        _strip_remote_assets(page)
        _add_csp(page, tiles=use_tiles)
    if use_tiles:
        _add_tiles(page, tile_provider)
    groups = _add_static_layers(page, model, edges)
    groups.update(_add_event_groups(page, types, layer))
    if heat:
        groups["heat"] = _group(page, "Heat map of events", show=False)
    config = {
        "title": title or "",
        "types": [_type_entry(t) for t in types],
        "bands": _band_entries(edges),
        "segments": SEGMENT_COLORS,
        "events": layer,
        "unlocated": len(events) - located_count(events),
        "towns": _towns(),
        "crossings": _crossings(model),
        "heat": heat,
        "timeControl": time_control,
        "cluster": cluster,
    }
    _PageScript(groups, config, offline=offline).add_to(page)
    if title:
        page.get_root().title = html.escape(title)  # type: ignore[attr-defined]
    folium.LayerControl(collapsed=True, position="topright").add_to(page)  # last: lists all
    return page


def save_map(page: folium.Map, path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write the page as one HTML file, atomically (temporary file, then rename).

    ``force`` writes through a symbolic link that points outside the target's directory.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd
    >>> from shapely.geometry import Point
    >>> ev = gpd.GeoDataFrame({"event_type": ["meeting"]}, geometry=[Point(44, 36.2)], crs=4326)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> save_map(render_map(ev, offline=True), out)
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    from pathlib import Path

    from geomap.writers import _atomic

    target = Path(path)
    text = page.get_root().render()
    if target.parent != Path() and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    with _atomic(target, force=force) as temporary:
        temporary.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------- pieces


def _types_present(events: gpd.GeoDataFrame) -> list[str]:
    """Event types that occur, in taxonomy order (unknown values count as "other")."""
    if "event_type" not in events.columns or events.empty:
        return []
    seen = {str(t) if str(t) in EVENT_TYPES else "other" for t in events["event_type"]}
    return [t for t in EVENT_TYPES if t in seen]


def _type_entry(name: str) -> dict[str, Any]:
    color, shape = TYPE_STYLES.get(name, TYPE_STYLES["other"])
    return {"key": name, "label": name.replace("_", " "), "color": color, "shape": shape}


def _band_entries(edges: Sequence[float]) -> list[dict[str, str]]:
    labels = band_labels(edges)
    return [
        {"label": label, "color": BAND_COLORS[min(i, len(BAND_COLORS) - 1)]}
        for i, label in enumerate(labels)
    ]


def _bounds(events: gpd.GeoDataFrame, model: Frontier) -> list[list[float]]:
    """[[south, west], [north, east]] around the events and the frontier."""
    import numpy as np

    from geomap._mapdata import _located

    x0, y0, x1, y1 = model.segments.total_bounds
    mask = _located(events)
    if mask.any():
        ex0, ey0, ex1, ey1 = events[mask].total_bounds
        x0, y0, x1, y1 = min(x0, ex0), min(y0, ey0), max(x1, ex1), max(y1, ey1)
    if not np.isfinite([x0, y0, x1, y1]).all():
        x0, y0, x1, y1 = 42.0, 34.5, 46.5, 37.5
    return [[float(y0), float(x0)], [float(y1), float(x1)]]


def _strip_remote_assets(page: folium.Map) -> None:
    """Drop folium's CDN links; the page script inlines what it needs."""
    page.default_js = []
    page.default_css = []


def _add_csp(page: folium.Map, *, tiles: bool) -> None:
    """Put the offline page's Content-Security-Policy first in its head (see assets.csp_meta)."""
    from branca.element import Element, Figure

    from geomap import assets

    root = page.get_root()
    assert isinstance(root, Figure)
    header = root.header
    header.add_child(Element(assets.csp_meta(tiles=tiles)), name="csp")
    header._children.move_to_end("csp", last=False)  # before any script or style


def _add_tiles(page: folium.Map, provider: str | None) -> None:
    import folium
    import xyzservices.providers as xyz

    names = [provider] if provider else []
    names += [n for n in DEFAULT_TILE_PROVIDERS if n != provider]
    for number, name in enumerate(names):
        try:
            tile = xyz.query_name(name)
        except ValueError:
            msg = f"unknown tile provider {name!r} (see xyzservices.providers)"
            raise ValueError(msg) from None
        if tile.requires_token():
            msg = f"tile provider {name!r} needs an API key"
            raise ValueError(msg)
        folium.TileLayer(
            tiles=tile.build_url(),
            attr=tile.html_attribution,
            name=tile.name,
            max_zoom=int(tile.get("max_zoom", 18)),
            overlay=False,
            control=True,
            show=number == 0,
        ).add_to(page)


def _group(page: folium.Map, name: str, *, show: bool = True) -> folium.FeatureGroup:
    import folium

    group = folium.FeatureGroup(name=html.escape(name), show=show)
    group.add_to(page)
    return group


def _escaped(
    frame: gpd.GeoDataFrame, columns: Sequence[str], tolerance: float = _SIMPLIFY_AREAS_DEG
) -> gpd.GeoDataFrame:
    """Only ``columns`` (HTML-escaped text) and the geometry, simplified for display."""
    import geopandas as gpd

    from geomap._mapdata import _text

    data = {
        column: [html.escape(_text(v) or "") for v in frame[column]]
        for column in columns
        if column in frame.columns
    }
    geometry = frame.geometry.simplify(tolerance).to_numpy()
    return gpd.GeoDataFrame(data, geometry=geometry, crs=frame.crs or 4326).to_crs(4326)


_BAND_CACHE: dict[tuple[int, tuple[float, ...]], tuple[Any, gpd.GeoDataFrame]] = {}


def _display_bands(model: Frontier, edges: Sequence[float]) -> gpd.GeoDataFrame:
    """Band polygons for drawing: each edge's buffer of the frontier simplified by 1 %
    of that edge's distance first (so an edge is drawn within 1 % of its place).

    The classification itself is geodesic and exact; this is a drawing aid, cached
    per frontier and edges because buffering the detailed line takes seconds.
    """
    import geopandas as gpd
    import shapely

    from geomap.frontier import LOCAL_CRS

    key = (id(model.segments), tuple(edges))
    if key in _BAND_CACHE:
        return _BAND_CACHE[key][1]
    merged = shapely.union_all(model.segments.to_crs(LOCAL_CRS).geometry.array)
    buffers = [
        shapely.buffer(shapely.simplify(merged, e * 10.0), e * 1000.0, quad_segs=8) for e in edges
    ]
    rings = [buffers[0]] + [shapely.difference(b, a) for a, b in itertools.pairwise(buffers)]
    frame = gpd.GeoDataFrame(
        {"band": band_labels(edges)[: len(edges)]}, geometry=rings, crs=LOCAL_CRS
    ).to_crs(4326)
    _BAND_CACHE[key] = (model.segments, frame)  # the frame reference keeps the id unique
    return frame


def _add_static_layers(page: folium.Map, model: Frontier, edges: Sequence[float]) -> dict[str, Any]:
    import folium

    basemap = _group(page, "Basemap: countries, Kurdistan Region")
    countries = _escaped(model.countries, ["iso2", "name"])
    folium.GeoJson(
        countries.to_json(),
        style_function=lambda f: {
            "fillColor": COUNTRY_COLORS.get(f["properties"].get("iso2", ""), "#f0f0f0"),
            "fillOpacity": 1.0,
            "color": "#888888",
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(basemap)
    region = _escaped(model.region, ["name"])
    folium.GeoJson(
        region.to_json(),
        style_function=lambda f: {
            "fill": False,
            "color": "#6a3d9a",
            "weight": 2,
            "dashArray": "6 4",
        },
    ).add_to(basemap)
    towns = _group(page, "Towns")
    bands_frame = _escaped(_display_bands(model, edges), ["band"])
    colors = {e["label"]: e["color"] for e in _band_entries(edges)}
    folium.GeoJson(
        bands_frame.to_json(),
        name="Distance bands",
        style_function=lambda f: {
            "fillColor": colors.get(html.unescape(f["properties"]["band"]), "#cccccc"),
            "fillOpacity": 0.25,
            "color": "#b30000",
            "weight": 0.5,
        },
        tooltip=folium.GeoJsonTooltip(fields=["band"], aliases=["band"]),
    ).add_to(page)
    folium.GeoJson(
        _escaped(model.segments, ["segment"], _SIMPLIFY_DEG).to_json(),
        name="Frontier",
        style_function=lambda f: {
            "color": SEGMENT_COLORS.get(f["properties"]["segment"], "#000000"),
            "weight": 3,
        },
        tooltip=folium.GeoJsonTooltip(fields=["segment"], aliases=["frontier"]),
    ).add_to(page)
    crossings = _group(page, "Crossings")
    return {"towns": towns, "crossings": crossings}


def _add_event_groups(
    page: folium.Map, types: Sequence[str], layer: dict[str, Any]
) -> dict[str, Any]:
    """One empty layer per event type; the page script draws its events on a canvas."""
    from collections import Counter

    from geomap._mapdata import unpack_ints

    tally = Counter(unpack_ints(layer["type"], int(layer["n"])))
    counts = [tally.get(code, 0) for code in range(len(types))]
    return {
        f"type:{name}": _group(page, f"Events: {name.replace('_', ' ')} ({count:,})")
        for name, count in zip(types, counts, strict=True)
    }


def _towns() -> dict[str, list[Any]]:
    import csv
    from importlib import resources

    path = resources.files("geomap").joinpath("data").joinpath("towns.csv")
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return {
        "name": [r["name"] for r in rows],
        "lon": [float(r["lon"]) for r in rows],
        "lat": [float(r["lat"]) for r in rows],
        "label": [int(r["label"]) for r in rows],
    }


def _crossings(model: Frontier) -> dict[str, list[Any]]:
    from geomap._mapdata import _text

    frame = model.crossings
    n = len(frame)

    def column(name: str) -> list[str | None]:
        return [_text(v) for v in frame[name]] if name in frame.columns else [None] * n

    return {
        "name": column("name"),
        "other": column("name_other"),
        "country": column("country"),
        "segment": column("segment"),
        "lon": [round(float(p.x), 5) for p in frame.geometry],
        "lat": [round(float(p.y), 5) for p in frame.geometry],
    }


def _make_page_script_class() -> type:
    import json

    from branca.element import Element, Figure, MacroElement
    from jinja2 import Template

    from geomap import assets
    from geomap._mapdata import json_for_script

    class Raw(Element):
        """Text placed as is: branca would otherwise compile it as a Jinja template."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return self.text

    class PageScript(MacroElement):
        """The data layer and the script that draws it, after folium's own assets."""

        _template = Template(
            "{% macro script(this, kwargs) %}"
            "geomap.init({{ this._parent.get_name() }}, {{ this.groups_js }}, "
            "JSON.parse(document.getElementById({{ this.data_id|tojson }}).textContent));"
            "{% endmacro %}"
        )

        def __init__(
            self, groups: dict[str, Any], config: dict[str, Any], *, offline: bool
        ) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self._name = "GeomapPage"
            self.groups_js = (
                "{"
                + ",".join(
                    f"{json.dumps(key)}: {group.get_name()}" for key, group in groups.items()
                )
                + "}"
            )
            self.config = config
            self.offline = offline
            self.data_id = f"geomap-data-{self.get_name()}"

        def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement
            figure = self.get_root()
            assert isinstance(figure, Figure)
            if self.offline:
                for name, element in assets.offline_assets():
                    figure.header.add_child(Raw(element), name=name)
            figure.header.add_child(
                Raw(assets.inline_style(assets.geomap_css())), name="geomap_css"
            )
            figure.header.add_child(Raw(assets.inline_script(assets.geomap_js())), name="geomap_js")
            figure.html.add_child(
                Raw(
                    f'<script type="application/json" id="{self.data_id}">'
                    f"{json_for_script(self.config)}</script>"
                ),
                name=self.data_id,
            )
            super().render(**kwargs)  # type: ignore[no-untyped-call]

    return PageScript


def _PageScript(  # noqa: N802 - builds the element class lazily (folium import)
    groups: dict[str, Any], config: dict[str, Any], *, offline: bool
) -> Any:
    return _make_page_script_class()(groups, config, offline=offline)
