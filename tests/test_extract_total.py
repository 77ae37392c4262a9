"""extract.total: the year's proactive total, last year's derived from a stated change, a category of the whole."""
from gongkai.extract.prose import Collector, prose_view
from gongkai.extract.total import proactive_total
from gongkai.model import ReportMeta


def total_of(text: str, year: int | None = 2017):
    out = Collector(text)
    where = proactive_total(prose_view(text), ReportMeta(year=year), out)
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
