"""The dask engine: same rows as the in-memory engine, partitioned output, one-line errors."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

pytest.importorskip("dask_geopandas")

import geopandas as gpd
import pandas as pd
import shapely

from geomap.cli import main
from geomap.distributed import classify_parquet
from geomap.errors import InputError

N = 240


def _events() -> gpd.GeoDataFrame:
    """Events around the frontier, with extra columns and a few without a location."""
    rng = np.random.default_rng(7)
    lon = rng.uniform(41.5, 47.0, N)
    lat = rng.uniform(34.0, 38.0, N)
    geometry = shapely.points(lon, lat)
    geometry[[5, 77, 200]] = None
    return gpd.GeoDataFrame(
        {
            "id": [f"e{i:03d}" for i in range(N)],
            "date": [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(N)],
            "event_type": ["shelling_artillery", "military_exercise", "meeting"] * (N // 3),
            "actors": ["Iran|Iraq", "Turkey", ""] * (N // 3),
            "place": [f"place {i % 17}" for i in range(N)],
            "uncertainty_m": rng.choice([0.0, 500.0, 5000.0], N),
            "weight": rng.integers(1, 9, N),
        },
        geometry=geometry,
        crs=4326,
    )


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return _events()


@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory: pytest.TempPathFactory, events: gpd.GeoDataFrame) -> Path:
    path = tmp_path_factory.mktemp("in") / "events.parquet"
    events.to_parquet(path)
    return path


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory, events: gpd.GeoDataFrame) -> Path:
    """The same events in three GeoParquet files (a partitioned input)."""
    directory = tmp_path_factory.mktemp("parts")
    for i, start in enumerate(range(0, N, 100)):
        events.iloc[start : start + 100].to_parquet(directory / f"part-{i}.parquet")
    return directory


@pytest.fixture(scope="module")
def memory_result(tmp_path_factory: pytest.TempPathFactory, parquet_file: Path) -> pd.DataFrame:
    """What ``geomap classify`` (the in-memory engine) writes for the fixture."""
    out = tmp_path_factory.mktemp("memory") / "classified.parquet"
    result = CliRunner().invoke(main, ["classify", str(parquet_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return _normal(gpd.read_parquet(out))


def _normal(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("id").reset_index(drop=True)


def _read_dir(directory: Path) -> pd.DataFrame:
    return _normal(gpd.read_parquet(directory))


def _parts(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_dask_cli_equals_memory_cli(
    tmp_path: Path, parquet_file: Path, memory_result: pd.DataFrame
) -> None:
    out = tmp_path / "out"
    args = ["classify", "--engine", "dask", "--partitions", "4", str(parquet_file), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "3 of 240 rows could not be located" in result.stderr
    assert f"240 events written to {out}" in result.stderr
    assert _parts(out) == [f"part.{i:05d}.parquet" for i in range(4)]
    pd.testing.assert_frame_equal(_read_dir(out), memory_result)


@pytest.mark.parametrize("scheduler", ["threads", "processes", "synchronous"])
def test_partitioned_input_equals_memory(
    tmp_path: Path, parquet_dir: Path, memory_result: pd.DataFrame, scheduler: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unlocated rows, also counted in the summary
        summary = classify_parquet(parquet_dir, tmp_path / "out", scheduler=scheduler)
    assert (summary.rows, summary.unlocated, summary.partitions) == (240, 3, 3)
    assert len(_parts(tmp_path / "out")) == 3
    pd.testing.assert_frame_equal(_read_dir(tmp_path / "out"), memory_result)


def test_nothing_lost(tmp_path: Path, parquet_file: Path, events: gpd.GeoDataFrame) -> None:
    out = tmp_path / "out"
    CliRunner().invoke(main, ["classify", "--engine", "dask", str(parquet_file), "-o", str(out)])
    written = _read_dir(out)
    assert written["id"].tolist() == sorted(events["id"])
    unlocated = written[written.geometry.isna()]
    assert unlocated["id"].tolist() == ["e005", "e077", "e200"]
    assert unlocated["problem"].notna().all()
    assert unlocated["distance_m"].isna().all()


def test_csv_input_in_blocks_equals_memory(tmp_path: Path, events: gpd.GeoDataFrame) -> None:
    table = pd.DataFrame(events.drop(columns="geometry"))
    table["lon"] = events.geometry.x.round(6)
    table["lat"] = events.geometry.y.round(6)
    source = tmp_path / "events.csv"
    table.to_csv(source, index=False)
    memory = tmp_path / "memory.parquet"
    assert CliRunner().invoke(main, ["classify", str(source), "-o", str(memory)]).exit_code == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = classify_parquet(source, tmp_path / "out", blocksize=4_000)
    assert summary.partitions > 1
    assert summary.rows == N
    pd.testing.assert_frame_equal(_read_dir(tmp_path / "out"), _normal(gpd.read_parquet(memory)))


def test_output_replaced_whole_and_kept_on_failure(tmp_path: Path, parquet_file: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.parquet").write_text("old")
    runner = CliRunner()
    args = ["classify", "--engine", "dask", "--partitions", "2", str(parquet_file), "-o", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    assert _parts(out) == ["part.00000.parquet", "part.00001.parquet"]
    bad = tmp_path / "garbage.parquet"
    bad.write_bytes(b"not parquet at all")
    failed = runner.invoke(main, ["classify", "--engine", "dask", str(bad), "-o", str(out)])
    assert failed.exit_code == 1
    assert _parts(out) == ["part.00000.parquet", "part.00001.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.parquet", "out"]  # no leftovers


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--scheduler", "bogus"], 1, "geomap: error: unknown scheduler 'bogus'"),
        (["--partitions", "0"], 2, "Invalid value for '--partitions'"),
        (["-o", "-"], 2, "--engine dask writes a directory"),
        (["--rejects", "r.csv"], 2, "--rejects is for --engine memory"),
    ],
)
def test_bad_options(
    tmp_path: Path, parquet_file: Path, args: list[str], code: int, message: str
) -> None:
    full = ["classify", "--engine", "dask", str(parquet_file), "-o", str(tmp_path / "o"), *args]
    result = CliRunner().invoke(main, full)
    assert result.exit_code == code
    assert message in result.stderr
    if code == 1:
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_missing_input_is_one_line(tmp_path: Path) -> None:
    args = [
        "classify",
        "--engine",
        "dask",
        str(tmp_path / "nope.parquet"),
        "-o",
        str(tmp_path / "o"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"geomap: error: {tmp_path / 'nope.parquet'}: no such file or directory"
    )


def test_unknown_scheduler_raises_input_error(tmp_path: Path, parquet_file: Path) -> None:
    with pytest.raises(InputError, match="unknown scheduler"):
        classify_parquet(parquet_file, tmp_path / "o", scheduler="gpu-please")
    assert not (tmp_path / "o").exists()


def test_distributed_cluster_on_localhost(
    tmp_path: Path, parquet_file: Path, memory_result: pd.DataFrame
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
        host="127.0.0.1", dashboard_address=None,
    ) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        args = ["classify", "--engine", "dask", "--scheduler", address, "--partitions", "3"]
        result = CliRunner().invoke(main, [*args, str(parquet_file), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(_read_dir(tmp_path / "out"), memory_result)
