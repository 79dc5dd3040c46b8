"""The online layer: Nominatim through geopy, only when asked.

Politeness and honesty rules, all enforced here:

* a real, configurable user agent (``user_agent=`` or ``$GAZETTEER_USER_AGENT``);
* answers restricted to ``country_codes`` iq, ir, tr, sy and the region viewbox;
* at most one request per ``min_interval`` seconds (1 s) across the process;
* an on-disk cache in the user's cache directory, keyed by geocoder and query
  (a cache hit makes no request; "no result" is cached too);
* timeouts, and retries with exponential backoff for timeouts, HTTP 429 and
  5xx answers;
* every failure raised as :class:`~gazetteer.errors.GeocoderError` -- never
  turned into ``None``, which means "the geocoder knows no such place".

Examples
--------
>>> geocoder = OnlineGeocoder(user_agent="geomap-doctest/1 (ops@example.org)", use_cache=False)
>>> geocoder.domain, geocoder.country_codes
('nominatim.openstreetmap.org', ('iq', 'ir', 'tr', 'sy'))
>>> cache_key("nominatim", "nominatim.openstreetmap.org", "  Penjwen ") == cache_key(
...     "nominatim", "nominatim.openstreetmap.org", "penjwen")
True
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from gazetteer.catalog import REGION, in_region
from gazetteer.errors import GeocoderError
from gazetteer.sites import Match, Site

__all__ = ["DEFAULT_USER_AGENT", "OnlineGeocoder", "cache_key", "default_cache_dir"]

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT: Final = "geomap-gazetteer/0.1 (frontier event mapping; set --user-agent)"
DEFAULT_DOMAIN: Final = "nominatim.openstreetmap.org"
CACHE_DAYS: Final = 30.0
_MIN_RADIUS_M: Final = 1_000.0
_MAX_RADIUS_M: Final = 100_000.0
_ONLINE_SCORE: Final = 0.6
_MAX_RETRY_AFTER: Final = 30.0

# One clock for the whole process: every OnlineGeocoder waits its turn here.
_RATE_LOCK: Final = threading.Lock()
_LAST_REQUEST: list[float] = [-math.inf]


def default_cache_dir() -> Path:
    """``$GAZETTEER_CACHE_DIR``, else ``<user cache dir>/geomap/geocoder``.

    Examples
    --------
    >>> default_cache_dir().name
    'geocoder'
    """
    override = os.environ.get("GAZETTEER_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("geomap")) / "geocoder"


def cache_key(geocoder: str, domain: str, query: str) -> str:
    """The cache file name of a query: a hash of geocoder, server and folded query.

    Examples
    --------
    >>> len(cache_key("nominatim", "example.org", "Erbil"))
    64
    """
    text = json.dumps([geocoder, domain, " ".join(query.split()).casefold()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _wait_turn(min_interval: float) -> None:
    """Sleep until ``min_interval`` seconds have passed since the process's last request."""
    with _RATE_LOCK:
        wait = _LAST_REQUEST[0] + min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        _LAST_REQUEST[0] = time.monotonic()


def _radius_m(raw: dict[str, Any], lat: float, lon: float) -> float:
    """Half the diagonal of the answer's bounding box, within 1-100 km."""
    try:
        south, north, west, east = (float(v) for v in raw["boundingbox"])
    except (KeyError, TypeError, ValueError):
        return _MIN_RADIUS_M
    dy = (north - south) * 111_320.0
    dx = (east - west) * 111_320.0 * math.cos(math.radians(lat))
    return min(_MAX_RADIUS_M, max(_MIN_RADIUS_M, math.hypot(dx, dy) / 2))


def _site(raw: dict[str, Any]) -> Site | None:
    """One Nominatim answer as a Site; ``None`` when it lies outside the region."""
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"Nominatim answer without a usable coordinate: {exc}"
        raise GeocoderError(msg) from exc
    if not in_region(lon, lat):
        return None
    name = str(raw.get("display_name") or raw.get("name") or "")
    address = raw.get("address")
    country = address.get("country_code", "") if isinstance(address, dict) else ""
    osm = f"{raw.get('osm_type', 'place')}/{raw.get('osm_id', raw.get('place_id', '?'))}"
    return Site(
        key=f"nominatim:{osm}",
        name=name.split(",")[0].strip() or name,
        kind=str(raw.get("type") or raw.get("addresstype") or "place"),
        country=str(country).upper(),
        lat=lat,
        lon=lon,
        uncertainty_m=round(_radius_m(raw, lat, lon), 1),
        source=f"Nominatim (OpenStreetMap, ODbL): {name}",
        confidence="low",
    )


