"""Write event tables and frontier layers: GeoJSON, CSV, GeoPackage, GeoParquet.

The format follows the extension (or ``driver=``): ``.geojson``/``.json``
GeoJSON, ``.csv`` CSV, ``.gpkg`` GeoPackage, ``.parquet``/``.geoparquet``
GeoParquet; ``"-"`` writes GeoJSON to standard output.

* GeoJSON is RFC 7946: WGS84 longitude/latitude, no ``crs`` member, coordinates
  rounded to 7 decimals (about 1 cm), polygon exteriors counter-clockwise and
  holes clockwise; list and dict columns stay JSON arrays and objects, missing
  values and NaN become ``null``.
* CSV has ``lon``/``lat`` columns (7 decimals) instead of a geometry; list and
  dict columns are written as JSON text, which :func:`geomap.read_events` reads back.
* GeoPackage has one layer per table (``events``, and e.g. ``frontier``,
  ``bands``, ``region``, ``crossings``); list and dict columns as JSON text.
* GeoParquet keeps lists and dicts as nested Arrow types.

Every file is written to a temporary file in the target directory, flushed to
disk and renamed over the target (``os.replace``): a failed or killed write
leaves the old file as it was. A target that is a symbolic link pointing outside
its own directory is refused unless ``force=True``.

Examples
--------
>>> import tempfile, json, pathlib, geopandas as gpd
>>> from shapely.geometry import Point
>>> events = gpd.GeoDataFrame({"id": ["a"], "actors": [["Iran", "Iraq"]]},
...                           geometry=[Point(45.123456789, 35.5)], crs=4326)
>>> out = pathlib.Path(tempfile.mkdtemp()) / "events.geojson"
>>> write(events, out)
>>> feature = json.loads(out.read_text())["features"][0]
>>> feature["geometry"]["coordinates"], feature["properties"]["actors"]
([45.1234568, 35.5], ['Iran', 'Iraq'])
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from geomap.errors import OutputError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["DRIVERS", "PRECISION", "write", "write_chunks", "write_layers"]

#: Output drivers and the extensions that select them.
DRIVERS: Final[dict[str, tuple[str, ...]]] = {
    "GeoJSON": (".geojson", ".json"),
    "CSV": (".csv",),
    "GPKG": (".gpkg",),
    "Parquet": (".parquet", ".geoparquet"),
}
#: Decimals kept in written coordinates (1e-7 degrees is about 1 cm).
PRECISION: Final = 7

_DRIVER_NAMES: Final = {name.lower(): name for name in DRIVERS} | {
    "json": "GeoJSON",
    "geoparquet": "Parquet",
    "geopackage": "GPKG",
}


# ============================================================================ public API


def write(
    events: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    driver: str | None = None,
    layers: Mapping[str, gpd.GeoDataFrame] | None = None,
    force: bool = False,
) -> None:
    """Write an event table (and optional extra layers) to ``path``; ``"-"`` is stdout.

    Parameters
    ----------
    events : GeoDataFrame
        The event table (any CRS; written as WGS84 longitude/latitude).
    path : path or "-"
        Target file; ``"-"`` writes GeoJSON to standard output.
    driver : {"GeoJSON", "CSV", "GPKG", "Parquet"}, optional
        Overrides the extension.
    layers : mapping of name to GeoDataFrame, optional
        Extra layers beside ``events`` (e.g. ``frontier``, ``bands``, ``region``,
        ``crossings``): GeoPackage layers, or features with a ``layer`` property
        in GeoJSON. CSV and GeoParquet hold one table only.
    force : bool
        Write through a symbolic link that points outside the target directory.

    Raises
    ------
    OutputError
        Unknown format, missing directory, refused symlink, or a failed write.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd, pyogrio
    >>> from shapely.geometry import Point, box
    >>> events = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(45, 35)], crs=4326)
    >>> region = gpd.GeoDataFrame({"name": ["r"]}, geometry=[box(44, 34, 46, 37)], crs=4326)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "events.gpkg"
    >>> write(events, out, layers={"region": region})
    >>> [name for name, _ in pyogrio.list_layers(out)]
    ['events', 'region']
    """
    if layers:
        write_layers(path, {"events": events, **layers}, driver=driver, force=force)
        return
    if _is_stdout(path):
        _geojson_to_stream({"events": events}, sys.stdout, layer_property=False)
        return
    target = Path(path)
    kind = _driver(target, driver)
    writer = {"GeoJSON": _write_geojson, "CSV": _write_csv, "GPKG": _write_gpkg,
              "Parquet": _write_parquet}[kind]  # fmt: skip
    with _atomic(target, force=force) as temporary:
        writer({"events": events}, temporary)


def write_layers(
    path: str | os.PathLike[str],
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    driver: str | None = None,
    force: bool = False,
) -> None:
    """Write several named layers: GPKG layers, or one GeoJSON FeatureCollection.

    In GeoJSON every feature gets a ``layer`` property naming its layer, so a
    single file holds e.g. the frontier segments, band polygons, region and
    crossings.

    Examples
    --------
    >>> import tempfile, json, pathlib, geopandas as gpd
    >>> from shapely.geometry import LineString, Point
    >>> line = gpd.GeoDataFrame({"segment": ["TR-KRG"]},
    ...                         geometry=[LineString([(42.4, 37.1), (44.8, 37.3)])], crs=4326)
    >>> gate = gpd.GeoDataFrame({"key": ["ibrahim_khalil"]},
    ...                         geometry=[Point(42.57, 37.14)], crs=4326)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "frontier.geojson"
    >>> write_layers(out, {"frontier": line, "crossings": gate})
    >>> [f["properties"]["layer"] for f in json.loads(out.read_text())["features"]]
    ['frontier', 'crossings']
    """
    if not layers:
        raise OutputError("no layers to write")
    if _is_stdout(path):
        _geojson_to_stream(layers, sys.stdout, layer_property=True)
        return
    target = Path(path)
    kind = _driver(target, driver)
    if kind not in ("GeoJSON", "GPKG"):
        raise OutputError(f"{target}: several layers need a GeoPackage (.gpkg) or GeoJSON file")
    with _atomic(target, force=force) as temporary:
        if kind == "GPKG":
            _write_gpkg(layers, temporary)
        else:
            _write_geojson(layers, temporary, layer_property=True)


def write_chunks(
    chunks: Iterable[gpd.GeoDataFrame],
    path: str | os.PathLike[str],
    *,
    driver: str | None = None,
    force: bool = False,
) -> int:
    """Write an event table that arrives in chunks (GeoJSON, CSV or GPKG); the row count.

    The file is the one :func:`write` would make of the chunks put together
    (every chunk has the first chunk's columns), written in constant memory and
    as atomically: nothing replaces the target unless every chunk was written.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd
    >>> from shapely.geometry import Point
    >>> parts = [gpd.GeoDataFrame({"id": [k]}, geometry=[Point(45, 35)], crs=4326) for k in "ab"]
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> write_chunks(parts, out)
    2
    >>> out.read_text().splitlines()
    ['id,lon,lat', 'a,45.0,35.0', 'b,45.0,35.0']
    """
    if _is_stdout(path):
        return _chunks_to_geojson(chunks, sys.stdout)
    target = Path(path)
    kind = _driver(target, driver)
    if kind == "Parquet":
        raise OutputError(
            f"{target}: GeoParquet cannot be written in chunks; use CSV, GeoJSON or GPKG"
        )
    with _atomic(target, force=force) as temporary:
        if kind == "GeoJSON":
            with temporary.open("w", encoding="utf-8", newline="\n") as stream:
                return _chunks_to_geojson(chunks, stream)
        rows = 0
        columns: list[str] | None = None
        for chunk in chunks:
            columns = list(chunk.columns) if columns is None else columns
            part = chunk.reindex(columns=columns)
            if kind == "CSV":
                _write_csv({"events": part}, temporary, append=rows > 0)
            else:
                _write_gpkg({"events": part}, temporary)
            rows += len(part)
        if columns is None:
            raise OutputError(f"{target}: no chunks to write")
        return rows


def _chunks_to_geojson(chunks: Iterable[gpd.GeoDataFrame], stream: IO[str]) -> int:
    rows = 0
    columns: list[str] | None = None
    stream.write('{"type": "FeatureCollection", "features": [')
    for chunk in chunks:
        columns = list(chunk.columns) if columns is None else columns
        for feature in _features(chunk.reindex(columns=columns), None):
            stream.write("\n" if rows == 0 else ",\n")
            stream.write(json.dumps(feature, ensure_ascii=False, allow_nan=False))
            rows += 1
    stream.write("\n]}\n")
    stream.flush()
    return rows


# ============================================================================ targets


def _is_stdout(path: object) -> bool:
    return isinstance(path, str) and path == "-"


def _driver(target: Path, driver: str | None) -> str:
    if driver is not None:
        name = _DRIVER_NAMES.get(driver.strip().lower())
        if name is None:
            raise OutputError(f"unknown driver {driver!r}; use one of {', '.join(DRIVERS)}")
        return name
    suffix = target.suffix.lower()
    for name, suffixes in DRIVERS.items():
        if suffix in suffixes:
            return name
    known = ", ".join(s for suffixes in DRIVERS.values() for s in suffixes)
    raise OutputError(
        f"{target}: cannot tell the format from {suffix or 'no extension'!r}; use {known}"
    )


def _resolve_target(path: Path, *, force: bool) -> Path:
    """The file to replace: a symlink's target, if it stays in the link's directory."""
    directory = path.parent.resolve()
    if not directory.is_dir():
        raise OutputError(f"{path}: directory {path.parent} does not exist")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if not path.is_symlink():
        return directory / path.name
    real = path.resolve()
    if real.parent != directory and not force:
        msg = (f"{path}: is a symbolic link to {real}, outside {directory}; "
               "use --force (force=True) to write through it")  # fmt: skip
        raise OutputError(msg)
    if not real.parent.is_dir():
        raise OutputError(f"{path}: links to {real}, whose directory does not exist")
    return real


@contextlib.contextmanager
def _atomic(path: Path, *, force: bool) -> Iterator[Path]:
    """Yield a temporary path beside the target; on success fsync and rename it over."""
    target = _resolve_target(path, force=force)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()  # writers create the file themselves (GDAL refuses an empty GPKG)
    try:
        yield temporary
        if not temporary.exists():
            raise OutputError(f"{path}: the writer produced no file")
        _settle(temporary, target)
        temporary.replace(target)
        _sync_directory(target.parent)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        for leftover in (
            temporary,
            *(Path(f"{temporary}{s}") for s in ("-wal", "-shm", "-journal")),
        ):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _settle(temporary: Path, target: Path) -> None:
    """Give the new file the old file's mode (or the umask's) and flush it to disk."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    temporary.chmod(mode)
    with temporary.open("rb+") as stream:
        os.fsync(stream.fileno())


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


