"""Property-based fuzzing of the readers and of classification.

For any input a reader returns the event table or raises one of geomap's own
errors with a one-line message, within a time limit; every data row of the
input ends in the table, located or with a ``problem``. Classification keeps
its invariants for any coordinates.

The budget here is small and fixed (derandomised) so the file runs in the normal
test run; ``scripts/fuzz.py`` runs the same properties with a larger budget and
random seeds. ``GEOMAP_FUZZ_EXAMPLES`` scales the number of examples per test.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import signal
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geomap._datasets import ACLED_COLUMNS, GDELT1_COLUMNS, GDELT2_COLUMNS, UCDP_COLUMNS
from geomap.errors import GeomapError, GeomapWarning
from geomap.events import CLASSIFIED_COLUMNS
from geomap.readers import read_events

DATA = Path(__file__).parent / "data"

#: Examples per property in the normal test run (scripts/fuzz.py raises it).
EXAMPLES = int(os.environ.get("GEOMAP_FUZZ_EXAMPLES", "20"))
#: Seconds one reader call may take before it counts as a hang.
TIME_LIMIT = 30

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("GEOMAP_FUZZ_RANDOM") is None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    print_blob=True,
)

#: Cheap properties (most inputs are refused at once) get more examples.
FUZZ_MORE = settings(FUZZ, max_examples=EXAMPLES * 4)
#: Classification of points far from the frontier takes the exact, slower path.
FUZZ_LESS = settings(FUZZ, max_examples=max(EXAMPLES // 2, 1))

#: Every call of a reader under test (scripts/fuzz.py reports it as the number of cases).
CASES = [0]


class HangError(AssertionError):
    """A reader call took longer than TIME_LIMIT."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise HangError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outcome(call: Callable[[], gpd.GeoDataFrame]) -> gpd.GeoDataFrame | GeomapError:
    """The table a reader returns, or the GeomapError it raises (any other exception fails)."""
    CASES[0] += 1
    with time_limit(TIME_LIMIT), warnings.catch_warnings():
        warnings.simplefilter("ignore", GeomapWarning)
        try:
            return call()
        except GeomapError as exc:
            message = str(exc)
            assert message.strip(), f"empty message from {type(exc).__name__}"
            assert len(message.splitlines()) == 1, f"message of several lines: {message!r}"
            return exc


def read_bytes(data: bytes, suffix: str, **kwargs: Any) -> gpd.GeoDataFrame | GeomapError:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input{suffix}"
        path.write_bytes(data)
        return outcome(lambda: read_events(path, **kwargs))


def check_table(events: gpd.GeoDataFrame, rows: int | None) -> None:
    """The event table's shape: rows accounted for; located xor a one-line problem."""
    assert isinstance(events, gpd.GeoDataFrame)
    if rows is not None:
        assert len(events) == rows
    assert events.crs.to_epsg() == 4326
    located = events.geometry.notna() & ~events.geometry.is_empty
    problems = events["problem"]
    assert (problems.isna() == located).all(), "located rows have no problem, others have one"
    for problem in problems.dropna():
        assert isinstance(problem, str) and problem.strip()
        assert len(problem.splitlines()) == 1, problem
    points = events.geometry[located]
    assert (points.geom_type == "Point").all()
    assert (points.x.abs() <= 180).all() and (points.y.abs() <= 90).all()
    assert events["id"].notna().all()
    generated = events["id"][events["id"].str.startswith("ev-")]
    assert generated.is_unique  # ids the reader makes; an input's own ids are kept as given


def data_rows(rows: list[list[str]]) -> int:
    """Rows a reader must account for: those with any non-blank cell."""
    return sum(1 for row in rows if any(cell.strip() for cell in row))


def to_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    stream = io.StringIO()
    # "\r\n" so that cells holding either character are quoted
    csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return stream.getvalue()


# ----------------------------------------------------------------------------- strategies

