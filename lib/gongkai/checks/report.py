"""Arithmetic identities within one report -> Findings. Never raises on bad data.

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


__all__ = ["check_report"]
