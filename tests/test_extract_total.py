"""extract.total: the year's proactive total, and what stands beside it in the genre but is not it (a running
total, key areas, one column, one channel, one category), on sentences in the reports' style (our wording)
and on the real complete reports."""
from __future__ import annotations

from gongkai.extract.prose import Collector, prose_view
from gongkai.extract.total import proactive_total
from gongkai.model import ReportMeta
import pytest
from gongkai.extract.text import text_facts
from gongkai.model import Document, ReportMeta


def total_of(text: str, year: int | None = 2017):
    out = Collector(text)
    statement = proactive_total(prose_view(text), ReportMeta(year=year), out)
    where = statement and (statement.sentence_start, statement.end, statement.unit)
    return where, [(f.metric, f.dim, f.value, f.qualifier, f.year, f.quote) for f in out.facts]


def test_the_total_and_last_years_from_a_stated_increase():
    where, facts = total_of("2017年共主动公开政府信息267条，比去年增加57条。")
    assert where == (0, 18, "条")
    assert facts == [("proactive_items_total", "", 267, "exact", None, "2017年共主动公开政府信息267条"),
                     ("proactive_items_total", "", 210, "derived", 2016, "比去年增加57条")]


def test_no_derived_figure_without_a_data_year():
    _, facts = total_of("2017年共主动公开政府信息267条，比去年增加57条。", year=None)
    assert [f[:3] for f in facts] == [("proactive_items_total", "", 267)]


def test_a_category_that_holds_the_whole_total():
    _, facts = total_of("共主动公开政府信息107条，均为业务动态。")
    assert facts[1][:3] == ("proactive_items_by_category", "work_updates", 107)


def test_a_channels_figure_is_not_the_total():
    where, facts = total_of("通过微信公众号发布信息782条。全年共主动公开政府信息300条。")
    assert where == (16, 31, "条")
    assert [f[:3] for f in facts] == [("proactive_items_total", "", 300)]


def test_no_statement_no_total():
    assert total_of("2017年信息公开工作平稳。") == (None, [])


def facts(text: str, year: int = 2020, full_year: bool = True) -> dict:
    document = Document(path="x.txt", text=text, kind="txt", sha="0" * 64)
    meta = ReportMeta(office="某街道", year=year, era="fmt2019", full_year=full_year)
    return {(f.metric, f.dim, f.year): f.value for f in text_facts(document, meta)}


def total(text: str, year: int = 2020):
    view = prose_view(text)
    return proactive_total(view, ReportMeta(office="某街道", year=year), Collector(text))


def test_the_statement_and_its_restatement():
    statement = total("全年主动公开政府信息120条。二、主动公开情况\n在主动公开的120条政府信息中，工作动态100条、通知公告20条。"
                      "全年共主动公开政府信息120条。")
    assert (statement.value, statement.unit, statement.exact) == (120, "条", True)
    assert len(statement.restated) == 1


def test_a_running_total_since_some_start_is_cumulative():
    got = facts("截至目前，本街道累计主动公开政府信息635条。")
    assert got == {("proactive_items_cumulative", "", None): 635}
    got = facts("本办自成立以来累计主动公开政府信息2000条，全年主动公开政府信息150条。")
    assert got[("proactive_items_cumulative", "", None)] == 2000
    assert got[("proactive_items_total", "", None)] == 150


def test_the_years_own_figure_after_a_running_total():
    got = facts("本街道2020年底累计主动公开政府信息347条，全文电子化率达100%，其中本年度新增的主动公开信息40条。")
    assert got[("proactive_items_cumulative", "", None)] == 347
    assert got[("proactive_items_total", "", None)] == 40
    assert facts("累计公开信息900条(2020年新增120条)。")[("proactive_items_total", "", None)] == 120


def test_a_figure_of_another_year_is_neither_the_total_nor_the_running_total():
    """'2019年底累计…347条' or '2019年主动公开…210条' in a 2020 report is not the 2020 figure."""
    got = facts("本街道2019年底累计主动公开政府信息347条，其中本年度新增的主动公开信息40条。")
    assert ("proactive_items_cumulative", "", None) not in got and got[("proactive_items_total", "", None)] == 40
    assert facts("2019年主动公开政府信息210条。2020年主动公开政府信息250条。")[("proactive_items_total", "", None)] == 250


def test_a_running_total_of_this_year_is_the_years():
    assert facts("今年以来，累计主动公开政府信息88条。") == {("proactive_items_total", "", None): 88}
    assert facts("2020年累计主动公开政府信息20条。") == {("proactive_items_total", "", None): 20}


@pytest.mark.parametrize("text, value", [
    ("聚焦重点领域信息公开，共发布信息85条。全年主动公开政府信息300条。", 300),
    ("在镇街试点领域发布信息8条。全年主动公开政府信息60条。", 60),
    ("在政府网站开设“行政执法公示”专栏，今年共公开632条信息。全年主动公开政府信息33条。", 33),
    ("在“政府信息公开”专栏主动公开政府信息254条。", 254),
    ("开设“平潭微信”公众号，2020年共发布244篇公众号信息。全年公开政府信息152条。", 152),
    ("其他应主动公开政府信息856条。全年共主动公开政府信息2599条。", 2599),
])
def test_a_subtotal_is_not_the_years_total(text, value):
    assert facts(text)[("proactive_items_total", "", None)] == value


