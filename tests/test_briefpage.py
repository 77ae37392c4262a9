"""briefpage: titles, headline figures, section headings, figure divs and tables of a brief, rendered from the
views of the small fixture dataset (tests/fixtures/dataset_small) without a kernel."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import gongkai
from conftest import FIXTURES
from gongkai import briefpage, charts, taxonomy, views

YEARS = [2017, 2018, 2019]


@pytest.fixture(scope="module")
def ds():
    return gongkai.load(FIXTURES / "dataset_small")


def frames(ds, **selection):
    return (views.publication_volume(ds, **selection), views.request_outcomes(ds, **selection),
            views.coverage(ds, **selection))


def test_titles_name_the_district_or_office_and_the_years(ds):
    district = dict(district="西城区", years=YEARS, offices=[], lang="zh")
    assert briefpage.brief_title("district", district, ds) == "西城区政府信息公开工作年度报告分析（2017–2019年）"
    office = dict(office_id="xicheng.yuetan", years=[2018], lang="en")
    assert briefpage.brief_title("office", office, ds) == "月坛街道: government information disclosure reports, 2018"
    unknown = dict(office_id="xicheng.nowhere", years=[2015, 2017], lang="zh")
    assert briefpage.brief_title("office", unknown, ds) == "xicheng.nowhere政府信息公开工作年度报告分析（2015–2017年）"


def test_heading_escapes_a_hostile_office_name(ds):
    markup = briefpage.heading_html("office", dict(office_id="xicheng.hostile1", years=YEARS, lang="zh"), ds)
    assert markup.startswith('<h1 class="gk-title">&lt;script&gt;alert(1)&lt;/script&gt;街道政府信息公开')
    assert "<script" not in markup
    assert '<p class="gk-subtitle">数据来自各单位公开的年度报告' in markup


def test_sections_are_translated_headings_with_their_key_as_id():
    assert briefpage.section_html("volume") == '<h2 id="volume">主动公开信息数量</h2>'
    assert briefpage.section_html("outcomes", "en") == '<h2 id="outcomes">Request outcomes</h2>'
    assert briefpage.TEXT["zh"].keys() == briefpage.TEXT["en"].keys()
    with pytest.raises(KeyError):
        briefpage.section_html("no_such_section")


def test_district_headline_figures(ds):
    volume, outcomes, coverage = frames(ds, district="西城区", years=YEARS)
    params = dict(district="西城区", years=YEARS, offices=[], lang="zh")
    assert briefpage.district_headline(volume, outcomes, coverage, params) == [
        ("单位数", "4"),                    # the district government's district-wide report is not one of them
        ("年度报告数", "11"),
        ("2019年主动公开信息", "590"),       # 295 + 180 + 70 + 45: 2019 is the year all four state the figure
        ("2019年全区中位数", "125"),
        ("2019年予以公开率", "60%"),         # granted 2 + 3 + 1 of handled 6 + 3 + 1
        ("错误提示", "1"),
    ]


def test_office_headline_against_the_district_median(ds):
    volume, outcomes, coverage = frames(ds, district="西城区", offices=["xicheng.yuetan"], years=YEARS)
    params = dict(office_id="xicheng.yuetan", years=YEARS, lang="en")
    assert briefpage.office_headline(volume, outcomes, coverage, params) == [
        ("Items disclosed 2019", "295"), ("District median 2019", "125"), ("vs district median", "+170"),
        ("Grant rate 2019", "33%"), ("Reports", "3"), ("Error findings", "1")]


def test_office_headline_without_figures_shows_dashes(ds):
    volume, outcomes, coverage = frames(ds, district="西城区", offices=["xicheng.hostile2"], years=[2017])
    params = dict(office_id="xicheng.hostile2", years=[2017], lang="zh")
    assert briefpage.office_headline(volume, outcomes, coverage, params) == [
        ("2017年主动公开信息", "—"), ("2017年全区中位数", "120"), ("与全区中位数相比", "—"),
        ("2017年予以公开率", "—"), ("年度报告数", "0"), ("错误提示", "0")]


def test_headline_boxes_escape_their_text():
    markup = briefpage.headline_html([("单位数", "4"), ("<b>x</b>", "1 & 2")])
    assert markup == ('<div class="gk-headlines">'
                      '<div class="gk-headline"><div class="gk-value">4</div><div class="gk-label">单位数</div></div>'
                      '<div class="gk-headline"><div class="gk-value">1 &amp; 2</div>'
                      '<div class="gk-label">&lt;b&gt;x&lt;/b&gt;</div></div></div>')


def test_best_and_latest_year(ds):
    volume, outcomes, _ = frames(ds, district="西城区", years=YEARS)
    assert briefpage.best_year(volume, "value", YEARS) == 2019
    assert briefpage.best_year(volume[volume.year < 2019], "value", YEARS) == 2018  # 3 offices each: the later
    assert briefpage.best_year(outcomes.iloc[0:0], "count", YEARS) == 2019       # nothing stated: the last year
    jinrongjie = volume[volume.office_id == "xicheng.jinrongjie"]
    assert briefpage.latest_year(jinrongjie[jinrongjie.year < 2019], "value", YEARS) == 2017


def test_source_table_cells(ds):
    sources = views.sources(ds, offices=["xicheng.hostile1"], metrics=["proactive_items_total"])
    markup = briefpage.table_html(briefpage.labelled(sources, "en"),
                                  ["office", "year", "metric", "dim", "value", "quote", "source"], "en")
    head = re.search(r"<thead>(.*)</thead>", markup).group(1)
    assert re.findall(r"<th>(.*?)</th>", head) == ["Office", "Year", "Metric", "Item", "Value", "Quote", "Source"]
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*)</tbody>", markup).group(1))
    assert len(rows) == 3
    assert re.findall(r"<td>(.*?)</td>", rows[0]) == [
        "&lt;script&gt;alert(1)&lt;/script&gt;街道", "2017", taxonomy.metric_label("proactive_items_total", "en"),
        "", "50", "&lt;b&gt;公开&lt;/b&gt;信息50条",
        '<a href="https://example.org/xicheng/hostile1/2017.html" rel="noopener noreferrer">'
        "https://example.org/xicheng/hostile1/2017.html</a>"]
    assert "<script" not in markup and "<b>" not in markup


def test_table_links_only_web_sources_and_formats_numbers(ds):
    sources = views.sources(ds, offices=["xicheng.yuetan"], years=[2017], metrics=["proactive_items_total"])
    odd = pd.concat([sources] * 3, ignore_index=True).assign(
        source=["javascript:alert(1)", "data/reports/yuetan_2017.txt", None], value=[267.0, 2.9, float("nan")])
    markup = briefpage.table_html(odd, ["value", "source"], "zh")
    assert re.findall(r"<th>(.*?)</th>", markup) == ["数值", "来源"]
    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", markup) == [
        ("267", "javascript:alert(1)"), ("2.90", "data/reports/yuetan_2017.txt"), ("", "")]  # missing: blank, not 0
    assert "<a " not in markup


def test_an_empty_table_gives_its_note(ds):
    found = views.findings_of(ds, offices=["xicheng.yuetan"], years=[2017])
    assert found.empty
    assert briefpage.table_html(found, ["office", "message"], "en", empty=briefpage.TEXT["en"]["no_findings"]) == \
        '<p class="gk-note">No findings to review for the selected offices.</p>'
    assert briefpage.table_html(found, ["office", "message"], "zh").startswith('<table class="gk-table">')


def test_figure_div_has_a_fixed_id_and_no_plotly_js(ds):
    volume = views.publication_volume(ds, district="西城区", years=YEARS)
    markup = briefpage.figure_html(charts.volume_trend(volume), "volume-trend")
    assert markup.startswith('<div class="gk-figure" data-figure="volume-trend">')
    assert 'id="fig-volume-trend"' in markup and "Plotly.newPlot" in markup
    assert "<script src=" not in markup and len(markup) < 100_000  # plotly.js (megabytes) is not in it


def test_labels_and_source_metrics():
    frame = pd.DataFrame({"metric": ["proactive_items_by_category", "req_new"], "dim": ["fiscal", "natural_person"]})
    labelled = briefpage.labelled(frame, "zh")
    assert labelled.metric.tolist() == [taxonomy.metric_label("proactive_items_by_category", "zh"),
                                        taxonomy.metric_label("req_new", "zh")]
    assert labelled.dim.tolist() == [taxonomy.labels("categories", "zh")["fiscal"],
                                     taxonomy.labels("applicants", "zh")["natural_person"]]
    metrics = briefpage.source_metrics()
    assert metrics[0] == "proactive_items_total" and metrics[-1] == "out_total"
    assert {"out_granted", "out_partially_granted", "out_denied_total", "req_carried_out"} <= set(metrics)