# ============================================================================ values


def _wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        return frame.to_crs(4326)
    return frame


def _json_value(value: Any) -> Any:
    """A cell as a JSON value: NaN and missing to None, numpy to Python, nested kept."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, (datetime, date)):
        return None if value != value else value.isoformat()  # NaT compares unequal
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _json_value(value.tolist())
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _json_text(value: Any) -> str | None:
    """A cell as JSON text (None stays None); empty lists and lists of strings directly."""
    if value is None:
        return None
    if type(value) is list and all(type(v) is str for v in value):
        return json.dumps(value, ensure_ascii=False) if value else "[]"
    return json.dumps(_json_value(value), ensure_ascii=False)


def _rounded(geometries: Any) -> Any:
    """Geometries with coordinates rounded to PRECISION, polygons oriented per RFC 7946."""
    import numpy as np
    import shapely

    values = np.asarray(geometries, dtype=object)
    rounded = shapely.transform(values, lambda xy: np.round(xy, PRECISION))
    return shapely.orient_polygons(rounded, exterior_cw=False)


def _text_cells(frame: Any) -> Any:
    """Object columns holding lists, dicts or mixed values as JSON text (for CSV/GPKG)."""
    out = frame.copy()
    for column in out.columns:
        if column == getattr(out, "_geometry_column_name", None) or out[column].dtype != object:
            continue
        values = out[column]
        kinds = set(map(type, values))  # one cheap pass; the checks below look at types only
        if any(issubclass(k, (list, tuple, dict)) or hasattr(k, "tolist") for k in kinds):
            out[column] = [_json_text(v) for v in values]
        elif kinds <= {type(None), bool} and values.notna().any():
            out[column] = values.astype("boolean")
    return out


# ============================================================================ GeoJSON


def _features(frame: gpd.GeoDataFrame, layer: str | None) -> Iterator[dict[str, Any]]:
    from shapely.geometry import mapping

    frame = _wgs84(frame)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    geometries = _rounded(frame.geometry.to_numpy())
    records = frame[columns].itertuples(index=False, name=None)
    for geometry, values in zip(geometries, records, strict=True):
        properties = {} if layer is None else {"layer": layer}
        properties.update((str(c), _json_value(v)) for c, v in zip(columns, values, strict=True))
        shape = None if geometry is None or geometry.is_empty else mapping(geometry)
        yield {"type": "Feature", "properties": properties, "geometry": shape}


def _geojson_to_stream(
    layers: Mapping[str, gpd.GeoDataFrame], stream: IO[str], *, layer_property: bool
) -> None:
    stream.write('{"type": "FeatureCollection", "features": [')
    first = True
    for name, frame in layers.items():
        for feature in _features(frame, name if layer_property else None):
            stream.write("\n" if first else ",\n")
            stream.write(json.dumps(feature, ensure_ascii=False, allow_nan=False))
            first = False
    stream.write("\n]}\n")
    stream.flush()


def _write_geojson(
    layers: Mapping[str, gpd.GeoDataFrame], path: Path, *, layer_property: bool = False
) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        _geojson_to_stream(layers, stream, layer_property=layer_property)


# ============================================================================ CSV, GPKG, Parquet


def _write_csv(layers: Mapping[str, gpd.GeoDataFrame], path: Path, *, append: bool = False) -> None:
    import numpy as np
    import shapely

    frame = _wgs84(layers["events"])
    geometry = frame.geometry.to_numpy()
    kinds = shapely.get_type_id(geometry)
    if ((kinds != 0) & (kinds != -1)).any():
        raise OutputError(f"{path.name}: CSV holds points only; use GeoJSON or GPKG for shapes")
    points = np.array([g is not None and not g.is_empty for g in geometry], dtype=bool)
    lon = np.full(len(frame), np.nan)
    lat = np.full(len(frame), np.nan)
    if points.any():
        lon[points] = np.round(shapely.get_x(geometry[points]), PRECISION)
        lat[points] = np.round(shapely.get_y(geometry[points]), PRECISION)
    table = _text_cells(frame.drop(columns=[frame.geometry.name]))
    position = 1 if "id" in table.columns else 0
    table.insert(position, "lat", lat)
    table.insert(position, "lon", lon)
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format=None,
                 mode="a" if append else "w", header=not append)  # fmt: skip


def _write_gpkg(layers: Mapping[str, gpd.GeoDataFrame], path: Path) -> None:
    import pyogrio

    for name, frame in layers.items():
        table = _text_cells(_wgs84(frame))
        try:
            pyogrio.write_dataframe(table, path, layer=name, driver="GPKG", append=path.exists())
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise OutputError(f"{path.name}: layer {name!r}: {exc}") from None


def _write_parquet(layers: Mapping[str, gpd.GeoDataFrame], path: Path) -> None:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    frame = _wgs84(layers["events"])
    try:
        frame.to_parquet(path, index=False)
    except (pa.ArrowException, TypeError, ValueError):
        path.unlink(missing_ok=True)
        _text_cells(frame).to_parquet(path, index=False)  # nested types Arrow cannot hold
