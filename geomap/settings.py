"""Settings shared by every step: band edges, default paths, user agent.

Parameters of public functions default to ``None`` meaning "use the setting".

Examples
--------
>>> band_labels(DEFAULT_BANDS_KM)
['0-1 km', '1-5 km', '5-15 km', '15-30 km', '30-60 km', '>60 km']
>>> parse_bands("1, 5,15")
(1.0, 5.0, 15.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Final

__all__ = [
    "DEFAULT_BANDS_KM",
    "DEFAULT_MAP_PATH",
    "band_labels",
    "parse_bands",
]

#: Distance band edges in kilometres.
DEFAULT_BANDS_KM: Final[tuple[float, ...]] = (1.0, 5.0, 15.0, 30.0, 60.0)

#: Where ``geomap map`` writes when no ``-o`` is given.
DEFAULT_MAP_PATH: Final = Path("output") / "border_activity.html"


def _km(value: float) -> str:
    return f"{value:g}"


def band_labels(edges_km: Sequence[float]) -> list[str]:
    """Labels of the bands that ``edges_km`` delimit, nearest first.

    Examples
    --------
    >>> band_labels([0.25, 2])
    ['0-0.25 km', '0.25-2 km', '>2 km']
    """
    labels = []
    lower = 0.0
    for edge in edges_km:
        labels.append(f"{_km(lower)}-{_km(edge)} km")
        lower = edge
    labels.append(f">{_km(lower)} km")
    return labels


def parse_bands(text: str) -> tuple[float, ...]:
    """Parse comma-separated band edges in km; they must be positive and increasing.

    Examples
    --------
    >>> parse_bands("2,1")
    Traceback (most recent call last):
    ...
    ValueError: band edges must be positive and strictly increasing: 2,1
    """
    try:
        edges = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        msg = f"band edges must be numbers in km separated by commas: {text}"
        raise ValueError(msg) from None
    if not edges or edges[0] <= 0 or any(b <= a for a, b in pairwise(edges)):
        msg = f"band edges must be positive and strictly increasing: {text}"
        raise ValueError(msg)
    return edges
