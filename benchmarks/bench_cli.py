"""CLI start-up: ``geomap --help`` against ``python -c "import click"``, median wall time.

Both run in fresh interpreters with the same Python, taking turns, so the ratio
shows what geomap adds on top of click itself (the target is at most 2x).

Run: ``PYTHONPATH=. python -m benchmarks.bench_cli``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from benchmarks.common import ROOT, Result, main_for

#: What the installed ``geomap`` console script runs.
_SCRIPT = "import sys; from geomap.cli import main; sys.argv[0] = 'geomap'; sys.exit(main())"
COMMANDS = {
    "click": [sys.executable, "-c", "import click"],
    "geomap --help": [sys.executable, "-c", _SCRIPT, "--help"],
    "geomap --version": [sys.executable, "-c", _SCRIPT, "--version"],
}


def wall_times(commands: dict[str, list[str]], *, repeat: int) -> dict[str, float]:
    """Median wall time (s) of each command over ``repeat`` rounds.

    The commands take turns within each round, so a change of the machine's load
    touches them alike; one unmeasured round first fills the file-system cache.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(repeat + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
            if round_:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def run(n: int = 1, *, repeat: int = 11, reference: str | None = None) -> Result:
    """Start-up times; ``seconds`` is ``geomap --help``, the rest in ``extra``."""
    times = wall_times(COMMANDS, repeat=repeat)
    ratio = times["geomap --help"] / times["click"]
    return Result("geomap --help", 1, times["geomap --help"], extra={**times, "ratio": ratio})


if __name__ == "__main__":
    main_for(run, __doc__.splitlines()[0])
