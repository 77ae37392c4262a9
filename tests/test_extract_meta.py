"""extract.meta: office, data year, title year, era and period, on our own phrases and on the real corpus.

extract_meta records what it finds as data (meta.partial, year None, office ''); the findings about it are
made once, by gongkai.checks.check_report: both are asserted here.
"""
import pytest

from gongkai.checks import check_report
from gongkai.extract.meta import data_year, extract_meta, period, split_district
from gongkai.model import Document, Fact, Report


def doc(text: str, path: str = "reports/some_office/report.txt", header: dict | None = None) -> Document:
    return Document(path=path, text=text, kind="txt", sha="0" * 64, header=header or {})


def meta_findings(meta) -> list:
    """The findings check_report makes of a report with this meta (and one figure, so none about figures)."""
    figure = Fact(metric="proactive_items_total", value=1, unit="条", start=0, end=1, quote="1条")
    return check_report(Report(report="r", source="s", path="p", meta=meta, facts=[figure]))


@pytest.mark.parametrize("sentence, year, full", [
    ("本报告统计期限自2016年1月1日起至2016年12月31日止。", 2016, True),
    ("统计期限为2022年1月1日至12月31日。", 2022, True),
    ("统计期限自201711日起,至20171231日止。", 2017, True),        # 年月 dropped by a converter
    ("统计期限自20201月1日至202012月31日。", 2020, True),
    ("统计期限自2009年1月1日《条例》实施之日起,至2009年12月31日止。", 2009, True),
    ("统计期限自2008年5月1日起,至2018年12月31日止。", 2018, False),  # since 2008: cumulative
    ("所列数据的统计期限自2018年1月5日至2019年1月6日止。", 2018, False),
    ("统计期限为2021年1月1日至2021年6月30日。", 2021, False),
])
def test_period_sentence(sentence, year, full):
    y, is_full, phrase = period("前言。" + sentence + "正文。")
    assert (y, is_full) == (year, full) and phrase.startswith("统计")


def test_stated_year_beats_title_year():
    # titled one year, reporting the next (as the 月坛 report does)
    text = "某某街道2015年政府信息公开工作年度报告\n一、概述\n本单位2016年共主动公开政府信息12条。2016年共收到申请1件。"
    year, full, _ = data_year(text, 2015)
    assert year == 2016
    meta = extract_meta(doc(text))
    assert (meta.year, meta.title_year) == (2016, 2015)
    assert [f.check for f in meta_findings(meta)] == ["title_year"]


def test_partial_period_and_office_from_title():
    text = "东风街道\n2018年政府信息公开工作年度报告\n截至2018年10月底，共发布信息30条。"
    meta = extract_meta(doc(text))
    assert meta.office == "东风街道" and meta.year == 2018 and not meta.full_year
    assert meta.partial == "截至2018年10月底"
    findings = meta_findings(meta)
    assert [(f.check, f.severity) for f in findings] == [("partial_period", "warning")]
    assert findings[0].message == "figures cover part of 2018 only: 截至2018年10月底"


def test_half_year_is_partial():
    meta = extract_meta(doc("2022年上半年政府信息公开工作报告\n上半年共发布信息40条。"))
    assert not meta.full_year and meta.partial == "上半年"
    assert "partial_period" in [f.check for f in meta_findings(meta)]


def test_a_period_of_more_than_a_year_is_partial():
    meta = extract_meta(doc("某某街道2018年政府信息公开工作年度报告\n统计期限自2008年5月1日起,至2018年12月31日止。"))
    assert (meta.year, meta.full_year, meta.partial) == (2018, False, "")
    assert meta.period.startswith("统计期限自2008年5月1日")
    assert [f.message for f in meta_findings(meta)] == [f"statistics period is not one calendar year: {meta.period}"]


def test_no_year_and_no_office_are_errors():
    meta = extract_meta(doc("一些没有年份的文字。", path=""))
    assert meta.year is None and meta.office == ""
    findings = meta_findings(meta)
    assert {(f.check, f.severity) for f in findings} == {("no_year", "error"), ("no_office", "error")}
    assert len(findings) == 2                     # each once


def test_office_falls_back_on_header_then_folder():
    text = "根据条例编制本报告。2019年共主动公开政府信息5条。"
    assert extract_meta(doc(text, header={"office": "某某镇", "district": "某某区"})).office == "某某镇"
    assert extract_meta(doc(text, path="/data/reports/某某镇/report.txt")).office == "某某镇"


def test_district_split_from_office():
    assert split_district("西城区月坛街道") == ("月坛街道", "西城区")
    assert split_district("北京市西城区人民政府") == ("西城区人民政府", "西城区")
    assert split_district("果园街道") == ("果园街道", "")


