"""Turn staged rows into the event table: coordinates checked, places located, columns normalised.

:mod:`geomap.readers` parses each format into a *staged* frame: the base
columns as the input gives them, raw coordinates in ``_lon``/``_lat``, shapes in
``_shape`` and row problems found while parsing in ``_problem``.
:func:`finish` validates and normalises it into the event table.

Examples
--------
>>> parse_date("2 Oct 2017")
('2017-10-02', 'day')
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import warnings
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, Protocol

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

__all__ = ["MONTHS", "GazetteerLike", "finish", "one_line", "parse_date", "short", "stage_frame"]

_COORDINATE_PAIRS: Final = (("lon", "lat"), ("longitude", "latitude"), ("lng", "lat"),
                            ("long", "lat"), ("x", "y"))  # fmt: skip
_KNOWN_COLUMNS: Final = frozenset(
    {*BASE_COLUMNS, *(c for pair in _COORDINATE_PAIRS for c in pair), "source", "outlet", "url",
     "quote", "geometry"}
)  # fmt: skip
_FLOAT_COLUMNS: Final = ("distance_m", "nearest_crossing_m", "stated_distance_m", "fatalities")
_BOOL_COLUMNS: Final = ("band_certain", "in_krg")
_TEXT_CLASSIFIED: Final = ("band", "segment", "side", "nearest_crossing")
_MISSING: Final = "\x00missing"  # internal marker: no coordinates given (may be geocoded)


class GazetteerLike(Protocol):
    """What :func:`read_events` needs of a gazetteer: ``resolve(name, context=...)``."""

    def resolve(self, name: str, *, context: str | None = ...) -> Match | None:
        """Resolve a place name to a :class:`~gazetteer.sites.Match` or ``None``."""
        ...


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


# ============================================================================ staging tables


def _canonical_columns(raw: pd.DataFrame) -> pd.DataFrame:
    """Lower-case the names of known columns; refuse duplicates."""
    renamed = {c: str(c).strip().lower() for c in raw.columns}
    renamed = {c: low if low in _KNOWN_COLUMNS else str(c).strip() for c, low in renamed.items()}
    names = list(renamed.values())
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError(f"duplicate column(s): {', '.join(duplicates)}")
    renamed_frame: pd.DataFrame = raw.rename(columns=renamed)
    return renamed_frame


def _detect_dataset(columns: set[str]) -> str | None:
    lowered = {c.lower() for c in columns}
    if lowered >= ds.ACLED_COLUMNS:
        return "acled"
    if lowered >= ds.UCDP_COLUMNS:
        return "ucdp"
    return None


def stage_frame(
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
        msg = (
            f"{name}: no coordinate columns (lon/lat, longitude/latitude, x/y) and no place column"
        )
        raise InputError(msg)
    empty = pd.Series([None] * len(raw), index=raw.index, dtype=object)

    def col(column: str) -> pd.Series:
        return raw[column] if column in columns else empty

    staged: pd.DataFrame = pd.DataFrame(index=raw.index)
    for column in ("id", "date", "date_precision", "event_type", "place", "site", "description",
                   "location_source", "uncertainty_m"):  # fmt: skip
        staged[column] = col(column)
    staged["actors"] = col("actors").map(ds.split_list)
    staged["sources"] = pd.Series(_generic_sources(raw, columns), index=raw.index, dtype=object)
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
    for o, u, q in zip(outlets, urls, quotes, strict=True):
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
        with contextlib.suppress(ValueError):
            value = json.loads(value)
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
    if column in _TEXT_CLASSIFIED:
        return values.map(ds.clean_text)  # an empty cell is a missing value, not ""
    return values


def _apply_shapes(staged: pd.DataFrame, shapes: pd.Series) -> None:
    """Points give ``_lon``/``_lat``; other (and empty) shapes go to ``_shape``.

    Vectorised: a per-row ``.loc`` assignment cost ~25 ms a row under pandas 3.
    """
    import numpy as np
    import shapely

    geoms = np.asarray(shapes, dtype=object)
    present = ~shapely.is_missing(geoms)
    point = present & (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    other = present & ~point
    if point.any():
        for column, values in (("_lon", shapely.get_x(geoms[point])),
                               ("_lat", shapely.get_y(geoms[point]))):  # fmt: skip
            filled = staged[column].to_numpy(dtype=object, copy=True)
            filled[point] = values.tolist()
            staged[column] = filled
    if other.any():
        filled = staged["_shape"].to_numpy(dtype=object, copy=True)
        filled[other] = geoms[other]
        staged["_shape"] = filled


# ============================================================================ finishing


def finish(
    staged: pd.DataFrame,
    name: str,
    gazetteer: GazetteerLike | None,
    *,
    ids_seen: dict[str, int] | None = None,
) -> gpd.GeoDataFrame:
    """Validate coordinates, locate places, normalise columns, build the GeoDataFrame.

    ``ids_seen`` carries the generated ids over from earlier chunks of the same input.
    """
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
        "site": [s if ok else None for s, ok in zip(site, located, strict=True)],
        "location_source": [s if ok else None for s, ok in zip(source, located, strict=True)],
        "uncertainty_m": uncertainty,
        "description": [ds.clean_text(v) for v in staged["description"]],
        "sources": [_sources_value(v) for v in staged["sources"]],
        "problem": problems,
    }
    out = pd.DataFrame({k: _objects(v, len(staged)) for k, v in columns.items()})
    out["uncertainty_m"] = out["uncertainty_m"].astype(float)
    _set_dates(out, staged, name)
    out["id"] = _objects(_ids(staged["id"], out, ids_seen), len(out))
    extras = [c for c in staged.columns if c not in out.columns and not c.startswith("_")]
    for column in extras:
        values = staged[column]
        out[column] = (
            values.to_numpy() if values.dtype.kind in "fiub" else _objects(values, len(out))
        )
    events = gpd.GeoDataFrame(out, geometry=points, crs="EPSG:4326")
    _warn_unlocated(events, name)
    return events


def _objects(values: Any, n: int) -> pd.Series:
    """An object column with ``None`` for missing values (never pandas' NaN strings)."""
    import pandas as pd

    if values is None or isinstance(values, str):
        return pd.Series([values] * n, dtype=object)
    items = list(values)
    series: pd.Series = pd.Series(items, dtype=object)
    nan = [isinstance(v, float) and v != v for v in items]
    if any(nan):
        series[nan] = None
    return series


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
    problems: list[Any] = [ds.clean_text(p) for p in preset]
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
            return f"{axis} {short(raw)!r} is not a number"
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
    for i, context in progress(
        list(zip(wanted, contexts, strict=True)), desc="locating places", unit="places"
    ):
        place = places[i]
        assert place is not None
        if gaz is None:
            problems[i] = f"no coordinates; place {short(place)!r} not looked up ({why})"
            continue
        key = (place, context)
        if key not in cache:
            cache[key] = _resolve(gaz, place, context)
        match, error = cache[key]
        if match is None or not match.site.is_located:
            problems[i] = error or f"no coordinates and place {short(place)!r} not found"
            continue
        lon[i], lat[i] = float(match.site.lon), float(match.site.lat)  # type: ignore[arg-type]
        problems[i], source[i], site[i] = None, match.layer, match.site.key
        unc[i] = max(float(match.uncertainty_m), float(match.site.uncertainty_m))


def _resolve(
    gaz: GazetteerLike, place: str, context: str | None
) -> tuple[Match | None, str | None]:
    try:
        match = gaz.resolve(place, context=context)
    except (LookupError, ValueError, RuntimeError, OSError) as exc:
        return None, f"no coordinates; place {short(place)!r} not resolved ({one_line(exc)})"
    if match is not None and not match.site.is_located:
        return None, f"no coordinates; place {short(place)!r} is site {match.site.key!r}, unlocated"
    return match, None


def _default_gazetteer() -> tuple[GazetteerLike | None, str]:
    try:
        from gazetteer import Gazetteer  # type: ignore[attr-defined,unused-ignore]

        return Gazetteer(), ""
    except (ImportError, OSError, ValueError) as exc:
        return None, f"no gazetteer available: {one_line(exc)}"


def _points(lon: list[float], lat: list[float], located: list[bool]) -> Any:
    import numpy as np
    import shapely

    points: Any = shapely.points(np.array(lon, dtype=float), np.array(lat, dtype=float))
    keep = np.array(located, dtype=bool)
    result = np.empty(len(points), dtype=object)
    result[keep] = points[keep]
    return result


def _set_dates(out: pd.DataFrame, staged: pd.DataFrame, name: str) -> None:
    dates: list[str | None] = []
    precisions: list[str | None] = []
    unreadable = []
    for value, stated in zip(staged["date"], staged["date_precision"], strict=True):
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
               f"e.g. {short(unreadable[0])!r}")  # fmt: skip
        warnings.warn(msg, GeomapWarning, stacklevel=4)


