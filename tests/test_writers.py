"""Writers: every format round-trips each fixture; GeoJSON is RFC 7946; GPKG layers open."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from geomap import classify, read_events, write
from geomap.cli import main
from geomap.errors import OutputError
from geomap.readers import sample_events_path
from geomap.writers import write_layers

DATA = Path(__file__).parent / "data"
FIXTURES = {
    "acled": DATA / "acled_sample.csv",
    "gdelt1": DATA / "gdelt1_sample.tsv",
    "gdelt2": DATA / "gdelt2_sample.csv",
    "ucdp": DATA / "ucdp_sample.csv",
    "demo": sample_events_path(),
}
EXTENSIONS = (".geojson", ".csv", ".gpkg", ".parquet")
KEPT = ("id", "date", "date_precision", "event_type", "place", "band", "segment", "side")


def _classified(name: str) -> gpd.GeoDataFrame:
    return classify(read_events(FIXTURES[name]))


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


@pytest.mark.filterwarnings("ignore::geomap.errors.RowsRejectedWarning")
@pytest.mark.parametrize("extension", EXTENSIONS)
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_each_fixture_round_trips(name: str, extension: str, tmp_path: Path) -> None:
    events = _classified(name)
    out = tmp_path / f"events{extension}"
    write(events, out)
    back = read_events(out)
    assert len(back) == len(events)
    assert back["id"].tolist() == events["id"].tolist()
    for column in KEPT:
        assert [_text(v) for v in back[column]] == [_text(v) for v in events[column]], column
    for a, b in zip(events.geometry, back.geometry, strict=True):
        if a is None or a.is_empty:
            assert b is None or b.is_empty
        else:
            assert a.distance(b) < 1e-6
    assert back["actors"].map(list).tolist() == events["actors"].map(list).tolist()


def _exterior_is_ccw(ring: list[list[float]]) -> bool:
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    return area > 0


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_geojson_is_rfc7946(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["frontier", "-o", str(tmp_path / "f.geojson")])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "f.geojson").read_text())
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document
    polygons = 0
    for feature in document["features"]:
        geometry = feature["geometry"]
        coordinates = shapely.get_coordinates(shapely.geometry.shape(geometry))
        assert (abs(coordinates[:, 0]) <= 180).all() and (abs(coordinates[:, 1]) <= 90).all()
        # lon first: the packaged layers lie within 37–53 E, 30–42 N
        assert ((coordinates[:, 0] > 37) & (coordinates[:, 0] < 53)).all()
        assert ((coordinates[:, 1] > 30) & (coordinates[:, 1] < 42)).all()
        parts = {"Polygon": [geometry["coordinates"]],
                 "MultiPolygon": geometry["coordinates"]}.get(geometry["type"], [])  # fmt: skip
        for polygon in parts:
            polygons += 1
            assert _exterior_is_ccw(polygon[0])
            assert all(not _exterior_is_ccw(hole) for hole in polygon[1:])
        flat = coordinates.ravel().tolist()
        assert max(_decimals(v) for v in flat) <= 7
    assert polygons > 0


def test_frontier_gpkg_has_every_layer(tmp_path: Path) -> None:
    out = tmp_path / "frontier.gpkg"
    result = CliRunner().invoke(main, ["frontier", "-o", str(out)])
    assert result.exit_code == 0, result.output
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"frontier", "bands", "region", "crossings"} <= layers
    bands = gpd.read_file(out, layer="bands")
    assert bands.crs.to_epsg() == 4326 and len(bands) == 5  # the bounded bands, 0-1 … 30-60 km
    segments = gpd.read_file(out, layer="frontier")
    assert set(segments["segment"]) == {"IR-KRG", "TR-KRG"}


def test_classify_cli_writes_gpkg_events_layer(tmp_path: Path) -> None:
    out = tmp_path / "iraq.gpkg"
    result = CliRunner().invoke(main, ["classify", str(FIXTURES["acled"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    events = gpd.read_file(out, layer="events")
    assert len(events) == len(read_events(FIXTURES["acled"]))
    assert {"distance_m", "band", "band_certain", "side", "nearest_crossing"} <= set(events.columns)


def test_geoparquet_keeps_lists_and_metadata(tmp_path: Path) -> None:
    events = _classified("demo")
    out = tmp_path / "events.parquet"
    write(events, out)
    back = gpd.read_parquet(out)
    assert back.crs.to_epsg() == 4326
    assert list(back["actors"].iloc[0]) == list(events["actors"].iloc[0])


def test_unknown_extension_and_missing_directory(tmp_path: Path) -> None:
    events = _classified("demo")
    with pytest.raises(OutputError):
        write(events, tmp_path / "events.xlsx")
    with pytest.raises(OutputError):
        write(events, tmp_path / "no" / "such" / "dir" / "events.geojson")


def test_write_layers_geojson_marks_each_feature(tmp_path: Path) -> None:
    events = _classified("demo")
    out = tmp_path / "both.geojson"
    write_layers(out, {"events": events, "crossings": events.iloc[:2]})
    features = json.loads(out.read_text())["features"]
    assert [f["properties"]["layer"] for f in features].count("crossings") == 2
