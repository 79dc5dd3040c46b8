"""Writes survive a crash, and never go through a symlink out of the target's directory.

A writer process overwriting a good output is killed with SIGKILL at random
moments (fixed seed) in every output format: afterwards the target is the old
file byte for byte or the new one complete — never a partial file — and any
leftover is a clearly named hidden temporary file beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pyarrow.parquet as pq
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from geomap.cli import main
from geomap.errors import OutputError
from geomap.writers import write

ROOT = Path(__file__).resolve().parent.parent

#: Rows of the new table per format: writes of about half a second.
ROWS = {"geojson": 8_000, "csv": 15_000, "gpkg": 20_000, "parquet": 100_000}
KILLS_PER_FORMAT = 6
SEED = 20261201

# A writer server: imports geomap and builds the tables once, then for each
# "<format> <path>" line forks a child that writes the table there. It answers
# "pid <n>" at the fork and "exit <status>" once the child is gone (done or killed).
SERVER = """
import os, sys
import geopandas as gpd, numpy as np, shapely
from geomap.writers import write

def table(n):
    rng = np.random.default_rng(0)
    return gpd.GeoDataFrame(
        {"id": [f"ev-{i}" for i in range(n)], "description": ["drills near the crossing"] * n,
         "actors": [["Iran", "Iraq"]] * n, "distance_m": rng.uniform(0, 1e5, n)},
        geometry=shapely.points(rng.uniform(42, 47, n), rng.uniform(34, 38, n)), crs=4326)

tables = {fmt: table(int(n)) for fmt, n in (arg.split("=") for arg in sys.argv[1:])}
print("ready", flush=True)
for line in sys.stdin:
    fmt, path = line.split(maxsplit=1)
    pid = os.fork()
    if pid == 0:
        write(tables[fmt], path.strip())
        os._exit(0)
    print(f"pid {pid}", flush=True)
    _, status = os.waitpid(pid, 0)
    print(f"exit {status}", flush=True)
"""


class Writers:
    """The writer server: ``start(fmt, path)`` forks a writer and returns its pid."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        args = [f"{fmt}={n}" for fmt, n in ROWS.items()]
        self.server = subprocess.Popen(
            [sys.executable, "-c", SERVER, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert self._answer() == "ready"

    def _answer(self) -> str:
        assert self.server.stdout is not None
        return self.server.stdout.readline().strip()

    def start(self, fmt: str, path: Path) -> int:
        assert self.server.stdin is not None
        self.server.stdin.write(f"{fmt} {path}\n")
        self.server.stdin.flush()
        return int(self._answer().removeprefix("pid "))

    def wait(self) -> int:
        """The writer's wait status (0: finished)."""
        return int(self._answer().removeprefix("exit "))

    def close(self) -> None:
        if self.server.poll() is None:
            self.server.kill()
        self.server.communicate(timeout=60)


def rows_in(path: Path, fmt: str) -> int:
    """Rows of a complete file (raises when the file does not parse)."""
    if fmt == "geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    if fmt == "csv":
        import pandas as pd

        frame = pd.read_csv(path)
        assert list(frame.columns[:3]) == ["id", "lon", "lat"]
        assert frame["lat"].notna().all()
        return len(frame)
    if fmt == "gpkg":
        return len(pyogrio.read_dataframe(path, layer="events"))
    return len(pq.read_table(path))


def old_table() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"old-{i}" for i in range(7)], "description": ["the good old file"] * 7},
        geometry=[Point(45 + i / 10, 36) for i in range(7)],
        crs=4326,
    )


TEMPORARY = re.compile(r"^\.out\.[a-z]+\.[\w-]+\.tmp\.[a-z]+(-wal|-shm|-journal)?$")


def kill_writers(
    writers: Writers, fmt: str, rows: int, directory: Path, rng: random.Random
) -> list[str]:
    """Kill a writer of each format at random moments; the outcome of each kill."""
    calibrate = directory / "calibrate" / f"out.{fmt}"
    calibrate.parent.mkdir(parents=True)
    started = time.monotonic()
    writers.start(fmt, calibrate)
    assert writers.wait() == 0
    duration = time.monotonic() - started
    assert rows_in(calibrate, fmt) == rows
    outcomes = []
    for kill in range(KILLS_PER_FORMAT):
        target = directory / str(kill) / f"out.{fmt}"
        target.parent.mkdir()
        write(old_table(), target)
        old = target.read_bytes()
        pid = writers.start(fmt, target)
        time.sleep(rng.uniform(0.0, duration * 1.3))
        with contextlib.suppress(ProcessLookupError):  # already done
            os.kill(pid, signal.SIGKILL)
        writers.wait()
        leftovers = sorted(p.name for p in target.parent.iterdir() if p != target)
        assert all(TEMPORARY.match(name) for name in leftovers), leftovers
        if target.read_bytes() == old:
            outcomes.append("old, mid-write" if leftovers else "old")
        else:
            assert rows_in(target, fmt) == rows, "a partial file replaced the old one"
            outcomes.append("new")
    return outcomes


