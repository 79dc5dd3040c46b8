"""CLI start-up: ``geomap --help`` against ``python -c "import click"``, median wall time.

Both run in fresh interpreters with the same Python, so the ratio shows what
geomap adds on top of click itself (the target is at most 2x).

Run: ``PYTHONPATH=. python -m benchmarks.bench_cli``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from benchmarks.common import ROOT, Result, main_for

COMMANDS = {
    "click": [sys.executable, "-c", "import click"],
    "geomap --help": [sys.executable, "-m", "geomap", "--help"],
    "geomap --version": [sys.executable, "-m", "geomap", "--version"],
}


def wall_time(command: list[str], *, repeat: int) -> float:
    """Median wall time (s) of running ``command`` ``repeat`` times (after one unmeasured run)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
        if i:  # the first run fills the file-system cache
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(n: int = 1, *, repeat: int = 11, reference: str | None = None) -> Result:
    """Start-up times; ``seconds`` is ``geomap --help``, the rest in ``extra``."""
    times = {name: wall_time(command, repeat=repeat) for name, command in COMMANDS.items()}
    ratio = times["geomap --help"] / times["click"]
    return Result("geomap --help", 1, times["geomap --help"], extra={**times, "ratio": ratio})


if __name__ == "__main__":
    main_for(run, __doc__.splitlines()[0])
