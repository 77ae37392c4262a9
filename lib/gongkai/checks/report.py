"""Checks within one report -> Findings: what its meta shows or lacks, statements that disagree, and its
arithmetic. Never raises on bad data.

The table identities (table 三 per applicant column, table 四 totals, the prose totals) are those of
gongkai.identities, the same the extractor uses to choose readings; the tables below add the checks that
are not identities: SHARE_OF (a percentage against its count and total), AT_MOST (a part larger than its
whole), PERCENT_MAX. A term that is not stated is unknown: an identity is only checked when all its terms
are known, and approximate figures (100余条) never enter it.
"""
from __future__ import annotations

import logging
from collections import defaultdict

from gongkai.extract.categories import unreconciled_breakdown
from gongkai.identities import COUNT_TOLERANCE, TOTAL, applicant_columns, column_total_holds, identities, sides, subtotal
from gongkai.model import UNRECONCILED, Fact, Finding, Report
from gongkai.taxonomy import additive_metrics

log = logging.getLogger(__name__)

TOTAL_DIMS = ("", TOTAL)

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
        return subtotal(metric, lambda m: self.get(m, dim))


def _label(terms: tuple[str, ...], values: list[float]) -> str:
    text = " + ".join(f"{t.replace('dim:', 'Σ ')} {v:g}" for t, v in zip(terms, values))
    return text if len(values) == 1 else f"{text} = {sum(values):g}"


def _identities(era: str, figures: _Figures) -> list[Finding]:
    """Every identity of gongkai.identities that applies to the era, per applicant column where it says so."""
    findings = []
    for identity in identities():
        if not identity.applies_to(era):
            continue
        columns: list[str | None] = [None]
        if identity.per_column:
            present = {d for m in identity.left + identity.right for d in figures.dims.get(m, [])}
            columns = [d for d in (*applicant_columns(), TOTAL) if d in present] or [None]
        for dim in columns:
            found = sides(identity, lambda metric: figures.get(metric, dim))
            if found is None:
                continue
            lv, rv = found
            if abs(sum(lv) - sum(rv)) > COUNT_TOLERANCE:
                where = f" [{dim}]" if dim else ""
                findings.append(Finding(check=identity.check, severity=identity.severity, metric=identity.left[0],
                                        dim=dim or "", expected=sum(rv), actual=sum(lv),
                                        message=f"{identity.check}{where}: {_label(identity.left, lv)}, "
                                                f"but {_label(identity.right, rv)}"))
    return findings


def _columns_total(figures: _Figures) -> list[Finding]:
    """T3-2: the 总计 column of table 三 equals the sum of the six applicant columns, row by row; with some
    applicant cells blank (unknown), the known ones cannot exceed the total."""
    findings = []
    columns = applicant_columns()
    for metric, dims in figures.dims.items():
        if TOTAL not in dims or not set(dims) & set(columns):
            continue
        row = {d: figures.get(metric, d) for d in (*columns, TOTAL)}
        total = row[TOTAL]
        if total is None:
            continue
        known = [row[d] for d in columns if row[d] is not None]
        if column_total_holds(row) is False or sum(known) > total + COUNT_TOLERANCE:
            findings.append(Finding(check="T3-2", severity="error", metric=metric, dim=TOTAL,
                                    expected=sum(known), actual=total,
                                    message=f"T3-2 {metric}: 总计 {total:g} but the applicant columns add "
                                            f"to {sum(known):g}"))
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
    """What the report's meta shows: a partial period, table rows seen but not read, a title year that is not
    the data year."""
    meta = report.meta
    findings = []
    if not meta.full_year:
        message = (f"figures cover part of {meta.year} only: {meta.partial}" if meta.partial
                   else f"statistics period is not one calendar year: {meta.period}" if meta.period
                   else "partial period: not a full calendar year")
        findings.append(Finding(check="partial_period", severity="warning", message=message))
    for metric, why in meta.unread:     # table rows the extractor saw but could not read
        findings.append(Finding(check="table_unread", severity="warning", metric=metric, message=why))
    for metric, quote in meta.absurd:   # prose figures beyond numbers.MAX_FIGURE, left out
        findings.append(Finding(check="absurd", severity="warning", metric=metric,
                                message=f"absurd figure left out: {metric} \"{quote}\" is beyond 10^12"))
    if meta.title_year and meta.year and meta.title_year != meta.year:
        findings.append(Finding(check="title_year", severity="warning", expected=float(meta.year),
                                actual=float(meta.title_year),
                                message=f"title says {meta.title_year} but the figures are for {meta.year}; "
                                        f"using {meta.year}"))
    return findings


