"""Identities across reports -> findings.csv rows: years of one office (carried in = last year's carried out,
a derived last-year figure against last year's own report) and reports of one office-year that disagree.

Inputs are the dataset's tables (DataFrames or lists of dicts with model.FACT_COLUMNS / REPORT_COLUMNS);
outputs are dicts with model.FINDING_COLUMNS. A pass never raises.
"""
from __future__ import annotations

import logging
from collections import defaultdict

from gongkai.checks.report import check_failed
from gongkai.identities import COUNT_TOLERANCE

log = logging.getLogger(__name__)

ACROSS_CHECKS = ("T3-7", "G-2", "conflict")   # the checks of this module: findings about more than one report
SHOWN_FIGURES = 5            # figures named in a conflict finding (the count says how many differ)
SHOWN_VALUES = 3             # distinct values shown per figure
SHOWN_SOURCES = 3            # files named in a conflict finding
VALUE_DIGITS = 6             # decimals compared: 2.9 and 2.9000000001 are one value


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


def _figure_label(metric: str, dim: str) -> str:
    return f"{metric}[{dim}]" if dim else metric


def _sources_text(names: list[str]) -> str:
    """'a.txt and b.txt', 'a.txt, b.txt, c.txt and 4 more' (at most SHOWN_SOURCES names)."""
    shown = names[:SHOWN_SOURCES]
    rest = len(names) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else "".join(shown)


def check_conflicts(facts, reports) -> list[dict]:
    """Reports of one office-year that state different figures: all kept, and one finding per office-year
    (on its first report) naming the files and the figures that differ, whatever the number of reports.

    Linear in the number of facts: each figure of an office-year is indexed by its distinct values (the first
    report stating each), so 5,000 copies of one report cost one pass and give at most one finding.
    facts/reports: DataFrames or lists of dicts. Never raises."""
    rows: list[dict] = []
    try:
        reports = _records(reports)
        source = {r["report"]: r.get("source", "") for r in reports}
        office_years: dict[tuple, list[str]] = defaultdict(list)
        for r in reports:
            year = _year(r.get("year"))
            if r.get("office_id") and str(r.get("office_id")) != "<NA>" and year is not None:
                office_years[(r["office_id"], year)].append(r["report"])
        groups = {key: list(dict.fromkeys(ids)) for key, ids in office_years.items() if len(set(ids)) > 1}
        group_of = {rid: key for key, ids in groups.items() for rid in ids}
        if not group_of:
            return rows
        # office-year -> figure (metric, dim, year) -> distinct value -> the first report stating it
        values: dict[tuple, dict[tuple, dict[float, str]]] = defaultdict(lambda: defaultdict(dict))
        for f in _records(facts):
            key = group_of.get(f["report"])
            if key is not None and f.get("qualifier") != "derived":
                figure = (f["metric"], f.get("dim") or "", _year(f.get("year")))
                values[key][figure].setdefault(round(float(f["value"]), VALUE_DIGITS), f["report"])
        for (office, year), ids in sorted(groups.items()):
            figures = values.get((office, year), {})
            differ = sorted((k for k, v in figures.items() if len(v) > 1), key=lambda k: (k[0], k[1], k[2] or 0))
            if not differ:
                continue
            involved = list(dict.fromkeys(rid for k in differ for rid in figures[k].values()))
            shown = "; ".join(_figure_label(m, d) + " " + " vs ".join(f"{v:g}" for v in list(figures[(m, d, y)])[
                :SHOWN_VALUES]) + (" vs …" if len(figures[(m, d, y)]) > SHOWN_VALUES else "")
                for m, d, y in differ[:SHOWN_FIGURES])
            more = f" (+{len(differ) - SHOWN_FIGURES} more)" if len(differ) > SHOWN_FIGURES else ""
            count = "two" if len(ids) == 2 else str(len(ids))
            rows.append(_finding_row(ids[0], "conflict", "warning",
                                     f"{count} reports for {office} {year} disagree on {len(differ)} figure(s): "
                                     f"{_sources_text([source.get(r) or r for r in involved])}: {shown}{more}; "
                                     f"all kept", differ[0][0], differ[0][1]))
    except Exception as exc:  # a check must never stop an ingest: say so in the findings, traceback to the log
        log.exception("conflict checks failed")
        rows.append(_failed_row("check_conflicts", exc))
    return rows


__all__ = ["ACROSS_CHECKS", "check_across_years", "check_conflicts"]
