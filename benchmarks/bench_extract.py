"""Throughput of geomap.extract: articles of about 5 KB per second, on one core (CPU time).

    python benchmarks/bench_extract.py [--articles 300] [--size 5000] [--seeds DIR]

The articles are built from the annotated paragraphs (tests/data/annotated),
shuffled with a fixed seed and joined until each holds ``--size`` characters
(nearly every sentence reports an event: the worst case), or with ``--seeds DIR``
from the news reports in DIR (whole reports joined until ``--size``: real news);
they are written to files in a temporary folder and read, extracted and merged
by :func:`geomap.extract.extract_from_files` with the default gazetteer, as
``geomap extract`` does (without classification and writing). A first run over
one article warms the imports and is not timed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_extract import ANNOTATED, default_gazetteer, parse_annotations  # noqa: E402


def articles(count: int, size: int, seed: int = 1, folder: Path | None = None) -> list[str]:
    """``count`` texts of about ``size`` characters each, made of annotated paragraphs
    (or of the ``.txt`` reports in ``folder``)."""
    if folder is None:
        paragraphs = [d.text for d in parse_annotations(ANNOTATED / "paragraphs.txt")]
    else:
        paragraphs = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < size:
            parts.append(rng.choice(paragraphs))
        texts.append("\n\n".join(parts)[:size])
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--seeds", type=Path, help="build the articles from the reports in DIR")
    args = parser.parse_args(argv)
    import tempfile

    from geomap.extract import extract_from_files

    gazetteer = default_gazetteer()
    texts = articles(args.articles + 1, args.size, folder=args.seeds)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"article{i:04d}.txt" for i in range(len(texts))]
        for path, text in zip(paths, texts, strict=True):
            path.write_text(text, encoding="utf-8")
        extract_from_files(paths[:1], published="2022-11-15", gazetteer=gazetteer)
        start, cpu = time.perf_counter(), time.process_time()
        events = extract_from_files(paths[1:], published="2022-11-15", gazetteer=gazetteer)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = sum(p.stat().st_size for p in paths[1:]) / len(paths[1:])
    sources = sum(len(s) for s in events["sources"])
    print(
        f"{args.articles} articles of {size / 1000:.1f} KB: {cpu:.2f} s of CPU time on one core, "
        f"{args.articles / cpu:.0f} articles/s ({elapsed:.2f} s wall clock on a shared machine, "
        f"{args.articles / elapsed:.0f} articles/s); "
        f"{len(events)} events from {sources} evidence sentences"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
