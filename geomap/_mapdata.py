"""Events -> one compact JSON data layer for the map page.

The page draws every event from a single JSON document instead of one folium
object per event: columns are arrays, strings are dictionary-encoded (a table of
distinct values plus one integer code per event, ``-1`` for null), coordinates
are integers in 1e-5 degrees (about a metre) and dates are day numbers since
1970-01-01. Text stays text here: the page's script only ever puts it into the
document with ``textContent``.

Examples
--------
>>> encode_strings(["a", None, "b", "a"])
{'v': ['a', 'b'], 'c': [0, -1, 1, 0]}
>>> date_ranges(["2017-09-01", "2017-10-02", None], ["month", "day", None])
([17410, 17441, None], [17439, 17441, None])
>>> json_for_script({"text": "</script><b>"})
'{"text":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import geopandas as gpd

    from geomap.frontier import Frontier

__all__ = [
    "COORD_SCALE",
    "date_ranges",
    "encode_strings",
    "events_layer",
    "json_for_script",
    "safe_url",
]

#: Coordinates are stored as integers in units of 1 / COORD_SCALE degrees.
COORD_SCALE: Final = 100_000

_EPOCH_ORDINAL: Final = 719163  # date(1970, 1, 1).toordinal()


def _is_null(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str | None:
    """A cell as display text, or None when null or empty."""
    if _is_null(value):
        return None
    text = str(value).strip()
    return text or None


def encode_strings(values: Iterable[object]) -> dict[str, list[Any]]:
    """Dictionary-encode a column of strings: distinct values and one code per row.

    Examples
    --------
    >>> encode_strings(["x", "x", "", 3])
    {'v': ['x', '3'], 'c': [0, 0, -1, 1]}
    """
    table: dict[str, int] = {}
    codes: list[int] = []
    for value in values:
        text = _text(value)
        if text is None:
            codes.append(-1)
            continue
        codes.append(table.setdefault(text, len(table)))
    return {"v": list(table), "c": codes}


def _day_number(year: int, month: int, day: int) -> int:
    import datetime as dt

    return dt.date(year, month, day).toordinal() - _EPOCH_ORDINAL


def _range(date: object, precision: object) -> tuple[int | None, int | None]:
    import calendar
    import datetime as dt

    text = _text(date)
    if text is None:
        return None, None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None, None
    if precision == "year":
        return _day_number(day.year, 1, 1), _day_number(day.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return _day_number(day.year, day.month, 1), _day_number(day.year, day.month, last)
    number = _day_number(day.year, day.month, day.day)
    return number, number


def date_ranges(
    dates: Sequence[object], precisions: Sequence[object]
) -> tuple[list[int | None], list[int | None]]:
    """First and last day (days since 1970-01-01) each event may have happened on.

    A day-precision event covers its day, a month-precision event its whole
    month, a year-precision event its whole year; undated events get None.

    Examples
    --------
    >>> date_ranges(["2020-02-10"], ["month"])
    ([18293], [18321])
    >>> date_ranges(["2020-02-10"], ["year"])
    ([18262], [18627])
    """
    starts: list[int | None] = []
    ends: list[int | None] = []
    for date, precision in zip(dates, precisions):
        start, end = _range(date, precision)
        starts.append(start)
        ends.append(end)
    return starts, ends


def safe_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never a link).

    Examples
    --------
    >>> safe_url("https://example.org/a?b=1")
    'https://example.org/a?b=1'
    >>> safe_url("javascript:alert(1)") is None, safe_url(" HTTP://x.org") is None
    (True, True)
    """
    if not isinstance(value, str):
        return None
    lowered = value.lower()
    if not (lowered.startswith(("http://", "https://"))) or any(c.isspace() for c in value):
        return None
    return value


def _sources_key(sources: object) -> str | None:
    """One event's sources as a JSON list of [outlet, url-or-null] pairs."""
    if _is_null(sources) or not isinstance(sources, (list, tuple)):
        return None
    pairs = []
    for source in sources:
        if isinstance(source, dict):
            outlet, url = _text(source.get("outlet")), _text(source.get("url"))
        else:
            outlet, url = _text(source), None
        link = safe_url(url)
        label = outlet or url
        if label is not None:
            pairs.append([label, link])
    return json.dumps(pairs, ensure_ascii=False) if pairs else None


