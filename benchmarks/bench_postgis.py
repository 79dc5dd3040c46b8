"""PostGIS: a real PostgreSQL + PostGIS server, the way a database user classifies events.

The script starts a private cluster (``initdb`` + ``pg_ctl``) in a temporary
directory, listening on 127.0.0.1 and a Unix socket there, as the ``postgres``
system user when run as root; it stops the server and removes the directory at
the end. When the server binaries are missing it installs Debian's
``postgresql`` and ``postgis`` packages with apt-get (root only).

Loading (reported apart, ``load_s``): the packaged frontier, country polygons,
region and crossings; the events COPY'd in, turned into ``geometry`` and
``geography`` points, GiST indexes on both, ANALYZE.

Two measurements, each a ``CREATE TABLE ... AS SELECT`` on the server:

* ``postgis distance``: ``ST_Distance`` on geography (spheroid) from each event
  to the frontier (both segments as one geography) — distance only;
* ``postgis full``: distance to each segment (so the nearest segment), the band
  (``CASE`` on the distance; ``ST_DWithin`` would only repeat the distance
  work), the side by a polygon-first ``ST_Intersects`` join with the countries,
  ``in_krg`` the same way with the region, and the nearest crossing by the
  ``<->`` operator then ``ST_Distance`` on geography — the columns geomap computes.

The server runs with durability off (``fsync``, ``synchronous_commit``) and
JIT off (it compiled for seconds per query at these sizes); parallel query at
its defaults, so both cores can be used.

Run: ``PYTHONPATH=. python -m benchmarks.bench_postgis --n 1e5``
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import (
    BAND_EDGES_M,
    Result,
    errors,
    load_reference,
    main_for,
    make_events,
    peak_rss_mb,
)

#: Debian packages with the server and the extension.
PACKAGES = ("postgresql", "postgis")


# ----------------------------------------------------------------------------- the server


def server_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin directory that has PostGIS, if any."""
    for bindir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        version = bindir.parent.name
        control = Path(f"/usr/share/postgresql/{version}/extension/postgis.control")
        if (bindir / "initdb").exists() and control.exists():
            return bindir
    return None


def ensure_installed() -> Path:
    """The server's bin directory; installs the Debian packages first when missing (root)."""
    bindir = server_bin()
    if bindir is not None:
        return bindir
    if os.geteuid() != 0:
        msg = "PostgreSQL with PostGIS is not installed: apt-get install postgresql postgis"
        raise RuntimeError(msg)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], check=True, env=env)
    bindir = server_bin()
    if bindir is None:
        msg = "apt-get installed postgresql and postgis, but no server with PostGIS was found"
        raise RuntimeError(msg)
    return bindir


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A running private cluster."""

    port: int
    directory: Path

    @property
    def conninfo(self) -> str:
        """psycopg connection string."""
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"


@contextlib.contextmanager
def postgres_server(bindir: Path | None = None) -> Iterator[Server]:
    """Start a throw-away PostgreSQL cluster on 127.0.0.1; stop and remove it on exit."""
    bindir = bindir or ensure_installed()
    directory = Path(tempfile.mkdtemp(prefix="geomap-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(directory, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log = directory / "data", directory / "server.log"
    port = _free_port()
    settings = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB "
        "-c work_mem=256MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c jit=off"
    )

    def ctl(*args: str) -> None:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), *args],
            check=True,
            capture_output=True,
        )

    try:
        subprocess.run(
            [
                *as_user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        ctl("-l", str(log), "-w", "-t", "60", "-o", settings, "start")
        try:
            yield Server(port, directory)
        finally:
            ctl("-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# ----------------------------------------------------------------------------- loading


_FROM_HEX = "ST_GeomFromWKB(decode(%s, 'hex'), 4326)"


def _hex(geom: Any) -> str:
    import shapely

    return str(shapely.to_wkb(geom, hex=True))


def load_frontier_tables(conn: Any) -> None:
    """The packaged frontier: segments, countries, region, crossings, with GiST indexes."""
    from geomap.frontier import load_frontier

    frontier = load_frontier()
    segs = {row.segment: _hex(row.geometry) for row in frontier.segments.itertuples()}
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute(
            "CREATE TABLE frontier_pair AS SELECT "
            "ST_GeomFromWKB(decode(%s, 'hex'), 4326)::geography AS ir, "
            "ST_GeomFromWKB(decode(%s, 'hex'), 4326)::geography AS tr",
            (segs["IR-KRG"], segs["TR-KRG"]),
        )
        cur.execute(
            "CREATE TABLE frontier_all AS SELECT ST_Collect(ir::geometry, tr::geometry)"
            "::geography AS geog FROM frontier_pair"
        )
        cur.execute("CREATE TABLE countries (iso2 text, geom geometry)")
        for row in frontier.countries.itertuples():
            cur.execute(
                f"INSERT INTO countries VALUES (%s, {_FROM_HEX})", (row.iso2, _hex(row.geometry))
            )
        cur.execute("CREATE TABLE region (geom geometry)")
        for geom in frontier.region.geometry:
            cur.execute(f"INSERT INTO region VALUES ({_FROM_HEX})", (_hex(geom),))
        cur.execute("CREATE TABLE crossings (key text, geog geography)")
        for row in frontier.crossings.itertuples():
            cur.execute(
                f"INSERT INTO crossings VALUES (%s, {_FROM_HEX})", (row.key, _hex(row.geometry))
            )
        cur.execute("CREATE INDEX ON countries USING gist (geom)")
        cur.execute("CREATE INDEX ON region USING gist (geom)")
        cur.execute("ANALYZE")
    conn.commit()


def load_events(conn: Any, lon: Any, lat: Any) -> float:
    """COPY the events in, build points and GiST indexes; seconds taken."""
    start = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS events_raw, events")
        cur.execute("CREATE UNLOGGED TABLE events_raw (id integer, lon float8, lat float8)")
        block = 200_000
        with cur.copy("COPY events_raw FROM STDIN") as copy:
            for a in range(0, len(lon), block):
                text = io.StringIO()
                ids = np.arange(a, min(a + block, len(lon)))
                np.savetxt(
                    text,
                    np.column_stack([ids, lon[ids], lat[ids]]),
                    fmt=["%d", "%.9f", "%.9f"],
                    delimiter="\t",
                )
                copy.write(text.getvalue())
        cur.execute(
            "CREATE UNLOGGED TABLE events AS SELECT id, "
            "ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom, "
            "ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM events_raw"
        )
        cur.execute("DROP TABLE events_raw")
        cur.execute("ALTER TABLE events ADD PRIMARY KEY (id)")
        cur.execute("CREATE INDEX ON events USING gist (geom)")
        cur.execute("CREATE INDEX ON events USING gist (geog)")
        cur.execute("ANALYZE events")
    conn.commit()
    return time.perf_counter() - start


# ----------------------------------------------------------------------------- queries

DISTANCE_SQL = """
CREATE UNLOGGED TABLE result AS
SELECT e.id, ST_Distance(e.geog, f.geog) AS distance_m
FROM events e CROSS JOIN frontier_all f
"""


def _band_case(column: str) -> str:
    edges = [0.0, *BAND_EDGES_M]
    parts = [
        f"WHEN {column} < {hi} THEN '{lo / 1000:g}-{hi / 1000:g} km'"
        for lo, hi in itertools.pairwise(edges)
    ]
    return f"CASE {' '.join(parts)} ELSE '>{edges[-1] / 1000:g} km' END"


FULL_SQL = f"""
CREATE UNLOGGED TABLE result AS
WITH side AS MATERIALIZED (
    SELECT DISTINCT ON (e.id) e.id, c.iso2
    FROM countries c JOIN events e ON ST_Intersects(c.geom, e.geom)
    ORDER BY e.id, c.iso2
), krg AS MATERIALIZED (
    SELECT DISTINCT e.id FROM region r JOIN events e ON ST_Intersects(r.geom, e.geom)
), dist AS MATERIALIZED (
    SELECT e.id, ST_Distance(e.geog, f.ir) AS ir, ST_Distance(e.geog, f.tr) AS tr
    FROM events e CROSS JOIN frontier_pair f
)
SELECT d.id,
       LEAST(d.ir, d.tr) AS distance_m,
       CASE WHEN d.ir <= d.tr THEN 'IR-KRG' ELSE 'TR-KRG' END AS segment,
       {_band_case("LEAST(d.ir, d.tr)")} AS band,
       s.iso2 AS side,
       k.id IS NOT NULL AS in_krg,
       x.key AS nearest_crossing,
       x.d AS nearest_crossing_m
