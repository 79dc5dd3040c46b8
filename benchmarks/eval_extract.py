"""Quality of geomap.extract on annotated text: precision, recall and F1 of (site, type) pairs,
dates and actors.

    python benchmarks/eval_extract.py                      # the annotated paragraphs
    python benchmarks/eval_extract.py --seeds DIR          # also the founding reports in DIR
    python benchmarks/eval_extract.py --errors             # list every miss and false event

The paragraphs (tests/data/annotated/paragraphs.txt, and heldout.txt, written
after the rules were settled and never used to tune them) hold their text; the
founding reports' annotations (tests/data/annotated/seeds.txt) hold only
expected values, and the texts are read from ``--seeds DIR``. Crossings are
compared with their paired site folded in (Bashmaq on either side is one site).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ANNOTATED = ROOT / "tests" / "data" / "annotated"
SITES = ROOT / "gazetteer" / "data" / "sites.csv"


@dataclass(frozen=True)
class Expected:
    site: str
    event_type: str
    date: str | None
    actors: frozenset[str]


@dataclass
class Document:
    id: str
    published: str | None
    text: str = ""
    events: list[Expected] = field(default_factory=list)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    dates_right: int = 0
    dates_stated: int = 0
    dates_matched: int = 0
    dates_matched_right: int = 0
    actors_right: int = 0
    actor_events: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def lines(self, label: str) -> list[str]:
        return [
            f"{label}: (site, event_type) precision {self.precision:.3f} recall {self.recall:.3f} "
            f"F1 {self.f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})",
            f"{label}: stated dates right {self.dates_right}/{self.dates_stated}"
            f" ({self.dates_right / max(self.dates_stated, 1):.3f}); dates of matched events right "
            f"{self.dates_matched_right}/{self.dates_matched}",
            f"{label}: actors of matched events exactly right "
            f"{self.actors_right}/{self.actor_events}",
        ]


def parse_annotations(path: Path) -> list[Document]:
    """Documents of an annotation file (see the header of paragraphs.txt)."""
    documents: list[Document] = []
    text_lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        if line.startswith("## "):
            if documents:
                documents[-1].text = "\n".join(text_lines).strip()
            head = line[3:].split()
            published = next(
                (p.split("=", 1)[1] for p in head[1:] if p.startswith("published=")), None
            )
            documents.append(Document(head[0], published))
            text_lines = []
        elif line.startswith("#") or not documents:
            continue
        elif line.startswith(">"):
            body = line[1:].strip()
            if body != "none":
                site, etype, day, actors = (part.strip() for part in body.split("|"))
                documents[-1].events.append(
                    Expected(
                        site,
                        etype,
                        None if day == "-" else day,
                        frozenset(a for a in actors.split(";") if a and a != "-"),
                    )
                )
        else:
            text_lines.append(line)
    if documents:
        documents[-1].text = "\n".join(text_lines).strip()
    return documents


def paired_sites(path: Path = SITES) -> dict[str, str]:
    """Site key -> canonical key (a crossing and its other side are one)."""
    canonical: dict[str, str] = {}
    with path.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            pair = row.get("paired_site") or ""
            if pair and row.get("kind") == "crossing":
                canonical[row["key"]] = min(row["key"], pair)
    return canonical


def score(documents: Iterable[Document], gazetteer: Any = None) -> Score:
    """Run the extractor on every document and compare with the annotations."""
    from geomap.extract import extract_events

    canonical = paired_sites()
    total = Score()
    for doc in documents:
        events = extract_events(
            doc.text, published=doc.published, article=doc.id, gazetteer=gazetteer
        )
        found: dict[tuple[str, str], list[tuple[str | None, frozenset[str]]]] = {}
        for site, etype, day, actors in zip(
            events["site"], events["event_type"], events["date"], events["actors"], strict=True
        ):
            key = (canonical.get(str(site), str(site)), str(etype))
            found.setdefault(key, []).append(
                (day if isinstance(day, str) else None, frozenset(actors))
            )
        _compare(doc, found, canonical, total)
    return total


def _compare(
    doc: Document,
    found: dict[tuple[str, str], list[tuple[str | None, frozenset[str]]]],
    canonical: dict[str, str],
    total: Score,
) -> None:
    """Pairs are compared as sets; dates and actors event by event (a pair may hold several)."""
    expected: dict[tuple[str, str], list[Expected]] = {}
    for event in doc.events:
        expected.setdefault((canonical.get(event.site, event.site), event.event_type), []).append(
            event
        )
    for key, events in expected.items():
        total.dates_stated += sum(1 for e in events if e.date)
        if key not in found:
            total.fn += 1
            total.errors.append(f"{doc.id}: missed {key[0]} {key[1]} {[e.date for e in events]}")
            continue
        total.tp += 1
        for event in events:
            _compare_event(doc.id, key, event, found[key], total)
    for key in found:
        if key not in expected:
            total.fp += 1
            total.errors.append(f"{doc.id}: invented {key[0]} {key[1]}")


def _compare_event(
    doc_id: str,
    key: tuple[str, str],
    event: Expected,
    rows: list[tuple[str | None, frozenset[str]]],
    total: Score,
) -> None:
    dates = [d for d, _ in rows]
    total.dates_matched += 1
    if event.date in dates:
        total.dates_matched_right += 1
        total.dates_right += 1 if event.date else 0
    else:
        total.errors.append(f"{doc_id}: date of {key[0]} {key[1]}: {dates} != {event.date}")
    total.actor_events += 1
    if any(actors == event.actors for _, actors in rows):
        total.actors_right += 1
    else:
        total.errors.append(
            f"{doc_id}: actors of {key[0]} {key[1]}: "
            f"{[sorted(a) for _, a in rows]} != {sorted(event.actors)}"
        )


def seed_documents(directory: Path) -> list[Document]:
    """The founding reports' annotations with their texts read from ``directory``."""
    documents = parse_annotations(ANNOTATED / "seeds.txt")
    for doc in documents:
        doc.text = (directory / doc.id).read_text(encoding="utf-8")
    return documents


def default_gazetteer() -> Any:
    from gazetteer import Gazetteer

    return Gazetteer()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, help="directory holding the founding reports")
    parser.add_argument("--errors", action="store_true", help="list misses and invented events")
    args = parser.parse_args(argv)
    gazetteer = default_gazetteer()
    runs = [
        ("paragraphs", parse_annotations(ANNOTATED / "paragraphs.txt")),
        ("held-out paragraphs", parse_annotations(ANNOTATED / "heldout.txt")),
    ]
    if args.seeds:
        runs.append(("founding reports", seed_documents(args.seeds)))
    for label, documents in runs:
        result = score(documents, gazetteer)
        print(
            f"{label}: {len(documents)} documents, {sum(len(d.events) for d in documents)} events"
        )
        print("\n".join(result.lines(label)))
        if args.errors:
            print("\n".join("  " + e for e in result.errors))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
