"""Reviewed corrections (data/overrides.csv) applied over extraction: they win, and survive every re-ingest.

Columns: report, metric, dim, year, value, note. A row replaces the figure of (report, metric, dim, year)
— year empty means the report's data year — or adds it when extraction found none; an empty value
removes the figure. Every figure an override touches gets method 'manual' and the note as its quote.
An override that cannot be applied (unknown report, a value that is not a number) is left out and
described in the notes returned, never raised.
"""
from __future__ import annotations

import csv
import logging
from pathlib import Path

from gongkai.model import QUOTE_MAX
from gongkai.taxonomy import metric_unit

log = logging.getLogger(__name__)

OVERRIDE_COLUMNS = ["report", "metric", "dim", "year", "value", "note"]
DEFAULT_NOTE = "reviewed correction"


def read_overrides(path: Path) -> list[dict[str, str]]:
    """The rows of an overrides file (stripped strings, OVERRIDE_COLUMNS); [] when there is no file.

    Rows without a report or a metric are skipped."""
    path = Path(path)
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("report") or "").strip() and (r.get("metric") or "").strip()]
    return [{k: (r.get(k) or "").strip() for k in OVERRIDE_COLUMNS} for r in rows]


def apply_overrides(facts: list[dict], reports: dict[str, dict],
                    overrides: list[dict[str, str]]) -> tuple[list[dict], list[str]]:
    """facts.csv rows with the overrides applied, and a note for each override that was not.

    facts: facts.csv rows (changed in place where an override replaces a value); reports: reports.csv rows
    by report id (an added figure takes its office, district and data year from there).
    """
    by_key = {(f["report"], f["metric"], f["dim"] or "", str(f["year"] or "")): i for i, f in enumerate(facts)}
    removed: set[int] = set()
    notes: list[str] = []
    for o in overrides:
        rep = reports.get(o["report"])
        if rep is None:
            notes.append(f"override for unknown report {o['report']} ({o['metric']}) not applied")
            continue
        year = o["year"] or str(rep["year"] or "")
        key = (o["report"], o["metric"], o["dim"], year)
        i = by_key.get(key)
        if not o["value"]:
            if i is not None:
                removed.add(i)
            continue
        try:
            value = float(o["value"])
        except ValueError:
            notes.append(f"override {o['report']} {o['metric']}: value {o['value']!r} is not a number")
            continue
        quote = (o["note"] or DEFAULT_NOTE)[:QUOTE_MAX]
        if i is not None:
            facts[i] |= {"value": value, "method": "manual", "quote": quote}
        else:
            facts.append({"report": o["report"], "office_id": rep["office_id"], "office": rep["office"],
                          "district": rep["district"], "year": int(year) if year else None, "metric": o["metric"],
                          "dim": o["dim"], "value": value, "unit": metric_unit(o["metric"]), "qualifier": "exact",
                          "method": "manual", "start": None, "end": None, "quote": quote})
            by_key[key] = len(facts) - 1
    for note in notes:
        log.debug("%s", note)
    return [f for i, f in enumerate(facts) if i not in removed], notes
