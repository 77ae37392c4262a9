"""extract.prose: the prose view (table rows blanked, spans kept), the collector, sentence and clause bounds."""
from gongkai.extract.prose import (Collector, channel_of_label, clause_start, new_this_year, prose_view,
                                   sentence_bounds)
from gongkai.model import ReportMeta
from gongkai.numbers import Number


def test_prose_view_blanks_table_rows_and_keeps_every_offset():
    text = ("本年共主动公开政府信息12条。\n一、本年新收政府信息公开申请数量 | 3 | 0 | 3 |\n(一)予以公开 | 2 | 0 | 2 |\n"
            "12\n(三)不予公开\n全年共受理申请3件。")
    view = prose_view(text)
    assert len(view) == len(text)
    assert view.split("\n")[0] == "本年共主动公开政府信息12条。"
    assert view.split("\n")[-1] == "全年共受理申请3件。"
    assert view.split("\n")[1:5] == [" " * len(line) for line in text.split("\n")[1:5]]


def test_the_years_own_figure_in_brackets_after_a_cumulative_one():
    view = "共发布信息8775条（2025年新增388条），其中通过微信公众号发布12条。"
    after = view.index("条") + 1
    number, end = new_this_year(view, after, Number(8775), ReportMeta(year=2025))
    assert (number.value, view[:end]) == (388, "共发布信息8775条（2025年新增388条）")
    # brackets about another year leave the figure as it is
    assert new_this_year(view, after, Number(8775), ReportMeta(year=2024)) == (Number(8775), after)


def test_sentence_and_clause_bounds():
    assert sentence_bounds("第一句。第二句，有逗号！第三", 6) == (4, 11)
    assert sentence_bounds("没有句号", 2) == (0, 4)
    assert clause_start("第一句。第二句，有逗号", 9) == 8


def test_channel_of_a_label():
    assert channel_of_label("通过微信公众号") == "wechat"
    assert channel_of_label("区政府门户网站") == "website"
    assert channel_of_label("工作会议") == ""


def test_the_collector_quotes_the_phrase_on_one_line_with_the_metrics_unit():
    out = Collector("共主动公开政府信息\n 267条")
    fact = out.add("proactive_items_total", Number(267), 0, 15)
    assert (fact.quote, fact.unit, fact.method, fact.qualifier) == ("共主动公开政府信息 267条", "条", "text", "exact")
    assert out.facts == [fact]
    derived = out.add("proactive_items_total", Number(210), 0, 3, qualifier="derived", year=2016)
    assert (derived.qualifier, derived.year, derived.quote) == ("derived", 2016, "共主动")


def _cases(text: str) -> dict:
    from gongkai.extract.cases import case_outcomes
    from gongkai.extract.phrasing import apply_rules
    view = prose_view(text)
    out = Collector(text)
    apply_rules(view, out, 2021)
    case_outcomes(view, out)
    return {f.metric: f.value for f in out.facts}


def test_outcomes_of_reconsideration_after_its_count():
    got = _cases("本年度被申请行政复议4件，复议机关维持3件，1件尚在审理中。")
    assert (got["review_total"], got["review_upheld"], got["review_pending"]) == (4, 3, 1)
    assert _cases("发生行政复议1起，复议决定维持原答复。")["review_upheld"] == 1        # one case: its outcome
    assert _cases("行政复议3件，均被维持。")["review_upheld"] == 3                       # all of them
    assert "review_upheld" not in _cases("行政复议3件，其中部分维持。")                   # some: not sure how many
    assert "review_corrected" not in _cases("行政复议1件，未被复议机关纠正。")           # a negated outcome


def test_a_lawsuits_manner_and_its_outcomes():
    got = _cases("被提起行政诉讼1件，属经复议后起诉，法院一审驳回原告诉讼请求。")
    assert (got["lit_all_total"], got["lit_after_review_total"], got["lit_after_review_upheld"]) == (1, 1, 1)
    got = _cases("行政诉讼2件，均为未经复议直接起诉，目前均在审理中。")
    assert (got["lit_direct_total"], got["lit_direct_pending"]) == (2, 2)
    got = _cases("行政诉讼1件，法院判决维持。")                   # no stated manner: no lit_* outcome
    assert set(got) == {"lit_all_total"}


def test_two_manners_of_lawsuits_each_with_its_figure():
    got = _cases("被提起行政诉讼3件，其中未经复议直接起诉2件、复议后起诉1件。")
    assert (got["lit_direct_total"], got["lit_after_review_total"]) == (2, 1)
    assert "lit_direct_total" not in _cases("被提起行政诉讼3件，其中未经复议直接起诉1件、复议后起诉1件。")   # 1 + 1 is not 3


def test_sentence_and_clause_bounds_reach_only_so_far():
    text = "甲" * 5000 + "，乙"
    assert sentence_bounds(text, 5001) == (5001 - 3000, len(text))
    assert clause_start(text, 4000, reach=100) == 3900
    assert _cases("行政复议1件，维持" * 3000)["review_total"] == 1       # many counts, each read near itself
