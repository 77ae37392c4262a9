"""Arithmetic identities of a report (and across reports) -> Findings. Never raises on bad data.

The identities are rows of the tables below (reference/report-templates.md §4), not code paths:
IDENTITIES (left terms = right terms, optionally per applicant column of table 三), SUBTOTALS (a total
that may be absent is the sum of its rows), SHARE_OF (a percentage metric against its count and total).
Severity H of the reference is 'error', S is 'warning'. A term that is not stated is unknown: an
identity is only checked when all its terms are known, and approximate figures (100余条) never enter it.
"""
from __future__ import annotations

import logging
from collections import defaultdict

from gongkai.taxonomy import additive_metrics
from gongkai.model import Fact, Finding, Report

log = logging.getLogger(__name__)

APPLICANT_COLUMNS = ("natural_person", "business", "research", "social_welfare", "legal_service", "other_org")
TOTAL_DIMS = ("", "total")
FMT = ("fmt2019", "fmt2021")
ANY = ()
PRE = ("pre2019",)
DENIED = tuple(f"out_denied_{s}" for s in ("state_secret", "law_prohibited", "security_stability", "third_party",
                                            "internal_affairs", "process_info", "enforcement_case", "admin_inquiry"))
UNABLE = ("out_unable_not_held", "out_unable_needs_creation", "out_unable_unclear")
NOT_PROCESSED = tuple(f"out_not_processed_{s}" for s in ("petition", "duplicate", "publication", "excessive",
                                                          "confirm_reissue"))
OTHER = ("out_other_no_correction", "out_other_fee_unpaid", "out_other_misc")
OUTCOME_GROUPS = ("out_granted", "out_partially_granted", "out_denied_total", "out_unable_total",
                  "out_not_processed_total", "out_other_total")


def _five(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}_{s}" for s in ("upheld", "corrected", "other", "pending"))


# A total that a table leaves implicit (fmt2021 has no （六） subtotal row) is the sum of its rows.
SUBTOTALS: dict[str, tuple[str, ...]] = {
    "out_denied_total": DENIED, "out_unable_total": UNABLE, "out_not_processed_total": NOT_PROCESSED,
    "out_other_total": OTHER,
}

# "dim:<metric>" as a right-hand term stands for the sum of that metric over all its stated dims.
# check, severity, eras (empty = any), left terms, right terms, per applicant column (table 三)
IDENTITIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], bool], ...] = (
    ("T3-1", "error", FMT, ("req_new", "req_carried_in"), ("out_total", "req_carried_out"), True),
    ("T3-3", "error", FMT, ("out_total",), OUTCOME_GROUPS, True),
    ("T3-3", "error", FMT, ("out_denied_total",), DENIED, True),
    ("T3-3", "error", FMT, ("out_unable_total",), UNABLE, True),
    ("T3-3", "error", FMT, ("out_not_processed_total",), NOT_PROCESSED, True),
    ("T3-4", "error", ("fmt2021",), ("out_other_total",), OTHER, True),
    ("T4-1", "error", ANY, ("review_total",), _five("review"), False),
    ("T4-2", "error", ANY, ("lit_direct_total",), _five("lit_direct"), False),
    ("T4-3", "error", ANY, ("lit_after_review_total",), _five("lit_after_review"), False),
    ("P-8", "warning", PRE, ("review_total",), ("review_upheld", "review_corrected", "review_other"), False),
    ("P-1", "warning", ANY, ("proactive_items_total",), ("dim:proactive_items_by_category",), False),
    ("P-2", "warning", PRE, ("req_new",), ("dim:req_by_channel",), False),
    ("consultations", "warning", ANY, ("consultations_total",), ("dim:consultations_by_channel",), False),
)

# percentage metric -> (count metric with the same dim, total metric): share ≈ count / total × 100 (P-10)
SHARE_OF = {"proactive_share_by_category": ("proactive_items_by_category", "proactive_items_total")}
# metric -> the total it can never exceed (a part larger than its whole), check id, severity
AT_MOST = (("dim:proactive_items_by_channel", "proactive_items_total", "channels", "warning"),
           ("dim:proactive_items_by_category", "proactive_items_total", "P-1", "warning"),
           ("out_total", "sum:req_new+req_carried_in", "P-6", "warning"))
PERCENT_MAX = (("proactive_fulltext_rate", "P-9"), ("proactive_share_by_category", "P-10"))
COUNT_UNITS = {"条", "件", "人次", "项", "篇", "个", "份"}
ABSURD_COUNT = 10_000_000      # more items or requests than any office has ever published or received
SHARE_TOLERANCE = 0.51          # percentage points (T3-9: ±0.5 pp)
COUNT_TOLERANCE = 0.5


