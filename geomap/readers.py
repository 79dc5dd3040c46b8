"""Read event tables from files, streams and DataFrames into the event table.

:func:`read_events` accepts a path, ``"-"`` (standard input), an open file or a
pandas/GeoPandas DataFrame and detects the format from the extension and the
columns (or takes ``format=``):

``csv``
    Coordinates in ``lon``/``lat``, ``longitude``/``latitude``, ``lng``/``lat`` or
    ``x``/``y``; optional ``id, date, date_precision, event_type, actors`` (``;`` or
    ``|`` separated, or a JSON array), ``place, description, source`` (or
    ``outlet``), ``url, quote, uncertainty_m``. Comma, semicolon, tab or pipe separated.
    Other columns are kept.
``geojson``
    A FeatureCollection (or a Feature, or a list of them); properties as for CSV.
    Non-point geometries are replaced by a representative point whose
    ``uncertainty_m`` is widened to cover the whole shape.
``jsonl``
    One JSON object per line: a GeoJSON Feature or a flat record as for CSV.
``acled``, ``gdelt``, ``ucdp``
    ACLED exports, GDELT 1.0/2.0 event files and UCDP GED CSVs (see
    :mod:`geomap._datasets` for what each field becomes).

Nothing is dropped: a row whose coordinates are missing, not numbers or out of
range keeps a null geometry and the reason in ``problem``; a row with a
``place`` and no coordinates is located through the gazetteer. Text is read as
UTF-8 (with or without BOM), UTF-16/32 with a BOM, or cp1252; ``.gz`` and
single-file ``.zip`` archives are opened. A file that cannot be read at all
raises :class:`~geomap.errors.InputError` with a one-line message.

Examples
--------
>>> import io
>>> text = "id,lon,lat,date,event_type,place\\na,45.97,35.61,2017-10-02,drills,Penjwen\\n"
>>> events = read_events(io.StringIO(text))
>>> events.loc[0, ["id", "date", "event_type", "location_source"]].tolist()
['a', '2017-10-02', 'military_exercise', 'coordinates']
>>> events.crs.to_epsg(), events.geometry[0].x
(4326, 45.97)
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import math
import os
import re
import sys
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Protocol, Union

from geomap import _datasets as ds
from geomap.errors import GeomapWarning, InputError, RowsRejectedWarning
from geomap.events import (
    BASE_COLUMNS,
    DATE_PRECISIONS,
    LOCATION_SOURCES,
    event_id,
    normalise_event_type,
)
from geomap.progress import progress

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from gazetteer.sites import Match

__all__ = ["FORMATS", "GazetteerLike", "parse_date", "read_events", "split_rejects"]

logger = logging.getLogger(__name__)

#: Formats :func:`read_events` understands (``format=`` values).
FORMATS: Final = ("csv", "geojson", "jsonl", "acled", "gdelt", "ucdp", "gpkg", "parquet")

_FORMAT_ALIASES: Final = {"json": "geojson", "tsv": "csv", "gdelt1": "gdelt", "gdelt2": "gdelt",
                           "geopackage": "gpkg", "geoparquet": "parquet"}  # fmt: skip
_BINARY_SUFFIXES: Final = {".gpkg": "gpkg", ".parquet": "parquet", ".geoparquet": "parquet"}
_JSONL_SUFFIXES: Final = (".jsonl", ".ndjson", ".geojsonl", ".geojsons", ".geojsonseq")
_JSON_SUFFIXES: Final = (".geojson", ".json")
_COORDINATE_PAIRS: Final = (("lon", "lat"), ("longitude", "latitude"), ("lng", "lat"),
                            ("long", "lat"), ("x", "y"))  # fmt: skip
_KNOWN_COLUMNS: Final = frozenset(
    {*BASE_COLUMNS, *(c for pair in _COORDINATE_PAIRS for c in pair), "source", "outlet", "url",
     "quote", "geometry"}
)  # fmt: skip
_FLOAT_COLUMNS: Final = ("distance_m", "nearest_crossing_m", "stated_distance_m", "fatalities")
_BOOL_COLUMNS: Final = ("band_certain", "in_krg")
_MISSING: Final = "\x00missing"  # internal marker: no coordinates given (may be geocoded)

Source = Union[str, "os.PathLike[str]", IO[str], IO[bytes], "pd.DataFrame"]


class GazetteerLike(Protocol):
    """What :func:`read_events` needs of a gazetteer: ``resolve(name, context=...)``."""

    def resolve(self, name: str, *, context: str | None = ...) -> Match | None:
        """Resolve a place name to a :class:`~gazetteer.sites.Match` or ``None``."""
        ...


# ============================================================================ public API


def read_events(
    source: Source,
    *,
    format: str | None = None,  # noqa: A002 - the documented keyword
    gazetteer: GazetteerLike | None = None,
) -> gpd.GeoDataFrame:
    """Read an event table from a file, standard input, a stream or a DataFrame.

    Parameters
    ----------
    source : path, "-", file object or DataFrame
        Where the events are. ``"-"`` reads standard input.
    format : {"csv", "geojson", "jsonl", "acled", "gdelt", "ucdp"}, optional
        Skip detection (which uses the extension, then the content and columns).
    gazetteer : object with ``resolve(name, context=...)``, optional
        Locates rows that have a ``place`` but no coordinates; by default
        ``gazetteer.Gazetteer()`` when that package can be imported.

    Returns
    -------
    GeoDataFrame
        The event table in EPSG:4326: one row per input row, in input order,
        with the base columns of :data:`geomap.events.BASE_COLUMNS` and any
        other input columns. A :class:`~geomap.errors.RowsRejectedWarning` says
        how many rows could not be located (see :func:`split_rejects`).

    Raises
    ------
    InputError
        The source cannot be read, decoded or parsed, or has no coordinate
        and no place column.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"latitude": [37.14], "longitude": [42.57], "actors": ["Iraq|Turkey"]})
    >>> read_events(frame).loc[0, "actors"]
    ['Iraq', 'Turkey']
    """
    import pandas as pd

    fmt = _normalise_format(format)
    if isinstance(source, (str, os.PathLike)) and source != "-":
        fmt = fmt or _BINARY_SUFFIXES.get(Path(source).suffix.lower())
    if isinstance(source, pd.DataFrame):
        name = "DataFrame"
        staged = _stage_frame(source, fmt)
    elif fmt in ("gpkg", "parquet"):
        name = str(source)
        staged = _stage_frame(_read_binary(source, fmt), None, name)
    else:
        text, name = _load(source)
        staged = _stage_text(text, name, format)
    return _finish(staged, name, gazetteer)


def split_rejects(events: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Split an event table into located rows and rows without a usable location.

    Both parts keep their original index, so ``len(ok) + len(rejects) == len(events)``.

    Examples
    --------
    >>> import io
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ok, rejects = split_rejects(read_events(io.StringIO("lon,lat\\n45,36\\nabc,36\\n")))
    >>> len(ok), rejects["problem"].tolist()
    (1, ["longitude 'abc' is not a number"])
    """
    located = events.geometry.notna() & ~events.geometry.is_empty
    return events[located].copy(), events[~located].copy()


