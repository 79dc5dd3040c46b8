"""Run every benchmark and write ``benchmarks/RESULTS.md`` (and ``results.json``).

Each measurement runs in its own interpreter, so peak-memory figures stay apart.
Distance errors are against geographiclib on a sample of the events at one size.

Run: ``PYTHONPATH=. python -m benchmarks.run_all`` (``--quick`` for small sizes,
a few minutes; the full run takes about half an hour on two busy cores).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, machine_info, run_json, save_reference

HERE = ROOT / "benchmarks"


def plan(
    quick: bool, *, postgis: bool, geopandas_max: int
) -> list[tuple[str, int, dict[str, str]]]:
    """(module, n, options) of every measurement, in the order they run."""
    if quick:
        sizes, big = [1_000, 10_000], [10_000]
        geopandas_sizes = postgis_sizes = [1_000, 10_000]
    else:
        sizes, big = [10_000, 100_000, 1_000_000, 10_000_000], [1_000_000, 10_000_000]
        geopandas_sizes = [n for n in (10_000, 100_000, 1_000_000) if n <= geopandas_max]
        postgis_sizes = [10_000, 100_000, 1_000_000]
    steps: list[tuple[str, int, dict[str, str]]] = []
    steps += [("bench_geomap", n, {}) for n in sizes]
    steps += [("bench_geomap", n, {"api": "arrays"}) for n in big]
    steps += [("bench_geopandas", n, {}) for n in geopandas_sizes]
    file_n = 10_000 if quick else 100_000
    steps += [("bench_dask", file_n, {"engine": engine}) for engine in ("memory", "dask")]
    if postgis:
        for query in ("postgis distance", "postgis full"):
            steps += [("bench_postgis", n, {"query": query}) for n in postgis_sizes]
    return steps


def _repeat(module: str, n: int, quick: bool) -> int:
    if quick:
        return 1
    if module == "bench_geomap":
        return 3 if n <= 1_000_000 else 1
    if module == "bench_dask":
        return 1
    return 3 if n <= 10_000 else 1


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement; the results and the run's circumstances."""
    started = time.time()
    loads = [os.getloadavg()]
    info = machine_info()
    error_n = 1_000 if args.quick else 100_000
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "reference.npz"
        print(f"geographiclib reference: {args.sample} events of {error_n:,}", flush=True)
        save_reference(reference, error_n, args.sample)
        postgis = not args.no_postgis
        for module, n, options in plan(
            args.quick, postgis=postgis, geopandas_max=args.geopandas_max
        ):
            cli = ["--n", str(n), "--repeat", str(_repeat(module, n, args.quick))]
            cli += [f"--option={key}={value}" for key, value in options.items()]
            if n == error_n:
                cli += ["--reference", str(reference)]
            print(f"{module} {' '.join(cli)}", flush=True)
            try:
                result = run_json(module, cli)
            except RuntimeError as exc:
                print(f"  failed: {exc}", flush=True)
                continue
            loads.append(os.getloadavg())
            print(f"  {result['method']}: {result['rate']:,.0f} events/s", flush=True)
            results.append(result)
    stages = {} if args.no_stages else run_stage_scripts(args.quick)
    print("bench_cli", flush=True)
    cli_result = run_json("bench_cli", ["--repeat", "5" if args.quick else "21"])
    loads.append(os.getloadavg())
    return {
        "command": "PYTHONPATH=. python -m benchmarks.run_all" + (" --quick" if args.quick else ""),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "minutes": (time.time() - started) / 60,
        "machine": info,
        "load_1min": [round(x[0], 2) for x in loads],
        "error_n": error_n,
        "sample": args.sample,
        "results": results,
        "cli": cli_result,
        "stages": stages,
    }


# ----------------------------------------------------------------------------- the report


def _rate(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.2f} M/s"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k/s"
    return f"{value:.0f}/s"


