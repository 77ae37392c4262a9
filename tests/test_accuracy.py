"""Accuracy of `gongkai extract` against the corpus's hand-written truth.csv, scored with the corpus's own score.py.

The extract command runs once over the corpus; its facts are matched (score.py's `in_scope` and `matches`) against
truth.csv on the whole corpus and on a held-aside third that the extractor is never tuned on: the seed and page
files whose name hashes (with HOLDOUT_SALT) to 0 mod 3, plus the two labelled full reports whose names hash lowest.
The gap between the tuned part and the held-aside part measures over-fitting. Targets: precision >= 0.95 and
recall >= 0.90 on the whole corpus; on the held-aside third no more than MAX_GAP below the tuned part.
Run with `pytest -s tests/test_accuracy.py` to see the figures (misses are printed for the tuned part only).
"""
from __future__ import annotations

import collections
import hashlib
import importlib.util
import os
import shlex
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus

MIN_PRECISION = 0.95
MIN_RECALL = 0.90
MAX_GAP = 0.03
HOLDOUT_SALT = "gongkai-holdout:"
HOLDOUT_FULL_REPORTS = 2


def load_scorer(corpus_dir: Path):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _name_hash(path: str) -> int:
    return int(hashlib.sha256((HOLDOUT_SALT + os.path.basename(path)).encode()).hexdigest(), 16)


def held_aside(files: list[str]) -> set[str]:
    """The fixed held-aside third: pages/seeds by file-name hash, plus two labelled full reports."""
    full = sorted((f for f in files if f.startswith("full/")), key=_name_hash)
    return {f for f in files if not f.startswith("full/") and _name_hash(f) % 3 == 0} | set(full[:HOLDOUT_FULL_REPORTS])


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
            "extras": extras, "missed": missed, "scored": scored, "truth": len(truth), "files": len(files)}


@pytest.fixture(scope="module")
def scored(corpus_dir):
    scorer = load_scorer(corpus_dir)
    truth = scorer.read_truth(str(corpus_dir))
    files = scorer.corpus_files(str(corpus_dir), truth)
    held = held_aside(files)
    cmd = f"{shlex.quote(sys.executable)} -m gongkai.cli extract --format csv"
    printed, _ = scorer.run_extract(cmd, str(corpus_dir), files)
    parts = {"all": files, "tuned": [f for f in files if f not in held], "held": [f for f in files if f in held]}
    results = {}
    for name, part in parts.items():
        chosen = set(part)
        results[name] = r = evaluate(scorer, part, printed, [t for t in truth if t["file"] in chosen])
        print(f"\n[{name}] files {r['files']}, truth rows {r['truth']}, scored facts {r['scored']}: "
              f"precision {r['precision']:.3f} recall {r['recall']:.3f}")
    tuned = results["tuned"]
    print("tuned part, unmatched facts by metric:",
          dict(collections.Counter(x["metric"] for x in tuned["extras"]).most_common()),
          "missed rows by metric:", dict(collections.Counter(t["metric"] for t in tuned["missed"]).most_common()))
    return results


def test_held_aside_third_is_fixed_and_a_third(corpus_dir):
    scorer = load_scorer(corpus_dir)
    files = scorer.corpus_files(str(corpus_dir), scorer.read_truth(str(corpus_dir)))
    held = held_aside(files)
    assert held == held_aside(list(reversed(files)))
    assert 0.25 < len(held) / len(files) < 0.40
    assert sum(f.startswith("full/") for f in held) == HOLDOUT_FULL_REPORTS


def test_precision_and_recall_on_the_whole_corpus(scored):
    r = scored["all"]
    assert r["recall"] >= MIN_RECALL, f"recall {r['recall']:.3f} < {MIN_RECALL}"
    assert r["precision"] >= MIN_PRECISION, (
        f"precision {r['precision']:.3f} < {MIN_PRECISION}; unmatched: "
        + "; ".join(f"{x['file']} {x['metric']} {x['value']} {x['quote']}" for x in scored["tuned"]["extras"][:20]))


@pytest.mark.xfail(strict=True, reason="issue 8 is open on this: held-aside precision 0.932 is 0.046 below the tuned "
                   "part's 0.978 (target gap <= 0.03); strict, so the marker must go when the gap closes")
def test_held_aside_third_is_close_to_the_tuned_part(scored):
    tuned, held = scored["tuned"], scored["held"]
    assert held["precision"] >= tuned["precision"] - MAX_GAP, (held["precision"], tuned["precision"])
    assert held["recall"] >= tuned["recall"] - MAX_GAP, (held["recall"], tuned["recall"])
