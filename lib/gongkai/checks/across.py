"""Identities across reports -> findings.csv rows: years of one office (carried in = last year's carried out,
a derived last-year figure against last year's own report) and two reports of one office-year that disagree.

Inputs are the dataset's tables (DataFrames or lists of dicts with model.FACT_COLUMNS / REPORT_COLUMNS);
outputs are dicts with model.FINDING_COLUMNS. A pass never raises.
"""
from __future__ import annotations

import logging
from collections import defaultdict

from gongkai.checks.report import check_failed
from gongkai.identities import COUNT_TOLERANCE

log = logging.getLogger(__name__)


def _finding_row(report: str, check: str, severity: str, message: str, metric: str = "", dim: str = "",
                 expected: float | None = None, actual: float | None = None) -> dict:
    return {"report": report, "check": check, "severity": severity, "metric": metric, "dim": dim,
            "expected": expected, "actual": actual, "message": message}


def _failed_row(check: str, error: Exception) -> dict:
    """A check_failed finding row; it belongs to no single report (report is empty)."""
    finding = check_failed(check, error)
    return _finding_row("", finding.check, finding.severity, finding.message)


def _records(table) -> list[dict]:
    """Rows of a DataFrame or a list of dicts, as dicts (ingest passes dicts: no pandas needed)."""
    if table is None:
        return []
    if hasattr(table, "to_dict"):
        return table.to_dict("records")
    return list(table)


def _year(value) -> int | None:
    if value is None or value == "" or str(value) == "<NA>":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_across_years(facts) -> list[dict]:
    """Identities between years of one office, as findings.csv rows (dicts with FINDING_COLUMNS).

    T3-7: req_carried_in (year N) = req_carried_out (year N-1), per applicant column.
    G-2: a figure derived from "比去年增加57条" in year N's report agrees with year N-1's own report.
    facts: a DataFrame (or list of dicts) with model.FACT_COLUMNS, year filled. Never raises.
    """
    rows: list[dict] = []
    try:
        index: dict[tuple, tuple[float, str]] = {}
        derived = []
        for f in _records(facts):
            year = _year(f.get("year"))
            if not f.get("office_id") or year is None or str(f.get("office_id")) == "<NA>":
                continue
            key = (f["office_id"], year, f["metric"], f.get("dim") or "")
            if f.get("qualifier") == "derived":
                derived.append((key, f))
            else:
                index.setdefault(key, (float(f["value"]), f["report"]))
        for (office, year, metric, dim), (value, report) in index.items():
            if metric != "req_carried_in":
                continue
            before = index.get((office, year - 1, "req_carried_out", dim))
            if before and abs(before[0] - value) > COUNT_TOLERANCE:
                rows.append(_finding_row(report, "T3-7", "warning",
                                         f"T3-7 {office}{' [' + dim + ']' if dim else ''}: carried in {value:g} "
                                         f"in {year}, but {year - 1} carried out {before[0]:g} "
                                         f"(report {before[1]})", "req_carried_in", dim, before[0], value))
        for (office, year, metric, dim), f in derived:
            actual = index.get((office, year, metric, dim))
            value = float(f["value"])
            if actual and abs(actual[0] - value) > max(COUNT_TOLERANCE, 0.01 * abs(actual[0])):
                rows.append(_finding_row(f["report"], "G-2", "warning",
                                         f"G-2 {office} {metric}: \"{f.get('quote', '')}\" implies {value:g} "
                                         f"for {year}, the {year} report says {actual[0]:g} "
                                         f"(report {actual[1]})", metric, dim, actual[0], value))
    except Exception as exc:  # a check must never stop an ingest: say so in the findings, traceback to the log
        log.exception("cross-year checks failed")
        rows.append(_failed_row("check_across_years", exc))
    return rows


def check_conflicts(facts, reports) -> list[dict]:
    """Two reports of one office-year that state different figures: both kept, one finding per report
    naming both files and the figures that differ. facts/reports: DataFrames or lists of dicts."""
    rows: list[dict] = []
    try:
        reports = _records(reports)
        source = {r["report"]: r.get("source", "") for r in reports}
        office_years: dict[tuple, list[str]] = defaultdict(list)
        for r in reports:
            year = _year(r.get("year"))
            if r.get("office_id") and str(r.get("office_id")) != "<NA>" and year is not None:
                office_years[(r["office_id"], year)].append(r["report"])
        shared = {rid for ids in office_years.values() if len(ids) > 1 for rid in ids}
        if not shared:
            return rows
        by_report: dict[str, dict[tuple, float]] = defaultdict(dict)
        for f in _records(facts):
            if f["report"] in shared and f.get("qualifier") != "derived":
                by_report[f["report"]][(f["metric"], f.get("dim") or "", _year(f.get("year")))] = float(f["value"])
        for (office, year), ids in sorted(office_years.items()):
            ids = list(dict.fromkeys(ids))
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    fa, fb = by_report.get(a, {}), by_report.get(b, {})
                    differ = sorted(k for k in fa.keys() & fb.keys() if abs(fa[k] - fb[k]) > 1e-9)
                    if not differ:
                        continue
                    shown = "; ".join(f"{m}{'[' + d + ']' if d else ''} {fa[(m, d, y)]:g} vs {fb[(m, d, y)]:g}"
                                      for m, d, y in differ[:5])
                    more = f" (+{len(differ) - 5} more)" if len(differ) > 5 else ""
                    for this in (a, b):
                        rows.append(_finding_row(this, "conflict", "warning",
                                                 f"two reports for {office} {year} disagree on {len(differ)} "
                                                 f"figure(s): {source.get(a, a)} and {source.get(b, b)}: "
                                                 f"{shown}{more}; both kept", differ[0][0], differ[0][1]))
    except Exception as exc:  # a check must never stop an ingest: say so in the findings, traceback to the log
        log.exception("conflict checks failed")
        rows.append(_failed_row("check_conflicts", exc))
    return rows


__all__ = ["check_across_years", "check_conflicts"]