class _Figures:
    """Exact figures of one report by (metric, dim); derived and approximate ones kept apart."""

    def __init__(self, facts: list[Fact]):
        self.exact: dict[tuple[str, str], float] = {}
        self.approx: set[tuple[str, str]] = set()
        self.dims: dict[str, list[str]] = defaultdict(list)
        for fact in facts:
            if fact.year is not None or fact.qualifier == "derived":
                continue
            key = (fact.metric, fact.dim)
            if fact.qualifier == "approx":
                self.approx.add(key)
            elif key not in self.exact:
                self.exact[key] = float(fact.value)
                if fact.dim:
                    self.dims[fact.metric].append(fact.dim)
            elif fact.metric in additive_metrics():     # several printed sub-items of one dim add up
                self.exact[key] += float(fact.value)

    def get(self, metric: str, dim: str | None) -> float | None:
        """The figure, or the sum of its rows for an implicit subtotal; None when unknown or approximate."""
        if metric.startswith("dim:"):
            name = metric[4:]
            dims = [d for d in self.dims.get(name, []) if d not in TOTAL_DIMS]
            if any((name, d) in self.approx for d in self.dims.get(name, [])) or not dims:
                return None
            return sum(self.exact[(name, d)] for d in dims)
        if metric.startswith("sum:"):
            parts = [self.get(m, dim) for m in metric[4:].split("+")]
            return None if any(p is None for p in parts) else sum(parts)
        for d in ((dim,) if dim is not None else TOTAL_DIMS):
            if (metric, d) in self.approx:
                return None
            if (metric, d) in self.exact:
                return self.exact[(metric, d)]
        rows = SUBTOTALS.get(metric)
        if rows:
            values = [self.get(m, dim) for m in rows]
            if all(v is not None for v in values):
                return sum(values)
        return None


def _label(terms: tuple[str, ...], values: list[float]) -> str:
    text = " + ".join(f"{t.replace('dim:', 'Σ ')} {v:g}" for t, v in zip(terms, values))
    return text if len(values) == 1 else f"{text} = {sum(values):g}"


def _identities(era: str, figures: _Figures) -> list[Finding]:
    findings = []
    for check, severity, eras, left, right, per_column in IDENTITIES:
        if eras and era not in eras:
            continue
        columns = [None]
        if per_column:
            present = {d for m in left + right for d in figures.dims.get(m, [])}
            columns = [d for d in (*APPLICANT_COLUMNS, "total") if d in present] or [None]
        for dim in columns:
            lv = [figures.get(m, dim) for m in left]
            rv = [figures.get(m, dim) for m in right]
            if any(v is None for v in lv + rv):
                continue
            if abs(sum(lv) - sum(rv)) > COUNT_TOLERANCE:
                where = f" [{dim}]" if dim else ""
                findings.append(Finding(check=check, severity=severity, metric=left[0], dim=dim or "",
                                        expected=sum(rv), actual=sum(lv),
                                        message=f"{check}{where}: {_label(left, lv)}, but {_label(right, rv)}"))
    return findings


def _columns_total(figures: _Figures) -> list[Finding]:
    """T3-2: the 总计 column of table 三 equals the sum of the six applicant columns, row by row."""
    findings = []
    for metric, dims in figures.dims.items():
        if "total" not in dims or not set(dims) & set(APPLICANT_COLUMNS):
            continue
        parts = [figures.get(metric, d) for d in APPLICANT_COLUMNS]
        total = figures.get(metric, "total")
        if total is None:
            continue
        known = [p for p in parts if p is not None]
        # all six known: they must add up; some blank (unknown): the known ones cannot exceed the total
        if len(known) == len(parts) and abs(total - sum(known)) > COUNT_TOLERANCE or sum(known) > total + COUNT_TOLERANCE:
            parts = known
            findings.append(Finding(check="T3-2", severity="error", metric=metric, dim="total",
                                    expected=sum(parts), actual=total,
                                    message=f"T3-2 {metric}: 总计 {total:g} but the applicant columns add "
                                            f"to {sum(parts):g}"))
    return findings


