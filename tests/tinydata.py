"""Tiny datasets written to a folder, for the tests of what a brief shows (views, summary, quality, pages).

tiny(folder, offices, reports, facts, findings) writes the four CSV tables with every column filled the
way ingest fills it, so gongkai.load() reads them back as it reads real data. Rows are short tuples:

    offices  (office_id, name, district, kind)
    reports  (report, office_id, year, source)
    facts    (report, metric, dim, value[, qualifier[, quote]])
    findings (report, check, metric, dim, expected, actual[, message])
"""
from __future__ import annotations

import csv
from pathlib import Path

import gongkai
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS

OFFICE_COLUMNS = ["office_id", "name", "aliases", "district", "kind"]
UNITS = {"req_new": "件", "out_granted": "件", "out_total": "件", "proactive_share_by_category": "%"}


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def tiny(folder: Path, offices, reports, facts=(), findings=()):
    """Write the tables into folder and return gongkai.load(folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = {o[0]: dict(office_id=o[0], name=o[1], district=o[2], kind=o[3]) for o in offices}
    _write(folder / "offices.csv", OFFICE_COLUMNS, list(registry.values()))
    by_report = {}
    for report, office_id, year, source in reports:
        office = registry[office_id]
        by_report[report] = dict(report=report, source=source, office_id=office_id, office=office["name"],
                                 district=office["district"], year=year, title_year=year, era="fmt2021",
                                 full_year=True, facts=0, errors=0, warnings=0)
    fact_rows = []
    for start, (report, metric, dim, value, *more) in enumerate(facts):
        qualifier = more[0] if more else "exact"
        quote = more[1] if len(more) > 1 else f"{metric}{value}"
        r = by_report[report]
        r["facts"] += 1
        fact_rows.append(dict(report=report, office_id=r["office_id"], office=r["office"], district=r["district"],
                              year=r["year"], metric=metric, dim=dim, value=value,
                              unit=UNITS.get(metric, "条"), qualifier=qualifier, method="text", start=start * 10,
                              end=start * 10 + 5, quote=quote))
    finding_rows = []
    for report, check, metric, dim, expected, actual, *more in findings:
        by_report[report]["warnings"] += 1
        finding_rows.append(dict(report=report, check=check, severity="warning", metric=metric, dim=dim,
                                 expected=expected, actual=actual, message=more[0] if more else check))
    _write(folder / "reports.csv", REPORT_COLUMNS, list(by_report.values()))
    _write(folder / "facts.csv", FACT_COLUMNS, fact_rows)
    _write(folder / "findings.csv", FINDING_COLUMNS, finding_rows)
    return gongkai.load(folder)