@pytest.mark.parametrize("text, value", [
    ("2020年度我镇主动公开政府信息件数为123件。", 123),
    ("累计发布街道动态、政策解读等各类信息157条。", 157),
    ("通过门户网站主动公开应主动公开的政府信息，全年公开公文类政府信息共33条，其中规范性文件1条，工作动态32条。", 33),
    ("全年政府信息主动公开58条，其中行政许可类8条，其他类50条；办理依申请公开2件。", 58),
])
def test_more_ways_to_state_the_total(text, value):
    assert facts(text)[("proactive_items_total", "", None)] == value


def test_last_years_figures_from_a_stated_change():
    got = facts("全年主动公开政府信息80条，比上年减少15条。全年共受理申请1件，较上年增加1件。", 2025)
    assert got[("proactive_items_total", "", 2024)] == 95
    assert got[("req_new", "", 2024)] == 0
    got = facts("全年共受理申请6件，与去年相比减少4条。", 2025)
    assert ("req_new", "", 2024) not in got        # a change in 条 is about items, not requests


@pytest.mark.parametrize("name, value, cumulative", [
    ("fujian_pingtan_2017.txt", 2122, None), ("fujian_pingtan_2019.txt", 2599, None),
    ("fujian_pingtan_2020.txt", 2602, None), ("fujian_pingtan_2025.txt", 7700, None),
])
def test_full_reports_total(corpus_dir, name, value, cumulative):
    from gongkai.extract import extract_file
    report = extract_file(corpus_dir / "full" / name)
    got = {(f.metric, f.dim, f.year): f.value for f in report.facts}
    assert got[("proactive_items_total", "", None)] == value


def test_district_reports_running_total_and_the_years(corpus_dir):
    from gongkai.extract import extract_file
    got = {(f.metric, f.year): f.value
           for f in extract_file(corpus_dir / "district" / "reports" / "gaj_2014.txt").facts}
    assert (got[("proactive_items_cumulative", None)], got[("proactive_items_total", None)]) == (805, 360)


def test_all_kinds_of_information_is_the_years_total_not_one_categorys():
    where, facts = total_of("2017年，本局各类主动公开信息累计305条，其中：工作动态类200条。")
    assert facts[0][:3] == ("proactive_items_total", "", 305)


def test_a_figure_over_several_years_is_neither_the_total_nor_cumulative():
    where, facts = total_of("近五年来，本中心累计公开政策、资金等各类信息3600余条。", year=2018)
    assert where is None and facts == []
    _, facts = total_of("近年来本局不断完善公开机制，2018年共主动公开政府信息410条。", year=2018)
    assert facts[0][:3] == ("proactive_items_total", "", 410)


def test_the_years_figure_newly_published_after_a_running_total():
    _, facts = total_of("截至2019年底，本局累计主动公开政府信息3021条，其中2019年新增发布286条。", year=2019)
    assert [f[:3] for f in facts] == [("proactive_items_cumulative", "", 3021), ("proactive_items_total", "", 286)]


def test_a_total_published_all_through_one_channel():
    _, facts = total_of("全年主动公开政府信息64条，全部通过镇政府网站信息公开专栏发布。")
    assert ("proactive_items_by_channel", "website", 64) in [f[:3] for f in facts]
    _, facts = total_of("全年主动公开政府信息64条，均通过网站和微信公众号发布。")
    assert [f[0] for f in facts] == ["proactive_items_total"]


def test_a_running_total_since_a_named_year_and_a_total_stated_with_gongyou():
    _, facts = total_of("全年新增主动公开政府信息96条，自2010年以来累计主动公开政府信息2210条。", year=2019)
    assert {f[:3] for f in facts} == {("proactive_items_total", "", 96), ("proactive_items_cumulative", "", 2210)}
    _, facts = total_of("本局主动公开的政府信息共有77条，包括工作动态60条、通知公告17条。", year=2019)
    assert facts[0][:3] == ("proactive_items_total", "", 77)


def test_an_earlier_years_own_total_stated_as_such():
    _, facts = total_of("2018年主动公开政府信息316条；2019年主动公开政府信息402条。", year=2019)
    assert {f[:5] for f in facts} == {("proactive_items_total", "", 402, "exact", None),
                                      ("proactive_items_total", "", 316, "exact", 2018)}
    _, facts = total_of("2018年底累计主动公开政府信息3160条，2019年主动公开政府信息402条。", year=2019)
    assert [f[2] for f in facts if f[0] == "proactive_items_total"] == [402]


def test_a_running_total_to_a_date_that_gives_way_to_the_years_own_figure():
    _, facts = total_of("截至2019年12月31日，本办累计主动公开政府信息2750条。本年度主动公开政府信息233条。", year=2019)
    assert {f[:3] for f in facts} == {("proactive_items_cumulative", "", 2750), ("proactive_items_total", "", 233)}
    _, facts = total_of("截至2019年12月31日，累计主动公开政府信息233条。全年通过网站主动公开政府信息233条。", year=2019)
    assert [f[0] for f in facts] == ["proactive_items_total"]
