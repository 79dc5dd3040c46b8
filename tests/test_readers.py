"""Tests of geomap.readers: every format, bad rows, encodings, the gazetteer hook."""

from __future__ import annotations

import gzip
import io
import json
import math
import sys
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from gazetteer.sites import Match, Site
from geomap.errors import GeomapWarning, InputError, RowsRejectedWarning
from geomap.events import BASE_COLUMNS, EVENT_TYPES
from geomap.readers import parse_date, read_events, split_rejects

DATA = Path(__file__).parent / "data"


def read_quietly(source: Any, **kwargs: Any) -> gpd.GeoDataFrame:
    """Read while accepting the RowsRejectedWarning that bad rows cause."""
    with pytest.warns(RowsRejectedWarning):
        return read_events(source, **kwargs)


def assert_event_table(events: gpd.GeoDataFrame, rows: int) -> None:
    assert len(events) == rows
    assert events.crs.to_epsg() == 4326
    assert list(events.columns[: len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    assert events["id"].is_unique
    assert set(events["event_type"]) <= set(EVENT_TYPES)
    assert all(isinstance(a, list) for a in events["actors"])
    assert all(isinstance(s, list) for s in events["sources"])
    located = events.geometry.notna()
    assert (events["problem"].isna() == located).all()
    assert events.loc[located, "location_source"].notna().all()


# ----------------------------------------------------------------------------- ACLED


def test_acled_fixture_maps_onto_the_event_table() -> None:
    events = read_events(DATA / "acled_sample.csv")
    assert_event_table(events, 5)
    first = events.iloc[0]
    assert first["id"] == "IRQ90101"
    assert first["date"] == "2022-11-14"
    assert first["date_precision"] == "day"
    assert first["event_type"] == "air_drone_strike"
    assert first["actors"] == [
        "Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps",
        "KDPI: Kurdistan Democratic Party of Iran",
    ]
    assert first["place"] == "Koya"
    assert [s["outlet"] for s in first["sources"]] == ["Kurdistan 24", "Rudaw"]
    assert first["description"].startswith("On 14 November 2022")
    assert first["fatalities"] == 2.0
    assert (first.geometry.x, first.geometry.y) == (44.6287, 36.0829)
    by_id = events.set_index("id")
    assert by_id.loc["IRQ90102", "event_type"] == "shelling_artillery"
    assert by_id.loc["IRQ90102", "date_precision"] == "month"  # time_precision 2: a week
    assert by_id.loc["IRQ90103", "event_type"] == "agreement"
    assert by_id.loc["IRQ90103", "date_precision"] == "month"  # time_precision 3
    assert by_id.loc["IRQ90103", "uncertainty_m"] >= 25_000  # geo_precision 3: an area
    assert by_id.loc["IRQ90101", "uncertainty_m"] < by_id.loc["IRQ90102", "uncertainty_m"]
    assert by_id.loc["IRQ90105", "event_type"] == "deployment"


def test_acled_detected_from_columns_whatever_the_file_name(tmp_path: Path) -> None:
    copy = tmp_path / "export.txt"
    copy.write_bytes((DATA / "acled_sample.csv").read_bytes())
    assert read_events(copy)["id"].tolist()[0] == "IRQ90101"


def test_acled_iso_dates_and_upper_case_columns() -> None:
    frame = pd.read_csv(DATA / "acled_sample.csv", dtype=str, keep_default_na=False)
    frame["event_date"] = ["2022-11-14", "2022-11-21", "2023-03-15", "2023-06-09", "2017-10-02"]
    frame.columns = [c.upper() for c in frame.columns]
    events = read_events(frame)
    assert events["date"].tolist()[0] == "2022-11-14"
    assert events["event_type"].tolist()[0] == "air_drone_strike"


def test_forced_acled_format_on_a_table_that_is_not_acled() -> None:
    with pytest.raises(InputError, match="not a ACLED table, missing"):
        read_events(io.StringIO("lon,lat\n45,36\n"), format="acled")


# ----------------------------------------------------------------------------- GDELT


def test_gdelt1_fixture() -> None:
    assert all(
        len(line.split("\t")) == 57
        for line in (DATA / "gdelt1_sample.tsv").read_text().splitlines()
    )
    events = read_quietly(DATA / "gdelt1_sample.tsv")
    assert_event_table(events, 5)
    assert events["id"].tolist()[0] == "gdelt-690100001"
    assert events["event_type"].tolist() == [
        "military_exercise",  # 062 military cooperation (joint drills)
        "military_exercise",  # 0622, longest prefix 062
        "border_closure",  # 1621, prefix 16
        "shelling_artillery",  # 194
        "meeting",  # 042
    ]
    assert events["cameo_code"].tolist()[:2] == ["062", "0622"]  # leading zeros kept
    assert events["date"].tolist()[0] == "2017-10-02"
    assert events["place"].tolist()[0] == "Penjwin, As Sulaymaniyah, Iraq"
    assert events["actors"].tolist()[0] == ["IRAN", "IRAQ"]
    unc = events["uncertainty_m"].tolist()
    assert unc[0] <= 10_000  # Geo_Type 4: a city
    assert unc[2] >= 50_000  # Geo_Type 5: a province centroid
    assert unc[3] >= 200_000  # Geo_Type 1: a country centroid
    assert events["sources"].tolist()[0] == []  # 57-field files have no SOURCEURL
    assert events["problem"].tolist()[4] == "no coordinates and no place to look up"


def test_gdelt2_fixture() -> None:
    assert all(
        len(line.split("\t")) == 61
        for line in (DATA / "gdelt2_sample.csv").read_text().splitlines()
    )
    events = read_events(DATA / "gdelt2_sample.csv")
    assert_event_table(events, 4)
    assert events["event_type"].tolist() == [
        "air_drone_strike",
        "shelling_artillery",
        "agreement",
        "meeting",
    ]
    source = events["sources"].tolist()[0][0]
    assert source["outlet"] == "news.example.org"
    assert source["url"].endswith("drones-hit-camps-near-koya")
    assert events.geometry.iloc[0].x == 44.6287


def test_gdelt_forced_format_and_bad_field_count(tmp_path: Path) -> None:
    lines = (DATA / "gdelt2_sample.csv").read_text().splitlines()
    broken = tmp_path / "x.export.CSV"
    broken.write_text(lines[0] + "\n" + "\t".join(lines[1].split("\t")[:40]) + "\n")
    events = read_quietly(broken, format="gdelt")
    assert len(events) == 2
    assert events["problem"].tolist()[1] == "malformed GDELT 2.0 row: 40 fields, expected 61"
    with pytest.raises(InputError, match="GDELT has 57, 58 or 61"):
        read_events(io.StringIO("1\t2\t3\n"), format="gdelt")


# ----------------------------------------------------------------------------- UCDP


def test_ucdp_fixture() -> None:
    events = read_events(DATA / "ucdp_sample.csv")
    assert_event_table(events, 4)
    by_id = events.set_index("id")
    first = by_id.loc["ucdp-990001"]
    assert first["date"] == "2022-07-20"
    assert first["date_precision"] == "day"
    assert first["actors"] == ["Government of Turkey", "PKK"]
    assert first["event_type"] == "air_drone_strike"  # from the headline's wording
    assert first["uncertainty_m"] <= 5_000  # where_prec 1
    assert by_id.loc["ucdp-990002", "uncertainty_m"] == 25_000  # where_prec 2: within 25 km
    assert by_id.loc["ucdp-990003", "uncertainty_m"] >= 100_000  # where_prec 4: a province
    assert by_id.loc["ucdp-990003", "date_precision"] == "month"  # date_prec 3
    assert by_id.loc["ucdp-990003", "event_type"] == "ground_clash"  # type_of_violence 1
    assert by_id.loc["ucdp-990004", "event_type"] == "other"  # one-sided violence
    assert [s["outlet"] for s in by_id.loc["ucdp-990002", "sources"]] == ["Rudaw", "Kurdistan 24"]
    assert by_id.loc["ucdp-990002", "fatalities"] == 2.0


# ----------------------------------------------------------------------------- plain CSV


@pytest.mark.parametrize(
    ("header", "separator"),
    [("lon,lat", ","), ("longitude,latitude", ","), ("X,Y", ","), ("Lon;Lat", ";"), ("x\ty", "\t")],
)
def test_coordinate_column_spellings(header: str, separator: str) -> None:
    text = f"{header}{separator}place\n45.97{separator}35.61{separator}Penjwen\n"
    events = read_events(io.StringIO(text))
    assert (events.geometry[0].x, events.geometry[0].y) == (45.97, 35.61)
    assert events["place"][0] == "Penjwen"


def test_csv_optional_columns() -> None:
    text = (
        "id,lon,lat,date,date_precision,event_type,actors,place,description,outlet,url,"
        "uncertainty_m,extra\n"
        'e1,42.57,37.14,2017-09-29,day,Drills,"Iraq; Turkey",Ibrahim Khalil,"Joint, large",'
        "Rudaw,https://example.org/a,250,x1\n"
        "e2,46.01,35.58,2017-10,,shelling,Iran|IRGC,Bashmaq,,,,,x2\n"
    )
    events = read_events(io.StringIO(text))
    first, second = events.iloc[0], events.iloc[1]
    assert first["actors"] == ["Iraq", "Turkey"]
    assert first["event_type"] == "military_exercise"
    assert first["sources"] == [{"outlet": "Rudaw", "url": "https://example.org/a", "quote": None}]
    assert first["description"] == "Joint, large"
    assert first["uncertainty_m"] == 250.0
    assert first["extra"] == "x1"  # unknown columns are kept
    assert second["actors"] == ["Iran", "IRGC"]
    assert (second["date"], second["date_precision"]) == ("2017-10-01", "month")
    assert second["sources"] == []
    assert second["uncertainty_m"] == 0.0


def test_generated_ids_are_stable_and_unique() -> None:
    text = "lon,lat,place,date,source\n45,36,A,2020-01-01,R\n45,36,A,2020-01-01,R\n46,36,B,,\n"
    first = read_events(io.StringIO(text))["id"].tolist()
    second = read_events(io.StringIO(text))["id"].tolist()
    assert first == second
    assert len(set(first)) == 3
    assert first[1] == first[0] + "-2"


def test_bad_rows_are_kept_with_their_reason() -> None:
    text = (
        "id,lon,lat,place\n"
        "ok,45.5,36.2,Good\n"
        "nan_lon,abc,36.2,\n"
        "lat_range,45,95.5,\n"
        "lon_range,-200,36,\n"
        "lat_missing,45,,\n"
        "none,,,\n"
        "zero,0,0,\n"
        "extra,45,36,x,surplus\n"
        'comma,"45,5",36,\n'
    )
    with pytest.warns(RowsRejectedWarning, match="8 of 9 rows have no usable location"):
        events = read_events(io.StringIO(text))
    problems = dict(zip(events["id"], events["problem"], strict=True))
    assert problems == {
        "ok": None,
        "nan_lon": "longitude 'abc' is not a number",
        "lat_range": "latitude 95.5 is out of range [-90, 90]",
        "lon_range": "longitude -200 is out of range [-180, 180]",
        "lat_missing": "latitude is missing",
        "none": "no coordinates and no place to look up",
        "zero": "coordinates 0, 0 are a placeholder, not a location",
        "extra": "malformed CSV row: 5 fields, expected 4",
        "comma": "longitude '45,5' is not a number",
    }
    ok, rejects = split_rejects(events)
    assert len(ok) + len(rejects) == len(events) == 9
    assert ok["id"].tolist() == ["ok"]
    assert rejects.geometry.isna().all()
    assert rejects["problem"].notna().all()
    assert list(rejects.index) == list(range(1, 9))


def test_unreadable_dates_warn_and_stay_null() -> None:
    with pytest.warns(GeomapWarning, match="2 unreadable date"):
        events = read_events(io.StringIO("lon,lat,date\n45,36,someday\n45,36,2020-02-30\n"))
    # 2020-02-30 does not exist either: both are null, the first one is named
    assert events["date"].isna().all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-10-02", ("2017-10-02", "day")),
        ("2017-10-02 00:00:00.000", ("2017-10-02", "day")),
        ("2017-10-02T08:30:00Z", ("2017-10-02", "day")),
        ("2017/10/02", ("2017-10-02", "day")),
        ("20171002", ("2017-10-02", "day")),
        ("02/10/2017", ("2017-10-02", "day")),
        ("2 October 2017", ("2017-10-02", "day")),
        ("02-October-2017", ("2017-10-02", "day")),
        ("Sept 29, 2017", ("2017-09-29", "day")),
        ("March 2023", ("2023-03-01", "month")),
        ("2023-03", ("2023-03-01", "month")),
        ("2022", ("2022-01-01", "year")),
    ],
)
def test_parse_date(text: str, expected: tuple[str, str]) -> None:
    assert parse_date(text) == expected


