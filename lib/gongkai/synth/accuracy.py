"""Precision and recall of extraction against a synthetic country's truth.csv (the figures each text states).

A figure counts as found when the extraction of the same text has a fact with the same metric, dim and value;
an extracted fact with no such figure in the truth is a false positive. Extraction is gongkai.extract, the
same code ingest runs.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Accuracy:
    texts: int = 0
    truth: int = 0
    extracted: int = 0
    matched: int = 0
    missed: Counter = field(default_factory=Counter)     # metric -> figures not extracted
    spurious: Counter = field(default_factory=Counter)   # metric -> extracted figures not in the truth

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0


def read_truth(path: Path) -> dict[str, Counter]:
    truth: dict[str, Counter] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth.setdefault(row["path"], Counter())[(row["metric"], row["dim"], float(row["value"]))] += 1
    return truth


def score(truth: dict[str, Counter], extracted: dict[str, Counter]) -> Accuracy:
    """truth and extracted map a text's relative path to a Counter of (metric, dim, value)."""
    acc = Accuracy()
    for path, want in truth.items():
        got = extracted.get(path, Counter())
        acc.texts += 1
        acc.truth += sum(want.values())
        acc.extracted += sum(got.values())
        both = want & got
        acc.matched += sum(both.values())
        for (metric, _, _), n in (want - got).items():
            acc.missed[metric] += n
        for (metric, _, _), n in (got - want).items():
            acc.spurious[metric] += n
    return acc


def extract_texts(root: Path, paths) -> dict[str, Counter]:
    from gongkai.extract import extract_file
    out = {}
    for rel in paths:
        report = extract_file(Path(root) / rel)
        out[rel] = Counter((f.metric, f.dim or "", float(f.value)) for f in report.facts if f.value is not None)
    return out


def measure(out_dir, limit: int | None = None) -> Accuracy:
    """Extract the texts of the synthetic country in out_dir (all, or the first limit) and score them."""
    out_dir = Path(out_dir)
    truth = read_truth(out_dir / "truth.csv")
    files = sorted(str(p.relative_to(out_dir / "reports")) for p in (out_dir / "reports").rglob("*.txt"))
    if limit:
        files = files[:limit]
    truth = {p: truth.get(p, Counter()) for p in files}
    return score(truth, extract_texts(out_dir / "reports", files))