NO_NUL = st.characters(exclude_characters="\x00", codec="utf-8")
text_cells = st.text(NO_NUL, max_size=30)
number_cells = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-200, 200).map(lambda v: f"{v:.5f}"),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", " ", "NaN", "nan", "inf", "-0", "1e400", "45,5", "36.1.2", "0x2D", "١٢"]),
)
date_cells = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        [
            "2017-10-02",
            "02/10/2017",
            "Oct 2017",
            "2023",
            "31 February 2020",
            "20171302",
            "9999-99-99",
            "yesterday",
            "0000-00-00",
            "2017-10-02T10:00Z",
        ]
    ),
)
cells = st.one_of(text_cells, number_cells, date_cells)
GENERIC_COLUMNS = [
    "id",
    "date",
    "date_precision",
    "event_type",
    "actors",
    "place",
    "site",
    "description",
    "source",
    "url",
    "quote",
    "uncertainty_m",
    "location_source",
    "distance_m",
    "band_certain",
    "in_krg",
    "notes",
    "sources",
]
COORDINATE_PAIRS = [("lon", "lat"), ("longitude", "latitude"), ("x", "y"), ("LNG", "Lat")]
# Byte prefixes that steer random bytes into each format's parser.
PREFIXES = [
    b"",
    b"lon,lat\n",
    b"lon;lat;place\n",
    b"\xef\xbb\xbflon,lat\n",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b'{"type": "FeatureCollection", "features": [',
    b'[{"type": "Feature"',
    b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [',
    b"\x1f\x8b\x08\x00",
    b"PK\x03\x04",
    b"\x1e{",
    b"1\t20171002\t",
    b",".join(sorted(c.encode() for c in ACLED_COLUMNS)) + b"\n",
    b",".join(sorted(c.encode() for c in UCDP_COLUMNS)) + b"\n",
]
SUFFIXES = [".csv", ".tsv", ".geojson", ".json", ".jsonl", ".ndjson", ".csv.gz", ".dat"]
FORMATS = [None, "csv", "geojson", "jsonl", "acled", "gdelt", "ucdp"]


@st.composite
def generic_tables(draw: st.DrawFn) -> list[list[str]]:
    """A header with a coordinate pair and some known columns, then rows of any width."""
    lon, lat = draw(st.sampled_from(COORDINATE_PAIRS))
    extra = draw(st.lists(st.sampled_from(GENERIC_COLUMNS), unique=True, max_size=6))
    header = [lon, lat, *extra]
    draw(st.randoms()).shuffle(header)
    width = len(header)
    row = st.lists(cells, min_size=max(width - 1, 0), max_size=width + 1)
    return [header, *draw(st.lists(row, max_size=12))]


def fixture_rows(name: str, delimiter: str = ",") -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as stream:
        return [row for row in csv.reader(stream, delimiter=delimiter) if row]


@st.composite
def mutated(draw: st.DrawFn, rows: list[list[str]], *, body_from: int = 1) -> list[list[str]]:
    """Fixture rows (duplicated and dropped at random) with some cells replaced by fuzz."""
    body = draw(st.lists(st.sampled_from(rows[body_from:]), max_size=10))
    table = [list(r) for r in rows[:body_from]] + [list(r) for r in body]
    for _ in range(draw(st.integers(0, 12))):
        if len(table) <= body_from:
            break
        i = draw(st.integers(body_from, len(table) - 1))
        j = draw(st.integers(0, len(table[i]) - 1))
        table[i][j] = draw(cells)
    return table


# ----------------------------------------------------------------------------- any bytes


@FUZZ_MORE
@given(
    prefix=st.sampled_from(PREFIXES),
    data=st.binary(max_size=600),
    suffix=st.sampled_from(SUFFIXES),
    fmt=st.sampled_from(FORMATS),
)
@example(prefix=b"\x1f\x8b\x08\x00", data=b"\x00" * 11, suffix=".csv", fmt=None)  # zlib.error
def test_any_bytes_are_read_or_refused(
    prefix: bytes, data: bytes, suffix: str, fmt: str | None
) -> None:
    result = read_bytes(prefix + data, suffix, format=fmt)
    if not isinstance(result, GeomapError):
        check_table(result, None)


@FUZZ_MORE
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["gpkg", "parquet"]))
def test_any_bytes_as_gpkg_or_parquet(data: bytes, fmt: str) -> None:
    magic = {"gpkg": b"SQLite format 3\x00", "parquet": b"PAR1"}[fmt]
    result = read_bytes(magic + data, f".{fmt}")
    assert isinstance(result, GeomapError)


@FUZZ_MORE
@given(text=st.text(max_size=400), fmt=st.sampled_from(FORMATS))
def test_any_text_stream_is_read_or_refused(text: str, fmt: str | None) -> None:
    result = outcome(lambda: read_events(io.StringIO(text), format=fmt))
    if not isinstance(result, GeomapError):
        check_table(result, None)


