"""charts: one function per figure; fixed colours, zh/en labels, gaps, escaped hover with quote and source."""
from __future__ import annotations

import math

import pytest

import gongkai
from conftest import FIXTURES
from gongkai import charts, views
from tinydata import tiny


@pytest.fixture(scope="module")
def frames():
    ds = gongkai.load(FIXTURES / "dataset_small")
    sel = dict(district="西城区")
    return dict(volume=views.publication_volume(ds, **sel), mix=views.category_mix(ds, **sel),
                outcomes=views.request_outcomes(ds, **sel), coverage=views.coverage(ds, **sel))


def all_text(fig) -> str:
    return fig.to_json()


def test_volume_ranking_orders_offices_and_marks_median(frames):
    fig = charts.volume_ranking(frames["volume"], 2019)
    bar = fig.data[0]
    assert list(bar.x) == [45, 70, 180, 295]  # largest on top of a horizontal bar chart
    assert list(bar.text) == ["45余", "70", "180", "295"]  # an approximate figure keeps its marker
    assert bar.y[-1] == "月坛街道"
    assert fig.layout.shapes[0].x0 == 125  # the median of the four offices shown
    assert fig.layout.annotations[0].text == "中位数（4个单位） 125"
    assert "2019年" in fig.layout.title.text and "有此数字" not in fig.layout.title.text   # all four state it


def test_ranking_draws_no_median_under_three_offices_and_names_its_base(frames):
    volume = frames["volume"]
    two = volume[volume.office_id.isin(["xicheng.yuetan", "xicheng.jinrongjie"])]
    fig = charts.volume_ranking(two, 2019)
    assert not fig.layout.shapes and not fig.layout.annotations
    fig = charts.volume_ranking(volume, 2017)                       # 3 of the 4 state it in 2017
    assert fig.layout.title.text.endswith("4个单位中3个有此数字</span>") and fig.layout.shapes[0].x0 == 120


def test_trend_leaves_gaps_for_missing_years(frames):
    fig = charts.volume_trend(frames["volume"])
    jinrong = next(t for t in fig.data if t.name == "金融街街道")
    assert list(jinrong.x) == [2017, 2018, 2019] and math.isnan(jinrong.y[1])
    assert jinrong.connectgaps is False
    median = fig.data[-1]
    assert median.name == "各年中位数（各年有数据的单位不同）" and list(median.y) == [120, 60, 125]
    assert charts.note_of(fig).startswith("注：各年有数据的单位不同")      # said under the chart
    assert list(fig.layout.xaxis.tickvals) == [2017, 2018, 2019]


def test_trend_against_a_given_median_of_the_other_offices(frames):
    volume = frames["volume"]
    yuetan, others = volume[volume.office_id == "xicheng.yuetan"], volume[volume.office_id != "xicheng.yuetan"]
    fig = charts.volume_trend(yuetan, "en", median=views.median_by_year(others), peers=True)
    assert [t.name for t in fig.data] == ["月坛街道", "Median of the other offices by year (different offices each year)"]
    assert math.isnan(fig.data[1].y[0]) and fig.data[1].y[-1] == 70      # 2017, 2018: two others only
    assert [t.name for t in charts.volume_trend(yuetan, median=False).data] == ["月坛街道"]
    assert "no median is drawn" in charts.note_of(charts.volume_trend(yuetan, "en"))


def test_hover_shows_figure_quote_and_source(frames):
    fig = charts.volume_ranking(frames["volume"], 2019)
    hover = fig.data[0].hovertext[-1]
    assert "295" in hover and "全年主动公开政府信息295条" in hover
    assert "https://example.org/xicheng/yuetan/2019.html" in hover


def test_a_long_quote_is_cut_to_sixty_characters_in_the_hover(frames):
    quote = "本年度共主动公开政府信息" * 10  # 120 characters
    volume = frames["volume"]
    volume = volume.assign(quote=volume.quote.where(volume.office_id != "xicheng.yuetan", quote))
    hover = charts.volume_ranking(volume, 2019).data[0].hovertext[-1]
    assert "“" + quote[:59] + "…”" in hover and quote[:60] not in hover
    short = charts.volume_ranking(frames["volume"], 2019).data[0].hovertext[-1]
    assert "“全年主动公开政府信息295条”" in short  # a short quote is shown whole


def test_report_text_is_escaped_everywhere(frames):
    figs = [charts.volume_ranking(frames["volume"], 2018), charts.volume_trend(frames["volume"]),
            charts.category_mix(frames["mix"], year=2017), charts.request_outcomes(frames["outcomes"], year=2019),
            charts.coverage_heatmap(frames["coverage"])]
    for fig in figs:
        payload = fig.to_plotly_json()
        text = str(payload)
        assert "<script" not in text and "<img" not in text, fig.layout.title.text
        assert "&lt;script&gt;" in text or "&lt;img" in text
    quotes = charts.volume_trend(frames["volume"]).data
    hostile = next(t for t in quotes if "script" in t.name)
    assert "&lt;b&gt;公开&lt;/b&gt;" in hostile.hovertext[0]  # a quote with markup is shown, not rendered