@pytest.mark.parametrize("name, year, era", [
    ("fujian_pingtan_2011.txt", 2011, "pre2019"),
    ("fujian_pingtan_2017.txt", 2017, "pre2019"),
    ("fujian_pingtan_2018.txt", 2018, "pre2019"),
    ("fujian_pingtan_2019.txt", 2019, "fmt2019"),
    ("fujian_pingtan_2020.txt", 2020, "fmt2019"),
    ("fujian_pingtan_2021.txt", 2021, "fmt2021"),
    ("fujian_pingtan_2022.txt", 2022, "fmt2021"),
    ("fujian_pingtan_2023.txt", 2023, "fmt2021"),
    ("fujian_pingtan_2024.txt", 2024, "fmt2021"),
    ("fujian_pingtan_2025.txt", 2025, "fmt2021"),
    ("jiangsu_hongze_2023.pdf", 2023, "fmt2021"),
    ("jiangsu_hongze_2024.pdf", 2024, "fmt2021"),
    ("shanghai_kewei_2024.md", 2024, "fmt2021"),
    ("shanghai_bangongting_2025.md", 2025, "fmt2021"),
])
def test_full_reports(corpus_dir, name, year, era):
    from gongkai.reading import read_document
    meta = extract_meta(read_document(corpus_dir / "full" / name))
    assert (meta.year, meta.era, meta.full_year) == (year, era, True)
    assert meta.office and "full" not in meta.office
    assert not [f for f in meta_findings(meta) if f.severity == "error"]


def test_page_years_agree_with_the_copies_headers(corpus_dir):
    """Every excerpt's data year as the archive recorded it (the header is read here only, never by the code)."""
    from gongkai.reading import read_document
    wrong, checked = [], 0
    for path in sorted((corpus_dir / "pages").iterdir()):
        d = read_document(path)
        expected = d.header.get("year_of_data", "")
        if not expected.isdigit():
            continue
        checked += 1
        meta = extract_meta(d)
        if meta.year != int(expected):
            wrong.append((path.name, expected, meta.year))
    assert checked > 150 and wrong == []


def test_seed_years(corpus_dir):
    from gongkai.reading import read_document
    meta = extract_meta(read_document(corpus_dir / "seeds" / "xicheng_yuetan_2017.txt"))
    assert (meta.office, meta.district, meta.year, meta.title_year) == ("月坛街道", "西城区", 2017, 2016)


@pytest.mark.parametrize("text, office, district", [
    # a bare heading under the site's name comes before the report's own title
    ("某某市某区人民政府\n政府信息公开年报\n某区某某街道 2019年政府信息公开工作年度报告\n正文。", "某某街道", "某区"),
    # page chrome above a complete title is not joined to it
    ("登录 注册\n某区某某局2020年政府信息公开工作年度报告\n正文。", "某某局", "某区"),
    ("• 2021-02-03\n某区某某街道办事处2020年政府信息公开工作年度报告\n正文。", "某某街道办事处", "某区"),
    ("名 称: 某某街道办事处2022年度 政府信息公开工作年度报告\n正文。", "某某街道办事处", ""),
    # a district's own report names only the district
    ("某某市某某区2017年政府信息公开工作年度报告\n正文。", "某某区人民政府", "某某区"),
    # a sentence about the report is not its title
    ("引言\n本报告是根据《条例》要求,在2017年度某区各委办局和各街、乡(镇)政府信息公开工作年度报告的基础上编制。",
     "", ""),
])
def test_office_from_the_title_line(text, office, district):
    meta = extract_meta(doc(text, path=""))
    assert (meta.office, meta.district) == (office, district)


def test_a_place_only_title_takes_the_office_that_compiled_the_report():
    text = "某市政府信息公开工作年度报告本报告由某市统计局、某某调查\n总队(以下简称统计局队)编制。"
    meta = extract_meta(doc(text, path=""))
    assert meta.office == "某市统计局、某某调查总队"


def test_the_corpus_titles_give_the_headers_office(corpus_dir):
    from gongkai.reading import read_document
    for name, office in [("xicheng_jinrongjie_2017.txt", "金融街街道"), ("beijing-shitongjiju_2012.txt", "北京市统计局"),
                         ("nanjing-jianye_nanyuan_2021.txt", "南苑街道"), ("chaoyang_quzhengfu_2017.txt", "朝阳区人民政府")]:
        meta = extract_meta(read_document(corpus_dir / "pages" / name))
        assert meta.office.startswith(office), (name, meta.office)
