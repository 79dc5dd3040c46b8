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

import codecs
import csv
import gzip
import io
import json
import logging
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal, Union

from geomap import _datasets as ds
from geomap._normalise import GazetteerLike, finish, one_line, parse_date, stage_frame
from geomap.errors import InputError
from geomap.progress import progress

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "ARTICLE_SUFFIXES",
    "FORMATS",
    "GazetteerLike",
    "can_stream",
    "parse_date",
    "read_events",
    "read_events_chunks",
    "read_inputs",
    "split_rejects",
]

logger = logging.getLogger(__name__)

#: Formats :func:`read_events` understands (``format=`` values).
FORMATS: Final = ("csv", "geojson", "jsonl", "acled", "gdelt", "ucdp", "gpkg", "parquet")

_FORMAT_ALIASES: Final = {"json": "geojson", "tsv": "csv", "gdelt1": "gdelt", "gdelt2": "gdelt",
                           "geopackage": "gpkg", "geoparquet": "parquet"}  # fmt: skip
_BINARY_SUFFIXES: Final = {".gpkg": "gpkg", ".parquet": "parquet", ".geoparquet": "parquet"}
_JSONL_SUFFIXES: Final = (".jsonl", ".ndjson", ".geojsonl", ".geojsons", ".geojsonseq")
_JSON_SUFFIXES: Final = (".geojson", ".json")
#: Inputs with these suffixes are news articles, read by :mod:`geomap.extract`.
ARTICLE_SUFFIXES: Final = (".txt", ".text", ".html", ".htm", ".md")
Source = Union[str, "os.PathLike[str]", IO[str], IO[bytes], "pd.DataFrame"]


# ============================================================================ public API