def parse_date(value: object) -> tuple[str, str] | None:
    """Parse a date as events tables write them; ``(ISO date, precision)``.

    Missing values give ``None``; unreadable ones raise ``ValueError``. Month and
    year precision dates fall on the first day of the period. Numeric dates
    are read day first (``02/10/2017`` is 2 October).

    Examples
    --------
    >>> parse_date("2017-10-02"), parse_date("20171002"), parse_date("Oct 2017")
    (('2017-10-02', 'day'), ('2017-10-02', 'day'), ('2017-10-01', 'month'))
    >>> parse_date("29 September 2017"), parse_date("2023")
    (('2017-09-29', 'day'), ('2023-01-01', 'year'))
    """
    if isinstance(value, datetime):
        return value.date().isoformat(), "day"
    if isinstance(value, date):
        return value.isoformat(), "day"
    text = ds.clean_text(value)
    if text is None or text.lower() in ("nat", "nan", "none", "null"):
        return None
    if text in _DATE_CACHE:
        return _DATE_CACHE[text]
    parsed = _parse_date_text(text)
    if len(_DATE_CACHE) < 100_000:
        _DATE_CACHE[text] = parsed
    return parsed


# ============================================================================ loading


def _load(source: Any) -> tuple[str, str]:
    """The decoded text of a source and a name to use in messages."""
    if isinstance(source, str) and source == "-":
        stream = sys.stdin
        data: str | bytes = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        name = "<stdin>"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{name}: is a directory, not an events file") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        data = source.read()
    else:
        raise InputError(f"cannot read events from a {type(source).__name__}")
    if isinstance(data, str):
        return data, name
    data, name = _unpack(data, name)
    return _decode(data, name), name


def _read_binary(source: Any, fmt: str) -> gpd.GeoDataFrame:
    """A GeoPackage's ``events`` layer (else its first) or a GeoParquet file."""
    import geopandas as gpd
    import pyogrio

    name = str(source)
    if not isinstance(source, (str, os.PathLike)) or not Path(source).is_file():
        raise InputError(f"{name}: no such file")
    try:
        if fmt == "parquet":
            return gpd.read_parquet(source)
        layers = [str(layer) for layer, _ in pyogrio.list_layers(source)]
        layer = "events" if "events" in layers else layers[0]
        return pyogrio.read_dataframe(source, layer=layer)
    except (OSError, ValueError, IndexError, pyogrio.errors.DataSourceError) as exc:
        raise InputError(f"{name}: cannot read as {fmt} ({_one_line(exc)})") from None