# ----------------------------------------------------------------------------- CSV


@FUZZ
@given(rows=generic_tables(), delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_csv_rows_are_all_accounted_for(rows: list[list[str]], delimiter: str) -> None:
    result = outcome(lambda: read_events(io.StringIO(to_csv(rows, delimiter))))
    assert not isinstance(result, GeomapError), result
    check_table(result, data_rows(rows[1:]))


@FUZZ
@given(
    places=st.lists(
        st.text(NO_NUL, min_size=1, max_size=20).filter(str.strip), min_size=1, max_size=6
    ),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"]),
)
def test_unicode_encodings(places: list[str], codec: str) -> None:
    rows = [["lon", "lat", "place"], *([f"45.{i}", "36.5", p] for i, p in enumerate(places))]
    data = to_csv(rows).encode(codec)
    result = read_bytes(data, ".csv")
    if codec == "utf-16-le":  # no byte-order mark: refused, with the reason
        assert isinstance(result, GeomapError)
        assert "NUL" in str(result)
        return
    assert not isinstance(result, GeomapError), result
    check_table(result, len(places))
    assert result["place"].tolist() == [p.strip() for p in places]


LATIN = "".join(chr(c) for c in range(0x20, 0x100) if c != 0x7F)
CP1252 = "".join(c for c in LATIN if not 0x80 <= ord(c) <= 0x9F) + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"


@FUZZ
@given(
    places=st.lists(
        st.text(st.sampled_from(LATIN), min_size=1, max_size=20), min_size=1, max_size=6
    ),
    codec=st.sampled_from(["cp1252", "latin-1"]),
)
def test_single_byte_encodings_are_read_or_refused(places: list[str], codec: str) -> None:
    alphabet = CP1252 if codec == "cp1252" else LATIN
    places = ["".join(c for c in p if c in alphabet) or "x" for p in places]
    rows = [["lon", "lat", "place"], *([f"45.{i}", "36.5", p] for i, p in enumerate(places))]
    result = read_bytes(to_csv(rows).encode(codec), ".csv")
    if isinstance(result, GeomapError):
        assert codec == "latin-1", result  # cp1252 text is always readable
        assert "decode" in str(result)
        return
    check_table(result, len(places))
    if codec == "cp1252" or all(ord(c) < 0x80 or ord(c) > 0x9F for p in places for c in p):
        # cp1252 text read back as written, unless the bytes happen to be valid UTF-8
        text = to_csv(rows).encode(codec)
        with contextlib.suppress(UnicodeDecodeError):
            text.decode("utf-8")
            return
        assert result["place"].tolist() == [p.strip() or None for p in places]


def test_nul_bytes_are_refused_with_a_reason() -> None:
    for data in (
        b"lon,lat\n45,36\x00\n",
        b"\xef\xbb\xbflon,lat\n4\x005,36\n",
        b'{"type": "FeatureCollection", "features": []}\x00',
    ):
        result = read_bytes(data, ".csv")
        assert isinstance(result, GeomapError)
        assert "NUL" in str(result)


@pytest.mark.parametrize("size", [200_000, 3_000_000])
def test_overlong_lines_are_read(size: int) -> None:
    long_text = "drills " * (size // 7)
    text = f"lon,lat,description\n45,36,{long_text}\n44,35,short\n"
    result = outcome(lambda: read_events(io.StringIO(text)))
    assert not isinstance(result, GeomapError), result
    check_table(result, 2)
    assert result["description"][0] == long_text.strip()
    line = json.dumps({"lon": 45, "lat": 36, "description": long_text}) + "\n"
    result = outcome(lambda: read_events(io.StringIO(line * 2), format="jsonl"))
    assert not isinstance(result, GeomapError), result
    check_table(result, 2)


def test_overlong_header_without_newline() -> None:
    result = outcome(lambda: read_events(io.StringIO("lon,lat," + "x" * 2_000_000)))
    assert not isinstance(result, GeomapError), result
    check_table(result, 0)


# ----------------------------------------------------------------------------- JSON

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    text_cells,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(text_cells, inner, max_size=4)
    ),
    max_leaves=12,
)
coordinate = st.one_of(
    st.floats(-200, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    json_scalars,
    st.integers(-200, 200),
)
position = st.lists(coordinate, min_size=0, max_size=4)
ring = st.lists(position, max_size=6)
geometries = st.one_of(
    st.none(),
    json_values,
    st.fixed_dictionaries({"type": st.just("Point"), "coordinates": position}),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["LineString", "MultiPoint"]), "coordinates": ring}
    ),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Polygon", "MultiLineString"]),
            "coordinates": st.lists(ring, max_size=3),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("GeometryCollection"),
            "geometries": st.lists(
                st.fixed_dictionaries({"type": st.just("Point"), "coordinates": position}),
                max_size=3,
            ),
        }
    ),
)
properties = st.one_of(
    st.none(),
    json_values,
    st.dictionaries(
        st.sampled_from([*GENERIC_COLUMNS, "lon", "lat", "x", "y"]),
        st.one_of(json_values, coordinate),
        max_size=6,
    ),
)
features = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "geometry": geometries, "properties": properties},
        optional={"id": json_scalars},
    ),
    json_values,
)


