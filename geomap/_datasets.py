"""Mappings of published event datasets (ACLED, GDELT, UCDP GED) onto the event table.

Each ``stage_*`` function takes the raw table as strings (column names in lower
case) and returns a *staged* frame for :mod:`geomap.readers` to finish: the base
columns where the dataset has them, the raw coordinates in ``_lon``/``_lat``,
and a few dataset columns worth keeping (``fatalities``, ``cameo_code``).

Precision codes become an uncertainty radius in metres and a date precision;
the tables below give the values and say why.

Examples
--------
>>> cameo_event_type("0621")
'military_exercise'
>>> cameo_event_type("195")
'air_drone_strike'
>>> acled_event_type("Shelling/artillery/missile attack", "Explosions/Remote violence")
'shelling_artillery'
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from geomap.events import ACLED_SUB_EVENT_TYPES, CAMEO_ROOT_CODES, normalise_event_type

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_GEO_PRECISION_M",
    "GDELT1_COLUMNS",
    "GDELT2_COLUMNS",
    "GDELT_GEO_TYPE_M",
    "UCDP_COLUMNS",
    "UCDP_WHERE_PREC_M",
    "acled_event_type",
    "cameo_event_type",
    "clean_text",
    "split_list",
    "stage_acled",
    "stage_gdelt",
    "stage_ucdp",
]

# --------------------------------------------------------------------------- ACLED

#: Columns that identify an ACLED export (any recent export has all of them).
ACLED_COLUMNS: Final = frozenset(
    {"event_id_cnty", "event_date", "latitude", "longitude", "geo_precision", "sub_event_type"}
)

#: ACLED ``geo_precision`` -> uncertainty radius (m). 1: the town itself; 2: near a town
#: or in a small part of a region (nearest town used); 3: only a larger region is known
#: (its main town stands in for an area), hence at least 25 km.
ACLED_GEO_PRECISION_M: Final[dict[str, float]] = {"1": 2_000.0, "2": 10_000.0, "3": 50_000.0}

#: ACLED ``time_precision`` -> date precision. 1: the day; 2: a week (the table has no
#: "week", so the next coarser step); 3: only the month.
ACLED_TIME_PRECISION: Final[dict[str, str]] = {"1": "day", "2": "month", "3": "month"}

#: Radius used when a precision code is missing or unknown: an area, not a point.
UNKNOWN_PRECISION_M: Final = 25_000.0

_ACLED_SUB_TYPES_LOWER: Final = {k.lower(): v for k, v in ACLED_SUB_EVENT_TYPES.items()}

# --------------------------------------------------------------------------- GDELT

_GDELT_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
    "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GDELT_EVENT = (
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip
_GDELT_HEAD = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")


def _gdelt_columns(version: int) -> tuple[str, ...]:
    geo = ["Type", "FullName", "CountryCode", "ADM1Code"]
    geo += (
        ["ADM2Code", "Lat", "Long", "FeatureID"] if version == 2 else ["Lat", "Long", "FeatureID"]
    )
    names = list(_GDELT_HEAD)
    for who in ("Actor1", "Actor2"):
        names += [who + part for part in _GDELT_ACTOR]
    names += _GDELT_EVENT
    for who in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
        names += [who + part for part in geo]
    names += ["DATEADDED", "SOURCEURL"]
    return tuple(names)


#: GDELT 1.0 event files: 58 tab-separated fields (the 1979–2013 back files stop at the
#: 57th, ``DATEADDED``, without ``SOURCEURL``).
GDELT1_COLUMNS: Final = _gdelt_columns(1)
#: GDELT 2.0 ``*.export.CSV`` files: 61 tab-separated fields (geo blocks gain ``ADM2Code``).
GDELT2_COLUMNS: Final = _gdelt_columns(2)
#: Field counts that identify a GDELT event file, and the version each means.
GDELT_FIELD_COUNTS: Final[dict[int, int]] = {57: 1, 58: 1, 61: 2}

#: GDELT ``ActionGeo_Type`` -> uncertainty radius (m). 1 country and 5 province (ADM1)
#: are centroids standing in for an area; 2 is a US state; 3/4 a city.
GDELT_GEO_TYPE_M: Final[dict[str, float]] = {
    "1": 300_000.0,
    "2": 150_000.0,
    "3": 5_000.0,
    "4": 5_000.0,
    "5": 75_000.0,
}

# --------------------------------------------------------------------------- UCDP

#: Columns that identify a UCDP GED CSV.
UCDP_COLUMNS: Final = frozenset(
    {"where_prec", "date_prec", "latitude", "longitude", "type_of_violence"}
)

#: UCDP ``where_prec`` -> uncertainty radius (m). 1 exact place; 2 within 25 km of a
#: known point; 3 a district (ADM2) centroid; 4 a province (ADM1) centroid; 5 a part of
#: a country, a border or river line; 6 the country; 7 international waters or airspace.
UCDP_WHERE_PREC_M: Final[dict[str, float]] = {
    "1": 2_000.0,
    "2": 25_000.0,
    "3": 40_000.0,
    "4": 100_000.0,
    "5": 100_000.0,
    "6": 300_000.0,
    "7": 300_000.0,
}

#: UCDP ``date_prec`` -> date precision. 1 the day; 2 a range of 2–6 days and 3 of up
#: to a month (the next coarser step, "month"); 4 up to a year and 5 more than a year
#: ("year", the coarsest step the table has).
UCDP_DATE_PREC: Final[dict[str, str]] = {
    "1": "day",
    "2": "month",
    "3": "month",
    "4": "year",
    "5": "year",
}

#: UCDP ``type_of_violence`` -> taxonomy, used when the headline names no clearer type.
UCDP_VIOLENCE_TYPES: Final[dict[str, str]] = {
    "1": "ground_clash",
    "2": "ground_clash",
    "3": "other",
}


# --------------------------------------------------------------------------- helpers


def clean_text(value: object) -> str | None:
    """A cell as stripped text, ``None`` when empty or missing.

    Examples
    --------
    >>> clean_text("  Zakho "), clean_text(""), clean_text(float("nan"))
    ('Zakho', None, None)
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return text or None


