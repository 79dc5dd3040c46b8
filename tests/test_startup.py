"""The command line starts without the heavy libraries (checked in a fresh interpreter).

What is imported is behaviour; how long it takes is measured in benchmarks/bench_cli.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("geopandas", "pandas", "numpy", "shapely", "pyproj", "folium", "numba", "dask")

_PROBE = """
import json, sys
{body}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _heavy_modules_after(body: str) -> list[str]:
    """Run ``body`` in a fresh interpreter; the heavy modules it left imported."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = _PROBE.format(body=body, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def _run_cli(args: list[str]) -> str:
    return (
        "from geomap.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try:\n        main({args!r}, prog_name='geomap')\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
    )


def test_import_loads_no_heavy_library() -> None:
    assert _heavy_modules_after("import geomap, geomap.cli") == []


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["classify", "--help"]])
def test_cli_help_and_version_load_no_heavy_library(args: list[str]) -> None:
    assert _heavy_modules_after(_run_cli(args)) == []


def test_version_is_read_lazily() -> None:
    body = "import geomap, geomap.cli\nassert 'importlib.metadata' not in sys.modules\n"
    assert _heavy_modules_after(body) == []


def test_version_attribute() -> None:
    import geomap

    assert isinstance(geomap.__version__, str)
    assert geomap.__version__.count(".") >= 2


def test_geocode_loads_neither_geopandas_nor_folium() -> None:
    from geomap.cli import main

    if "geocode" not in main.commands:
        pytest.skip("no geocode command in this tree")
    loaded = _heavy_modules_after(_run_cli(["geocode", "Haji Omaran"]))
    assert "geopandas" not in loaded
    assert "folium" not in loaded