def _ids(given: pd.Series, out: pd.DataFrame, seen: dict[str, int] | None = None) -> list[str]:
    """The input's id, else a hash of outlet, place, date and type (made unique by -2, -3)."""
    ids: list[str] = []
    seen = {} if seen is None else seen
    for value, sources, place, day, etype in zip(
        given, out["sources"], out["place"], out["date"], out["event_type"], strict=False
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

#: Month names and abbreviations (lower case) -> month number; shared with the extractor.
MONTHS: Final = {
    m: i + 1
    for i, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        )
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
    elif (m := _TEXT_DMY.fullmatch(text)) and m[2].lower() in MONTHS:
        parts = int(m[3]), MONTHS[m[2].lower()], int(m[1])
    elif (m := _TEXT_MDY.fullmatch(text)) and m[1].lower() in MONTHS:
        parts = int(m[3]), MONTHS[m[1].lower()], int(m[2])
    elif (m := _TEXT_MY.fullmatch(text)) and m[1].lower() in MONTHS:
        parts, precision = (int(m[2]), MONTHS[m[1].lower()], 1), "month"
    if parts is None:
        raise ValueError(f"unreadable date: {text!r}")
    return date(*parts).isoformat(), precision


def short(value: object, limit: int = 40) -> str:
    text = str(value).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
