"""geomap.classify: geodesic distances against geographiclib, bands, side, region, crossings.

The exact reference below measures the geodesic distance from a point to the packaged
frontier with geographiclib (Karney's algorithms, independent of pyproj and of both
engines): candidate edges are picked generously in a planar projection, then the foot
point on each candidate edge (taken as a geodesic) is found by Newton steps along it.
"""

from __future__ import annotations

import functools
import math
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geographiclib.geodesic import Geodesic
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from geomap import classification
from geomap.classification import classify, classify_arrays, prepare
from geomap.errors import DependencyError, InputError
from geomap.events import CLASSIFIED_COLUMNS
from geomap.frontier import LOCAL_CRS, Frontier, load_frontier

GEOD = Geodesic.WGS84
ENGINES = ["numpy", "numba"]

#: Curated places (lon, lat): gazetteer/data/sites.csv; crossings as snapped onto the line.
BASHMAQ = (46.005218, 35.575770)  # on IR-KRG
IBRAHIM_KHALIL = (42.565970, 37.145660)  # on TR-KRG
ERBIL = (44.0092, 36.1911)
MARIVAN = (46.1763, 35.5219)  # Iran
SILOPI = (42.4686, 37.2486)  # Turkey
MOSUL = (43.1189, 36.3350)
PARIS = (2.3522, 48.8566)  # far outside the projection's domain


# ----------------------------------------------------------------------------- exact reference


def _edges() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (m, 4) lon/lat, (m, 4) planar, and segment index of the packaged frontier."""
    to_plane = Transformer.from_crs("EPSG:4326", LOCAL_CRS, always_xy=True)
    ll, seg = [], []
    for i, xy in enumerate(load_frontier().line_coords().values()):
        ll.append(np.column_stack([xy[:-1], xy[1:]]))
        seg.append(np.full(len(xy) - 1, i))
    lonlat = np.concatenate(ll)
    x0, y0 = to_plane.transform(lonlat[:, 0], lonlat[:, 1])
    x1, y1 = to_plane.transform(lonlat[:, 2], lonlat[:, 3])
    return lonlat, np.column_stack([x0, y0, x1, y1]), np.concatenate(seg)


_EDGES = _edges()
_TO_PLANE = Transformer.from_crs("EPSG:4326", LOCAL_CRS, always_xy=True)


def _to_edge(lon: float, lat: float, edge: np.ndarray) -> float:
    """Geodesic distance from a point to a geodesic edge (Newton steps on the foot point)."""
    line = GEOD.InverseLine(edge[1], edge[0], edge[3], edge[2])
    length = line.s13
    ends = min(
        GEOD.Inverse(lat, lon, edge[1], edge[0])["s12"],
        GEOD.Inverse(lat, lon, edge[3], edge[2])["s12"],
    )
    if length == 0:
        return float(ends)
    s, best = length / 2, math.inf
    for _ in range(20):
        foot = line.Position(s)
        to_p = GEOD.Inverse(foot["lat2"], foot["lon2"], lat, lon)
        best = min(best, to_p["s12"])
        step = to_p["s12"] * math.cos(math.radians(to_p["azi1"] - foot["azi2"]))
        new = min(max(s + step, 0.0), length)
        if abs(new - s) < 1e-4:
            break
        s = new
    return float(min(best, ends))


@functools.cache
def exact_distance(lon: float, lat: float) -> tuple[float, int]:
    """Exact geodesic distance (m) to the packaged frontier, and the segment index."""
    lonlat, xy, seg = _EDGES
    if 38.0 <= lon <= 52.0 and 30.0 <= lat <= 42.0:
        # the planar distance is within 0.2 % of the geodesic one here: pick with 0.5 %
        x, y = _TO_PLANE.transform(lon, lat)
        ex, ey = xy[:, 2] - xy[:, 0], xy[:, 3] - xy[:, 1]
        t = np.clip(((x - xy[:, 0]) * ex + (y - xy[:, 1]) * ey) / (ex * ex + ey * ey), 0, 1)
        planar = np.hypot(xy[:, 0] + t * ex - x, xy[:, 1] + t * ey - y)
        candidates = np.flatnonzero(planar <= planar.min() * 1.005 + 20.0)
    else:
        # far away: the edge holding the nearest point has a start vertex within one edge
        # length (< 3 km) of the nearest start vertex. Every 10th start vertex of each
        # segment is measured first; vertex i is at most 9 edges (< 27 km) from its
        # coarse vertex c, so d(i) >= d(c) - 27 km rules most of them out.
        def to(i: int) -> float:
            return float(GEOD.Inverse(lat, lon, lonlat[i, 1], lonlat[i, 0])["s12"])

        first = np.searchsorted(seg, seg, side="left")  # first edge of each edge's segment
        coarse_of = np.arange(len(lonlat)) - (np.arange(len(lonlat)) - first) % 10
        coarse = {int(i): to(int(i)) for i in np.unique(coarse_of)}
        bound = min(coarse.values()) + 3_000.0
        near = [i for i in range(len(lonlat)) if coarse[int(coarse_of[i])] - 27_000.0 <= bound]
        starts = {i: coarse[i] if i in coarse else to(i) for i in near}
        best = min(starts.values())
        candidates = np.array([i for i, d in starts.items() if d <= best + 3_000.0])
    dists = [_to_edge(lon, lat, lonlat[i]) for i in candidates]
    k = int(np.argmin(dists))
    return dists[k], int(seg[candidates[k]])


def _sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Half within 30 km of the frontier, half uniform in and around the region."""
    rng = np.random.default_rng(seed)
    vertices = np.concatenate(list(load_frontier().line_coords().values()))
    near = n // 2
    v = vertices[rng.integers(0, len(vertices), near)]
    pts = [
        GEOD.Direct(la, lo, az, d)
        for (lo, la), az, d in zip(
            v, rng.uniform(0, 360, near), rng.uniform(0, 30_000, near), strict=True
        )
    ]
    lon = np.concatenate([[p["lon2"] for p in pts], rng.uniform(40.0, 49.0, n - near)])
    lat = np.concatenate([[p["lat2"] for p in pts], rng.uniform(33.0, 39.5, n - near)])
    return lon, lat