def _unpack(data: bytes, name: str) -> tuple[bytes, str]:
    """Open gzip and single-member zip archives."""
    try:
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data), name.removesuffix(".gz")
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.namelist() if not m.endswith("/")]
                if len(members) != 1:
                    raise InputError(f"{name}: a zip archive must hold exactly one file")
                return archive.read(members[0]), members[0]
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise InputError(f"{name}: damaged archive ({_one_line(exc)})") from None
    return data, name


_BOMS: Final = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8/16/32 with a BOM, UTF-8 without, else cp1252; or raise InputError."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {codec} text at byte {exc.start}") from None
            break
    else:
        if b"\x00" in data:
            msg = f"{name}: contains NUL bytes; not a text table (UTF-16 needs a byte-order mark)"
            raise InputError(msg)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                msg = f"{name}: cannot decode the text as UTF-8, UTF-16 or cp1252"
                raise InputError(msg) from None
            logger.info("%s: not UTF-8, read as cp1252", name)
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL characters; not a text table")
    return text


# ============================================================================ detection


def _normalise_format(format: str | None) -> str | None:  # noqa: A002
    if format is None:
        return None
    key = _FORMAT_ALIASES.get(format.strip().lower(), format.strip().lower())
    if key not in FORMATS:
        raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    return key


def _detect(text: str, name: str) -> str:
    """Guess "geojson", "jsonl", "gdelt" or "table" (a CSV of any flavour)."""
    suffix = Path(name.lower().removesuffix(".gz").removesuffix(".zip")).suffix
    if suffix in _JSONL_SUFFIXES or text.startswith("\x1e"):
        return "jsonl"
    head = text.lstrip("\ufeff \t\r\n")
    if suffix in _JSON_SUFFIXES or head[:1] in ("{", "["):
        return "geojson"
    first = head.split("\n", 1)[0].rstrip("\r")
    fields = first.split("\t")
    if len(fields) in ds.GDELT_FIELD_COUNTS and fields[0].strip().isdigit():
        return "gdelt"
    return "table"


def _stage_text(text: str, name: str, format: str | None) -> pd.DataFrame:  # noqa: A002
    fmt = _normalise_format(format) or _detect(text, name)
    if fmt == "geojson":
        return _stage_json(text, name)
    if fmt == "jsonl":
        return _stage_records(_parse_jsonl(text, name))
    if fmt == "gdelt":
        return _stage_gdelt(text, name)
    raw = _parse_csv(text, name)
    return _stage_frame(raw, None if fmt == "table" else fmt, name)


# ============================================================================ CSV and GDELT


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_rows(text: str, name: str, delimiter: str, quoting: int) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    total = text.count("\n")
    rows: list[list[str]] = []
    try:
        for row in progress(reader, total=total, desc=f"reading {Path(name).name}"):
            if row and any(cell.strip() for cell in row):
                rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{name}: line {reader.line_num}: {_one_line(exc)}") from None
    return rows


def _fit_rows(rows: list[list[str]], width: int, what: str) -> tuple[list[list[str]], list[Any]]:
    """Pad or cut rows to ``width`` fields; a row of another width gets a problem."""
    problems: list[Any] = [None] * len(rows)
    for i, row in enumerate(rows):
        if len(row) != width:
            problems[i] = f"malformed {what} row: {len(row)} fields, expected {width}"
            rows[i] = (row + [""] * width)[:width]
    return rows, problems


def _parse_csv(text: str, name: str) -> pd.DataFrame:
    """A CSV as a DataFrame of strings (column names stripped); ``_problem`` for bad rows."""
    import pandas as pd

    rows = _csv_rows(text.lstrip("\ufeff"), name, _sniff_delimiter(text), csv.QUOTE_MINIMAL)
    if not rows:
        raise InputError(f"{name}: empty file, no header row")
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]]
    body, problems = _fit_rows(rows[1:], len(header), "CSV")
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame["_problem"] = problems
    return frame


def _stage_gdelt(text: str, name: str) -> pd.DataFrame:
    import pandas as pd

    rows = _csv_rows(text.lstrip("\ufeff"), name, "\t", csv.QUOTE_NONE)
    if not rows:
        raise InputError(f"{name}: empty GDELT file")
    version = ds.GDELT_FIELD_COUNTS.get(len(rows[0]))
    if version is None:
        raise InputError(f"{name}: {len(rows[0])} fields per row; GDELT has 57, 58 or 61")
    columns = ds.GDELT2_COLUMNS if version == 2 else ds.GDELT1_COLUMNS[: len(rows[0])]
    body, problems = _fit_rows(rows, len(columns), f"GDELT {version}.0")
    raw = pd.DataFrame(body, columns=[c.lower() for c in columns], dtype=object)
    staged = ds.stage_gdelt(raw)
    staged["_problem"] = problems
    return staged


