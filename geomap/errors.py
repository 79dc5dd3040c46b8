"""The exceptions and warnings geomap raises.

Every error a user can cause derives from :class:`GeomapError`; the CLI turns
these into a one-line message and exit status 1.

Examples
--------
>>> from geomap.errors import InputError, GeomapError
>>> issubclass(InputError, GeomapError) and issubclass(InputError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "DependencyError",
    "FrontierError",
    "GeomapError",
    "GeomapWarning",
    "InputError",
    "OutputError",
    "RowsRejectedWarning",
]


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """An input file or table cannot be read or has the wrong shape."""


class OutputError(GeomapError, OSError):
    """An output cannot be written."""


class FrontierError(GeomapError, ValueError):
    """Frontier data is missing, unreadable or inconsistent."""


class DependencyError(GeomapError, ImportError):
    """An optional dependency needed for the requested feature is missing."""


class GeomapWarning(UserWarning):
    """Root of geomap's warnings: data problems the user must see."""


class RowsRejectedWarning(GeomapWarning):
    """Some input rows could not be located; they are kept with a ``problem``."""
