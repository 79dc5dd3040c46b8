"""The exceptions the gazetteer raises.

Examples
--------
>>> from gazetteer.errors import PlaceNotFoundError, GazetteerError
>>> issubclass(PlaceNotFoundError, LookupError)
True
"""

from __future__ import annotations

__all__ = ["GazetteerError", "GeocoderError", "PlaceNotFoundError", "SitesFileError"]


class GazetteerError(Exception):
    """Root of every error the gazetteer raises on purpose."""


class PlaceNotFoundError(GazetteerError, LookupError):
    """No layer could resolve a name."""


class SitesFileError(GazetteerError, ValueError):
    """A sites CSV is unreadable or malformed."""


class GeocoderError(GazetteerError, RuntimeError):
    """An online geocoder failed (HTTP error, timeout, rate limit, bad answer)."""
