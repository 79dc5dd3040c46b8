"""The online layer against a real HTTP server on 127.0.0.1 that answers like Nominatim."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer, GeocoderError
from gazetteer.online import OnlineGeocoder, cache_key, default_cache_dir

UA = "geomap-tests/1.0 (tests@example.org)"

PLACES: dict[str, list[dict[str, Any]]] = {
    "chwarta": [{
        "place_id": 1, "osm_type": "node", "osm_id": 1001, "lat": "35.7178", "lon": "45.5747",
        "display_name": "Chwarta, Sulaymaniyah Governorate, Iraq", "type": "town",
        "boundingbox": ["35.70", "35.73", "45.56", "45.59"], "address": {"country_code": "iq"},
    }],
    "two towns": [
        {"osm_type": "node", "osm_id": 1, "lat": "36.0", "lon": "45.0", "display_name": "A, Iraq",
         "type": "village", "boundingbox": ["35.99", "36.01", "44.99", "45.01"]},
        {"osm_type": "node", "osm_id": 2, "lat": "37.0", "lon": "43.0", "display_name": "B, Iraq",
         "type": "village", "boundingbox": ["36.99", "37.01", "42.99", "43.01"]},
    ],
    "paris": [{"osm_type": "node", "osm_id": 3, "lat": "48.85", "lon": "2.35",
               "display_name": "Paris, France", "type": "city"}],
}  # fmt: skip


class Nominatim(BaseHTTPRequestHandler):
    """/search answers from PLACES; special queries fail like a busy or broken server."""

    server: NominatimServer

    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        query = params.get("q", "")
        self.server.log.append((time.monotonic(), query, params, dict(self.headers)))
        count = sum(1 for _, q, _, _ in self.server.log if q == query)
        if url.path != "/search":
            self.answer(404, b"not found")
        elif query == "busy" or (query == "busy twice" and count <= 2):
            self.answer(429, b"slow down", {"Retry-After": "0"})
        elif query == "refused":
            self.answer(400, b"bad request")
        elif query == "broken":
            self.answer(500, b"internal error")
        elif query == "garbage":
            self.answer(200, b"<html>not json</html>")
        elif query == "slow":
            time.sleep(0.6)
            self.answer(200, b"[]")
        else:
            body = json.dumps(PLACES.get(query.lower(), [])).encode()
            self.answer(200, body)

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class NominatimServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Nominatim)
        self.log: list[tuple[float, str, dict[str, str], dict[str, str]]] = []

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def queries(self) -> list[str]:
        return [q for _, q, _, _ in self.log]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[NominatimServer]:
    for scheme in ("HTTP", "HTTPS", "ALL"):
        for name in (f"{scheme}_PROXY", f"{scheme.lower()}_proxy"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    srv = NominatimServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)  # fmt: skip
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def geocoder(server: NominatimServer, tmp_path: Path, **options: Any) -> OnlineGeocoder:
    settings: dict[str, Any] = {"user_agent": UA, "domain": server.domain, "scheme": "http",
                                "cache_dir": tmp_path / "cache", "min_interval": 0.0,
                                "backoff": 0.01, "timeout": 2.0}  # fmt: skip
    settings.update(options)
    return OnlineGeocoder(**settings)


def test_answer_becomes_an_online_match_with_region_filters(
    server: NominatimServer, tmp_path: Path
) -> None:
    match = geocoder(server, tmp_path).resolve("Chwarta")
    assert match is not None and match.layer == "online" and match.score < 1
    assert (match.site.lat, match.site.lon) == (35.7178, 45.5747)
    assert match.site.name == "Chwarta" and match.site.country == "IQ" and match.site.kind == "town"
    assert 1_000 <= match.uncertainty_m <= 3_000 and not match.ambiguous
    (_, query, params, headers), = server.log
    assert query == "Chwarta" and headers["User-Agent"] == UA
    assert params["countrycodes"] == "iq,ir,tr,sy" and params["bounded"] == "1"
    assert params["format"] == "json" and params["limit"] == "5"
    left, top, right, bottom = (float(v) for v in params["viewbox"].split(","))
    assert (left, right) == (40.5, 48.0) and sorted((top, bottom)) == [33.0, 39.0]


def test_no_place_is_none_and_far_answers_are_dropped(
    server: NominatimServer, tmp_path: Path
) -> None:
    online = geocoder(server, tmp_path)
    assert online.resolve("Atlantis") is None
    assert online.resolve("Paris") is None  # outside the region: not an answer
    two = online.resolve("two towns")
    assert two is not None and two.ambiguous and len(two.alternatives) == 1


def test_a_cache_hit_makes_no_request(server: NominatimServer, tmp_path: Path) -> None:
    first = geocoder(server, tmp_path)
    assert first.resolve("Chwarta") is not None
    assert first.resolve("Atlantis") is None
    assert len(server.log) == 2
    again = geocoder(server, tmp_path)  # a new instance, the same cache directory
    cached = again.resolve(" chwarta ")
    assert cached is not None and cached.site == first.resolve("Chwarta").site  # type: ignore[union-attr]
    assert again.resolve("Atlantis") is None  # "no such place" is cached too
    assert len(server.log) == 2 and again.requests == 0
    files = list((tmp_path / "cache").glob("*.json"))
    assert len(files) == 2
    name = cache_key("nominatim", server.domain, "Chwarta")
    assert (tmp_path / "cache" / f"{name}.json").exists()
    uncached = geocoder(server, tmp_path, use_cache=False)
    uncached.resolve("Chwarta")
    assert len(server.log) == 3


def test_at_most_one_request_per_interval_across_the_process(
    server: NominatimServer, tmp_path: Path
) -> None:
    a = geocoder(server, tmp_path, min_interval=1.0, use_cache=False)
    b = geocoder(server, tmp_path, min_interval=1.0, use_cache=False)
    for online, name in ((a, "one"), (b, "two"), (a, "three")):
        online.resolve(name)
    times = [t for t, _, _, _ in server.log]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 2 and min(gaps) >= 0.95


def test_rate_limited_then_served_is_retried(server: NominatimServer, tmp_path: Path) -> None:
    online = geocoder(server, tmp_path, retries=3)
    assert online.resolve("busy twice") is None
    assert server.queries() == ["busy twice"] * 3 and online.requests == 3


def test_http_429_for_good_is_a_clear_error(server: NominatimServer, tmp_path: Path) -> None:
    online = geocoder(server, tmp_path, retries=2)
    with pytest.raises(GeocoderError, match=r"after 3 attempt\(s\): GeocoderRateLimited"):
        online.resolve("busy")
    assert len(server.log) == 3
    assert not list((tmp_path / "cache").glob("*.json"))  # failures are not cached


def test_http_500_is_retried_then_raised(server: NominatimServer, tmp_path: Path) -> None:
    with pytest.raises(GeocoderError, match=r"broken.*after 2 attempt.*500") as info:
        geocoder(server, tmp_path, retries=1).resolve("broken")
    assert "127.0.0.1" in str(info.value) and len(server.log) == 2


def test_timeout_is_a_clear_error(server: NominatimServer, tmp_path: Path) -> None:
    with pytest.raises(GeocoderError, match=r"slow.*GeocoderTimedOut"):
        geocoder(server, tmp_path, retries=0, timeout=0.2).resolve("slow")


def test_malformed_answer_is_an_error_not_none(server: NominatimServer, tmp_path: Path) -> None:
    with pytest.raises(GeocoderError, match="garbage"):
        geocoder(server, tmp_path).resolve("garbage")


def test_gazetteer_asks_online_only_when_told(server: NominatimServer, tmp_path: Path) -> None:
    online = geocoder(server, tmp_path)
    offline = Gazetteer(geocoder=online)
    assert offline.resolve("Chwarta") is None and server.log == []
    match = offline.resolve("Chwarta", online=True)
    assert match is not None and match.layer == "online"
    eager = Gazetteer(online=True, geocoder=online)
    assert eager.resolve("Penjwin").layer == "curated"  # type: ignore[union-attr]
    assert server.queries() == ["Chwarta"]  # offline answers never reach the server
    with pytest.raises(GeocoderError):
        eager.resolve("broken")


def test_cli_online(
    server: NominatimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geomap.cli import main

    monkeypatch.setenv("GAZETTEER_NOMINATIM_DOMAIN", server.domain)
    monkeypatch.setenv("GAZETTEER_NOMINATIM_SCHEME", "http")
    monkeypatch.setenv("GAZETTEER_CACHE_DIR", str(tmp_path / "cli-cache"))
    assert default_cache_dir() == tmp_path / "cli-cache"
    runner = CliRunner()
    result = runner.invoke(main, ["geocode", "--json", "Chwarta"])
    assert result.exit_code == 1 and server.log == []  # offline unless asked
    result = runner.invoke(
        main, ["geocode", "--json", "--online", "--user-agent", "cli-test/2 (a@b.c)", "Chwarta"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["layer"] == "online" and record["lat"] == 35.7178
    assert server.log[-1][3]["User-Agent"] == "cli-test/2 (a@b.c)"
    result = runner.invoke(main, ["geocode", "--online", "refused", "Zakho"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("geomap: error: Nominatim") and "400" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