def test_parse_date_missing_and_bad() -> None:
    assert parse_date(None) is None
    assert parse_date("") is None
    with pytest.raises(ValueError, match="unreadable date"):
        parse_date("Smarch 2023")


# ----------------------------------------------------------------------------- GeoJSON, JSONL


def feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_geojson_points_shapes_and_bad_geometries() -> None:
    square = [[[45.0, 36.0], [45.2, 36.0], [45.2, 36.2], [45.0, 36.2], [45.0, 36.0]]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature({"type": "Point", "coordinates": [45.97, 35.61]}, id="p", actors=["A", "B"]),
            feature({"type": "Polygon", "coordinates": square}, id="poly", uncertainty_m=10),
            feature({"type": "Point", "coordinates": ["x", 35]}, id="badpoint"),
            feature({"type": "LineString", "coordinates": [[45, 36]]}, id="badline"),
            feature({"type": "GeometryCollection", "geometries": []}, id="empty"),
            feature(
                {"type": "Polygon", "coordinates": [[[500, 0], [501, 0], [500, 1], [500, 0]]]},
                id="faraway",
            ),
            feature(None, id="nogeom"),
            "not a feature",
        ],
    }
    events = read_quietly(io.StringIO(json.dumps(collection)))
    assert len(events) == 8
    problems = events["problem"].tolist()
    assert problems[0] is None
    assert events["actors"][0] == ["A", "B"]
    assert problems[1] is None  # a polygon becomes a point covering it
    poly = events.iloc[1]
    assert poly.geometry.within(gpd.GeoSeries.from_xy([45.1], [36.1]).buffer(0.2).iloc[0])
    assert 10_000 < poly["uncertainty_m"] < 25_000  # half-diagonal of ~18 x 22 km
    assert problems[2] == "longitude 'x' is not a number"
    assert problems[3].startswith("invalid LineString geometry")
    assert problems[4] == "empty GeometryCollection geometry"
    assert problems[5] == "Polygon coordinates out of lon/lat range"
    assert problems[6] == "no coordinates and no place to look up"
    assert problems[7] == "feature 7: not a JSON object"