def _actors(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        names = [t for t in (_text(v) for v in value) if t]
        return "; ".join(names) or None
    return _text(value)


def _ints(values: Iterable[object], scale: float = 1.0) -> list[int | None]:
    out: list[int | None] = []
    for value in values:
        if _is_null(value):
            out.append(None)
        else:
            out.append(round(float(value) * scale))  # type: ignore[arg-type]
    return out


def _flags(values: Iterable[object]) -> list[int]:
    """Booleans as 1 / 0, null as 2."""
    return [2 if _is_null(v) else int(bool(v)) for v in values]


def _column(events: gpd.GeoDataFrame, name: str) -> list[Any]:
    if name in events.columns:
        return list(events[name])
    return [None] * len(events)


def events_layer(
    events: gpd.GeoDataFrame, types: Sequence[str], frontier: Frontier | None = None
) -> dict[str, Any]:
    """The located events as the page's columnar data layer.

    Parameters
    ----------
    events : GeoDataFrame
        Classified events (EPSG:4326); rows without a point are left out.
    types : sequence of str
        The event types in legend order; ``type`` holds indices into it.
    frontier : Frontier, optional
        Used to show crossing names instead of keys.

    Returns
    -------
    dict
        Arrays of equal length: ``lon``, ``lat`` (integers, 1e-5 degrees),
        ``type``, ``d0``/``d1`` (day range), ``prec``, ``dist`` (m), ``unc`` (m),
        ``cert``/``krg`` (1, 0 or 2 for null), ``xm`` (m), and dictionary-encoded
        text columns ``date``, ``actors``, ``place``, ``site``, ``loc``, ``band``,
        ``seg``, ``side``, ``cross``, ``desc``, ``src``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame(
    ...     {"event_type": ["meeting", "other"], "date": ["2017-10-02", None],
    ...      "description": ["<b>talks</b>", None]},
    ...     geometry=[Point(45.1, 36.2), None], crs=4326)
    >>> layer = events_layer(frame, ["meeting", "other"])
    >>> layer["lon"], layer["lat"], layer["type"], layer["desc"]
    ([4510000], [3620000], [0], {'v': ['<b>talks</b>'], 'c': [0]})
    """
    located = _located(events)
    frame = events[located]
    lon = [p.x for p in frame.geometry]
    lat = [p.y for p in frame.geometry]
    index = {name: i for i, name in enumerate(types)}
    kinds = [index.get(str(t), index.get("other", 0)) for t in _column(frame, "event_type")]
    d0, d1 = date_ranges(_column(frame, "date"), _column(frame, "date_precision"))
    names = _crossing_names(frontier)
    crossings = [names.get(str(k), k) if not _is_null(k) else None
                 for k in _column(frame, "nearest_crossing")]
    return {
        "lon": _ints(lon, COORD_SCALE),
        "lat": _ints(lat, COORD_SCALE),
        "type": kinds,
        "d0": d0,
        "d1": d1,
        "prec": encode_strings(_column(frame, "date_precision")),
        "date": encode_strings(_column(frame, "date")),
        "actors": encode_strings(_actors(v) for v in _column(frame, "actors")),
        "place": encode_strings(_column(frame, "place")),
        "site": encode_strings(_column(frame, "site")),
        "loc": encode_strings(_column(frame, "location_source")),
        "unc": _ints(_column(frame, "uncertainty_m")),
        "dist": _ints(_column(frame, "distance_m")),
        "band": encode_strings(_column(frame, "band")),
        "cert": _flags(_column(frame, "band_certain")),
        "seg": encode_strings(_column(frame, "segment")),
        "side": encode_strings(_column(frame, "side")),
        "krg": _flags(_column(frame, "in_krg")),
        "cross": encode_strings(crossings),
        "xm": _ints(_column(frame, "nearest_crossing_m")),
        "desc": encode_strings(_column(frame, "description")),
        "src": encode_strings(_sources_key(v) for v in _column(frame, "sources")),
    }


def _located(events: gpd.GeoDataFrame) -> Any:
    """Boolean mask of rows with a finite point geometry."""
    import numpy as np
    import shapely

    geoms = events.geometry.array
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    ok &= shapely.get_type_id(geoms) == 0
    xy = np.full((len(events), 2), np.nan)
    xy[ok] = shapely.get_coordinates(geoms[ok])
    return ok & np.isfinite(xy).all(axis=1)


def _crossing_names(frontier: Frontier | None) -> dict[str, str]:
    if frontier is None or "key" not in frontier.crossings.columns:
        return {}
    return {
        str(k): str(n)
        for k, n in zip(frontier.crossings["key"], frontier.crossings["name"])
        if not _is_null(k) and not _is_null(n)
    }


def located_count(events: gpd.GeoDataFrame) -> int:
    """How many events have a usable point.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> located_count(gpd.GeoDataFrame(geometry=[Point(1, 2), None], crs=4326))
    1
    """
    return int(_located(events).sum())


def json_for_script(data: object) -> str:
    """JSON that is safe as the content of a ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes (valid JSON, decoded by
    ``JSON.parse``), so no input text can close the script element or open a comment.

    Examples
    --------
    >>> json_for_script(["`${x}`\\\\", "a&b"])
    '["`${x}`\\\\\\\\","a\\\\u0026b"]'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
