#!/usr/bin/env python3
"""Benchmark the gazetteer: load time of all layers and resolution throughput.

Usage::

    PYTHONPATH=. python benchmarks/bench_gazetteer.py [--names 10000] [--repeat 5] [--seed 0]

Figures (each the median of ``--repeat`` runs):

* **load** -- read the three packaged files and build the name index (the
  caches of this process cleared first): what the first ``resolve`` costs;
* **cold** -- names/s for ``--names`` mixed names through a new Gazetteer with
  the per-name caches cleared (the fuzzy index is built during the run);
* **warm index** -- a new Gazetteer over the already built index, no answer cached;
* **warm** -- the same names again through the same Gazetteer (answers cached).

The mix: curated names and aliases (30 %), GeoNames names (25 %), airport
codes and names (5 %), misspellings of those (20 %: one letter dropped,
doubled or swapped), context phrases ("outskirts of X", "X crossing",
"X province"; 10 %) and names no layer knows (10 %). Offline only.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections.abc import Callable

from gazetteer import Gazetteer, catalog, names, resolver


def clear_caches() -> None:
    """Forget everything this process has read, indexed or computed."""
    catalog.load_layer.cache_clear()
    resolver._BUILT.clear()
    for cached in (names.fold, names.phonetic_key, names.skeleton):
        cached.cache_clear()


def misspell(rng: random.Random, name: str) -> str:
    if len(name) < 6:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    how = rng.choice(("drop", "double", "swap"))
    if how == "drop":
        return name[:i] + name[i + 1 :]
    if how == "double":
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def mixed_names(count: int, seed: int) -> list[str]:
    """A reproducible mix of the names news uses, misspellings and unknown names."""
    rng = random.Random(seed)
    curated = [n for s in catalog.load_layer("curated") for n in (s.name, *s.aliases)]
    geonames = [n for s in catalog.load_layer("geonames") for n in (s.name, *s.aliases)
                if n.isascii() or rng.random() < 0.2]  # fmt: skip
    airports = [n for s in catalog.load_layer("airports") for n in (s.name, *s.aliases)]
    known = curated + geonames
    templates = ("outskirts of {}", "{} crossing", "{} province", "near {}", "the {} border gate")
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.30:
            out.append(rng.choice(curated))
        elif roll < 0.55:
            out.append(rng.choice(geonames))
        elif roll < 0.60:
            out.append(rng.choice(airports))
        elif roll < 0.80:
            out.append(misspell(rng, rng.choice(known)))
        elif roll < 0.90:
            out.append(rng.choice(templates).format(rng.choice(curated)))
        else:
            length = rng.randint(5, 12)
            out.append("".join(rng.choice(string.ascii_lowercase) for _ in range(length)).title())
    return out


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def median_ms(runs: list[tuple[float, float]], which: int) -> float:
    return statistics.median(r[which] for r in runs) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="gazetteer load time and names/s")
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    loads = []
    for _ in range(args.repeat):
        clear_caches()
        loads.append(timed(lambda: Gazetteer().resolve("Erbil")))
    queries = mixed_names(args.names, args.seed)

    cold, warm_index, warm = [], [], []
    for _ in range(args.repeat):
        clear_caches()
        Gazetteer().resolve("Erbil")  # load outside the timing
        names.fold.cache_clear()
        names.phonetic_key.cache_clear()
        names.skeleton.cache_clear()
        gaz = Gazetteer()
        gaz._index()._deleted = None  # the fuzzy index is built inside the cold run
        cold.append(timed(lambda g=gaz: g.resolve_many(queries)))
        fresh = Gazetteer()
        warm_index.append(timed(lambda g=fresh: g.resolve_many(queries)))
        warm.append(timed(lambda g=fresh: g.resolve_many(queries)))

    answers = Gazetteer().resolve_many(queries)
    resolved = sum(a is not None for a in answers)
    layers: dict[str, int] = {}
    for a in answers:
        if a is not None:
            layers[a.layer] = layers.get(a.layer, 0) + 1
    per_layer = ", ".join(f"{k} {v}" for k, v in sorted(layers.items()))
    sizes = {layer: len(catalog.load_layer(layer)) for layer in catalog.PACKAGED_LAYERS}
    print(f"layers: {sizes}")
    print(
        f"load (read + index all layers): median {median_ms(loads, 0):.0f} ms wall, "
        f"{median_ms(loads, 1):.0f} ms CPU (min wall {min(w for w, _ in loads) * 1000:.0f} ms)"
    )
    for label, runs in (("cold", cold), ("warm index", warm_index), ("warm", warm)):
        wall = args.names / (median_ms(runs, 0) / 1000)
        cpu = args.names / (median_ms(runs, 1) / 1000)
        print(
            f"{label:>10}: {wall:,.0f} names/s wall, {cpu:,.0f} names/s CPU "
            f"({args.names} names, median of {args.repeat})"
        )
    print(f"resolved {resolved}/{args.names} ({per_layer})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