def read_events(
    source: Source,
    *,
    format: str | None = None,
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
        staged = stage_frame(source, fmt)
    elif fmt in ("gpkg", "parquet"):
        name = str(source)
        staged = stage_frame(_read_binary(source, fmt), None, name)
    else:
        text, name = _load(source)
        staged = _stage_text(text, name, format)
    return finish(staged, name, gazetteer)


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


def sample_events_path() -> Path:
    """The bundled demo events (the founding reports' events).

    Examples
    --------
    >>> sample_events_path().name
    'sample_events.csv'
    """
    from importlib.resources import files

    return Path(str(files("geomap") / "data" / "sample_events.csv"))


def read_inputs(
    inputs: list[str],
    *,
    format: str | None = None,
    published: str | None = None,
    gazetteer: GazetteerLike | None = None,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read several inputs — event tables and news articles mixed — into one table.

    With no input, the bundled demo events. An input that cannot be read does
    not stop the others: its one-line reason is returned in the failures list.

    Parameters
    ----------
    inputs : list of str
        Paths or ``"-"``; ``.txt``/``.html``/``.htm``/``.md`` files are articles.
    format : str, optional
        Format of the event tables, as for :func:`read_events`.
    published : str, optional
        Publication date (``YYYY-MM-DD``) of the articles, for relative dates.
    gazetteer : object with ``resolve``, optional
        As for :func:`read_events`.

    Returns
    -------
    (GeoDataFrame, list of str)
        The events of every readable input, in input order, and the failures.

    Examples
    --------
    >>> events, failures = read_inputs([])
    >>> len(events) > 0, failures
    (True, [])
    >>> _, failures = read_inputs(["no-such-file.csv"])
    >>> failures[0].startswith("no-such-file.csv:")
    True
    """
    import geopandas as gpd
    import pandas as pd

    tables = []
    failures: list[str] = []
    articles = [] if format else [p for p in inputs if Path(p).suffix.lower() in ARTICLE_SUFFIXES]
    for item in inputs or [str(sample_events_path())]:
        if item in articles:
            continue
        try:
            tables.append(read_events(item, format=format, gazetteer=gazetteer))
        except (InputError, OSError) as exc:
            reason = one_line(exc)  # the reader's own errors already name the file
            failures.append(reason if reason.startswith(f"{item}:") else f"{item}: {reason}")
    if articles:
        tables.append(_read_articles(articles, published, gazetteer, failures))
    tables = [t for t in tables if len(t)]
    if not tables:
        from geomap.events import ensure_columns

        empty = gpd.GeoDataFrame({"id": []}, geometry=gpd.GeoSeries([], crs=4326))
        return ensure_columns(empty), failures
    merged = pd.concat(tables, ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=4326), failures


def _read_articles(
    paths: list[str],
    published: str | None,
    gazetteer: GazetteerLike | None,
    failures: list[str],
) -> gpd.GeoDataFrame:
    """Events extracted from news articles; failures are appended to ``failures``."""
    from geomap.extract import extract_from_files

    return extract_from_files(paths, published=published, gazetteer=gazetteer, failures=failures)


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
        raise InputError(f"{name}: cannot read as {fmt} ({one_line(exc)})") from None


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
    except (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zlib.error,
            zipfile.BadZipFile) as exc:  # fmt: skip
        raise InputError(f"{name}: damaged archive ({one_line(exc)})") from None
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


def _normalise_format(format: str | None) -> str | None:
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


def _stage_text(text: str, name: str, format: str | None) -> pd.DataFrame:
    fmt = _normalise_format(format) or _detect(text, name)
    if fmt == "geojson":
        return _stage_json(text, name)
    if fmt == "jsonl":
        return _stage_records(_parse_jsonl(text, name))
    if fmt == "gdelt":
        return _stage_gdelt(text, name)
    raw = _parse_csv(text, name)
    return stage_frame(raw, None if fmt == "table" else fmt, name)


# ============================================================================ CSV and GDELT


#: Longest CSV cell read (the csv module's default, 128 KiB, refuses long article texts).
_FIELD_LIMIT: Final = 1 << 30


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_rows(
    text: str, name: str, delimiter: str, quoting: Literal[0, 1, 2, 3]
) -> list[list[str]]:
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    total = text.count("\n")
    rows: list[list[str]] = []
    try:
        for row in progress(reader, total=total, desc=f"reading {Path(name).name}"):
            if row and any(cell.strip() for cell in row):
                rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{name}: line {reader.line_num}: {one_line(exc)}") from None
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

    rows = _csv_rows(text.lstrip("\ufeff"), name, _sniff_delimiter(text), csv.QUOTE_MINIMAL)
    if not rows:
        raise InputError(f"{name}: empty file, no header row")
    return _csv_frame(_csv_header(rows[0], name), rows[1:])


def _csv_header(row: list[str], name: str) -> list[str]:
    header = [cell.strip().lstrip("\ufeff") for cell in row]
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        raise InputError(f"{name}: duplicate column(s): {', '.join(duplicates)}")
    return header


def _csv_frame(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    import pandas as pd

    body, problems = _fit_rows(rows, len(header), "CSV")
    frame: pd.DataFrame = pd.DataFrame(body, columns=header, dtype=object)
    frame["_problem"] = problems
    return frame


# ============================================================================ streaming


def read_events_chunks(
    path: str | os.PathLike[str],
    *,
    chunk_rows: int = 100_000,
    gazetteer: GazetteerLike | None = None,
) -> Iterator[gpd.GeoDataFrame]:
    """Read a plain CSV event table ``chunk_rows`` rows at a time, in constant memory.

    The chunks are what :func:`read_events` returns for the whole file, cut
    into pieces (generated ids stay unique across chunks). Only plain,
    uncompressed CSV tables are streamed; anything else raises InputError
    (see :func:`can_stream`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = path.write_text("lon,lat\\n45,36\\n45.1,36\\n45.2,36\\n", encoding="utf-8")
    >>> [len(chunk) for chunk in read_events_chunks(path, chunk_rows=2)]
    [2, 1]
    """
    if chunk_rows < 1:
        raise InputError(f"chunk_rows must be at least 1, not {chunk_rows}")
    name = str(path)
    if not can_stream(path):
        raise InputError(f"{name}: only a plain CSV table can be read in chunks")
    seen: dict[str, int] = {}
    with _open_text(Path(path), name) as stream:
        reader = csv.reader(stream, delimiter=_sniff_delimiter(stream.readline()))
        stream.seek(0)
        csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
        header: list[str] | None = None
        rows: list[list[str]] = []
        start = 1
        try:
            for row in reader:
                if "\x00" in "".join(row):
                    raise InputError(f"{name}: line {reader.line_num}: contains NUL characters")
                if not row or not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = _csv_header(row, name)
                    continue
                rows.append(row)
                if len(rows) == chunk_rows:
                    yield _chunk(header, rows, name, start, gazetteer, seen)
                    start, rows = start + len(rows), []
        except csv.Error as exc:
            raise InputError(f"{name}: line {reader.line_num}: {one_line(exc)}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: cannot decode the text ({one_line(exc)})") from None
    if header is None:
        raise InputError(f"{name}: empty file, no header row")
    if rows or start == 1:
        yield _chunk(header, rows, name, start, gazetteer, seen)


def can_stream(path: str | os.PathLike[str]) -> bool:
    """Whether :func:`read_events_chunks` can read ``path``: a plain CSV table (not GDELT).

    Examples
    --------
    >>> can_stream(sample_events_path()), can_stream("no-such-file.csv")
    (True, False)
    """
    target = Path(path)
    if target.suffix.lower() not in (".csv", ".tsv") or not target.is_file():
        return False
    with target.open("rb") as stream:
        head = stream.read(64 * 1024)
    if head[:2] == b"\x1f\x8b" or head[:4] == b"PK\x03\x04":
        return False
    for bom, codec in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            first = head.decode(codec, errors="replace")
            break
    else:
        first = head.decode("utf-8", errors="replace")
    return _detect(first.split("\n", 1)[0], target.name) == "table"


def _open_text(path: Path, name: str) -> IO[str]:
    """The file as text: UTF-8/16/32 by BOM, UTF-8 if it all decodes, else cp1252."""
    with path.open("rb") as stream:
        head = stream.read(4)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return path.open(encoding=codec if codec != "utf-8" else "utf-8-sig", newline="")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as stream:
            while block := stream.read(1 << 24):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        logger.info("%s: not UTF-8, read as cp1252", name)
        return path.open(encoding="cp1252", newline="")
    return path.open(encoding="utf-8", newline="")


def _chunk(
    header: list[str],
    rows: list[list[str]],
    name: str,
    start: int,
    gazetteer: GazetteerLike | None,
    seen: dict[str, int],
) -> gpd.GeoDataFrame:
    """One chunk as an event table; ``start`` numbers its first data row (from 1)."""
    name = f"{name} rows {start}-{start + len(rows) - 1}"
    staged = stage_frame(_csv_frame(header, rows), None, name)
    return finish(staged, name, gazetteer, ids_seen=seen)


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
            records.append({"_problem": f"line {number}: invalid JSON ({one_line(exc)})"})
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
        raise InputError(f"{name}: invalid JSON ({one_line(exc)})") from None
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
    staged = stage_frame(raw, None, has_geometry=geojson is not None)
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
        if problem is not None:
            staged.at[label, "_problem"] = problem


def _shape_from_geojson(value: Any) -> tuple[Any, str | None]:
    from shapely.geometry import shape

    kind = value.get("type") if isinstance(value, dict) else type(value).__name__
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises many types for malformed GeoJSON
        return None, f"invalid {kind} geometry ({one_line(exc)})"
    return geometry, None