# ============================================================================ JSON


def _parse_jsonl(text: str, name: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = line.strip().lstrip("\x1e").strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            records.append({"_problem": f"line {number}: invalid JSON ({_one_line(exc)})"})
            continue
        records.append(_json_item(item, f"line {number}"))
    if not records:
        raise InputError(f"{name}: no records")
    return records


def _json_item(item: object, where: str) -> dict[str, Any]:
    """One JSON value as a flat record (a Feature's properties, id and ``_geojson``)."""
    if not isinstance(item, dict):
        return {"_problem": f"{where}: not a JSON object"}
    if item.get("type") != "Feature":
        return dict(item)
    properties = item.get("properties")
    if properties is not None and not isinstance(properties, dict):
        return {"_problem": f"{where}: Feature properties are not an object"}
    record = dict(properties or {})
    if item.get("id") is not None and record.get("id") is None:
        record["id"] = item["id"]
    record["_geojson"] = item.get("geometry")
    return record


def _stage_json(text: str, name: str) -> pd.DataFrame:
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError) and exc.msg == "Extra data":
            return _stage_records(_parse_jsonl(text, name))
        raise InputError(f"{name}: invalid JSON ({_one_line(exc)})") from None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        _check_crs(document, name)
        items = document.get("features")
        if not isinstance(items, list):
            raise InputError(f"{name}: FeatureCollection without a features list")
    elif isinstance(document, dict) and document.get("type") == "Feature":
        items = [document]
    elif isinstance(document, list):
        items = document
    else:
        raise InputError(f"{name}: expected a GeoJSON FeatureCollection, Feature or list")
    return _stage_records([_json_item(item, f"feature {i}") for i, item in enumerate(items)])


def _check_crs(document: dict[str, Any], name: str) -> None:
    """Old GeoJSON may name a CRS; only WGS84 longitude/latitude is accepted."""
    crs = document.get("crs")
    if crs is None:
        return
    label = json.dumps(crs)
    if not re.search(r"CRS84|EPSG:{1,2}4326\b", label, flags=re.IGNORECASE):
        msg = f"{name}: GeoJSON crs {label[:80]} is not WGS84 lon/lat; reproject it first"
        raise InputError(msg)


