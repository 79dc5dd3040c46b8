"""Names of frontier places -> coordinates: curated sites, regional GeoNames, airports, online.

Importing the package is cheap: :class:`Gazetteer` and its modules load on
first use, and the data files on the first lookup.

Examples
--------
>>> from gazetteer import Gazetteer
>>> match = Gazetteer().resolve("Slemani")
>>> (match.site.key, match.layer)
('sulaymaniyah', 'curated')
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from gazetteer.errors import GazetteerError, GeocoderError, PlaceNotFoundError, SitesFileError
from gazetteer.sites import Layer, Match, Site

if TYPE_CHECKING:
    from gazetteer.resolver import Gazetteer

__all__ = [
    "Gazetteer",
    "GazetteerError",
    "GeocoderError",
    "Layer",
    "Match",
    "PlaceNotFoundError",
    "Site",
    "SitesFileError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    """Import :class:`Gazetteer` on first access (keeps ``import gazetteer`` fast)."""
    if name == "Gazetteer":
        from gazetteer.resolver import Gazetteer

        return Gazetteer
    msg = f"module 'gazetteer' has no attribute {name!r}"
    raise AttributeError(msg)
