"""model: the records of the pipeline, and quotes cut to QUOTE_MAX on one line."""
from gongkai.model import QUOTE_MAX, Conflict, Fact, Report, ReportMeta, quote_of, short_quote


def test_quotes_are_single_line_and_cut_with_an_ellipsis():
    assert short_quote("前文共主动公开\n  政府信息267条。", 2, 18) == "共主动公开 政府信息267条"
    long = "条" * (QUOTE_MAX + 5)
    assert quote_of(long) == "条" * (QUOTE_MAX - 1) + "…" and len(quote_of(long)) == QUOTE_MAX
    assert quote_of("条" * QUOTE_MAX) == "条" * QUOTE_MAX


def test_a_report_starts_without_findings_and_carries_its_conflicts():
    kept = Fact(metric="req_new", value=74, unit="件", start=0, end=2, quote="74", method="table")
    other = Fact(metric="req_new", value=75, unit="件", start=5, end=9, quote="75件")
    report = Report(report="r", source="s", path="p", meta=ReportMeta(), conflicts=[Conflict(kept, other)])
    assert report.findings == [] and report.facts == []
    assert report.conflicts[0].other.value == 75
    assert (report.meta.year, report.meta.office, report.meta.full_year, report.meta.partial) == (None, "", True, "")