def split_list(value: object, separators: str = ";|") -> list[str]:
    """Split a cell into a list of names: a JSON array, or text split on ``;`` or ``|``.

    Examples
    --------
    >>> split_list("Iran; Iraq | Turkey")
    ['Iran', 'Iraq', 'Turkey']
    >>> split_list('["IRGC", "KDPI"]')
    ['IRGC', 'KDPI']
    >>> split_list(None)
    []
    """
    if value is None:
        return []
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays (GeoParquet)
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [t for t in (clean_text(v) for v in value) if t]
    text = clean_text(value)
    if text is None:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return [t for t in (clean_text(v) for v in parsed) if t]
    for sep in separators[1:]:
        text = text.replace(sep, separators[0])
    return [t for t in (part.strip() for part in text.split(separators[0])) if t]


def outlet_sources(value: object, url: object = None) -> list[dict[str, Any]]:
    """``sources`` entries from a cell of outlet names (``;``-separated) and an optional URL.

    Examples
    --------
    >>> [entry["outlet"] for entry in outlet_sources("Rudaw; Kurdistan 24")]
    ['Rudaw', 'Kurdistan 24']
    >>> outlet_sources(None, "https://news.example.org/a")
    [{'outlet': 'news.example.org', 'url': 'https://news.example.org/a', 'quote': None}]
    """
    link = clean_text(url)
    outlets = split_list(value, ";")
    if not outlets and link:
        outlets = [urlsplit(link).hostname or link]
    entries = [{"outlet": name, "url": None, "quote": None} for name in outlets]
    if link and entries:
        entries[0]["url"] = link
    return entries