class OnlineGeocoder:
    """Nominatim, polite and cached; :meth:`resolve` gives a Match or ``None``.

    Parameters
    ----------
    user_agent : str, optional
        Identifies the application and a contact (Nominatim's usage policy);
        default ``$GAZETTEER_USER_AGENT`` or :data:`DEFAULT_USER_AGENT`.
    domain, scheme : str, optional
        The server (default ``$GAZETTEER_NOMINATIM_DOMAIN`` or the public
        Nominatim, https); a self-hosted Nominatim works the same.
    timeout : float
        Seconds per request.
    retries : int
        Extra attempts after a timeout, HTTP 429 or 5xx answer.
    backoff : float
        First wait before a retry, doubled each time (a server's Retry-After wins).
    min_interval : float
        Seconds between two requests of this process (any geocoder instance).
    cache_dir : path, optional
        Default :func:`default_cache_dir`.
    use_cache : bool
        Read and write the on-disk cache.
    country_codes : sequence of str
        ISO codes the answers must lie in.
    """

    name: Final = "nominatim"

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        domain: str | None = None,
        scheme: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 1.0,
        min_interval: float = 1.0,
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
        country_codes: Sequence[str] = ("iq", "ir", "tr", "sy"),
    ) -> None:
        self.user_agent = user_agent or os.environ.get("GAZETTEER_USER_AGENT") or DEFAULT_USER_AGENT
        self.domain = domain or os.environ.get("GAZETTEER_NOMINATIM_DOMAIN") or DEFAULT_DOMAIN
        self.scheme = scheme or os.environ.get("GAZETTEER_NOMINATIM_SCHEME") or "https"
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.min_interval = min_interval
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.use_cache = use_cache
        self.country_codes = tuple(c.lower() for c in country_codes)
        self.requests = 0  # requests sent by this instance (cache hits excluded)
        self._client: Any = None

    # ------------------------------------------------------------------------- cache

    def _cache_path(self, query: str) -> Path:
        directory = self.cache_dir if self.cache_dir is not None else default_cache_dir()
        return directory / f"{cache_key(self.name, self.domain, query)}.json"

    def _cached(self, query: str) -> list[dict[str, Any]] | None:
        if not self.use_cache:
            return None
        path = self._cache_path(query)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or time.time() - record.get("time", 0) > CACHE_DAYS * 86400:
            return None
        results = record.get("results")
        return results if isinstance(results, list) else None

    def _store(self, query: str, results: list[dict[str, Any]]) -> None:
        if not self.use_cache:
            return
        path = self._cache_path(query)
        record = {"geocoder": self.name, "domain": self.domain, "query": query,
                  "time": time.time(), "results": results}  # fmt: skip
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".geocode.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            Path(tmp).replace(path)
        except OSError as exc:  # a cache that cannot be written is not worth failing for
            logger.warning("geocoder cache not written (%s): %s", path.parent, exc)
            with contextlib.suppress(OSError, UnboundLocalError):
                Path(tmp).unlink()

    # ------------------------------------------------------------------------- requests

    def _nominatim(self) -> Any:
        if self._client is None:
            try:
                from geopy.adapters import URLLibAdapter
                from geopy.geocoders import Nominatim
            except ImportError as exc:
                msg = f"online geocoding needs geopy ({exc}); install it with pip install geopy"
                raise GeocoderError(msg) from exc
            # The standard-library adapter sends exactly one HTTP request per call, so
            # that the retries, backoff and rate limit here are the only ones.
            self._client = Nominatim(
                user_agent=self.user_agent, domain=self.domain, scheme=self.scheme,
                timeout=self.timeout, adapter_factory=URLLibAdapter,
            )  # fmt: skip
        return self._client

    def _request(self, query: str) -> list[dict[str, Any]]:
        from geopy import exc as geopy_exc

        west, south, east, north = REGION
        retryable = (geopy_exc.GeocoderTimedOut, geopy_exc.GeocoderUnavailable,
                     geopy_exc.GeocoderRateLimited)  # fmt: skip
        client = self._nominatim()
        for attempt in range(self.retries + 1):
            _wait_turn(self.min_interval)
            self.requests += 1
            try:
                found = client.geocode(
                    query, exactly_one=False, limit=5, addressdetails=True, language="en",
                    country_codes=list(self.country_codes),
                    viewbox=[(south, west), (north, east)], bounded=True,
                )  # fmt: skip
            except (*retryable, geopy_exc.GeocoderServiceError) as exc:
                generic = type(exc) is geopy_exc.GeocoderServiceError  # HTTP 5xx
                transient = generic or isinstance(exc, retryable)
                if not transient or attempt == self.retries:
                    msg = (f"Nominatim ({self.scheme}://{self.domain}) failed for {query!r} after "
                           f"{attempt + 1} attempt(s): {type(exc).__name__}: {exc}")  # fmt: skip
                    raise GeocoderError(msg) from exc
                delay = self.backoff * 2**attempt
                retry_after = getattr(exc, "retry_after", None)
                if retry_after:
                    delay = max(delay, min(float(retry_after), _MAX_RETRY_AFTER))
                logger.info("Nominatim: %s; retrying %r in %.2f s", exc, query, delay)
                time.sleep(delay)
            except geopy_exc.GeopyError as exc:
                msg = f"Nominatim failed for {query!r}: {type(exc).__name__}: {exc}"
                raise GeocoderError(msg) from exc
            else:
                return [location.raw for location in found or ()]
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------------------- public

    def lookup(self, query: str) -> list[dict[str, Any]]:
        """The raw answers for a query: from the cache, else from the server (then cached)."""
        query = " ".join(query.split())
        cached = self._cached(query)
        if cached is not None:
            return cached
        results = self._request(query)
        self._store(query, results)
        return results

    def resolve(self, query: str) -> Match | None:
        """The best answer inside the region as a :class:`Match` (layer ``"online"``).

        Returns ``None`` when the server knows no such place in the region.

        Raises
        ------
        GeocoderError
            Timeout, HTTP error, rate limit after the retries, or a malformed answer.
        """
        answers = (_site(raw) for raw in self.lookup(query) if isinstance(raw, dict))
        sites = [site for site in answers if site is not None]
        if not sites:
            return None
        best, others = sites[0], tuple(sites[1:])
        far = [s for s in others if not _near(best, s)]
        return Match(
            query=query,
            site=best,
            layer="online",
            score=_ONLINE_SCORE,
            uncertainty_m=best.uncertainty_m,
            ambiguous=bool(far),
            alternatives=others,
        )


def _near(a: Site, b: Site) -> bool:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    dy = (a.lat - b.lat) * 111_320.0
    dx = (a.lon - b.lon) * 111_320.0 * math.cos(math.radians(a.lat))
    return math.hypot(dx, dy) <= max(a.uncertainty_m, b.uncertainty_m)
