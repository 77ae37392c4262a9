"""Accuracy of `gongkai extract` against the corpus's hand-written truth.csv, scored with the corpus's own score.py.

The extract command runs once over the corpus; its facts are matched (score.py's `in_scope` and `matches`) against
(a) truth.csv as it is and (b) truth.csv plus tests/fixtures/truth_errata.csv: figures the pages state that
truth.csv leaves out (category shares, full-text rates and a few totals), each checked by reading the page.
Targets: precision >= 0.95 and recall >= 0.90 with the errata; recall >= 0.90 on the raw truth.
Run with `pytest -s tests/test_accuracy.py` to see both results and the unmatched facts per metric.
"""
from __future__ import annotations

import collections
import csv
import importlib.util
import shlex
import sys
from pathlib import Path

import pytest

MIN_PRECISION = 0.95
MIN_RECALL = 0.90
ERRATA = Path(__file__).resolve().parent / "fixtures" / "truth_errata.csv"


def load_scorer(corpus_dir: Path):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_errata() -> list[dict]:
    with open(ERRATA, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def evaluate(scorer, files: list[str], printed: dict, truth: list[dict]) -> dict:
    """score.py's per-file matching over already printed facts: precision, recall, unmatched facts and rows."""
    scored_metrics = {t["metric"] for t in truth}
    truth_by_file = collections.defaultdict(list)
    for t in truth:
        truth_by_file[t["file"]].append(t)
    matched = scored = 0
    extras: list[dict] = []
    missed: list[dict] = []
    for f in files:
        detail = any(scorer.TABLE_DETAIL.match(t["metric"]) for t in truth_by_file.get(f, []))
        facts = [x for x in printed.get(f, []) if scorer.in_scope(x, scored_metrics, detail)]
        scored += len(facts)
        used: set[int] = set()
        for t in truth_by_file.get(f, []):
            hit = next((i for i, x in enumerate(facts) if i not in used and scorer.matches(t, x)), None)
            if hit is None:
                missed.append(t)
            else:
                used.add(hit)
        matched += len(used)
        extras += [dict(x, file=f) for i, x in enumerate(facts) if i not in used]
    return {"precision": matched / scored if scored else 0.0,
            "recall": (len(truth) - len(missed)) / len(truth) if truth else 0.0,
            "extras": extras, "missed": missed, "scored": scored, "truth": len(truth)}


@pytest.fixture(scope="module")
def scored(corpus_dir):
    scorer = load_scorer(corpus_dir)
    truth = scorer.read_truth(str(corpus_dir))
    files = scorer.corpus_files(str(corpus_dir), truth)
    cmd = f"{shlex.quote(sys.executable)} -m gongkai.cli extract --format csv"
    printed, _ = scorer.run_extract(cmd, str(corpus_dir), files)
    errata = read_errata()
    results = {"raw": evaluate(scorer, files, printed, truth),
               "errata": evaluate(scorer, files, printed, truth + errata)}
    for name, r in results.items():
        by_metric = collections.Counter(x["metric"] for x in r["extras"])
        print(f"\n[{name}] files {len(files)}, truth rows {r['truth']}, scored facts {r['scored']}: "
              f"precision {r['precision']:.3f} recall {r['recall']:.3f}; "
              f"extras by metric {dict(by_metric.most_common())}; missed {len(r['missed'])}")
    return results, errata


def test_errata_rows_are_well_formed(corpus_dir):
    truth = {(t["file"], t["metric"], t["dim"], t["value"], t["year"]) for t in load_scorer(corpus_dir).read_truth(str(corpus_dir))}
    for row in read_errata():
        assert (corpus_dir / row["file"]).is_file(), row
        assert len(row["quote"]) <= 30 and row["reason"], row
        assert (row["file"], row["metric"], row["dim"], row["value"], row["year"]) not in truth, row
        text = (corpus_dir / row["file"]).read_text(encoding="utf-8", errors="replace")
        assert row["value"].split(".")[0] in text or row["qualifier"] == "derived", row


def test_precision_and_recall_with_errata(scored):
    results, _ = scored
    r = results["errata"]
    assert r["recall"] >= MIN_RECALL, f"recall {r['recall']:.3f} < {MIN_RECALL} with errata"
    assert r["precision"] >= MIN_PRECISION, (
        f"precision {r['precision']:.3f} < {MIN_PRECISION} with errata; unmatched: "
        + "; ".join(f"{x['file']} {x['metric']} {x['value']} {x['quote']}" for x in r["extras"][:20]))


def test_recall_on_raw_truth(scored):
    results, _ = scored
    assert results["raw"]["recall"] >= MIN_RECALL, f"recall {results['raw']['recall']:.3f} on truth.csv as is"


def test_every_erratum_is_extracted(scored):
    results, errata = scored
    missed = [row for row in results["errata"]["missed"] if row in errata]
    assert not missed, missed
