"""Static assets of the map page, as text to inline into one self-contained file.

Leaflet comes from the ``XStatic-Leaflet`` package; the page's own script
(which draws and clusters the events on a canvas) and style sheet from
``geomap/static``. Images that the style sheets reference become
``data:`` URIs, source-map comments are dropped, and any ``</script`` or
``</style`` in the text is neutralised, so an inlined page makes no request.

Examples
--------
>>> "window.L" in leaflet_js() and "sourceMappingURL" not in leaflet_js()
True
>>> "url(images/" in leaflet_css()
False
>>> inline_script("var s = '</script>';")
"<script>var s = '<\\\\/script>';</script>"
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from pathlib import Path
from typing import Final

__all__ = [
    "csp_meta",
    "geomap_css",
    "geomap_js",
    "inline_script",
    "inline_style",
    "leaflet_css",
    "leaflet_js",
    "offline_assets",
]

_MIME: Final = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}
_SOURCE_MAP: Final = re.compile(
    r"^\s*//[#@] sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", re.M
)
_CSS_URL: Final = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _xstatic_dir(package: str) -> Path:
    import importlib

    try:
        module = importlib.import_module(f"xstatic.pkg.{package}")
    except ImportError as exc:  # pragma: no cover - a declared dependency
        dist = package.replace("_", "-")
        msg = f"offline maps need the xstatic-{dist} package (pip install xstatic-{dist})"
        raise ImportError(msg) from exc
    return Path(module.BASE_DIR)


def _strip_maps(text: str) -> str:
    return _SOURCE_MAP.sub("", text)


def _inline_urls(css: str, base: Path) -> str:
    """Replace relative ``url(...)`` references with data URIs of the files."""

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1).strip()
        if ref.startswith(("data:", "#")):
            return match.group(0)
        path = base / ref
        mime = _MIME.get(path.suffix.lower())
        if mime is None or not path.is_file():
            return "url(data:,)"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:{mime};base64,{data})"

    return _CSS_URL.sub(replace, css)


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified script."""
    return _strip_maps((_xstatic_dir("leaflet") / "leaflet.js").read_text(encoding="utf-8"))


@functools.cache
def leaflet_css() -> str:
    """Leaflet's style sheet, its images inlined."""
    base = _xstatic_dir("leaflet")
    return _inline_urls(_strip_maps((base / "leaflet.css").read_text(encoding="utf-8")), base)


def _static(name: str) -> str:
    return resources.files("geomap").joinpath("static").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def geomap_js() -> str:
    """The page's own script (``geomap/static/geomap.js``)."""
    return _static("geomap.js")


@functools.cache
def geomap_css() -> str:
    """The page's own style sheet (``geomap/static/geomap.css``)."""
    return _static("geomap.css")


def inline_script(code: str) -> str:
    """A ``<script>`` element holding ``code``; ``</script`` inside cannot close it.

    Examples
    --------
    >>> inline_script("1 < 2")
    '<script>1 < 2</script>'
    """
    safe = re.sub(r"</(script)", r"<\\/\1", code, flags=re.I)
    safe = safe.replace("<!--", "<\\!--")
    return f"<script>{safe}</script>"


def inline_style(css: str) -> str:
    """A ``<style>`` element holding ``css``; ``</style`` inside cannot close it.

    Examples
    --------
    >>> inline_style("a{color:red}")
    '<style>a{color:red}</style>'
    """
    return "<style>" + re.sub(r"</(style)", r"<\\/\1", css, flags=re.I) + "</style>"


def csp_meta(*, tiles: bool = False) -> str:
    """The Content-Security-Policy ``<meta>`` of an offline page.

    Only inline scripts and styles and ``data:`` images and fonts load; no
    request leaves the page (``default-src 'none'``) and ``eval`` is refused.
    With ``tiles`` (online base tiles asked for), images may also come over https.

    Examples
    --------
    >>> meta = csp_meta()
    >>> meta.startswith('<meta http-equiv="Content-Security-Policy"'), "default-src 'none'" in meta
    (True, True)
    >>> "https:" in meta, "img-src data: https:;" in csp_meta(tiles=True)
    (False, True)
    """
    images = "data: https:" if tiles else "data:"
    policy = (f"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              f"img-src {images}; font-src data:; base-uri 'none'; form-action 'none'")  # fmt: skip
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def offline_assets() -> list[tuple[str, str]]:
    """Named ``<style>``/``<script>`` elements an offline page needs, in load order.

    Examples
    --------
    >>> [name for name, _ in offline_assets()]
    ['leaflet_css', 'leaflet']
    """
    return [("leaflet_css", inline_style(leaflet_css())), ("leaflet", inline_script(leaflet_js()))]