def test_category_colours_are_fixed_and_labels_translate(frames):
    zh = charts.category_mix(frames["mix"], "zh", year=2017)
    en = charts.category_mix(frames["mix"], "en", year=2017)
    colours = {t.name: t.marker.color for t in zh.data}
    assert colours["工作动态"] == charts.PALETTE["category"]["work_updates"]
    assert colours["未分类"] == charts.PALETTE["category"]["unclassified"]
    assert {t.name for t in en.data} >= {"Work updates", "Unclassified"}
    assert [t.marker.color for t in zh.data] == [t.marker.color for t in en.data]
    by_year = charts.category_mix(frames["mix"][frames["mix"].office_id == "xicheng.yuetan"])
    assert {t.marker.color for t in by_year.data if t.name == "工作动态"} == {colours["工作动态"]}


def test_outcomes_stack_shares_and_grant_rate(frames):
    fig = charts.request_outcomes(frames["outcomes"], year=2019)
    granted = next(t for t in fig.data if t.name == "予以公开")
    assert granted.marker.color == charts.PALETTE["outcome"]["granted"]
    yuetan = list(granted.x).index("月坛街道<br>（7件）")              # each bar names its requests
    assert granted.y[yuetan] == pytest.approx(2 / 7 * 100)
    rate = fig.data[-1]
    assert rate.name == "予以公开率（办结不少于10件时）"
    assert all(math.isnan(y) for y in rate.y)                          # 6, 3 and 1 handled: no rate drawn
    assert "办结6件，不足10件，不计算予以公开率" in rate.hovertext[list(rate.x).index("月坛街道<br>（7件）")]
    ten = frames["outcomes"].assign(handled=frames["outcomes"].handled * 10)
    rate = charts.request_outcomes(ten, year=2019).data[-1]
    at = [i for i, x in enumerate(rate.x) if x.startswith("月坛街道")][0]
    assert rate.y[at] == pytest.approx(2 / 6 * 100) and "20/60" in rate.hovertext[at]  # the denominator is stated


def test_coverage_heatmap_status(frames):
    fig = charts.coverage_heatmap(frames["coverage"], "en")
    heat = fig.data[0]
    rows = list(heat.y)
    z = {(rows[i], heat.x[j]): heat.z[i][j] for i in range(len(rows)) for j in range(len(heat.x))}
    assert z[("月坛街道", "2018")] == 3       # error finding
    assert z[("金融街街道", "2018")] == 2     # warning
    assert z[("月坛街道", "2017")] == 1
    assert z[(next(r for r in rows if "img" in r), "2017")] == 0  # no report
    assert fig.layout.title.text.startswith("Report coverage")
    assert charts.note_of(fig) == ""


def test_coverage_leaves_out_offices_without_any_report_and_says_so(frames):
    cover = frames["coverage"]
    early = cover[cover.year == 2017]                                  # the second hostile street: no report
    fig = charts.coverage_heatmap(early)
    assert len(fig.data[0].y) == 3 and not any("img" in y for y in fig.data[0].y)
    assert charts.note_of(fig) == "另有1个单位在2017年没有任何报告，未列出：<img src=x onerror=alert(2)>街道。"


def test_hover_shows_a_file_name_never_a_local_path(frames):
    volume = frames["volume"].assign(source="../shared/corpus/seeds/xicheng_yuetan_2017.txt")
    hover = " ".join(charts.volume_ranking(volume, 2019).data[0].hovertext)
    assert "xicheng_yuetan_2017.txt" in hover and "../shared" not in hover


def test_empty_selection_says_no_data(frames):
    fig = charts.request_outcomes(frames["outcomes"].iloc[0:0], "en")
    assert [a.text for a in fig.layout.annotations] == ["no data"]
    assert not charts.request_outcomes(frames["outcomes"], year=2019).layout.annotations


def test_a_same_offices_median_says_how_it_differs_from_the_overview(tmp_path):
    offices = [(f"d.o{i}", f"街道{i}", "某区", "street") for i in range(4)]
    reports = [(f"r{i}{y}", f"d.o{i}", y, "x.txt") for i in range(4) for y in (2020, 2021)]
    facts = [(f"r{i}{y}", "proactive_items_total", "", 10 * (i + 1) + y - 2020) for i in range(4) for y in (2020, 2021)]
    fig = charts.volume_trend(views.publication_volume(tiny(tmp_path, offices, reports, facts), district="某区"))
    assert fig.data[-1].name == "中位数（每年同一批4个单位）" and list(fig.data[-1].y) == [25, 26]
    assert charts.note_of(fig).startswith("注：中位数按每年都有数据的同一批4个单位计算")