def cameo_event_type(code: object) -> str:
    """The taxonomy type of a CAMEO event code: its longest prefix in CAMEO_ROOT_CODES.

    Examples
    --------
    >>> cameo_event_type("062"), cameo_event_type("1721"), cameo_event_type("")
    ('military_exercise', 'other', 'other')
    """
    text = clean_text(code) or ""
    for end in range(len(text), 1, -1):
        if text[:end] in CAMEO_ROOT_CODES:
            return CAMEO_ROOT_CODES[text[:end]]
    return "other"


def acled_event_type(sub_event_type: object, event_type: object = None) -> str:
    """The taxonomy type of an ACLED sub-event type (falling back on its event type).

    Examples
    --------
    >>> acled_event_type("air/drone strike")
    'air_drone_strike'
    """
    text = (clean_text(sub_event_type) or "").lower()
    if text in _ACLED_SUB_TYPES_LOWER:
        return _ACLED_SUB_TYPES_LOWER[text]
    return normalise_event_type(clean_text(sub_event_type) or clean_text(event_type))


def _coded(values: pd.Series, table: dict[str, Any], default: Any) -> list[Any]:
    """Look precision codes up ("3", "3.0", " 3 " all mean 3)."""

    def one(value: object) -> Any:
        text = clean_text(value)
        if text is not None and text.endswith(".0"):
            text = text[:-2]
        return table.get(text or "", default)

    return [one(v) for v in values]


def _column(raw: pd.DataFrame, name: str) -> pd.Series:
    import pandas as pd

    if name in raw.columns:
        return raw[name]
    return pd.Series([None] * len(raw), index=raw.index, dtype=object)


def _gdelt_column(raw: pd.DataFrame, name: str) -> pd.Series:
    return _column(raw, name.lower())


def _zip_map(func: Callable[..., Any], *columns: Iterable[Any]) -> list[Any]:
    return [func(*values) for values in zip(*columns, strict=True)]


def _number(value: object) -> float | None:
    try:
        number = float(clean_text(value) or "nan")
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _prefixed(prefix: str, value: object) -> str | None:
    text = clean_text(value)
    return None if text is None else f"{prefix}{text}"


# --------------------------------------------------------------------------- stagers


def stage_acled(raw: pd.DataFrame) -> pd.DataFrame:
    """Stage an ACLED export (columns as ACLED publishes them, lower case).

    ``event_id_cnty`` -> id; ``event_date`` -> date; ``time_precision`` ->
    date_precision; ``sub_event_type`` (else ``event_type``) -> event_type;
    ``actor1``, ``actor2`` -> actors; ``location`` -> place; ``notes`` ->
    description; ``source`` -> sources; ``geo_precision`` -> uncertainty_m;
    ``fatalities`` kept.
    """
    import pandas as pd

    col = functools.partial(_column, raw)
    staged: pd.DataFrame = pd.DataFrame(
        {
            "id": col("event_id_cnty").map(clean_text),
            "date": col("event_date"),
            "date_precision": _coded(col("time_precision"), ACLED_TIME_PRECISION, None),
            "event_type": _zip_map(acled_event_type, col("sub_event_type"), col("event_type")),
            "actors": _zip_map(
                lambda a, b: [t for t in (clean_text(a), clean_text(b)) if t],
                col("actor1"),
                col("actor2"),
            ),
            "place": col("location").map(clean_text),
            "description": col("notes").map(clean_text),
            "sources": col("source").map(outlet_sources),
            "uncertainty_m": _coded(
                col("geo_precision"), ACLED_GEO_PRECISION_M, UNKNOWN_PRECISION_M
            ),
            "_lon": col("longitude"),
            "_lat": col("latitude"),
            "fatalities": col("fatalities").map(_number),
        },
        index=raw.index,
    )
    return staged