def _stage_records(records: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    raw = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    raw = raw.astype(object).where(raw.notna(), None) if len(raw.columns) else raw
    geojson = raw.pop("_geojson") if "_geojson" in raw.columns else None
    staged = _stage_frame(raw, None, has_geometry=geojson is not None)
    if geojson is not None:
        _apply_geojson(staged, geojson)
    return staged


def _apply_geojson(staged: pd.DataFrame, geometries: pd.Series) -> None:
    """Feature geometries override property coordinates: points by value, others as shapes."""
    for position, value in enumerate(geometries):
        if value is None:
            continue
        label = staged.index[position]
        kind = value.get("type") if isinstance(value, dict) else None
        coords = value.get("coordinates") if isinstance(value, dict) else None
        if kind == "Point" and isinstance(coords, list) and len(coords) >= 2:
            staged.loc[label, ["_lon", "_lat"]] = [coords[0], coords[1]]
            continue
        shape, problem = _shape_from_geojson(value)
        staged.at[label, "_shape"] = shape
        staged.at[label, "_problem"] = staged.at[label, "_problem"] or problem


def _shape_from_geojson(value: object) -> tuple[Any, str | None]:
    from shapely.geometry import shape

    kind = value.get("type") if isinstance(value, dict) else type(value).__name__
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises many types for malformed GeoJSON  # noqa: BLE001
        return None, f"invalid {kind} geometry ({_one_line(exc)})"
    return geometry, None


# ============================================================================ staging tables


def _canonical_columns(raw: pd.DataFrame) -> pd.DataFrame:
    """Lower-case the names of known columns; refuse duplicates."""
    renamed = {c: str(c).strip().lower() for c in raw.columns}
    renamed = {c: low if low in _KNOWN_COLUMNS else str(c).strip() for c, low in renamed.items()}
    names = list(renamed.values())
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError(f"duplicate column(s): {', '.join(duplicates)}")
    return raw.rename(columns=renamed)


def _detect_dataset(columns: set[str]) -> str | None:
    lowered = {c.lower() for c in columns}
    if ds.ACLED_COLUMNS <= lowered:
        return "acled"
    if ds.UCDP_COLUMNS <= lowered:
        return "ucdp"
    return None


def _stage_frame(
    raw: pd.DataFrame, fmt: str | None, name: str = "DataFrame", *, has_geometry: bool = False
) -> pd.DataFrame:
    """Stage a table of records: a dataset mapping, or the generic columns."""
    import geopandas as gpd

    problems = raw["_problem"] if "_problem" in raw.columns else None
    raw = raw.drop(columns=["_problem"]) if problems is not None else raw
    shapes = None
    if isinstance(raw, gpd.GeoDataFrame) and raw.geometry.name in raw.columns:
        shapes = raw.geometry.to_crs(4326) if raw.crs is not None else raw.geometry
        raw = raw.drop(columns=[raw.geometry.name])
    fmt = fmt or _detect_dataset(set(map(str, raw.columns)))
    if fmt in ("acled", "ucdp", "gdelt"):
        staged = _stage_dataset(raw, fmt, name)
    else:
        has_geometry = has_geometry or shapes is not None
        staged = _stage_generic(_canonical_columns(raw), name, has_geometry=has_geometry)
    staged["_problem"] = list(problems) if problems is not None else None
    staged["_shape"] = None
    if shapes is not None:
        _apply_shapes(staged, shapes)
    return staged


def _stage_dataset(raw: pd.DataFrame, fmt: str, name: str) -> pd.DataFrame:
    lowered = raw.rename(columns={c: str(c).strip().lower() for c in raw.columns})
    if fmt == "gdelt":
        return ds.stage_gdelt(lowered)
    needed = ds.ACLED_COLUMNS if fmt == "acled" else ds.UCDP_COLUMNS
    missing = sorted(needed - set(lowered.columns))
    if missing:
        raise InputError(f"{name}: not a {fmt.upper()} table, missing {', '.join(missing)}")
    return ds.stage_acled(lowered) if fmt == "acled" else ds.stage_ucdp(lowered)


def _coordinate_columns(columns: set[str], name: str) -> tuple[str, str] | None:
    for lon, lat in _COORDINATE_PAIRS:
        if lon in columns and lat in columns:
            return lon, lat
    half = sorted(c for pair in _COORDINATE_PAIRS for c in pair if c in columns)
    if half:
        raise InputError(f"{name}: coordinate column {half[0]!r} has no partner (lon/lat, x/y)")
    return None


def _stage_generic(raw: pd.DataFrame, name: str, *, has_geometry: bool = False) -> pd.DataFrame:
    import pandas as pd

    columns = set(raw.columns)
    pair = _coordinate_columns(columns, name)
    if pair is None and "place" not in columns and not has_geometry:
        msg = f"{name}: no coordinate columns (lon/lat, longitude/latitude, x/y) and no place column"
        raise InputError(msg)
    empty = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    col = lambda c: raw[c] if c in columns else empty  # noqa: E731
    staged = pd.DataFrame(index=raw.index)
    for column in ("id", "date", "date_precision", "event_type", "place", "site", "description",
                   "location_source", "uncertainty_m"):  # fmt: skip
        staged[column] = col(column)
    staged["actors"] = col("actors").map(ds.split_list)
    staged["sources"] = _generic_sources(raw, columns)
    staged["_lon"] = col(pair[0]) if pair else empty
    staged["_lat"] = col(pair[1]) if pair else empty
    consumed = _KNOWN_COLUMNS | {"_geojson"}
    for column in raw.columns:
        if column not in consumed:
            staged[column] = _restore_dtype(column, raw[column])
    return staged


def _generic_sources(raw: pd.DataFrame, columns: set[str]) -> list[list[dict[str, Any]]]:
    if "sources" in columns:
        return [_sources_value(v) for v in raw["sources"]]
    outlet = raw["source"] if "source" in columns else raw.get("outlet")
    n = len(raw)
    outlets = list(outlet) if outlet is not None else [None] * n
    urls = list(raw["url"]) if "url" in columns else [None] * n
    quotes = list(raw["quote"]) if "quote" in columns else [None] * n
    result = []
    for o, u, q in zip(outlets, urls, quotes):
        entries = ds.outlet_sources(o, u)
        if entries and ds.clean_text(q):
            entries[0]["quote"] = ds.clean_text(q)
        result.append(entries)
    return result


def _sources_value(value: object) -> list[dict[str, Any]]:
    """A ``sources`` cell: a list of dicts, its JSON text, or outlet names."""
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays (GeoParquet)
        value = value.tolist()
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, list):
        entries = []
        for item in value:
            if isinstance(item, dict):
                entries.append({k: ds.clean_text(item.get(k)) for k in ("outlet", "url", "quote")})
            elif ds.clean_text(item):
                entries.append({"outlet": ds.clean_text(item), "url": None, "quote": None})
        return entries
    return ds.outlet_sources(value)


