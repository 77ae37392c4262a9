"""charts: one function per figure; fixed colours, zh/en labels, gaps, escaped hover with quote and source."""
from __future__ import annotations

import math

import pytest

import gongkai
from conftest import FIXTURES
from gongkai import charts, views


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
    assert bar.y[-1] == "月坛街道"
    assert fig.layout.shapes[0].x0 == 125  # district median line
    assert "2019年" in fig.layout.title.text


def test_trend_leaves_gaps_for_missing_years(frames):
    fig = charts.volume_trend(frames["volume"])
    jinrong = next(t for t in fig.data if t.name == "金融街街道")
    assert list(jinrong.x) == [2017, 2018, 2019] and math.isnan(jinrong.y[1])
    assert jinrong.connectgaps is False
    assert fig.data[-1].name == "全区中位数"


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
    yuetan = list(granted.x).index("月坛街道")
    assert granted.y[yuetan] == pytest.approx(2 / 7 * 100)
    rate = fig.data[-1]
    assert rate.name == "予以公开率" and rate.y[list(rate.x).index("月坛街道")] == pytest.approx(2 / 6 * 100)
    assert "2/6" in rate.hovertext[list(rate.x).index("月坛街道")]  # the denominator is stated


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


def test_empty_selection_says_no_data(frames):
    fig = charts.request_outcomes(frames["outcomes"].iloc[0:0], "en")
    assert [a.text for a in fig.layout.annotations] == ["no data"]
    assert not charts.request_outcomes(frames["outcomes"], year=2019).layout.annotations