def _shares(figures: _Figures) -> list[Finding]:
    findings = []
    for share_metric, (count_metric, total_metric) in SHARE_OF.items():
        total = figures.get(total_metric, None)
        stated = 0.0
        for dim in figures.dims.get(share_metric, []):
            share = figures.get(share_metric, dim)
            count = figures.get(count_metric, dim)
            stated += share or 0.0
            if share is None or count is None or not total:
                continue
            expected = 100.0 * count / total
            if abs(expected - share) > SHARE_TOLERANCE:
                findings.append(Finding(check="P-10", severity="warning", metric=share_metric, dim=dim,
                                        expected=round(expected, 2), actual=share,
                                        message=f"P-10 {dim}: stated share {share:g}% but {count:g} of "
                                                f"{total:g} is {expected:.2f}%"))
        if stated > 100 + SHARE_TOLERANCE:
            findings.append(Finding(check="P-1", severity="warning", metric=share_metric, expected=100.0,
                                    actual=round(stated, 2),
                                    message=f"P-1: category shares add to {stated:.2f}%, more than 100%"))
    return findings


def _bounds(facts: list[Fact], figures: _Figures) -> list[Finding]:
    findings = []
    for part, whole, check, severity in AT_MOST:
        p, w = figures.get(part, None), figures.get(whole, None)
        if part.startswith("dim:"):
            name = part[4:]
            values = [(d, figures.get(name, d)) for d in figures.dims.get(name, []) if d not in TOTAL_DIMS]
        else:
            values = [("", p)]
        for dim, value in values:
            if value is not None and w is not None and value > w + COUNT_TOLERANCE:
                label = f"{part.replace('dim:', '')}[{dim}]" if dim else part
                findings.append(Finding(check=check, severity=severity, metric=part.replace("dim:", ""), dim=dim,
                                        expected=w, actual=value,
                                        message=f"{check}: {label} {value:g} exceeds "
                                                f"{whole.replace('sum:', '')} {w:g}"))
    for metric, check in PERCENT_MAX:
        for dim in figures.dims.get(metric, []) or [""]:
            value = figures.get(metric, dim)
            if value is not None and not 0 <= value <= 100:
                findings.append(Finding(check=check, severity="error", metric=metric, dim=dim, expected=100.0,
                                        actual=value, message=f"{check}: {metric} {value:g}% is not a percentage"))
    for fact in facts:
        counted = fact.unit in COUNT_UNITS and not fact.metric.endswith("_delta")
        if counted and (fact.value < 0 or fact.value != int(fact.value)):
            findings.append(Finding(check="T3-6", severity="error", metric=fact.metric, dim=fact.dim,
                                    actual=fact.value,
                                    message=f"T3-6: {fact.metric} {fact.value:g} is not a whole count ≥ 0 "
                                            f"({fact.quote})"))
        elif counted and fact.value >= ABSURD_COUNT:
            findings.append(Finding(check="absurd", severity="warning", metric=fact.metric, dim=fact.dim,
                                    actual=fact.value,
                                    message=f"absurd figure: {fact.metric} {fact.value:g} ({fact.quote})"))
    return findings


def _meta(report: Report) -> list[Finding]:
    """Title year vs data year and partial period, unless meta extraction reported them already."""
    meta = report.meta
    seen = {f.check for f in report.findings}
    findings = []
    if meta.title_year and meta.year and meta.title_year != meta.year and "title_year" not in seen:
        findings.append(Finding(check="title_year", severity="warning", expected=meta.year, actual=meta.title_year,
                                message=f"title says {meta.title_year}, figures are about {meta.year}"))
    if not meta.full_year and "partial_period" not in seen:
        findings.append(Finding(check="partial_period", severity="warning",
                                message=f"partial period: {meta.period or 'not a full calendar year'}"))
    return findings


def check_report(report: Report) -> list[Finding]:
    """Within-report identities of one report as Findings. Never raises: a failing check is logged."""
    try:
        figures = _Figures(report.facts)
        era = report.meta.era
        return (_identities(era, figures) + _columns_total(figures) + _shares(figures)
                + _bounds(report.facts, figures) + _meta(report))
    except Exception:  # a check must never stop an ingest; the traceback goes to the log
        log.exception("checks failed on %s", report.path)
        return [Finding(check="check_failed", severity="warning", message="internal error while checking")]



def _finding_row(report: str, check: str, severity: str, message: str, metric: str = "", dim: str = "",
                 expected: float | None = None, actual: float | None = None) -> dict:
    return {"report": report, "check": check, "severity": severity, "metric": metric, "dim": dim,
            "expected": expected, "actual": actual, "message": message}


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
    except Exception:
        log.exception("cross-year checks failed")
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
    except Exception:
        log.exception("conflict checks failed")
    return rows