def _restore_dtype(column: str, values: pd.Series) -> pd.Series:
    """Give classified columns read back from text their numeric or boolean type."""
    import pandas as pd

    if column in _FLOAT_COLUMNS:
        return pd.to_numeric(values.map(ds.clean_text), errors="coerce")
    if column in _BOOL_COLUMNS:
        truth = {"true": True, "1": True, "false": False, "0": False}
        return values.map(lambda v: v if isinstance(v, bool) else truth.get(str(v).strip().lower()))
    return values


def _apply_shapes(staged: pd.DataFrame, shapes: pd.Series) -> None:
    for label, geometry in zip(staged.index, shapes):
        if geometry is None:
            continue
        if geometry.geom_type == "Point" and not geometry.is_empty:
            staged.loc[label, ["_lon", "_lat"]] = [geometry.x, geometry.y]
        else:
            staged.at[label, "_shape"] = geometry


# ============================================================================ finishing


def _finish(staged: pd.DataFrame, name: str, gazetteer: GazetteerLike | None) -> gpd.GeoDataFrame:
    """Validate coordinates, locate places, normalise columns, build the GeoDataFrame."""
    import geopandas as gpd
    import pandas as pd

    staged = staged.reset_index(drop=True)
    for column in ("_lon", "_lat", "_shape", "_problem", *BASE_COLUMNS):
        if column not in staged.columns:
            staged[column] = None
    lon, lat, problems = _check_coordinates(staged["_lon"], staged["_lat"], staged["_problem"])
    uncertainty = _uncertainty(staged["uncertainty_m"])
    source = [_location_source(v) for v in staged["location_source"]]
    _use_shapes(staged["_shape"], lon, lat, problems, uncertainty)
    for i, problem in enumerate(problems):
        if problem is None:
            source[i] = source[i] or "coordinates"
    site = [ds.clean_text(v) for v in staged["site"]]
    _locate(staged, gazetteer, lon, lat, problems, uncertainty, source, site)
    located = [p is None for p in problems]
    points = _points(lon, lat, located)
    columns: dict[str, Any] = {
            "id": None,
            "date": None,
            "date_precision": None,
            "event_type": [normalise_event_type(v) for v in staged["event_type"]],
            "actors": [ds.split_list(v) for v in staged["actors"]],
            "place": [ds.clean_text(v) for v in staged["place"]],
            "site": [s if ok else None for s, ok in zip(site, located)],
            "location_source": [s if ok else None for s, ok in zip(source, located)],
            "uncertainty_m": uncertainty,
            "description": [ds.clean_text(v) for v in staged["description"]],
            "sources": [_sources_value(v) for v in staged["sources"]],
            "problem": problems,
    }
    out = pd.DataFrame({k: _objects(v, len(staged)) for k, v in columns.items()})
    out["uncertainty_m"] = out["uncertainty_m"].astype(float)
    _set_dates(out, staged, name)
    out["id"] = _objects(_ids(staged["id"], out), len(out))
    extras = [c for c in staged.columns if c not in out.columns and not c.startswith("_")]
    for column in extras:
        values = staged[column]
        out[column] = values.to_numpy() if values.dtype.kind in "fiub" else _objects(values, len(out))
    events = gpd.GeoDataFrame(out, geometry=points, crs="EPSG:4326")
    _warn_unlocated(events, name)
    return events


def _objects(values: Any, n: int) -> pd.Series:
    """An object column with ``None`` for missing values (never pandas' NaN strings)."""
    import pandas as pd

    if values is None or isinstance(values, str):
        return pd.Series([values] * n, dtype=object)
    series = pd.Series(list(values), dtype=object)
    return series.where(series.map(lambda v: not (isinstance(v, float) and math.isnan(v))), None)


def _check_coordinates(
    lon_raw: pd.Series, lat_raw: pd.Series, preset: pd.Series
) -> tuple[list[float], list[float], list[Any]]:
    """Numbers and range checks; a problem per row (``_MISSING`` when no coordinates)."""
    import numpy as np
    import pandas as pd

    def numbers(raw: pd.Series) -> tuple[Any, Any]:
        values = raw.map(lambda v: ds.clean_text(v) if isinstance(v, str) else v)
        missing = values.isna().to_numpy()
        parsed = pd.to_numeric(values.where(~missing, None), errors="coerce")
        return missing, parsed.to_numpy(dtype=float)

    lon_missing, lon = numbers(lon_raw)
    lat_missing, lat = numbers(lat_raw)
    bad = (
        lon_missing | lat_missing | np.isnan(lon) | np.isnan(lat)
        | (np.abs(lon) > 180) | (np.abs(lat) > 90) | ((lon == 0) & (lat == 0))
    )  # fmt: skip
    problems: list[Any] = list(preset)
    for i in np.flatnonzero(bad | np.array([p is not None for p in problems], dtype=bool)):
        if problems[i] is None:
            problems[i] = _coordinate_problem(
                lon_raw.iloc[i], lat_raw.iloc[i], lon_missing[i], lat_missing[i], lon[i], lat[i]
            )
    return lon.tolist(), lat.tolist(), problems


