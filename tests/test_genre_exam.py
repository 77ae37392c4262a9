"""The genre exam (tests/fixtures/genre): short report passages written for this project from the data contract
(DESIGN.md §3) and the official templates, with the figures each states, before any rule was tuned on them.

A row is found when the extractor printed a fact with its metric and value (and dim when the row gives one; a
derived row's year must agree too). Printed facts of metrics the exam never uses are not scored; request and
outcome metrics are scored on their whole-office figure (dim '' or total) unless the row gives an applicant.
Half the passages (sha256("gongkai-genre:" + id) even) are held aside: rules are tuned on the other half only,
and the held half measures how the extractor carries to wordings nobody tuned it on.
"""
from __future__ import annotations

import collections
import csv
import hashlib
from pathlib import Path

import pytest

from gongkai.extract import extract_file

GENRE = Path(__file__).resolve().parent / "fixtures" / "genre"
FLOORS = {"tuned": (0.98, 0.97), "held": (0.97, 0.90)}    # precision, recall: a little under the measured figures
MAX_GAP = 0.03


def held(passage: str) -> bool:
    return int(hashlib.sha256(("gongkai-genre:" + passage).encode()).hexdigest(), 16) % 2 == 0


def expected_rows() -> dict[str, list[dict]]:
    rows = collections.defaultdict(list)
    with open(GENRE / "expected.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["passage"].strip()].append(row)
    return rows


def printed_facts(path: Path) -> list[dict]:
    report = extract_file(path)
    year = report.meta.year
    return [dict(metric=f.metric, dim=f.dim or "", value=f.value, qualifier=f.qualifier,
                 year=f.year or year, quote=f.quote) for f in report.facts]


def _matches(row: dict, fact: dict) -> bool:
    if fact["metric"] != row["metric"] or abs(float(fact["value"]) - float(row["value"])) > 1e-6 * max(1, abs(float(row["value"]))):
        return False
    if row["dim"] and fact["dim"] != row["dim"]:
        return False
    return row["qualifier"] != "derived" or str(fact["year"]) == str(row["year"])


def _in_scope(fact: dict, metrics: set[str], applicant_rows: bool) -> bool:
    if fact["metric"] not in metrics:
        return False
    if fact["metric"].startswith(("req_", "out_")) and fact["metric"] != "req_by_channel" and not applicant_rows:
        return fact["dim"] in ("", "total")
    return True


def score(passages: list[str], rows: dict[str, list[dict]], printed: dict[str, list[dict]]) -> dict:
    metrics = {r["metric"] for part in rows.values() for r in part}
    matched = scored = total = 0
    extras, missed = [], []
    for p in passages:
        truth = rows.get(p, [])
        applicant = any(r["metric"].startswith(("req_", "out_")) and r["dim"] not in ("", "total") for r in truth)
        facts = [f for f in printed[p] if _in_scope(f, metrics, applicant)]
        used: set[int] = set()
        for r in truth:
            hit = next((i for i, f in enumerate(facts) if i not in used and _matches(r, f)), None)
            if hit is None:
                missed.append((p, r))
            else:
                used.add(hit)
        matched += len(used)
        scored += len(facts)
        total += len(truth)
        extras += [(p, f) for i, f in enumerate(facts) if i not in used]
    return {"precision": matched / scored if scored else 0.0, "recall": matched / total if total else 0.0,
            "extras": extras, "missed": missed, "passages": len(passages), "rows": total}


@pytest.fixture(scope="module")
def exam():
    rows = expected_rows()
    paths = sorted((GENRE / "passages").glob("*.txt"))
    printed = {p.stem: printed_facts(p) for p in paths}
    parts = {"tuned": [p for p in printed if not held(p)], "held": [p for p in printed if held(p)]}
    results = {name: score(part, rows, printed) for name, part in parts.items()}
    for name, r in results.items():
        print(f"\n[genre {name}] passages {r['passages']}, rows {r['rows']}: "
              f"precision {r['precision']:.3f} recall {r['recall']:.3f}")
    return results


def test_every_passage_has_its_rows_and_the_halves_are_halves():
    rows = expected_rows()
    names = {p.stem for p in (GENRE / "passages").glob("*.txt")}
    assert set(rows) <= names and len(names) >= 100
    assert 0.35 < sum(map(held, names)) / len(names) < 0.65


@pytest.mark.parametrize("part", ["tuned", "held"])
def test_precision_and_recall_on_the_genre_exam(exam, part):
    low_p, low_r = FLOORS[part]
    assert exam[part]["precision"] >= low_p and exam[part]["recall"] >= low_r, (exam[part]["precision"],
                                                                                   exam[part]["recall"])


@pytest.mark.xfail(strict=True, reason="held recall 0.928 is 0.059 below the tuned half's 0.987 (precision 0.989 vs "
                   "0.997): the rules tuned on the exam's tuned half carried to the held half from 0.821 to 0.928, not all "
                   "the way; strict, so the marker goes when the gap closes")
def test_the_held_half_is_close_to_the_tuned_half(exam):
    for figure in ("precision", "recall"):
        assert exam["held"][figure] >= exam["tuned"][figure] - MAX_GAP, figure
