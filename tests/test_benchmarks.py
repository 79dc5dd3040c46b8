"""Smoke runs of every benchmark at tiny sizes, so the scripts cannot rot.

Speed is not checked here (that is what the benchmarks are for); the results'
shape, the events generator, the geographiclib oracle and the report are.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("geographiclib")

ROOT = Path(__file__).resolve().parent.parent


def _benchmarks_package() -> None:
    """Make ``benchmarks`` importable from the source tree (it is not installed)."""
    if "benchmarks" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        "benchmarks", ROOT / "benchmarks" / "__init__.py",
        submodule_search_locations=[str(ROOT / "benchmarks")],
    )  # fmt: skip
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmarks"] = module
    spec.loader.exec_module(module)


_benchmarks_package()
bench_cli = importlib.import_module("benchmarks.bench_cli")
bench_dask = importlib.import_module("benchmarks.bench_dask")
bench_geomap = importlib.import_module("benchmarks.bench_geomap")
bench_geopandas = importlib.import_module("benchmarks.bench_geopandas")
bench_postgis = importlib.import_module("benchmarks.bench_postgis")
common = importlib.import_module("benchmarks.common")
run_all = importlib.import_module("benchmarks.run_all")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "reference.npz"
    common.save_reference(path, 400, 25)
    return path


def test_events_are_reproducible_and_half_near_the_frontier() -> None:
    from geomap.classification import classify_arrays

    lon, lat = common.make_events(2_000)
    again = common.make_events(2_000)
    assert np.array_equal(lon, again[0]) and np.array_equal(lat, again[1])
    assert not np.array_equal(lon, common.make_events(2_000, seed=1)[0])
    west, south, east, north = common.BOX
    assert ((west <= lon) & (lon <= east) & (south <= lat) & (lat <= north)).all()
    near = classify_arrays(lon, lat, engine="numpy")["distance_m"] <= common.NEAR_M + 1
    assert 0.5 <= near.mean() < 0.8  # the near half, and some of the box


def test_oracle_agrees_with_the_reference_engine() -> None:
    from geomap.classification import classify_arrays

    lon, lat = common.make_events(30, seed=3)
    oracle = common.reference_distances(lon, lat)
    engine = classify_arrays(lon, lat, engine="numpy")["distance_m"]
    assert np.abs(oracle - engine).max() < 0.01


def test_geomap_frame_with_errors(reference: Path) -> None:
    result = bench_geomap.run(400, repeat=1, reference=str(reference))
    assert (result.method, result.n) == ("geomap.classify", 400)
    assert result.rate > 0 and result.peak_rss_mb
    assert result.max_error_m is not None and result.max_error_m < 1.0


@pytest.mark.parametrize("options", [{"api": "arrays"}, {"chunk": "150"}])
def test_geomap_arrays_and_chunks(options: dict[str, str]) -> None:
    result = bench_geomap.run(400, repeat=1, **options)
    assert result.n == 400 and result.rate > 0
    assert result.max_error_m is None  # no reference given


def test_geomap_unknown_api() -> None:
    with pytest.raises(ValueError, match="unknown api"):
        bench_geomap.run(10, repeat=1, api="gpu")


def test_geopandas(reference: Path) -> None:
    result = bench_geopandas.run(400, repeat=1, reference=str(reference))
    assert result.method == "geopandas" and result.rate > 0
    assert result.max_error_m is not None and result.max_error_m > 0  # planar UTM distances


@pytest.mark.parametrize("engine", ["memory", "dask"])
def test_dask_file_to_file(engine: str) -> None:
    pytest.importorskip("dask_geopandas")
    result = bench_dask.run(300, engine=engine, partitions=2)
    assert result.method == f"file to file, {engine}" and result.rate > 0


def test_cli_startup() -> None:
    result = bench_cli.run(repeat=1)
    assert set(result.extra) == {*bench_cli.COMMANDS, "ratio"}
    assert result.extra["ratio"] == pytest.approx(result.seconds / result.extra["click"])


def test_module_command_line_prints_json() -> None:
    result = common.run_json("bench_geomap", ["--n", "300", "--repeat", "1"])
    assert result["n"] == 300 and result["rate"] > 0


@pytest.mark.slow
def test_postgis(reference: Path) -> None:
    pytest.importorskip("psycopg")
    if bench_postgis.server_bin() is None:
        pytest.skip("PostgreSQL with PostGIS is not installed")
    full = bench_postgis.run(400, reference=str(reference))
    assert full.method == "postgis full" and full.rate > 0
    assert full.extra["load_s"] > 0
    assert full.max_error_m is not None and full.max_error_m < 10.0


def test_report_from_results(tmp_path: Path) -> None:
    results = [
        common.Result("geomap.classify", 1_000, 0.001, peak_rss_mb=300.0, max_error_m=0.001,
                      median_error_m=0.0),
        common.Result("geopandas", 1_000, 0.3),
        common.Result("postgis distance", 1_000, 0.06, extra={"load_s": 0.1, "postgis": "3",
                                                            "postgresql": "15"}),
    ]  # fmt: skip
    report: dict[str, Any] = {
        "command": "PYTHONPATH=. python -m benchmarks.run_all --quick",
        "started": "2026-01-01 00:00 UTC",
        "minutes": 1.0,
        "machine": common.machine_info(),
        "load_1min": [1.0, 2.0],
        "error_n": 1_000,
        "sample": 25,
        "results": [r.to_dict() for r in results],
        "cli": {"extra": {"click": 0.05, "geomap --help": 0.07, "ratio": 1.4}},
        "stages": {"PYTHONPATH=. python benchmarks/bench_gazetteer.py": "load 0.5 s"},
    }
    text = run_all.markdown(report)
    assert "| `geomap.classify` | 1.00 M/s | 300 MiB (10^3) | 0.001 / 0 |" in text
    assert "| `geopandas` | 300x" not in text
    assert "| `geopandas` | 10^3 | 1.00 M/s | 3.3 k/s | 300x |" in text
    assert "| postgis distance | 10^3 | 0.1 | 0.06 |" in text
    assert "**1.40x**" in text
    assert "## Other stages" in text
    assert "```\nload 0.5 s\n```" in text
    assert "| >= 100x geopandas (at 10^3) | 300x | yes |" in text
    assert "| >= 20x postgis distance (at 10^3) | 60x | yes |" in text
    assert "| distance error <= 1 m (max over the sample) | 0.001 m | yes |" in text


def test_plan_sizes() -> None:
    quick = run_all.plan(True, postgis=False, geopandas_max=0)
    assert {n for _, n, _ in quick} == {1_000, 10_000}
    assert not any(module == "bench_postgis" for module, _, _ in quick)
    full = run_all.plan(False, postgis=True, geopandas_max=100_000)
    geomap_sizes = {n for module, n, options in full if module == "bench_geomap" and not options}
    assert geomap_sizes == {10**4, 10**5, 10**6, 10**7}
    assert max(n for module, n, _ in full if module == "bench_geopandas") == 100_000
    assert math.isfinite(common.Result("x", 1, 0.5).rate)
    for script in run_all.stage_scripts(quick=True):
        assert (ROOT / "benchmarks" / script).is_file()