@FUZZ
@given(
    items=st.lists(features, max_size=8),
    wrap=st.sampled_from(["collection", "list"]),
    crs=st.sampled_from([None, "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:3857"]),
)
def test_geojson_features_are_all_accounted_for(
    items: list[Any], wrap: str, crs: str | None
) -> None:
    document: Any = items
    if wrap == "collection":
        document = {"type": "FeatureCollection", "features": items}
        if crs:
            document["crs"] = {"type": "name", "properties": {"name": crs}}
    result = outcome(lambda: read_events(io.StringIO(json.dumps(document)), format="geojson"))
    if crs == "EPSG:3857" and wrap == "collection":
        assert isinstance(result, GeomapError)
        return
    if isinstance(result, GeomapError):
        # only a table without any coordinate, geometry or place is refused
        assert "no coordinate" in str(result) or "no partner" in str(result), result
        return
    check_table(result, len(items))


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            features.map(json.dumps),
            st.text(st.characters(exclude_categories=["Cc", "Zl", "Zp"]), max_size=30),
        ),
        max_size=8,
    )
)
def test_jsonl_lines_are_all_accounted_for(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = outcome(lambda: read_events(io.StringIO(text), format="jsonl"))
    counted = sum(1 for line in lines if line.strip().lstrip("\x1e").strip())
    if isinstance(result, GeomapError):
        message = str(result)
        assert counted == 0 or "no coordinate" in message or "no partner" in message, message
        return
    check_table(result, counted)


# ----------------------------------------------------------------------------- datasets


@FUZZ
@given(rows=mutated(fixture_rows("acled_sample.csv")))
def test_acled_rows_are_all_accounted_for(rows: list[list[str]]) -> None:
    result = outcome(lambda: read_events(io.StringIO(to_csv(rows))))
    assert not isinstance(result, GeomapError), result
    check_table(result, data_rows(rows[1:]))


@FUZZ
@given(rows=mutated(fixture_rows("ucdp_sample.csv")))
def test_ucdp_rows_are_all_accounted_for(rows: list[list[str]]) -> None:
    result = outcome(lambda: read_events(io.StringIO(to_csv(rows)), format="ucdp"))
    assert not isinstance(result, GeomapError), result
    check_table(result, data_rows(rows[1:]))


GDELT_ROWS = fixture_rows("gdelt1_sample.tsv", "\t") + fixture_rows("gdelt2_sample.csv", "\t")
tab_free = st.text(
    st.characters(exclude_characters="\x00\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=20
)


@FUZZ
@given(
    version=st.sampled_from([1, 2]),
    picks=st.lists(st.integers(0, 2), min_size=1, max_size=8),
    edits=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 60), st.one_of(tab_free, cells)), max_size=10
    ),
)
@example(version=1, picks=[0], edits=[(0, 1, "\x85")])  # not a line break for csv
def test_gdelt_rows_are_all_accounted_for(
    version: int, picks: list[int], edits: list[tuple[int, int, str]]
) -> None:
    widths = (
        (len(GDELT2_COLUMNS),) if version == 2 else (len(GDELT1_COLUMNS) - 1, len(GDELT1_COLUMNS))
    )
    base = [r for r in GDELT_ROWS if len(r) in widths]
    rows = [list(base[i % len(base)]) for i in picks]
    for i, j, value in edits:
        if i < len(rows) and j < len(rows[i]):
            rows[i][j] = value
    text = "".join("\t".join(row) + "\n" for row in rows)
    # the csv module ends a line at \r or \n only (not at \x85 or \u2028)
    expected = sum(1 for line in re.split(r"\r\n|\r|\n", text) if line.strip())
    result = outcome(lambda: read_events(io.StringIO(text), format="gdelt"))
    if isinstance(result, GeomapError):
        # the first row decides the version; a damaged first row is refused
        assert "fields per row" in str(result) or "empty GDELT" in str(result), result
        return
    check_table(result, expected)


