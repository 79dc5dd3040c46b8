"""Events -> one compact JSON data layer for the map page.

The page draws every event from a single JSON document instead of one folium
object per event. Columns are packed: integers (coordinates in 1e-5 degrees,
day numbers since 1970-01-01, metres, codes) are written as fixed-width numbers
in base 88 inside one string per column (:func:`pack_ints`; 0 means null), and
strings are dictionary-encoded (distinct values plus a packed code per event).
Text stays text here: the page's script only ever puts it into the document
with ``textContent``.

Examples
--------
>>> encode_strings(["a", None, "b", "a"])
{'v': ['a', 'b'], 'c': {'p': '$#%$', 'w': 1, 'o': 0}}
>>> unpack_ints(encode_strings(["a", None, "b", "a"])["c"], 4)
[0, None, 1, 0]
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
    """None, NaN, pandas NA/NaT (lists and dicts are values)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def _text(value: object) -> str | None:
    """A cell as display text, or None when null or empty."""
    if _is_null(value):
        return None
    text = str(value).strip()
    return text or None


#: Digits of the packed integer columns: printable ASCII without the characters
#: JSON or the HTML escaping of the data block would lengthen (``"``, ``&``, ``<``,
#: ``>``, backslash).
ALPHABET: Final = "".join(chr(c) for c in range(35, 127) if c not in (38, 60, 62, 92))
_BASE: Final = len(ALPHABET)


def pack_ints(values: Sequence[int | None]) -> dict[str, Any]:
    """Integers (None for null) as one string of fixed-width base-88 numbers.

    Each value is stored as ``value - offset + 1`` in ``w`` digits; 0 is null. A
    column of one repeated value is stored as that value (``k``).

    Examples
    --------
    >>> pack_ints([5, None, 7])
    {'p': "$#'", 'w': 1, 'o': 5}
    >>> pack_ints([3, 3]), pack_ints([None])
    ({'k': 3}, {'k': None})
    >>> unpack_ints(pack_ints([-4500000, 0, None, 4500000]), 4)
    [-4500000, 0, None, 4500000]
    """
    present = [v for v in values if v is not None]
    if len(set(values)) <= 1:
        return {"k": values[0] if values else None}
    offset = min(present)
    span = max(present) - offset + 2
    width = 1
    while _BASE**width < span:
        width += 1
    digits = []
    for value in values:
        number = 0 if value is None else value - offset + 1
        chunk = []
        for _ in range(width):
            number, digit = divmod(number, _BASE)
            chunk.append(ALPHABET[digit])
        digits.append("".join(reversed(chunk)))
    return {"p": "".join(digits), "w": width, "o": offset}


def unpack_ints(packed: dict[str, Any], n: int) -> list[int | None]:
    """Inverse of :func:`pack_ints` (what the page's script does).

    Examples
    --------
    >>> unpack_ints({"k": 2}, 3)
    [2, 2, 2]
    """
    if "k" in packed:
        return [packed["k"]] * n
    width, offset, text = packed["w"], packed["o"], packed["p"]
    out: list[int | None] = []
    for i in range(n):
        number = 0
        for char in text[i * width : (i + 1) * width]:
            number = number * _BASE + ALPHABET.index(char)
        out.append(None if number == 0 else number - 1 + offset)
    return out


def encode_strings(values: Iterable[object]) -> dict[str, Any]:
    """Dictionary-encode a column of strings: distinct values and packed codes.

    Examples
    --------
    >>> column = encode_strings(["x", "x", "", 3])
    >>> column["v"], unpack_ints(column["c"], 4)
    (['x', '3'], [0, 0, None, 1])
    """
    table: dict[str, int] = {}
    codes: list[int | None] = []
    for value in values:
        text = _text(value)
        if text is None:
            codes.append(None)
            continue
        codes.append(table.setdefault(text, len(table)))
    return {"v": list(table), "c": pack_ints(codes)}


def _encode_values(values: Iterable[Any]) -> dict[str, Any]:
    """Dictionary-encode JSON values (lists) by their JSON text; null stays null."""
    table: dict[str, int] = {}
    distinct: list[Any] = []
    codes: list[int | None] = []
    for value in values:
        if value is None:
            codes.append(None)
            continue
        key = json.dumps(value, ensure_ascii=False)
        if key not in table:
            table[key] = len(distinct)
            distinct.append(value)
        codes.append(table[key])
    return {"v": distinct, "c": pack_ints(codes)}


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
    for date, precision in zip(dates, precisions, strict=True):
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