def stage_gdelt(raw: pd.DataFrame) -> pd.DataFrame:
    """Stage a GDELT 1.0 or 2.0 event table (columns named as in GDELT1/2_COLUMNS).

    ``GLOBALEVENTID`` -> id ("gdelt-" prefix); ``SQLDATE`` -> date (day);
    ``EventCode`` -> event_type (longest CAMEO prefix) and ``cameo_code``;
    ``Actor1Name``, ``Actor2Name`` -> actors; ``ActionGeo_FullName`` -> place;
    ``ActionGeo_Long``/``_Lat`` -> coordinates; ``ActionGeo_Type`` ->
    uncertainty_m; ``SOURCEURL`` -> sources (outlet = the URL's host).
    """
    import pandas as pd

    col = functools.partial(_gdelt_column, raw)
    staged: pd.DataFrame = pd.DataFrame(
        {
            "id": col("GLOBALEVENTID").map(lambda v: _prefixed("gdelt-", v)),
            "date": col("SQLDATE"),
            "date_precision": "day",
            "event_type": col("EventCode").map(cameo_event_type),
            "actors": _zip_map(
                lambda a, b: [t for t in (clean_text(a), clean_text(b)) if t],
                col("Actor1Name"),
                col("Actor2Name"),
            ),
            "place": col("ActionGeo_FullName").map(clean_text),
            "description": None,
            "sources": col("SOURCEURL").map(lambda url: outlet_sources(None, url)),
            "uncertainty_m": _coded(col("ActionGeo_Type"), GDELT_GEO_TYPE_M, UNKNOWN_PRECISION_M),
            "_lon": col("ActionGeo_Long"),
            "_lat": col("ActionGeo_Lat"),
            "cameo_code": col("EventCode").map(clean_text),
        },
        index=raw.index,
    )
    return staged


def _ucdp_type(violence: object, headline: object) -> str:
    from_text = normalise_event_type(clean_text(headline))
    if from_text != "other":
        return from_text
    return UCDP_VIOLENCE_TYPES.get((clean_text(violence) or "").removesuffix(".0"), "other")


def stage_ucdp(raw: pd.DataFrame) -> pd.DataFrame:
    """Stage a UCDP GED CSV.

    ``id`` -> id ("ucdp-" prefix); ``date_start`` -> date; ``date_prec`` ->
    date_precision; the headline's wording, else ``type_of_violence`` -> event_type;
    ``side_a``, ``side_b`` -> actors; ``where_coordinates`` -> place;
    ``source_headline`` (else ``where_description``) -> description;
    ``source_office`` -> sources; ``where_prec`` -> uncertainty_m; ``best`` -> fatalities.
    """
    import pandas as pd

    col = functools.partial(_column, raw)
    description = [
        clean_text(h) or clean_text(w)
        for h, w in zip(col("source_headline"), col("where_description"), strict=True)
    ]
    place = [
        clean_text(p) or clean_text(a2) or clean_text(a1)
        for p, a2, a1 in zip(col("where_coordinates"), col("adm_2"), col("adm_1"), strict=True)
    ]
    staged: pd.DataFrame = pd.DataFrame(
        {
            "id": col("id").map(lambda v: _prefixed("ucdp-", v)),
            "date": col("date_start"),
            "date_precision": _coded(col("date_prec"), UCDP_DATE_PREC, None),
            "event_type": _zip_map(_ucdp_type, col("type_of_violence"), col("source_headline")),
            "actors": _zip_map(
                lambda a, b: [t for t in (clean_text(a), clean_text(b)) if t],
                col("side_a"),
                col("side_b"),
            ),
            "place": place,
            "description": description,
            "sources": col("source_office").map(outlet_sources),
            "uncertainty_m": _coded(col("where_prec"), UCDP_WHERE_PREC_M, UNKNOWN_PRECISION_M),
            "_lon": col("longitude"),
            "_lat": col("latitude"),
            "fatalities": col("best").map(_number),
        },
        index=raw.index,
    )
    return staged
