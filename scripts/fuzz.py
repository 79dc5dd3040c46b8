"""Run the fuzz properties of tests/test_fuzz.py with a larger budget and random seeds.

The normal test run uses a small fixed-seed budget; this script repeats every
property in rounds of ``--examples`` examples, each round with a new random
seed, until ``--seconds`` have passed, then prints the number of cases (reader
and classification calls), the time and every failure with its minimal
example::

    PYTHONPATH=. python scripts/fuzz.py --examples 200 --seconds 600
    PYTHONPATH=. python scripts/fuzz.py -k csv -k geojson --seconds 120

Exit status 1 when a property failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _properties(module: Any, patterns: list[str]) -> list[tuple[str, Callable[[], None]]]:
    """The module's hypothesis tests (``test_*`` functions with a ``hypothesis`` attribute)."""
    found = []
    for name in sorted(vars(module)):
        test = getattr(module, name)
        wanted = not patterns or any(p in name for p in patterns)
        if name.startswith("test_") and hasattr(test, "hypothesis") and wanted:
            found.append((name, test))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per property per round")
    parser.add_argument(
        "--seconds", type=float, default=300.0, help="time budget (rounds stop after it)"
    )
    parser.add_argument(
        "-k",
        dest="patterns",
        action="append",
        default=[],
        help="only properties whose name contains this",
    )
    args = parser.parse_args(argv)

    os.environ["GEOMAP_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["GEOMAP_FUZZ_RANDOM"] = "1"
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT))
    warnings.simplefilter("error")  # as in the test run (filterwarnings = error)
    import pytest
    import test_fuzz

    properties = _properties(test_fuzz, args.patterns)
    started = time.monotonic()
    failures: dict[str, str] = {}
    skipped: set[str] = set()
    rounds = 0
    while time.monotonic() - started < args.seconds:
        rounds += 1
        for name, test in properties:
            if name in failures or name in skipped or time.monotonic() - started >= args.seconds:
                continue
            before = test_fuzz.CASES[0]
            t0 = time.monotonic()
            try:
                test()
            except pytest.skip.Exception as exc:  # e.g. an optional module is missing
                print(f"skipped {name}: {exc}", flush=True)
                skipped.add(name)
            except Exception as exc:  # a failed property: report it, go on with the others
                failures[name] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                for note in getattr(exc, "__notes__", []):
                    failures[name] += "\n" + note
            cases = test_fuzz.CASES[0] - before
            print(
                f"round {rounds} {name}: {cases} cases in {time.monotonic() - t0:.1f} s", flush=True
            )
        if len(failures) + len(skipped) == len(properties):
            break
    elapsed = time.monotonic() - started
    print(f"\n{len(properties)} properties, {rounds} rounds, {test_fuzz.CASES[0]} cases, "
          f"{elapsed:.0f} s, {len(failures)} failing")  # fmt: skip
    for name, text in failures.items():
        print(f"\nFAILED {name}\n{text}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