@pytest.mark.slow
def test_killed_writers_leave_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    outcomes: dict[str, list[str]] = {}
    writers = Writers()
    try:
        for fmt, rows in ROWS.items():
            outcomes[fmt] = kill_writers(writers, fmt, rows, tmp_path / fmt, rng)
    finally:
        writers.close()
    print(f"\nkills: {sum(map(len, outcomes.values()))}: " + "; ".join(
        f"{fmt} {dict(Counter(o))}" for fmt, o in outcomes.items()))  # fmt: skip
    assert sum(map(len, outcomes.values())) == KILLS_PER_FORMAT * len(ROWS)
    mid_write = sum(o.count("old, mid-write") for o in outcomes.values())
    assert mid_write, "no kill landed during a write: the test proved nothing"


# ----------------------------------------------------------------------------- symlinks


def outside_link(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """``out/<name>`` as a symlink to ``elsewhere/<name>`` holding a precious file."""
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    real = tmp_path / "elsewhere" / name
    real.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "out" / name
    link.symlink_to(real)
    return link, real


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["classify"], "events.geojson"),
        (["classify"], "events.csv"),
        (["frontier"], "f.gpkg"),
        (["map", "--offline"], "map.html"),
        (["extract", "{article}"], "extracted.csv"),
    ],
)
def test_cli_refuses_a_symlink_out_of_the_directory_unless_forced(
    tmp_path: Path, command: list[str], name: str
) -> None:
    link, real = outside_link(tmp_path, name)
    article = tmp_path / "report.txt"
    article.write_text(
        "Iranian forces shelled areas near Sidakan on 2 May 2022.\n", encoding="utf-8"
    )
    command = [part.format(article=article) for part in command]
    runner = CliRunner()
    result = runner.invoke(main, [*command, "-o", str(link)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("geomap: error: ") and "--force" in result.output
    assert real.read_text(encoding="utf-8") == "precious\n"
    assert link.is_symlink()

    result = runner.invoke(main, [*command, "-o", str(link), "--force"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()  # the link stays; its target is replaced
    assert real.read_text(encoding="utf-8", errors="replace") != "precious\n"
    assert sorted(p.name for p in real.parent.iterdir()) == [name]


def test_symlink_inside_the_directory_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.geojson"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "events.geojson"
    link.symlink_to(real.name)
    write(old_table(), link)
    assert link.is_symlink()
    assert len(json.loads(real.read_text(encoding="utf-8"))["features"]) == 7


def test_api_refusal_is_an_output_error(tmp_path: Path) -> None:
    link, real = outside_link(tmp_path, "events.parquet")
    with pytest.raises(OutputError, match="symbolic link") as info:
        write(old_table(), link)
    assert "\n" not in str(info.value)
    write(old_table(), link, force=True)
    assert len(pq.read_table(real)) == 7


def test_sigterm_removes_the_temporary_file(tmp_path: Path) -> None:
    """A run stopped by SIGTERM while writing leaves neither output nor temporary file."""
    import numpy as np
    import pandas as pd

    rows = 400_000
    rng = np.random.default_rng(SEED)
    big = tmp_path / "big.csv"
    pd.DataFrame(
        {
            "id": [f"ev-{i}" for i in range(rows)],
            "date": "2022-11-20",
            "event_type": "shelling_artillery",
            "lon": rng.uniform(42, 47, rows).round(5),
            "lat": rng.uniform(34, 38, rows).round(5),
            "description": "shelling reported near the border",
        }
    ).to_csv(big, index=False)
    out = tmp_path / "out" / "classified.csv"
    out.parent.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "geomap", "classify", str(big), "--chunk-rows", "20000",
         "-o", str(out)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not list(out.parent.glob(".classified.csv.*")):
        assert process.poll() is None, "the run ended before it started writing"
        assert time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1] == "geomap: terminated"
    assert "Traceback" not in stderr
    assert list(out.parent.iterdir()) == []