def test_geojson_feature_id_and_crs_member() -> None:
    one = feature({"type": "Point", "coordinates": [45, 36]}, place="X")
    one["id"] = 17
    assert read_events(io.StringIO(json.dumps(one)))["id"].tolist() == ["17"]
    crs84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    doc = {"type": "FeatureCollection", "crs": crs84, "features": [one]}
    assert len(read_events(io.StringIO(json.dumps(doc)))) == 1
    doc["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    with pytest.raises(InputError, match="not WGS84"):
        read_events(io.StringIO(json.dumps(doc)))


def test_jsonl_features_records_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    lines = [
        json.dumps(feature({"type": "Point", "coordinates": [45, 36]}, id="f")),
        json.dumps({"id": "r", "lon": 44.0, "lat": 36.2, "actors": "Iran;Iraq"}),
        "{not json",
        "",
        json.dumps([1, 2]),
    ]
    path.write_text("\n".join(lines) + "\n")
    events = read_quietly(path)
    assert len(events) == 4  # the blank line is not a row
    assert events["id"].tolist()[:2] == ["f", "r"]
    assert events["actors"][1] == ["Iran", "Iraq"]
    assert events["problem"][2].startswith("line 3: invalid JSON")
    assert events["problem"][3] == "line 5: not a JSON object"


# ----------------------------------------------------------------------------- sources


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "lon,lat\n45,36\n".encode("utf-8-sig")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert len(read_events("-")) == 1


def test_dataframes_and_geodataframes() -> None:
    frame = pd.DataFrame({"lat": [36.0, None], "lon": [45.0, 44.0], "place": [None, None]})
    events = read_quietly(frame)
    assert events["problem"].tolist() == [None, "latitude is missing"]
    mercator = gpd.GeoDataFrame({"id": ["m"]}, geometry=[Point(45, 36)], crs=4326).to_crs(3857)
    events = read_events(mercator)
    assert events.geometry[0].x == pytest.approx(45)
    assert events.geometry[0].y == pytest.approx(36)


def test_compressed_inputs(tmp_path: Path) -> None:
    raw = (DATA / "ucdp_sample.csv").read_bytes()
    (tmp_path / "u.csv.gz").write_bytes(gzip.compress(raw))
    with zipfile.ZipFile(tmp_path / "u.zip", "w") as archive:
        archive.writestr("ged.csv", raw)
    assert len(read_events(tmp_path / "u.csv.gz")) == 4
    assert len(read_events(tmp_path / "u.zip")) == 4


# ----------------------------------------------------------------------------- encodings

PLACE = "Haji Omaran – Hacı Omran ‘gate’"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
def test_encodings(tmp_path: Path, codec: str) -> None:
    text = f"lon,lat,place\n45.045,36.665,{PLACE}\n"
    if codec == "cp1252":
        text = text.replace("ı", "i")  # not in cp1252
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    events = read_events(path)
    assert events["place"][0] == text.splitlines()[1].split(",")[2]
    assert events.geometry[0].x == 45.045


def test_undecodable_and_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"lon,lat,place\n45,36,\x81\x8d\xff\n")
    with pytest.raises(InputError, match="cannot decode"):
        read_events(path)
    path.write_bytes("lon,lat\n45,36\n".encode("utf-16-le"))  # no BOM
    with pytest.raises(InputError, match="NUL bytes"):
        read_events(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b"place_name,when\nx,y\n", "no coordinate columns"),
        (b"lat,place\n36,x\n", "coordinate column 'lat' has no partner"),
        (b'{"type": "FeatureCollection", "features": [', "invalid JSON"),
        (b'{"type": "Point", "coordinates": [45, 36]}', "expected a GeoJSON FeatureCollection"),
        (b"lon,lat,lon\n1,2,3\n", "duplicate column"),
    ],
)
def test_unreadable_inputs_give_one_line_errors(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / ("events.json" if content and content.startswith(b"{") else "events.csv")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_events(path)
    assert "\n" not in str(info.value)


def test_directory_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_events(tmp_path)
    with pytest.raises(InputError, match="unknown format 'xls'"):
        read_events(io.StringIO("lon,lat\n1,2\n"), format="xls")
    with pytest.raises(InputError, match="cannot read events from a int"):
        read_events(42)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- gazetteer


class FakeGazetteer:
    """A stand-in exposing the Gazetteer API: resolve(name, *, context=None)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        penjwen = Site(key="penjwen", name="Penjwen", kind="town", country="IQ", lat=35.62054,
                       lon=45.94908, uncertainty_m=3_000.0)  # fmt: skip
        pshta = Site(key="pshta", name="Pshta crossing", kind="crossing", country="IQ",
                     lat=None, lon=None, uncertainty_m=0.0)  # fmt: skip
        self.sites = {"penjwen": penjwen, "pshta": pshta}

    def resolve(self, name: str, *, context: str | None = None) -> Match | None:
        self.calls.append((name, context))
        if name == "boom":
            raise LookupError("lookup failed")
        site = self.sites.get(name.lower())
        if site is None:
            return None
        return Match(query=name, site=site, layer="curated", score=1.0, uncertainty_m=5_000.0)


def test_places_without_coordinates_are_located_through_the_gazetteer() -> None:
    text = (
        "id,lon,lat,place,description\n"
        "a,,,Penjwen,drills near the border crossing\n"
        "b,,,Penjwen,drills near the border crossing\n"
        "c,,,Atlantis,\n"
        "d,,,Pshta,\n"
        "e,,,boom,\n"
        "f,45.5,36.5,Penjwen,\n"
    )
    fake = FakeGazetteer()
    with pytest.warns(RowsRejectedWarning, match="3 of 6"):
        events = read_events(io.StringIO(text), gazetteer=fake)
    first = events.iloc[0]
    assert (first.geometry.x, first.geometry.y) == (45.94908, 35.62054)
    assert first["site"] == "penjwen"
    assert first["location_source"] == "curated"
    assert first["uncertainty_m"] == 5_000.0
    assert events["problem"].tolist() == [
        None,
        None,
        "no coordinates and place 'Atlantis' not found",
        "no coordinates; place 'Pshta' is site 'pshta', unlocated",
        "no coordinates; place 'boom' not resolved (lookup failed)",
        None,
    ]
    assert events["location_source"][5] == "coordinates"  # coordinates win over the place
    assert events["site"][5] is None
    # one call per distinct (place, context); the description is the context
    assert fake.calls[0] == ("Penjwen", "drills near the border crossing")
    assert len(fake.calls) == 4


def test_place_only_table_is_accepted() -> None:
    events = read_events(io.StringIO("place\nPenjwen\n"), gazetteer=FakeGazetteer())
    assert events["site"].tolist() == ["penjwen"]
    assert not math.isnan(events.geometry[0].x)
