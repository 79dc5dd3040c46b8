"""geomap: map and classify border activity on the Iran–KRG and Turkey–KRG frontier.

Heavy modules (geopandas, folium) load on first use of the function that needs
them, so ``import geomap`` stays fast.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

#: The installed distribution's version, read on first use: ``importlib.metadata``
#: alone costs tens of milliseconds, which every ``geomap --help`` would pay.
__version__: str

logging.getLogger(__name__).addHandler(logging.NullHandler())

# public name -> module that defines it
_EXPORTS = {
    "classify": "geomap.classification",
    "load_frontier": "geomap.frontier",
    "Frontier": "geomap.frontier",
    "read_events": "geomap.readers",
    "write": "geomap.writers",
    "render_map": "geomap.render",
    "extract_events": "geomap.extract",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    """Load a public function from its module on first use."""
    if name == "__version__":
        return _version()
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")


def _version() -> str:
    """The version of the installed ``geomap`` distribution ("0.0.0" in a source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("geomap")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"