def _events(points: list[tuple[float, float] | None], **cols: list[object]) -> gpd.GeoDataFrame:
    geoms = [None if p is None else Point(p) for p in points]
    return gpd.GeoDataFrame(
        {"id": [f"e{i}" for i in range(len(points))], **cols}, geometry=geoms, crs=4326
    )


# ----------------------------------------------------------------------------- accuracy


@pytest.mark.parametrize("engine", ENGINES)
def test_distance_within_one_metre_of_geographiclib(engine: str) -> None:
    lon, lat = _sample(400, seed=7)
    got = classify_arrays(lon, lat, engine=engine)  # type: ignore[arg-type]
    names = list(load_frontier().segments["segment"])
    for i in range(len(lon)):
        d, s = exact_distance(lon[i], lat[i])
        assert abs(got["distance_m"][i] - d) <= 1.0, (lon[i], lat[i], got["distance_m"][i], d)
        assert names[got["segment"][i]] == names[s] or abs(d - got["distance_m"][i]) < 1.0


@pytest.mark.parametrize(
    "point",
    [
        (44.78431, 37.14385),  # the Iraq–Iran–Turkey tripoint
        (44.80, 37.16),
        (44.76, 37.13),  # just around it
        (42.35151, 37.10527),
        (42.33, 37.09),  # the Syrian tripoint and beyond the end
        (45.79559, 34.91180),
        (45.80, 34.88),
        (45.70, 34.85),  # the southern cut and beyond it
        (45.9231, 35.0724),  # on the bridged river gap
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_distance_at_the_ends_of_the_segments(engine: str, point: tuple[float, float]) -> None:
    out = classify(_events([point]), engine=engine)  # type: ignore[arg-type]
    assert out["distance_m"].iloc[0] == pytest.approx(exact_distance(*point)[0], abs=1.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_far_points_take_the_exact_path(engine: str) -> None:
    points = [PARIS, (100.0, -30.0), (44.0, 70.0)]
    out = classify(_events(points), engine=engine)  # type: ignore[arg-type]
    for (lon, lat), got in zip(points, out["distance_m"], strict=True):
        assert got == pytest.approx(exact_distance(lon, lat)[0], abs=1.0)
    assert out["side"].isna().all()
    assert list(out["band"]) == [">60 km"] * 3


def test_engines_agree() -> None:
    lon, lat = _sample(4000, seed=11)
    a = classify_arrays(lon, lat, engine="numpy")
    b = classify_arrays(lon, lat, engine="numba")
    assert np.abs(a["distance_m"] - b["distance_m"]).max() < 0.5
    assert np.abs(a["crossing_m"] - b["crossing_m"]).max() < 0.5
    for key in ("side", "in_krg"):
        assert np.array_equal(a[key], b[key]), key
    # segment and crossing agree except between ties: points whose nearest frontier point
    # is the tripoint (where both segments end), and crossings at one point (two names)
    tripoint = load_frontier().line_coords()["IR-KRG"][0]
    differ = np.flatnonzero(a["segment"] != b["segment"])
    for i in differ:
        to_tripoint = GEOD.Inverse(lat[i], lon[i], tripoint[1], tripoint[0])["s12"]
        assert to_tripoint == pytest.approx(a["distance_m"][i], abs=0.5)
    differ = a["crossing"] != b["crossing"]
    assert np.all(np.abs(a["crossing_m"][differ] - b["crossing_m"][differ]) < 0.5)


# ----------------------------------------------------------------------------- known places


@pytest.mark.parametrize("engine", ENGINES)
def test_known_places(engine: str) -> None:
    places = [BASHMAQ, IBRAHIM_KHALIL, ERBIL, MARIVAN, SILOPI, MOSUL]
    out = classify(_events(places), engine=engine).set_index("id")  # type: ignore[arg-type]
    rows = out.to_dict("index")
    bashmaq, khalil, erbil, marivan, silopi, mosul = (rows[f"e{i}"] for i in range(6))
    assert bashmaq["distance_m"] < 0.5
    assert (bashmaq["segment"], bashmaq["band"], bashmaq["nearest_crossing"]) == (
        "IR-KRG",
        "0-1 km",
        "bashmaq",
    )
    assert bashmaq["nearest_crossing_m"] < 0.5
    assert khalil["distance_m"] < 0.5
    assert khalil["segment"] == "TR-KRG"
    assert khalil["nearest_crossing"] in ("ibrahim_khalil", "habur")  # one point, both sides
    assert (erbil["side"], bool(erbil["in_krg"]), erbil["band"]) == ("IQ", True, ">60 km")
    assert (marivan["side"], bool(marivan["in_krg"]), marivan["segment"]) == ("IR", False, "IR-KRG")
    assert marivan["band"] == "5-15 km"
    assert (silopi["side"], bool(silopi["in_krg"]), silopi["segment"]) == ("TR", False, "TR-KRG")
    assert silopi["band"] == "5-15 km"
    assert (mosul["side"], bool(mosul["in_krg"])) == ("IQ", False)
    for row, place in zip((erbil, marivan, silopi, mosul), places[2:], strict=True):
        assert row["distance_m"] == pytest.approx(exact_distance(*place)[0], abs=1.0)


def test_nearest_crossing_distance_is_geodesic() -> None:
    crossings = load_frontier().crossings
    out = classify(_events([ERBIL, MARIVAN]))
    for (lon, lat), key, got in zip(
        [ERBIL, MARIVAN], out["nearest_crossing"], out["nearest_crossing_m"], strict=True
    ):
        dists = {
            k: GEOD.Inverse(lat, lon, p.y, p.x)["s12"]
            for k, p in zip(crossings["key"], crossings.geometry, strict=True)
        }
        assert got == pytest.approx(min(dists.values()), abs=1.0)
        assert dists[key] == pytest.approx(min(dists.values()), abs=1.0)


# ----------------------------------------------------------------------------- bands


def _toy_frontier() -> Frontier:
    def frame(geoms: list[object], **cols: list[object]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(cols, geometry=geoms, crs=4326)

    return Frontier(
        segments=frame([LineString([(45, 35), (45, 36)])], segment=["IR-KRG"]),
        countries=frame(
            [box(44, 35, 45, 36), box(45, 35, 46, 36)], iso2=["IQ", "IR"], name=["Iraq", "Iran"]
        ),
        region=frame([box(44, 35.5, 45, 36)], name=["Kurdistan Region"]),
        crossings=frame([Point(45, 35.5)], key=["x"], name=["X"]),
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_bands_are_half_open_with_custom_edges(engine: str) -> None:
    frontier = _toy_frontier()
    lons = [44.99, 44.95, 44.9, 44.8, 44.5]
    events = _events([(lo, 35.5) for lo in lons])
    dist = classify(events, frontier, engine=engine)["distance_m"].to_numpy()  # type: ignore[arg-type]
    exact = [d for d in dist if (d / 1000.0) * 1000.0 == d]
    assert exact  # edges at these distances are exactly representable
    for d in exact:
        # an event exactly at an edge belongs to the farther band: [lower, upper)
        edges = [d / 1000.0 / 2, d / 1000.0, d / 1000.0 * 2]
        out = classify(events, frontier, bands=edges, engine=engine)  # type: ignore[arg-type]
        labels = dict(zip(out["distance_m"], out["band"], strict=True))
        e = [f"{x:g}" for x in edges]
        assert labels[d] == f"{e[1]}-{e[2]} km"
    out = classify(events, frontier, bands="2,10,30", engine=engine)  # type: ignore[arg-type]
    assert list(out["band"]) == ["0-2 km", "2-10 km", "2-10 km", "10-30 km", ">30 km"]


@pytest.mark.parametrize("engine", ENGINES)
def test_band_certain_follows_the_uncertainty_circle(engine: str) -> None:
    frontier = _toy_frontier()
    # 0.01° of longitude at 35.5° N is about 907 m from the line: 93 m inside the 1 km edge
    events = _events([(44.99, 35.5)] * 5, uncertainty_m=[0.0, 50.0, 150.0, float("nan"), 900.0])
    out = classify(events, frontier, engine=engine)  # type: ignore[arg-type]
    assert out["distance_m"].iloc[0] == pytest.approx(907.0, abs=5)
    assert [bool(v) for v in out["band_certain"]] == [True, True, False, True, False]
    assert set(out["band"]) == {"0-1 km"}
    no_column = classify(_events([(44.99, 35.5)]), frontier, engine=engine)  # type: ignore[arg-type]
    assert bool(no_column["band_certain"].iloc[0]) is True


def test_band_certain_across_the_outer_edge() -> None:
    frontier = _toy_frontier()
    events = _events([(44.5, 35.5)], uncertainty_m=[2000.0])  # ~45 km: 5 km from nothing
    out = classify(events, frontier, bands=[44.0, 50.0])
    d = out["distance_m"].iloc[0]
    assert 44_000 < d < 46_000
    assert bool(out["band_certain"].iloc[0]) is False
    wide = classify(events, frontier, bands=[10.0, 60.0])
    assert bool(wide["band_certain"].iloc[0]) is True


# ----------------------------------------------------------------------------- table behaviour


@pytest.mark.parametrize("engine", ENGINES)
def test_null_geometries_keep_their_rows(engine: str) -> None:
    events = _events([ERBIL, None, MARIVAN])
    events.loc[3] = ["e3", Point()]  # an empty point too
    out = classify(events, engine=engine)  # type: ignore[arg-type]
    assert list(out["id"]) == ["e0", "e1", "e2", "e3"]
    for column in CLASSIFIED_COLUMNS:
        assert out[column].iloc[[1, 3]].isna().all(), column
        assert out[column].iloc[[0, 2]].notna().all(), column


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_and_all_null_tables(engine: str) -> None:
    empty = gpd.GeoDataFrame({"id": pd.Series([], dtype=object)}, geometry=[], crs=4326)
    out = classify(empty, engine=engine)  # type: ignore[arg-type]
    assert len(out) == 0
    assert {"distance_m", "band", "side", "in_krg", "nearest_crossing"} <= set(out.columns)
    nulls = classify(_events([None, None]), engine=engine)  # type: ignore[arg-type]
    assert len(nulls) == 2
    assert nulls["distance_m"].isna().all() and nulls["band"].isna().all()


def test_order_invariance_and_index_kept() -> None:
    lon, lat = _sample(300, seed=3)
    events = gpd.GeoDataFrame(
        {"n": np.arange(300)},
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
        index=[f"r{i}" for i in range(300)],
    )
    out = classify(events)
    assert list(out.index) == list(events.index)
    shuffled = events.sample(frac=1.0, random_state=5)
    again = classify(shuffled).loc[out.index]
    pd.testing.assert_frame_equal(out, again)


def test_input_not_mutated() -> None:
    events = _events([ERBIL, None, MARIVAN], uncertainty_m=[10.0, None, 5000.0])
    before = events.copy()
    out = classify(events)
    pd.testing.assert_frame_equal(events, before)
    assert "distance_m" not in events.columns
    assert out is not events


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:32638", LOCAL_CRS])
def test_other_crs_is_reprojected(crs: str) -> None:
    events = _events([ERBIL, MARIVAN, SILOPI, None])
    out = classify(events.to_crs(crs))
    assert out.crs.equals("EPSG:4326")
    base = classify(events)
    assert np.allclose(out["distance_m"].iloc[:3], base["distance_m"].iloc[:3], atol=0.01)
    assert list(out["side"].iloc[:3]) == list(base["side"].iloc[:3])
    assert out.geometry.iloc[3] is None


def test_no_crs_means_wgs84() -> None:
    events = _events([ERBIL]).set_crs(None, allow_override=True)
    out = classify(events)
    assert out.crs.equals("EPSG:4326")
    assert out["side"].iloc[0] == "IQ"


def test_bad_inputs_are_input_errors() -> None:
    with pytest.raises(InputError, match="GeoDataFrame"):
        classify(pd.DataFrame({"lon": [44.0], "lat": [36.0]}))  # type: ignore[arg-type]
    lines = gpd.GeoDataFrame(geometry=[LineString([(44, 36), (45, 36)])], crs=4326)
    with pytest.raises(InputError, match="point geometries"):
        classify(lines)
    with pytest.raises(InputError, match="unknown engine"):
        classify(_events([ERBIL]), engine="gpu")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="strictly increasing"):
        classify(_events([ERBIL]), bands=[5, 1])


def test_output_columns_and_types() -> None:
    out = classify(_events([ERBIL, None]))
    assert list(out.columns[-8:]) == [
        "distance_m",
        "segment",
        "band",
        "band_certain",
        "side",
        "in_krg",
        "nearest_crossing",
        "nearest_crossing_m",
    ]
    assert out["distance_m"].dtype == np.float64
    assert out["in_krg"].iloc[0] == True  # noqa: E712 - numpy or pandas boolean
    assert out["band_certain"].iloc[0] == True  # noqa: E712
    assert isinstance(out["band"].iloc[0], str)


# ----------------------------------------------------------------------------- engines and memory


def test_chunked_run_matches_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    lon, lat = _sample(1000, seed=5)
    lon[::7] = np.nan
    whole = classify_arrays(lon, lat)
    monkeypatch.setattr(classification, "CHUNK_SIZE", 97)
    parts = classify_arrays(lon, lat)
    assert whole.keys() == parts.keys()
    for key in whole:
        assert np.array_equal(whole[key], parts[key], equal_nan=True), key


def test_numpy_engine_when_numba_cannot_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    monkeypatch.delitem(sys.modules, "geomap._kernel", raising=False)
    assert classification._resolve_engine("auto") == "numpy"
    with pytest.raises(DependencyError, match="numba"):
        classification._resolve_engine("numba")
    out = classify(_events([ERBIL]))
    assert out["side"].iloc[0] == "IQ"


def test_prepare_compiles_before_the_first_call() -> None:
    frontier = load_frontier()
    prepare(frontier)
    from geomap import _kernel

    assert _kernel.is_compiled()
    prepare(frontier)  # a second call is cheap and harmless


def test_cost_does_not_grow_with_the_number_of_crossing_candidates() -> None:
    """Distances only depend on the point, not on what else is classified with it."""
    lon, lat = _sample(200, seed=9)
    alone = np.array(
        [
            classify_arrays(lon[i : i + 1], lat[i : i + 1])["distance_m"][0]
            for i in range(0, 200, 20)
        ]
    )
    together = classify_arrays(lon, lat)["distance_m"][::20]
    assert np.array_equal(alone, together)


def test_frontier_vertices_are_at_distance_zero() -> None:
    xy = np.concatenate(list(load_frontier().line_coords().values()))
    pick = xy[:: max(1, len(xy) // 500)]
    for engine in ENGINES:
        got = classify_arrays(pick[:, 0], pick[:, 1], engine=engine)  # type: ignore[arg-type]
        assert got["distance_m"].max() < 1e-3


def test_after_prepare_nothing_is_left_to_compile() -> None:
    from geomap import _kernel

    prepare(load_frontier())
    assert _kernel.will_compile() is False


def test_chord_arc_matches_geographiclib_up_to_the_near_limit() -> None:
    """The kernel's chord-to-geodesic step on random pairs: mm below 300 km, < 0.25 m at 800 km."""
    from geomap import _kernel
    from geomap._index import ecef

    rng = np.random.default_rng(20261202)
    frame, v = np.empty(8), np.empty(3)
    worst = {300_000.0: 0.0, _kernel.NEAR_M: 0.0}
    for limit in worst:
        for _ in range(1_000):
            lon, lat = rng.uniform(25, 65), rng.uniform(20, 52)
            length = rng.uniform(1_000, limit)
            far = GEOD.Direct(lat, lon, rng.uniform(0, 360), length)
            p, q = ecef([lon, far["lon2"]], [lat, far["lat2"]])
            _kernel._event_frame(lon, lat, np.eye(3), np.empty(3), frame)
            v[:] = q - p
            worst[limit] = max(worst[limit], abs(_kernel._arc(v, frame) - length))
    assert worst[300_000.0] < 0.01, worst
    assert worst[_kernel.NEAR_M] < 0.25, worst