def _size(n: int) -> str:
    return f"10^{len(str(n)) - 1}" if str(n).strip("0") == "1" else f"{n:,}"


def _by(results: Sequence[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["method"], r["n"]): r for r in results}


def _throughput_table(report: dict[str, Any]) -> list[str]:
    results = report["results"]
    sizes = sorted({r["n"] for r in results})
    methods = list(dict.fromkeys(r["method"] for r in results))
    by = _by(results)
    head = [
        "method",
        *(_size(n) for n in sizes),
        "peak RSS at largest n",
        f"max / median error (m), {_size(report['error_n'])}",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for method in methods:
        cells = [f"`{method}`"]
        for n in sizes:
            cells.append(_rate(by[(method, n)]["rate"]) if (method, n) in by else "–")
        largest = max((r for r in results if r["method"] == method), key=lambda r: r["n"])
        rss = largest.get("peak_rss_mb")
        cells.append(f"{rss:,.0f} MiB ({_size(largest['n'])})" if rss else "–")
        err = by.get((method, report["error_n"]), {})
        if err.get("max_error_m") is not None:
            cells.append(f"{err['max_error_m']:.3g} / {err['median_error_m']:.3g}")
        else:
            cells.append("–")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _ratios(report: dict[str, Any]) -> list[str]:
    by = _by(report["results"])
    lines = [
        "| geomap.classify vs | at n | geomap | other | ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for other in ("geopandas", "postgis distance", "postgis full"):
        common = [n for (m, n) in by if m == other and ("geomap.classify", n) in by]
        if not common:
            continue
        n = max(common)
        mine, theirs = by[("geomap.classify", n)]["rate"], by[(other, n)]["rate"]
        lines.append(
            f"| `{other}` | {_size(n)} | {_rate(mine)} | {_rate(theirs)} | {mine / theirs:,.0f}x |"
        )
    return lines


def _targets(report: dict[str, Any]) -> list[str]:
    """The issue's targets, each with the figure that decides it (when measured)."""
    by = _by(report["results"])
    mine = {n: r for (m, n), r in by.items() if m == "geomap.classify"}
    rows: list[tuple[str, str, bool]] = []
    if 1_000_000 in mine:
        rate = mine[1_000_000]["rate"]
        rows.append(("geomap.classify >= 2 M events/s at 10^6", _rate(rate), rate >= 2e6))
    for other, factor in (("geopandas", 100), ("postgis distance", 20)):
        common = [n for (m, n) in by if m == other and n in mine]
        if common:
            n = max(common)
            ratio = mine[n]["rate"] / by[(other, n)]["rate"]
            rows.append(
                (f">= {factor}x {other} (at {_size(n)})", f"{ratio:,.0f}x", ratio >= factor)
            )
    err = mine.get(report["error_n"], {}).get("max_error_m")
    if err is not None:
        rows.append(("distance error <= 1 m (max over the sample)", f"{err:.3g} m", err <= 1.0))
    if 10_000_000 in mine and mine[10_000_000].get("peak_rss_mb"):
        rss = mine[10_000_000]["peak_rss_mb"]
        rows.append(("10^7 events in <= 2 GB peak", f"{rss:,.0f} MiB", rss <= 2048))
    ratio = report["cli"]["extra"]["ratio"]
    rows.append(("`geomap --help` <= 2x `import click`", f"{ratio:.2f}x", ratio <= 2.0))
    lines = ["| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, value, ok in rows]
    return lines


def stage_scripts(quick: bool) -> dict[str, list[str]]:
    """The stages' own benchmark scripts (map, gazetteer, extraction) and their arguments."""
    return {
        "bench_map.py": ["--sizes", "1000"]
        if quick
        else ["--sizes", "1000,10000,100000", "--marker-limit", "10000"],
        "bench_gazetteer.py": ["--names", "1000", "--repeat", "1"] if quick else [],
        "bench_extract.py": ["--articles", "20"] if quick else [],
    }


def run_stage_scripts(quick: bool) -> dict[str, str]:
    """Each stage script's printed report (or why it failed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = {}
    for script, args in stage_scripts(quick).items():
        command = [sys.executable, str(HERE / script), *args]
        print(" ".join(command[1:]), flush=True)
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=1800,
                check=False,
            )
        except subprocess.TimeoutExpired:
            out[" ".join(command[1:])] = "timed out after 30 min"
            continue
        text = (
            done.stdout.strip() if done.returncode == 0 else f"failed: {done.stderr.strip()[-300:]}"
        )
        out[f"PYTHONPATH=. python benchmarks/{script} {' '.join(args)}".strip()] = text
    return out


def _stages(report: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for command, text in report.get("stages", {}).items():
        lines += [f"`{command}`:", "", "```", text, "```", ""]
    return lines or ["Not measured."]


def _postgis_loads(report: dict[str, Any]) -> list[str]:
    rows = [r for r in report["results"] if r["method"].startswith("postgis")]
    if not rows:
        return ["PostGIS was not measured."]
    first = rows[0]["extra"]
    lines = [
        f"PostgreSQL {first.get('postgresql')}, PostGIS {first.get('postgis')}. "
        "Load time (COPY, points, GiST indexes, ANALYZE) is not in the rates above:",
        "",
    ]
    lines += ["| query | n | load (s) | query (s) |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {r['method']} | {_size(r['n'])} | {r['extra']['load_s']:.1f} | {r['seconds']:.2f} |"
        for r in rows
    ]
    return lines


def markdown(report: dict[str, Any]) -> str:
    """RESULTS.md from a report."""
    cli = report["cli"]["extra"]
    machine = report["machine"]
    loads = report["load_1min"]
    out = [
        "# Benchmark results",
        "",
        f"Made by `{report['command']}` on {report['started']} in {report['minutes']:.1f} min.",
        f"Machine: {machine.get('cpu', '?')}, {machine['cores']} cores, "
        f"{machine.get('memory', '?')}; Python {machine['python']}, "
        + ", ".join(
            f"{m} {machine[m]}" for m in ("numpy", "numba", "shapely", "geopandas", "pyproj")
        )
        + ".",
        f"1-minute load average during the run: {min(loads):.2f}–{max(loads):.2f} "
        "(the cores were shared with other work; rates are medians of the runs).",
        "",
        "## Targets",
        "",
        *_targets(report),
        "",
        "## Throughput (events per second)",
        "",
        *_throughput_table(report),
        "",
        f"Errors: geodesic distance against geographiclib on {report['sample']:,} sampled events "
        f"of the {_size(report['error_n'])} set.",
        "",
        "## Ratios",
        "",
        *_ratios(report),
        "",
        "## Other stages (their own scripts)",
        "",
        *_stages(report),
        "## PostGIS",
        "",
        *_postgis_loads(report),
        "",
        "## Command-line start-up",
        "",
        "| command | median wall time |",
        "| --- | --- |",
        *[
            f"| `{name}` | {seconds * 1000:.0f} ms |"
            for name, seconds in cli.items()
            if name != "ratio"
        ],
        "",
        f'`geomap --help` / `python -c "import click"`: **{cli["ratio"]:.2f}x**.',
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--no-postgis", action="store_true", help="skip the PostGIS server")
    parser.add_argument(
        "--no-stages", action="store_true", help="skip the map, gazetteer and extraction scripts"
    )
    parser.add_argument(
        "--geopandas-max",
        type=int,
        default=100_000,
        help="largest n for plain geopandas (slow: 1e6 takes minutes)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        help="events measured against geographiclib (1000; quick: 100)",
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    args.sample = args.sample or (100 if args.quick else 1_000)
    report = run(args)
    args.output.write_text(markdown(report), encoding="utf-8")
    args.output.with_name("results.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"written {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
