"""Accuracy of `gongkai extract` against the corpus's hand-written truth.csv, scored with the corpus's own score.py.

The extract command runs once over the corpus; its facts are matched (score.py's `in_scope` and `matches`) against
truth.csv on the whole corpus and on a held-aside third that the extractor is never tuned on: the seed and page
files whose name hashes (with HOLDOUT_SALT) to 0 mod 3, plus the two labelled full reports whose names hash lowest.
The gap between the tuned part and the held-aside part measures over-fitting. Targets: precision >= 0.95 and
recall >= 0.90 on the whole corpus; on the held-aside third no more than MAX_GAP below the tuned part.

Two measures, both printed: 'score.py' is truth.csv scored exactly as score.py scores it. 'checked' adds
tests/fixtures/truth_errata.csv (figures the pages print that truth.csv leaves out, each with its reason) and
applies score.py's documented rule - table detail is scored only in files whose truth labels some - to the
fmt2019 table-二 rows (other_mgmt_services_*, central_procurement_*) that its TABLE_DETAIL pattern omits.
Run with `pytest -s tests/test_accuracy.py` to see the figures (misses are printed for the tuned part only).
"""
from __future__ import annotations

import collections
import csv
import hashlib
import importlib.util
import os
import re
import shlex
import sys
from pathlib import Path

import pytest

from gongkai import taxonomy

pytestmark = pytest.mark.corpus

MIN_PRECISION = 0.95
MIN_RECALL = 0.90
MAX_GAP = 0.03
HOLDOUT_SALT = "gongkai-holdout:"
HOLDOUT_FULL_REPORTS = 2
ERRATA = Path(__file__).resolve().parent / "fixtures" / "truth_errata.csv"
FMT2019_TABLE_TWO = re.compile(r"^(other_mgmt_services_|central_procurement_)")


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


def read_errata() -> list[dict]:
    """Figures pages print that truth.csv leaves out (each with the reason), found and checked by hand."""
    with open(ERRATA, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def in_scope(scorer, fact: dict, scored_metrics: set[str], detail_labelled: bool, documented: bool) -> bool:
    """score.py's in_scope; documented=True also applies its rule for table detail to the fmt2019 rows of table
    二 (其他对外管理服务事项, 政府集中采购) that its TABLE_DETAIL pattern leaves out."""
    if documented and FMT2019_TABLE_TWO.match(fact.get("metric", "")) and not detail_labelled:
        return False
    return scorer.in_scope(fact, scored_metrics, detail_labelled)


def evaluate(scorer, files: list[str], printed: dict, truth: list[dict], documented: bool = False) -> dict:
    """score.py's per-file matching over already printed facts: precision, recall, unmatched facts and rows."""
    scored_metrics = {t["metric"] for t in truth}
    truth_by_file = collections.defaultdict(list)
    for t in truth:
        truth_by_file[t["file"]].append(t)
    matched = scored = 0
    extras: list[dict] = []
    missed: list[dict] = []
    for f in files:
        detail = any(scorer.TABLE_DETAIL.match(t["metric"]) or (documented and FMT2019_TABLE_TWO.match(t["metric"]))
                     for t in truth_by_file.get(f, []))
        facts = [x for x in printed.get(f, []) if in_scope(scorer, x, scored_metrics, detail, documented)]
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


MEASURES = ("score.py", "checked")   # truth.csv as score.py scores it; + errata and its table-detail rule kept


@pytest.fixture(scope="module")
def scored(corpus_dir):
    """results[measure][part]: 'score.py' scores against truth.csv exactly as score.py does; 'checked' adds the
    hand-checked errata and applies score.py's documented table-detail rule to the fmt2019 rows of table 二."""
    scorer = load_scorer(corpus_dir)
    truth = scorer.read_truth(str(corpus_dir))
    files = scorer.corpus_files(str(corpus_dir), truth)
    held = held_aside(files)
    cmd = f"{shlex.quote(sys.executable)} -m gongkai.cli extract --format csv"
    printed, _ = scorer.run_extract(cmd, str(corpus_dir), files)
    parts = {"all": files, "tuned": [f for f in files if f not in held], "held": [f for f in files if f in held]}
    results: dict[str, dict[str, dict]] = {}
    for measure, rows, documented in (("score.py", truth, False), ("checked", truth + read_errata(), True)):
        results[measure] = {}
        for name, part in parts.items():
            chosen = set(part)
            r = evaluate(scorer, part, printed, [t for t in rows if t["file"] in chosen], documented)
            results[measure][name] = r
            print(f"\n[{measure} {name}] files {r['files']}, truth rows {r['truth']}, scored facts {r['scored']}: "
                  f"precision {r['precision']:.3f} recall {r['recall']:.3f}")
    tuned = results["score.py"]["tuned"]
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


def test_errata_are_printed_figures_truth_leaves_out(corpus_dir):
    scorer = load_scorer(corpus_dir)
    truth = {(t["file"], t["metric"], t["dim"], t["value"]) for t in scorer.read_truth(str(corpus_dir))}
    metrics = {row["id"] for row in taxonomy.table("metrics")}
    for row in read_errata():
        assert (row["file"], row["metric"], row["dim"], row["value"]) not in truth, row
        assert row["metric"] in metrics and row["reason"], row
        text = (corpus_dir / row["file"]).read_text(encoding="utf-8")
        assert row["quote"] in text, row


@pytest.mark.parametrize("measure", MEASURES)
def test_precision_and_recall_on_the_whole_corpus(scored, measure):
    r = scored[measure]["all"]
    assert r["recall"] >= MIN_RECALL, f"recall {r['recall']:.3f} < {MIN_RECALL}"
    assert r["precision"] >= MIN_PRECISION, (
        f"precision {r['precision']:.3f} < {MIN_PRECISION}; unmatched: "
        + "; ".join(f"{x['file']} {x['metric']} {x['value']} {x['quote']}"
                    for x in scored[measure]["tuned"]["extras"][:20]))


def gap_holds(results: dict) -> None:
    tuned, held = results["tuned"], results["held"]
    assert held["precision"] >= tuned["precision"] - MAX_GAP, (held["precision"], tuned["precision"])
    assert held["recall"] >= tuned["recall"] - MAX_GAP, (held["recall"], tuned["recall"])


def test_held_aside_third_is_close_to_the_tuned_part(scored):
    gap_holds(scored["checked"])


def test_held_aside_third_is_close_to_the_tuned_part_as_score_py_scores(scored):
    """Closed (0.969 tuned, 0.940 held) once the tuned part printed figures truth.csv leaves out (the errata:
    answered and pending requests, 申诉 zeros), which score.py counts against the tuned part: a narrow margin."""
    gap_holds(scored["score.py"])