def _coordinate_problem(
    lon_raw: object, lat_raw: object, lon_missing: bool, lat_missing: bool, lon: float, lat: float
) -> str:
    if lon_missing and lat_missing:
        return _MISSING
    for axis, raw, missing, value, limit in (
        ("longitude", lon_raw, lon_missing, lon, 180),
        ("latitude", lat_raw, lat_missing, lat, 90),
    ):
        if missing:
            return f"{axis} is missing"
        if math.isnan(value):
            return f"{axis} {_short(raw)!r} is not a number"
        if abs(value) > limit:
            return f"{axis} {value:g} is out of range [-{limit}, {limit}]"
    return "coordinates 0, 0 are a placeholder, not a location"


def _uncertainty(values: pd.Series) -> list[float]:
    result = []
    for value in values:
        try:
            number = float(ds.clean_text(value) or "nan") if not isinstance(value, float) else value
        except ValueError:
            number = math.nan
        result.append(number if number >= 0 and math.isfinite(number) else 0.0)
    return result


def _location_source(value: object) -> str | None:
    text = ds.clean_text(value)
    return text if text in LOCATION_SOURCES else None


def _use_shapes(
    shapes: pd.Series, lon: list[float], lat: list[float], problems: list[Any], unc: list[float]
) -> None:
    """Replace non-point shapes by a representative point covering them with its radius."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    for i, shape in enumerate(shapes):
        if shape is None or (problems[i] is not None and problems[i] != _MISSING):
            continue
        if shape.is_empty:
            problems[i] = f"empty {shape.geom_type} geometry"
            continue
        minx, miny, maxx, maxy = shape.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            problems[i] = f"{shape.geom_type} coordinates out of lon/lat range"
            continue
        point = shape.representative_point()
        radius = _radius_m(geod, point, shape)
        lon[i], lat[i], problems[i] = point.x, point.y, None
        unc[i] = max(unc[i], radius)


def _radius_m(geod: Any, point: Any, shape: Any) -> float:
    import shapely

    coords = shapely.get_coordinates(shape)
    if not len(coords):
        return 0.0
    n = len(coords)
    _, _, dist = geod.inv([point.x] * n, [point.y] * n, coords[:, 0], coords[:, 1])
    return float(max(dist))


def _locate(
    staged: pd.DataFrame,
    gazetteer: GazetteerLike | None,
    lon: list[float],
    lat: list[float],
    problems: list[Any],
    unc: list[float],
    source: list[str | None],
    site: list[str | None],
) -> None:
    """Locate rows without coordinates through the gazetteer, by their ``place``."""
    places = [ds.clean_text(v) for v in staged["place"]]
    wanted = [i for i, p in enumerate(problems) if p == _MISSING]
    for i in wanted:
        if places[i] is None:
            problems[i] = "no coordinates and no place to look up"
    wanted = [i for i in wanted if places[i] is not None]
    if not wanted:
        return
    gaz, why = (gazetteer, "") if gazetteer is not None else _default_gazetteer()
    contexts = [ds.clean_text(staged["description"].iloc[i]) for i in wanted]
    cache: dict[tuple[str, str | None], tuple[Match | None, str | None]] = {}
    for i, context in progress(list(zip(wanted, contexts)), desc="locating places", unit="places"):
        place = places[i]
        assert place is not None
        if gaz is None:
            problems[i] = f"no coordinates; place {_short(place)!r} not looked up ({why})"
            continue
        key = (place, context)
        if key not in cache:
            cache[key] = _resolve(gaz, place, context)
        match, error = cache[key]
        if match is None or not match.site.is_located:
            problems[i] = error or f"no coordinates and place {_short(place)!r} not found"
            continue
        lon[i], lat[i] = float(match.site.lon), float(match.site.lat)  # type: ignore[arg-type]
        problems[i], source[i], site[i] = None, match.layer, match.site.key
        unc[i] = max(float(match.uncertainty_m), float(match.site.uncertainty_m))


def _resolve(gaz: GazetteerLike, place: str, context: str | None) -> tuple[Match | None, str | None]:
    try:
        match = gaz.resolve(place, context=context)
    except (LookupError, ValueError, RuntimeError, OSError) as exc:
        return None, f"no coordinates; place {_short(place)!r} not resolved ({_one_line(exc)})"
    if match is not None and not match.site.is_located:
        return None, f"no coordinates; place {_short(place)!r} is site {match.site.key!r}, unlocated"
    return match, None


def _default_gazetteer() -> tuple[GazetteerLike | None, str]:
    try:
        from gazetteer import Gazetteer  # type: ignore[attr-defined,unused-ignore]

        return Gazetteer(), ""
    except (ImportError, OSError, ValueError) as exc:
        return None, f"no gazetteer available: {_one_line(exc)}"


def _points(lon: list[float], lat: list[float], located: list[bool]) -> Any:
    import numpy as np
    import shapely

    points = shapely.points(np.array(lon, dtype=float), np.array(lat, dtype=float))
    keep = np.array(located, dtype=bool)
    result = np.empty(len(points), dtype=object)
    result[keep] = points[keep]
    return result


def _set_dates(out: pd.DataFrame, staged: pd.DataFrame, name: str) -> None:
    dates: list[str | None] = []
    precisions: list[str | None] = []
    unreadable = []
    for value, stated in zip(staged["date"], staged["date_precision"]):
        try:
            parsed = parse_date(value)
        except ValueError:
            parsed = None
            unreadable.append(value)
        stated_text = (ds.clean_text(stated) or "").lower()
        dates.append(parsed[0] if parsed else None)
        precision = stated_text if stated_text in DATE_PRECISIONS else None
        precisions.append(precision or (parsed[1] if parsed else None))
    out["date"] = _objects(dates, len(out))
    out["date_precision"] = _objects(precisions, len(out))
    if unreadable:
        msg = (f"{name}: {len(unreadable)} unreadable date(s) kept as null, "
               f"e.g. {_short(unreadable[0])!r}")  # fmt: skip
        warnings.warn(msg, GeomapWarning, stacklevel=4)


def _ids(given: pd.Series, out: pd.DataFrame) -> list[str]:
    """The input's id, else a hash of outlet, place, date and type (made unique by -2, -3)."""
    ids: list[str] = []
    seen: dict[str, int] = {}
    for value, sources, place, day, etype in zip(
        given, out["sources"], out["place"], out["date"], out["event_type"]
    ):
        text = ds.clean_text(value)
        if text is not None:
            ids.append(text.removesuffix(".0") if isinstance(value, float) else text)
            continue
        outlet = sources[0].get("outlet") if sources else None
        base = event_id(outlet, place, day, etype)
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def _warn_unlocated(events: gpd.GeoDataFrame, name: str) -> None:
    count = int(events["problem"].notna().sum())
    if count:
        first = events["problem"].dropna().iloc[0]
        msg = (f"{name}: {count} of {len(events)} rows have no usable location "
               f"(kept with a 'problem', e.g. {first!r})")  # fmt: skip
        warnings.warn(msg, RowsRejectedWarning, stacklevel=4)


