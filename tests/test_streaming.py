"""Classifying a CSV in chunks gives what classifying it whole gives, in bounded memory.

The multi-gigabyte measurement is a script (scripts/make_big_csv.py, see its
docstring); here a small file goes through with a tiny chunk size.
"""

from __future__ import annotations

import gzip
import json
import warnings
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.errors import GeomapWarning, InputError
from geomap.readers import can_stream, read_events, read_events_chunks

DATA = Path(__file__).parent / "data"
# The table has an unreadable date on purpose: its warning is expected.
pytestmark = pytest.mark.filterwarnings("ignore::geomap.errors.GeomapWarning")

# Good rows, bad coordinates, a place without coordinates, blank and malformed rows,
# identical rows without ids (generated ids must stay unique across chunks), quoted
# newlines, a bad date, an extra column.
TABLE = """\
date,event_type,place,lon,lat,description,extra
2017-10-02,drills,Penjwen,45.97,35.61,"tanks, infantry",a
2017-10-02,drills,Penjwen,45.97,35.61,"tanks, infantry",a

2022-11-14,drone strike,Koya,44.6287,36.0829,"line one
line two",b
2022-11-14,shelling,Sidakan,abc,36.79,,c
not a date,shelling,Sidakan,44.67,95,,d
2023-03-19,agreement,Haji Omaran,,,,e
2017-10-02,drills,Penjwen,45.97,35.61,"tanks, infantry",a
2017-09-29,drills,Zakho,42.68,37.14
2017-09-29,drills,Zakho,42.68,37.14,,f,surplus
2017-10-02,drills,Penjwen,45.97,35.61,"tanks, infantry",a
2017-10-03,drills,Bashmakh,46.02,35.56,,g
"""


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("suffix", [".csv", ".geojson"])
def test_chunked_classify_writes_the_same_file(tmp_path: Path, table: Path, suffix: str) -> None:
    whole, chunked = tmp_path / f"whole{suffix}", tmp_path / f"chunked{suffix}"
    expected = run("classify", str(table), "-o", str(whole))
    for size in ("1", "3", "100"):
        message = run("classify", str(table), "--chunk-rows", size, "-o", str(chunked))
        assert chunked.read_bytes() == whole.read_bytes()
        assert message.replace(f"chunked{suffix}", f"whole{suffix}") == expected
        assert "4 of 11 rows could not be located" in message  # abc, 95, two malformed rows


def test_chunked_classify_to_gpkg_and_stdout(tmp_path: Path, table: Path) -> None:
    whole, chunked = tmp_path / "whole.gpkg", tmp_path / "chunked.gpkg"
    run("classify", str(table), "-o", str(whole))
    run("classify", str(table), "--chunk-rows", "2", "-o", str(chunked))
    expected = pyogrio.read_dataframe(whole, layer="events")
    got = pyogrio.read_dataframe(chunked, layer="events")
    pd.testing.assert_frame_equal(got, expected)
    out = CliRunner().invoke(main, ["classify", str(table), "--chunk-rows", "4"]).stdout
    assert len(json.loads(out)["features"]) == 11


def test_chunks_are_the_whole_table_cut_into_pieces(table: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeomapWarning)
        whole = read_events(table)
        chunks = list(read_events_chunks(table, chunk_rows=4))
    assert [len(c) for c in chunks] == [4, 4, 3]
    joined = pd.concat(chunks, ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole, check_dtype=False)
    assert joined["id"].is_unique


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "cp1252"])
def test_chunked_encodings(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes("lon,lat,place\n45.045,36.665,Hacı Omaran ‘gate’\n44,36,Zakho\n"
                     .replace("ı", "i" if codec == "cp1252" else "ı").encode(codec))  # fmt: skip
    chunks = list(read_events_chunks(path, chunk_rows=1))
    assert [c["place"][0] for c in chunks] == [read_events(path)["place"][0], "Zakho"]


def test_chunked_errors_leave_the_output_alone(tmp_path: Path, table: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("precious\n", encoding="utf-8")
    table.write_bytes(table.read_bytes() + b"45,36,x\x00y,1,2,3,4\n")
    result = CliRunner().invoke(main, ["classify", str(table), "--chunk-rows", "2", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("geomap: error: ") and "NUL" in result.output
    assert result.output.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "out.csv"]


def test_what_can_be_streamed(tmp_path: Path, table: Path) -> None:
    assert can_stream(table)
    assert not can_stream(DATA / "gdelt2_sample.csv")  # GDELT, though named .csv
    assert can_stream(DATA / "acled_sample.csv")
    packed = tmp_path / "events.csv"
    packed.write_bytes(gzip.compress(table.read_bytes()))
    assert not can_stream(packed)
    assert not can_stream(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="only a plain CSV"):
        next(read_events_chunks(DATA / "gdelt2_sample.csv"))
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        list(read_events_chunks(empty))
    header_only = tmp_path / "header.csv"
    header_only.write_text("lon,lat\n", encoding="utf-8")
    assert [len(c) for c in read_events_chunks(header_only)] == [0]
