"""The two reports this project started from give exactly the expected facts and findings."""
from gongkai.checks import check_report
from gongkai.extract import extract_file


def facts_of(report):
    return {(f.metric, f.dim, f.value, f.year or report.meta.year, f.qualifier) for f in report.facts}


def test_yuetan_2017_titled_2016(corpus_dir):
    report = extract_file(corpus_dir / "seeds" / "xicheng_yuetan_2017.txt")
    assert report.meta.year == 2017 and report.meta.title_year == 2016
    assert report.meta.era == "pre2019" and report.meta.full_year
    assert [f.check for f in check_report(report) if f.check == "title_year"] == ["title_year"]
    expected = {
        ("proactive_items_total", "", 267, 2017, "exact"),
        ("proactive_items_total", "", 210, 2016, "derived"),
        ("proactive_fulltext_rate", "", 100, 2017, "exact"),
        ("proactive_items_by_category", "org_function", 8, 2017, "exact"),
        ("proactive_items_by_category", "laws_policies", 3, 2017, "exact"),
        ("proactive_items_by_category", "plans", 18, 2017, "exact"),
        ("proactive_items_by_category", "work_updates", 215, 2017, "exact"),
        ("proactive_share_by_category", "org_function", 2.9, 2017, "exact"),
        ("proactive_share_by_category", "laws_policies", 1.1, 2017, "exact"),
        ("proactive_share_by_category", "plans", 6.7, 2017, "exact"),
        ("proactive_share_by_category", "work_updates", 80.5, 2017, "exact"),
        ("consultations_total", "", 9890, 2017, "exact"),
        ("consultations_by_channel", "in_person", 6836, 2017, "exact"),
        ("consultations_by_channel", "phone", 3054, 2017, "exact"),
        ("req_new", "total", 2, 2017, "exact"),   # request figures of prose are whole-office (dim total)
        ("req_by_channel", "online", 1, 2017, "exact"),
        ("req_by_channel", "letter", 1, 2017, "exact"),
        ("out_granted", "total", 2, 2017, "exact"),
        ("request_fees_collected", "", 0, 2017, "exact"),
        ("review_total", "", 0, 2017, "exact"),
        ("lit_all_total", "", 0, 2017, "exact"),
        ("complaints_total", "", 0, 2017, "exact"),
    }
    assert facts_of(report) == expected
    by_metric = {(f.metric, f.dim, f.year): f for f in report.facts}
    assert by_metric[("proactive_items_total", "", 2016)].quote == "比去年增加57条"
    assert by_metric[("proactive_items_total", "", None)].quote.endswith("主动公开政府信息267条")
    consult = by_metric[("consultations_total", "", None)]
    assert consult.value == sum(by_metric[("consultations_by_channel", ch, None)].value for ch in ("in_person", "phone"))
    units = {f.metric: f.unit for f in report.facts}
    assert units["proactive_items_total"] == "条" and units["consultations_total"] == "人次"
    assert units["proactive_share_by_category"] == "%" and units["request_fees_collected"] == "元"


def test_yuetan_spans_point_into_the_text(corpus_dir):
    from gongkai.reading import read_document
    doc = read_document(corpus_dir / "seeds" / "xicheng_yuetan_2017.txt")
    report = extract_file(corpus_dir / "seeds" / "xicheng_yuetan_2017.txt")
    for fact in report.facts:
        phrase = " ".join(doc.text[fact.start:fact.end].split())
        assert phrase.startswith(fact.quote.rstrip("…")), fact


def test_guoyuan_2017_partial_period(corpus_dir):
    report = extract_file(corpus_dir / "seeds" / "miyun_guoyuan_2017.txt")
    assert report.meta.year == 2017 and not report.meta.full_year
    assert report.meta.office == "果园街道"
    assert any(f.check == "partial_period" and f.severity == "warning" for f in check_report(report))
    assert facts_of(report) == {
        ("proactive_items_total", "", 110, 2017, "exact"),
        ("proactive_items_by_category", "fiscal", 18, 2017, "exact"),
        ("proactive_items_by_category", "work_updates", 92, 2017, "exact"),
    }