# ----------------------------------------------------------------------------- classification


def _frontier() -> Any:
    from geomap.frontier import load_frontier

    return load_frontier()


region_points = st.tuples(st.floats(38.0, 50.0), st.floats(32.0, 40.0))
world_points = st.tuples(st.floats(-180.0, 180.0), st.floats(-90.0, 90.0))
band_edges = st.one_of(
    st.none(),
    st.lists(st.floats(0.01, 500.0), min_size=1, max_size=6, unique=True).map(sorted),
)


def classified(
    points: list[tuple[float, float]],
    edges: list[float] | None,
    uncertainty: list[float] | None = None,
) -> gpd.GeoDataFrame:
    from shapely import points as make_points

    from geomap.classification import classify

    CASES[0] += 1
    xy = np.array(points, dtype=float).reshape(-1, 2)
    events = gpd.GeoDataFrame(
        {
            "id": [str(i) for i in range(len(xy))],
            "uncertainty_m": uncertainty if uncertainty is not None else np.zeros(len(xy)),
        },
        geometry=list(make_points(xy)) if len(xy) else [],
        crs=4326,
    )
    return classify(events, _frontier(), bands=edges)


@FUZZ_LESS
@given(
    points=st.lists(st.one_of(region_points, world_points), min_size=1, max_size=40),
    edges=band_edges,
    data=st.data(),
)
def test_classification_invariants(
    points: list[tuple[float, float]], edges: list[float] | None, data: st.DataObject
) -> None:
    from geomap.settings import DEFAULT_BANDS_KM, band_labels

    uncertainty = data.draw(
        st.lists(st.floats(0, 100_000), min_size=len(points), max_size=len(points))
    )
    out = classified(points, edges, uncertainty)
    km = list(edges or DEFAULT_BANDS_KM)
    labels = band_labels(km)
    lows, highs = [0.0, *km], [*km, math.inf]
    assert len(out) == len(points)
    for row in out.itertuples():
        assert row.distance_m >= 0 and math.isfinite(row.distance_m)
        assert row.band in labels
        k = labels.index(row.band)
        assert lows[k] * 1000 <= row.distance_m < highs[k] * 1000
        reach = (row.distance_m - row.uncertainty_m, row.distance_m + row.uncertainty_m)
        crosses = any(reach[0] < e * 1000 <= reach[1] for e in km)
        if not crosses and row.uncertainty_m == 0:
            assert row.band_certain
        if row.band_certain:
            assert not any(max(reach[0], 0) < e * 1000 <= reach[1] for e in km)
        assert row.segment in ("IR-KRG", "TR-KRG")
        assert row.nearest_crossing_m >= 0


@FUZZ
@given(picks=st.lists(st.tuples(st.integers(0, 10**9), st.floats(0, 1)), min_size=1, max_size=20))
def test_points_on_the_frontier_have_distance_zero(picks: list[tuple[int, float]]) -> None:
    frontier = _frontier()
    lines = frontier.line_coords()
    chosen = []
    for i, t in picks:
        coords = list(lines.values())[i % len(lines)]
        k = (i // len(lines)) % (len(coords) - 1)
        a, b = coords[k], coords[k + 1]
        chosen.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
        chosen.append((float(a[0]), float(a[1])))  # a vertex: exactly on the line
    out = classified(chosen, None)
    # a straight lon/lat step between vertices strays from the geodesic by millimetres
    assert (out["distance_m"] < 1.0).all(), out["distance_m"].max()
    assert (out["band"] == "0-1 km").all()
    assert (out["distance_m"].iloc[1::2] < 0.01).all()


@FUZZ_LESS
@given(
    points=st.lists(st.one_of(region_points, world_points), min_size=2, max_size=30), data=st.data()
)
def test_permuting_events_permutes_results(
    points: list[tuple[float, float]], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(points))))
    first = classified(points, None)
    second = classified([points[i] for i in order], None)
    columns = list(CLASSIFIED_COLUMNS)
    expected = first.iloc[list(order)][columns].reset_index(drop=True)
    got = second[columns].reset_index(drop=True)
    assert expected.equals(got)


