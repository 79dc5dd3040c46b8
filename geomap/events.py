"""The event table: its columns, the event-type taxonomy, and validation.

One table flows through every step: a GeoDataFrame in EPSG:4326 with the
columns of :data:`COLUMNS`. Each step adds columns; none drops rows. An event
that cannot be located keeps a null geometry and says why in ``problem``.

Examples
--------
>>> EVENT_TYPES[:3]
('military_exercise', 'deployment', 'shelling_artillery')
>>> normalise_event_type("Shelling/artillery/missile attack")
'shelling_artillery'
>>> normalise_event_type("drills")
'military_exercise'
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ACLED_SUB_EVENT_TYPES",
    "BASE_COLUMNS",
    "CAMEO_ROOT_CODES",
    "CLASSIFIED_COLUMNS",
    "COLUMNS",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "LOCATION_SOURCES",
    "ensure_columns",
    "event_id",
    "normalise_event_type",
]

#: Columns every event table has after reading, with their meaning.
BASE_COLUMNS: Final[dict[str, str]] = {
    "id": "stable id: the input's own, else a hash of source + place + date + type",
    "date": "day of the event (ISO date string) or null",
    "date_precision": '"day", "month", "year" or null',
    "event_type": "one of EVENT_TYPES",
    "actors": "list of actor names",
    "place": "the place as written in the source",
    "site": "gazetteer key the place resolved to, or null",
    "location_source": "coordinates, curated, geonames, airports, online, or null",
    "uncertainty_m": "radius of the location's uncertainty in metres",
    "description": "free text (escaped wherever it is shown)",
    "sources": "list of {outlet, url, quote}",
    "problem": "why the row has no usable location, or null",
}

#: Columns :func:`geomap.classify` adds.
CLASSIFIED_COLUMNS: Final[dict[str, str]] = {
    "distance_m": "geodesic (WGS84) distance to the nearest point of the frontier",
    "band": 'distance band label, e.g. "0-1 km", ">60 km"',
    "band_certain": "false when the uncertainty circle crosses a band edge",
    "segment": '"IR-KRG" or "TR-KRG": the nearest frontier segment',
    "side": "ISO2 code of the containing country polygon, null outside them",
    "in_krg": "inside the Kurdistan Region polygon",
    "nearest_crossing": "key of the nearest official border crossing",
    "nearest_crossing_m": "geodesic distance to that crossing",
}

COLUMNS: Final[dict[str, str]] = {**BASE_COLUMNS, **CLASSIFIED_COLUMNS}

DATE_PRECISIONS: Final = ("day", "month", "year")
LOCATION_SOURCES: Final = ("coordinates", "curated", "geonames", "airports", "online")

#: The event-type taxonomy, in display order.
EVENT_TYPES: Final[tuple[str, ...]] = (
    "military_exercise",
    "deployment",
    "shelling_artillery",
    "missile_strike",
    "air_drone_strike",
    "ground_clash",
    "border_closure",
    "airspace_closure",
    "agreement",
    "meeting",
    "statement",
    "other",
)

#: ACLED sub-event type -> taxonomy.
ACLED_SUB_EVENT_TYPES: Final[dict[str, str]] = {
    "Armed clash": "ground_clash",
    "Government regains territory": "ground_clash",
    "Non-state actor overtakes territory": "ground_clash",
    "Shelling/artillery/missile attack": "shelling_artillery",
    "Air/drone strike": "air_drone_strike",
    "Suicide bomb": "other",
    "Remote explosive/landmine/IED": "other",
    "Grenade": "ground_clash",
    "Attack": "ground_clash",
    "Abduction/forced disappearance": "other",
    "Sexual violence": "other",
    "Headquarters or base established": "deployment",
    "Non-violent transfer of territory": "deployment",
    "Disrupted weapons use": "other",
    "Agreement": "agreement",
    "Change to group/activity": "deployment",
    "Arrests": "other",
    "Looting/property destruction": "other",
    "Other": "other",
    "Peaceful protest": "other",
    "Protest with intervention": "other",
    "Excessive force against protesters": "other",
    "Violent demonstration": "other",
    "Mob violence": "other",
}

#: CAMEO code prefix -> taxonomy; the longest matching prefix wins.
CAMEO_ROOT_CODES: Final[dict[str, str]] = {
    "01": "statement",
    "02": "statement",
    "03": "statement",
    "04": "meeting",
    "05": "agreement",
    "057": "agreement",
    "06": "agreement",
    "061": "agreement",
    "062": "military_exercise",
    "15": "deployment",
    "16": "border_closure",
    "1621": "border_closure",
    "17": "other",
    "18": "ground_clash",
    "19": "ground_clash",
    "191": "border_closure",
    "194": "shelling_artillery",
    "195": "air_drone_strike",
    "20": "other",
}

# Words an input may use for a taxonomy type (lower case, matched as whole words).
_TYPE_SYNONYMS: Final[dict[str, str]] = {
    "exercise": "military_exercise",
    "exercises": "military_exercise",
    "drill": "military_exercise",
    "drills": "military_exercise",
    "manoeuvres": "military_exercise",
    "maneuvers": "military_exercise",
    "deployment": "deployment",
    "reinforcement": "deployment",
    "reinforcements": "deployment",
    "shelling": "shelling_artillery",
    "artillery": "shelling_artillery",
    "missile": "missile_strike",
    "rocket": "missile_strike",
    "airstrike": "air_drone_strike",
    "drone": "air_drone_strike",
    "clash": "ground_clash",
    "clashes": "ground_clash",
    "closure": "border_closure",
    "flight ban": "airspace_closure",
    "airspace": "airspace_closure",
    "agreement": "agreement",
    "meeting": "meeting",
    "visit": "meeting",
    "statement": "statement",
}


def normalise_event_type(value: object) -> str:
    """Map an input's event type onto the taxonomy ("other" when unknown).

    Accepts taxonomy names, ACLED sub-event types and common words.

    Examples
    --------
    >>> normalise_event_type("Air/drone strike")
    'air_drone_strike'
    >>> normalise_event_type("  Military Exercise ")
    'military_exercise'
    >>> normalise_event_type(None)
    'other'
    """
    if not isinstance(value, str) or not value.strip():
        return "other"
    return _type_of_text(value.strip())


@functools.lru_cache(maxsize=4096)
def _type_of_text(text: str) -> str:
    """:func:`normalise_event_type` of stripped text (tables repeat a few types)."""
    if text in ACLED_SUB_EVENT_TYPES:
        return ACLED_SUB_EVENT_TYPES[text]
    key = re.sub(r"[\s\-/]+", "_", text.lower())
    if key in EVENT_TYPES:
        return key
    lowered = text.lower()
    for word, etype in _TYPE_SYNONYMS.items():
        if re.search(rf"\b{re.escape(word)}\b", lowered):
            return etype
    return "other"


def event_id(*parts: object) -> str:
    """A stable id from the parts that identify an event (source, place, date, type).

    Examples
    --------
    >>> event_id("Rudaw", "Bashmaq", "2017-10-02", "military_exercise")
    'ev-75f9927c18d7'
    """
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return "ev-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def ensure_columns(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add any missing base column (as nulls) without touching existing ones.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> g = gpd.GeoDataFrame({"x": [1]}, geometry=[Point(45, 36)], crs=4326)
    >>> sorted(set(ensure_columns(g).columns) - {"x", "geometry"})[:3]
    ['actors', 'date', 'date_precision']
    """
    out = events.copy()
    for column in BASE_COLUMNS:
        if column not in out.columns:
            if column in ("actors", "sources"):
                out[column] = [[] for _ in range(len(out))]
            elif column == "uncertainty_m":
                out[column] = 0.0
            else:
                out[column] = None
    return out