FROM dist d
JOIN events e ON e.id = d.id
LEFT JOIN side s ON s.id = d.id
LEFT JOIN krg k ON k.id = d.id
CROSS JOIN LATERAL (
    SELECT c.key, ST_Distance(e.geog, c.geog) AS d FROM crossings c
    ORDER BY e.geog <-> c.geog LIMIT 1
) x
"""

QUERIES = {"postgis distance": DISTANCE_SQL, "postgis full": FULL_SQL}


def time_query(conn: Any, sql: str) -> tuple[float, np.ndarray]:
    """Seconds to run ``sql`` (which creates ``result``) and the distances it gave, by id."""
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS result")
        conn.commit()
        start = time.perf_counter()
        cur.execute(sql)
        conn.commit()
        seconds = time.perf_counter() - start
        cur.execute("SELECT distance_m FROM result ORDER BY id")
        distance = np.array([row[0] for row in cur.fetchall()], dtype=np.float64)
    return seconds, distance


def _backend_peak_mb(conn: Any) -> float | None:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        return peak_rss_mb(pid)
    except OSError:  # another machine or user
        return None


def run(
    n: int,
    *,
    repeat: int = 1,
    reference: str | None = None,
    query: str = "postgis full",
) -> Result:
    """Load ``n`` synthetic events into a fresh server and time ``query``."""
    import psycopg

    if query not in QUERIES:
        msg = f"unknown query {query!r}: use one of {', '.join(QUERIES)}"
        raise ValueError(msg)
    lon, lat = make_events(n)
    with postgres_server() as server, psycopg.connect(server.conninfo) as conn:
        load_frontier_tables(conn)
        load_s = load_events(conn, lon, lat)
        runs = [time_query(conn, QUERIES[query]) for _ in range(repeat)]
        seconds = float(np.median([s for s, _ in runs]))
        distance = runs[-1][1]
        peak = _backend_peak_mb(conn)
        with conn.cursor() as cur:
            cur.execute("SELECT postgis_lib_version(), current_setting('server_version')")
            postgis, pg = cur.fetchone()
    if len(distance) != n:
        msg = f"{query}: {len(distance)} result rows for {n} events"
        raise RuntimeError(msg)
    result = Result(
        query,
        n,
        seconds,
        peak_rss_mb=peak,
        extra={"load_s": load_s, "postgis": postgis, "postgresql": pg},
    )
    sample = load_reference(reference, n)
    if sample is not None:
        result.max_error_m, result.median_error_m = errors(distance[sample[0]], sample[1])
    return result


if __name__ == "__main__":
    main_for(run, __doc__.splitlines()[0])