def _sources_pairs(sources: object) -> list[list[str | None]] | None:
    """One event's sources as [outlet, url-or-null] pairs; a URL only if http(s)."""
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
    return pairs or None


def _actors(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        names = [t for t in (_text(v) for v in value) if t]
        return "; ".join(names) or None
    return _text(value)


def _ints(values: Iterable[object], scale: float = 1.0) -> dict[str, Any]:
    out: list[int | None] = []
    for value in values:
        if _is_null(value):
            out.append(None)
        else:
            number = float(value)  # type: ignore[arg-type]
            out.append(round(number * scale) if math.isfinite(number) else None)
    return pack_ints(out)


def _flags(values: Iterable[object]) -> dict[str, Any]:
    """Booleans as 1 / 0, null as null."""
    return pack_ints([None if _is_null(v) else int(bool(v)) for v in values])


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
        ``n`` events; packed integer columns (:func:`pack_ints`) ``lon``, ``lat``
        (1e-5 degrees), ``type`` (index into ``types``), ``d0`` (first possible
        day; the page derives the last from ``prec``), ``dist``, ``unc``, ``xm``
        (metres), ``cert``/``krg`` (1 or 0); dictionary-encoded text columns
        ``prec``, ``actors``, ``place``, ``site``, ``loc``, ``band``, ``seg``,
        ``side``, ``cross``, ``desc``; and ``src``, the distinct lists of
        [outlet, http(s) URL or null] pairs with a packed code per event.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame(
    ...     {"event_type": ["meeting", "other"], "date": ["2017-10-02", None],
    ...      "description": ["<b>talks</b>", None]},
    ...     geometry=[Point(45.1, 36.2), None], crs=4326)
    >>> layer = events_layer(frame, ["meeting", "other"])
    >>> layer["n"], layer["lon"], layer["lat"], layer["type"], layer["desc"]["v"]
    (1, {'k': 4510000}, {'k': 3620000}, {'k': 0}, ['<b>talks</b>'])
    """
    located = _located(events)
    frame = events[located]
    lon = [p.x for p in frame.geometry]
    lat = [p.y for p in frame.geometry]
    index = {name: i for i, name in enumerate(types)}
    kinds = [index.get(str(t), index.get("other", 0)) for t in _column(frame, "event_type")]
    d0, _ = date_ranges(_column(frame, "date"), _column(frame, "date_precision"))
    names = _crossing_names(frontier)
    crossings = [
        names.get(str(k), k) if not _is_null(k) else None
        for k in _column(frame, "nearest_crossing")
    ]
    return {
        "n": len(frame),
        "lon": _ints(lon, COORD_SCALE),
        "lat": _ints(lat, COORD_SCALE),
        "type": pack_ints(kinds),
        "d0": pack_ints(d0),
        "prec": encode_strings(_column(frame, "date_precision")),
        "actors": encode_strings(_actors(v) for v in _column(frame, "actors")),
        "place": encode_strings(_column(frame, "place")),
        "site": encode_strings(_column(frame, "site")),
        "loc": encode_strings(_column(frame, "location_source")),
        "unc": _ints(_column(frame, "uncertainty_m")),
        "dist": _ints(_column(frame, "distance_m")),
        "said": _ints(_column(frame, "stated_distance_m")),
        "dis": _flags(_column(frame, "distance_disagrees")),
        "band": encode_strings(_column(frame, "band")),
        "cert": _flags(_column(frame, "band_certain")),
        "seg": encode_strings(_column(frame, "segment")),
        "side": encode_strings(_column(frame, "side")),
        "krg": _flags(_column(frame, "in_krg")),
        "cross": encode_strings(crossings),
        "xm": _ints(_column(frame, "nearest_crossing_m")),
        "desc": encode_strings(_column(frame, "description")),
        "src": _encode_values(_sources_pairs(v) for v in _column(frame, "sources")),
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
        for k, n in zip(frontier.crossings["key"], frontier.crossings["name"], strict=True)
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
