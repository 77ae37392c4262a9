"""Document -> Report: meta (office, year, era), facts from prose and tables, then the report's own checks."""
from __future__ import annotations


from gongkai.model import Document, Fact, Finding, Report


def report_id(doc: Document) -> str:
    """A report's id: the first 12 hex digits of its content hash."""
    return doc.sha[:12]


APPLICANT_METRIC_PREFIXES = ("req_", "out_")
APPLICANT_FREE_METRICS = {"req_by_channel"}


def whole_office_dim(fact: Fact) -> Fact:
    """Request figures stated in prose are about all applicants: their dim is 'total', as in table 三."""
    if not fact.dim and fact.metric.startswith(APPLICANT_METRIC_PREFIXES) and fact.metric not in APPLICANT_FREE_METRICS:
        fact.dim = "total"
    return fact


def reconcile(facts: list[Fact]) -> tuple[list[Fact], list[Finding]]:
    """One fact per (metric, dim, year): a table cell wins over prose (G-3), the first statement over repeats.

    A second statement of the same figure with another value is kept out of the facts and reported.
    """
    facts = [whole_office_dim(f) for f in facts]
    chosen: dict[tuple, Fact] = {}
    findings: list[Finding] = []
    ordered = sorted(facts, key=lambda f: (f.method != "table", f.start))
    for fact in ordered:
        key = (fact.metric, fact.dim, fact.year)
        kept = chosen.get(key)
        if kept is None:
            chosen[key] = fact
        elif abs(kept.value - fact.value) > 1e-9:
            check = "text_vs_table" if kept.method != fact.method else "restated_differently"
            findings.append(Finding(check=check, severity="warning", metric=fact.metric, dim=fact.dim,
                                    expected=kept.value, actual=fact.value,
                                    message=f"{fact.metric}{'[' + fact.dim + ']' if fact.dim else ''}: "
                                            f"{kept.method} says {kept.value:g} ({kept.quote}), "
                                            f"{fact.method} says {fact.value:g} ({fact.quote}); kept {kept.value:g}"))
    return sorted(chosen.values(), key=lambda f: f.start), findings


def extract_report(doc: Document, registry=None) -> Report:
    """Extract meta, facts and within-report findings from one Document. Never raises on odd content."""
    from gongkai.checks import check_report
    from gongkai.extract.meta import extract_meta
    from gongkai.extract.tables import table_facts
    from gongkai.extract.text import text_facts

    meta, meta_findings = extract_meta(doc, registry)
    facts, conflicts = reconcile(text_facts(doc, meta) + table_facts(doc, meta))
    report = Report(report=report_id(doc), source=doc.header.get("url") or doc.path, path=doc.path, meta=meta,
                    facts=facts, findings=meta_findings + conflicts)
    report.findings += check_report(report)
    return report


def extract_file(path, registry=None) -> Report:
    """Read and extract one report file; raises gongkai.errors.ReadError when the file cannot be read."""
    from gongkai.reading import read_document
    return extract_report(read_document(path), registry)


__all__ = ["extract_report", "extract_file", "reconcile", "report_id"]
