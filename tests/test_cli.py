"""The command line through click's CliRunner: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("geomap, version ")


def test_classify_demo_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify"])
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    props = [f["properties"] for f in collection["features"]]
    assert len(props) == 10
    bashmaq = next(p for p in props if p["site"] == "bashmaq")
    assert bashmaq["segment"] == "IR-KRG"
    assert bashmaq["distance_m"] < 1_000
    assert bashmaq["band"] == "0-1 km"
    for p in props:
        assert p["band"] is not None
        assert p["nearest_crossing"]


def test_classify_bad_rows_are_kept_and_counted(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "events.csv"
    src.write_text(
        "id,lon,lat,event_type\n"
        "a,44.0,36.2,shelling\n"
        "b,not-a-number,36.2,shelling\n"
        "c,44.0,95.0,shelling\n"
        "d,,,shelling\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.geojson"
    result = runner.invoke(main, ["classify", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 of 4 rows" in result.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["id"] for f in features] == ["a", "b", "c", "d"]
    assert features[0]["geometry"]["type"] == "Point"
    assert all(f["geometry"] is None for f in features[1:])
    assert all(f["properties"]["problem"] for f in features[1:])


def test_classify_rejects_file(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "events.csv"
    src.write_text("id,lon,lat\na,44.0,36.2\nb,x,y\n", encoding="utf-8")
    out, rej = tmp_path / "out.csv", tmp_path / "rejects.csv"
    result = runner.invoke(main, ["classify", str(src), "-o", str(out), "--rejects", str(rej)])
    assert result.exit_code == 0, result.output
    assert "1 rejected rows" in result.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 2  # header + a
    assert "b" in rej.read_text(encoding="utf-8")


def test_unreadable_file_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = runner.invoke(main, ["classify", str(missing)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("geomap: error:")]
    assert len(errors) == 1


@pytest.mark.parametrize("command", ["classify", "map", "extract"])
def test_a_missing_input_leaves_the_output_alone(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    out = tmp_path / ("out.html" if command == "map" else "out.geojson")
    out.write_text("the good output of an earlier run\n", encoding="utf-8")
    result = runner.invoke(main, [command, str(tmp_path / "nope.csv"), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == "the good output of an earlier run\n"


def test_garbage_file_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    garbage = tmp_path / "events.geojson"
    garbage.write_bytes(b"\x00\x01{not json")
    result = runner.invoke(main, ["classify", str(garbage)])
    assert result.exit_code == 1
    assert result.stderr.startswith("geomap: error:")
    assert "Traceback" not in result.output


def test_bad_bands_is_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify", "--bands", "5,1"])
    assert result.exit_code == 2
    assert "strictly increasing" in result.output


def test_custom_bands(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify", "--bands", "2,10"])
    assert result.exit_code == 0, result.output
    bands = {f["properties"]["band"] for f in json.loads(result.stdout)["features"]}
    assert bands <= {"0-2 km", "2-10 km", ">10 km"}


def test_map_writes_page(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["map", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<html" in html.lower()
    assert "Bashmakh" in html


def test_articles_stating_a_distance_are_checked_in_classify_and_map(
    runner: CliRunner, tmp_path: Path
) -> None:
    import re

    article = tmp_path / "report.txt"
    article.write_text(
        "Units held drills at the Bashmakh crossing, 250 metres from the border.\n"
        "Troops held drills near Erbil, 300 metres from the border.\n",
        encoding="utf-8",
    )
    out = tmp_path / "events.geojson"
    args = ["--published", "2022-11-20", str(article)]
    result = runner.invoke(main, ["classify", *args[2:], "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert {r["site"]: r["distance_disagrees"] for r in rows} == {"bashmaq": False, "erbil": True}
    page = tmp_path / "map.html"
    result = runner.invoke(main, ["map", *args, "-o", str(page)])
    assert result.exit_code == 0, result.output
    data = re.search(r'id="geomap-data-[^"]*">(.*?)</script>', page.read_text(encoding="utf-8"))
    assert data is not None
    events = json.loads(data.group(1))["events"]
    assert "said" in events and "dis" in events


def test_frontier_gpkg_layers(runner: CliRunner, tmp_path: Path) -> None:
    import pyogrio

    out = tmp_path / "frontier.gpkg"
    result = runner.invoke(main, ["frontier", "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = {name for name, _ in pyogrio.list_layers(out)}
    assert {"frontier", "bands", "region", "crossings"} <= names


def test_frontier_geojson_stdout(runner: CliRunner) -> None:
    result = runner.invoke(main, ["frontier"])
    assert result.exit_code == 0, result.output
    layers = {f["properties"]["layer"] for f in json.loads(result.stdout)["features"]}
    assert {"frontier", "bands", "region", "crossings"} <= layers