# ============================================================================ dates and text

_MONTHS: Final = {
    m: i + 1
    for i, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun",
         "july jul", "august aug", "september sep sept", "october oct", "november nov",
         "december dec")  # fmt: skip
    )
    for m in names.split()
}
_DATE_CACHE: dict[str, tuple[str, str]] = {}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.+\-Z ]*)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_TEXT_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{4})")
_TEXT_MDY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_TEXT_MY = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})")


def _parse_date_text(text: str) -> tuple[str, str]:
    """Parse one date text (see :func:`parse_date`)."""
    parts: tuple[int, int, int] | None = None
    precision = "day"
    if m := _ISO.fullmatch(text):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif re.fullmatch(r"\d{8}", text):
        parts = int(text[:4]), int(text[4:6]), int(text[6:])
    elif m := re.fullmatch(r"(\d{4})[-/](\d{1,2})", text):
        parts, precision = (int(m[1]), int(m[2]), 1), "month"
    elif re.fullmatch(r"\d{4}", text):
        parts, precision = (int(text), 1, 1), "year"
    elif m := _DMY.fullmatch(text):
        parts = int(m[3]), int(m[2]), int(m[1])
    elif (m := _TEXT_DMY.fullmatch(text)) and m[2].lower() in _MONTHS:
        parts = int(m[3]), _MONTHS[m[2].lower()], int(m[1])
    elif (m := _TEXT_MDY.fullmatch(text)) and m[1].lower() in _MONTHS:
        parts = int(m[3]), _MONTHS[m[1].lower()], int(m[2])
    elif (m := _TEXT_MY.fullmatch(text)) and m[1].lower() in _MONTHS:
        parts, precision = (int(m[2]), _MONTHS[m[1].lower()], 1), "month"
    if parts is None:
        raise ValueError(f"unreadable date: {text!r}")
    return date(*parts).isoformat(), precision


def _short(value: object, limit: int = 40) -> str:
    text = str(value).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__

