"""extract: Document -> Report with meta, facts and conflicts, and no findings (the checks make those)."""
import inspect

from gongkai.checks import check_report
from gongkai.extract import extract_file, extract_report, report_id
from gongkai.reading import read_document

from conftest import FIXTURES


def test_extraction_makes_no_findings_and_takes_no_registry():
    doc = read_document(FIXTURES / "fmt2021" / "report.txt")
    report = extract_report(doc)
    assert report.findings == []
    assert report.report == report_id(doc) == doc.sha[:12]
    assert report.meta.era == "fmt2021" and report.facts
    assert "registry" not in inspect.signature(extract_report).parameters
    assert "registry" not in inspect.signature(extract_file).parameters


def test_disagreeing_statements_are_recorded_and_reported_once(corpus_dir):
    report = extract_file(corpus_dir / "full" / "fujian_pingtan_2022.txt")
    req_new = [c for c in report.conflicts if c.kept.metric == "req_new"]
    assert [(c.kept.value, c.kept.method, c.other.value, c.other.method) for c in req_new] == [(74, "table", 75, "text")]
    kept = [f for f in report.facts if f.metric == "req_new" and f.dim == "total"]
    assert [f.value for f in kept] == [74]
    findings = [f for f in check_report(report) if f.check == "text_vs_table" and f.metric == "req_new"]
    assert [(f.expected, f.actual) for f in findings] == [(74, 75)]


def test_title_year_is_meta_and_one_finding(corpus_dir):
    report = extract_file(corpus_dir / "seeds" / "xicheng_yuetan_2017.txt")
    assert (report.meta.year, report.meta.title_year) == (2017, 2016)
    assert [f.check for f in check_report(report)].count("title_year") == 1