# ----------------------------------------------------------------------------- articles

WORDS = [
    "Iranian",
    "Turkish",
    "forces",
    "drills",
    "shelled",
    "drone",
    "strike",
    "near",
    "the",
    "border",
    "crossing",
    "Bashmakh",
    "Penjwen",
    "Haji Omaran",
    "Zakho",
    "Sidakan",
    "km",
    "250 m",
    "metres",
    "kilometres from",
    "on",
    "Monday",
    "yesterday",
    "2 October 2017",
    "Oct.",
    "2017-10-02",
    "al-",
    "Qandil",
    "PKK",
    "IRGC",
    "\n\n",
    ".",
    ",",
    '"',
    "'",
    "-",
    "(",
    ")",
    "<p>",
    "</p>",
    "<script>",
    "&amp;",
    "1",
    "12",
    "1,000",
    "½",
    "Kurdistan Region",
]
articles = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join),
    st.text(max_size=600),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=80).map(" ".join),
)


@FUZZ
@given(text=articles, published=st.one_of(st.none(), st.dates().map(str)))
def test_extract_any_text(text: str, published: str | None) -> None:
    extract = pytest.importorskip("geomap.extract")
    result = outcome(lambda: extract.extract_events(text, published=published))
    if not isinstance(result, GeomapError):
        assert isinstance(result, gpd.GeoDataFrame)
        assert result.crs is None or result.crs.to_epsg() == 4326


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=800), articles.map(str.encode)),
    suffix=st.sampled_from([".txt", ".html", ".htm", ".md"]),
    wrap=st.booleans(),
)
@example(data=b"", suffix=".html", wrap=False)  # lxml: "Document is empty"
def test_read_article_any_bytes(data: bytes, suffix: str, wrap: bool) -> None:
    article = pytest.importorskip("geomap._article")
    if wrap:
        data = b"<html><head><title>t</title></head><body><article><p>" + data + b"</p></article>"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"report{suffix}"
        path.write_bytes(data)
        result = outcome(lambda: article.read_article(path))
    if not isinstance(result, GeomapError):
        assert isinstance(result.text, str)
        assert len(result.text) <= article.MAX_CHARS


# Long runs of one character or a short motif: any regex that backtracks
# catastrophically on them would take hours at the article size cap.
RUNS = ["a", " ", "1 ", ".", "al-", "km ", "near the border ", "2017 ", "\n", "((", "<p>", "&"]


@pytest.mark.parametrize("motif", RUNS)
def test_extract_long_runs_of_repeated_text(motif: str) -> None:
    extract = pytest.importorskip("geomap.extract")
    from geomap._article import MAX_CHARS

    text = motif * (MAX_CHARS // len(motif) + 1)
    result = outcome(lambda: extract.extract_events(text, published="2017-10-02"))
    assert not isinstance(result, GeomapError), result
    # (a quarter of the cap in HTML: parsing costs per element, and a quadratic step
    # would still take hours at this size)
    html = "<html><body><p>" + motif * (MAX_CHARS // 4 // len(motif)) + "</p></body></html>"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "page.html"
        path.write_text(html, encoding="utf-8")
        result = outcome(
            lambda: extract.extract_from_files([path], published="2017-10-02", empty=[])
        )
    assert not isinstance(result, GeomapError), result


def test_article_page_with_megabytes_of_script() -> None:
    extract = pytest.importorskip("geomap.extract")
    script = "<script>var tracker = {" + "'k': [1, 2, 3], " * 150_000 + "};</script>"
    story = (
        "<article><h1>Drills at the border</h1><p>Iranian and Iraqi forces held joint "
        "drills near the Bashmakh crossing on 2 October 2017.</p></article>"
    )
    html = f"<html><head>{script}</head><body>{script}{story}{script}</body></html>"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "page.html"
        path.write_text(html, encoding="utf-8")
        assert path.stat().st_size > 7_000_000
        result = outcome(lambda: extract.extract_from_files([path], published="2017-10-03"))
    assert not isinstance(result, GeomapError), result
    assert len(result) >= 1