def _completeness(report: Report) -> list[Finding]:
    """What the report lacks: an office, a data year, any figure."""
    findings = []
    if not report.meta.office:
        findings.append(Finding(check="no_office", severity="error",
                                message=f"{report.path}: no office name in the title, the first lines or the "
                                        f"file's place"))
    if report.meta.year is None:
        findings.append(Finding(check="no_year", severity="error",
                                message=f"{report.path}: no data year found (no 统计期限, no dated statement, "
                                        f"no title year)"))
    if not report.facts:
        findings.append(Finding(check="no_figures", severity="warning",
                                message=f"{report.path}: no figures found (not an annual report, or an excerpt?)"))
    return findings


def _conflicts(report: Report) -> list[Finding]:
    """Two statements of one figure that disagree (G-3): a table against prose, or prose restating itself."""
    findings = []
    for conflict in report.conflicts:
        kept, other = conflict.kept, conflict.other
        check = "text_vs_table" if kept.method != other.method else "restated_differently"
        findings.append(Finding(check=check, severity="warning", metric=other.metric, dim=other.dim,
                                expected=kept.value, actual=other.value,
                                message=f"{other.metric}{'[' + other.dim + ']' if other.dim else ''}: "
                                        f"{kept.method} says {kept.value:g} ({kept.quote}), "
                                        f"{other.method} says {other.value:g} ({other.quote}); kept {kept.value:g}"))
    return findings


def check_failed(check: str, error: Exception) -> Finding:
    """The finding that stands for a check that raised: a warning naming the check and the error."""
    return Finding(check="check_failed", severity="warning",
                   message=f"check '{check}' failed: {type(error).__name__}: {error}")


def _breakdown(report: Report) -> list[Finding]:
    """A category breakdown the extractor could not reconcile with its total (its items are flagged
    'unreconciled' and left out of the category mix): one finding saying why, in place of P-1's sum."""
    why = unreconciled_breakdown(report.facts)
    if not why:
        return []
    listed = sum(f.value for f in report.facts if f.qualifier == UNRECONCILED)
    total = next(f.value for f in report.facts if f.metric == "proactive_items_total" and f.year is None
                 and f.qualifier == "exact")
    return [Finding(check="categories_unreconciled", severity="warning", metric="proactive_items_by_category",
                    expected=total, actual=listed, message=why)]


def check_report(report: Report) -> list[Finding]:
    """Every within-report check of one Report as Findings: meta, completeness, conflicting statements, then
    the arithmetic. Never raises: a check that fails is logged and becomes a check_failed finding."""
    findings: list[Finding] = []
    for name, check in (("meta", _meta), ("completeness", _completeness), ("conflicts", _conflicts),
                        ("breakdown", _breakdown), ("arithmetic", _arithmetic)):
        try:
            findings += check(report)
        except Exception as exc:  # a check must never stop an ingest; the traceback goes to the log
            log.exception("check %s failed on %s", name, report.path)
            findings.append(check_failed(name, exc))
    if any(f.check == "categories_unreconciled" for f in findings):     # one finding for one flagged breakdown
        findings = [f for f in findings if not (f.check == "P-1" and f.metric == "proactive_items_total")]
    return findings


def _arithmetic(report: Report) -> list[Finding]:
    figures = _Figures(report.facts)
    return (_identities(report.meta.era, figures) + _columns_total(figures) + _shares(figures)
            + _bounds(report.facts, figures))


__all__ = ["check_report", "check_failed"]
