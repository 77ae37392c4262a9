"""briefpage: navigation, titles, summary, headline cards, figure divs and tables of a brief, rendered from
the views of the small fixture dataset (tests/fixtures/dataset_small) without a kernel."""
from __future__ import annotations

import base64
import io
import re

import pandas as pd
import pytest

import gongkai
from conftest import FIXTURES
from gongkai import briefpage, charts, links, quality, taxonomy, views
from gongkai.summary import Card

YEARS = [2017, 2018, 2019]


@pytest.fixture(scope="module")
def ds():
    return gongkai.load(FIXTURES / "dataset_small")


def test_titles_name_the_district_or_office_and_the_years(ds):
    district = dict(district="西城区", years=YEARS, offices=[], lang="zh")
    assert briefpage.brief_title("district", district, ds) == "西城区政府信息公开工作年度报告分析（2017–2019年）"
    office = dict(office_id="xicheng.yuetan", years=[2018], lang="en")
    assert briefpage.brief_title("office", office, ds) == "月坛街道: government information disclosure reports, 2018"
    unknown = dict(office_id="xicheng.nowhere", years=[2015, 2017], lang="zh")
    assert briefpage.brief_title("office", unknown, ds) == "xicheng.nowhere政府信息公开工作年度报告分析（2015–2017年）"


def test_heading_escapes_a_hostile_office_name(ds):
    markup = briefpage.heading_html("office", dict(office_id="xicheng.hostile1", years=YEARS, lang="zh"), ds)
    assert '<h1 class="gk-title">&lt;script&gt;alert(1)&lt;/script&gt;街道政府信息公开' in markup
    assert "<script" not in markup
    assert '<p class="gk-subtitle">数据来自各单位公开的年度报告' in markup


def test_heading_links_back_to_the_index_and_to_the_district_brief(ds):
    office = briefpage.heading_html("office", dict(office_id="xicheng.yuetan", years=YEARS, lang="zh"), ds)
    hrefs = re.findall(r'href="([^"]+)"', office)
    assert hrefs[:2] == ["../index.html#district-xicheng", "../latest/district/district-xicheng.html"]
    assert hrefs[1] == links.current_href("district", "西城区")
    assert ">西城区全区简报</a>" in office
    district = briefpage.heading_html("district", dict(district="西城区", years=YEARS, offices=[], lang="en"), ds)
    assert re.findall(r'href="([^"]+)"', district)[0] == "../index.html#district-xicheng"
    assert "latest/district" not in district                        # a district brief has no district above it


def test_table_of_contents_lists_every_section_by_its_id(ds):
    markup = briefpage.heading_html("district", dict(district="西城区", years=YEARS, offices=[], lang="zh"), ds)
    toc = re.search(r'<nav class="gk-toc".*?</nav>', markup).group(0)
    assert re.findall(r'href="#(\w+)"', toc) == list(briefpage.SECTIONS["district"])
    assert ">摘要</a>" in toc and ">数据质量</a>" in toc
    office = briefpage.heading_html("office", dict(office_id="xicheng.yuetan", years=YEARS, lang="zh"), ds)
    assert "#offices" not in office                                  # only district briefs list office briefs


def test_sections_are_translated_headings_with_their_key_as_id():
    assert briefpage.section_html("volume") == '<h2 id="volume">主动公开信息数量</h2>'
    assert briefpage.section_html("outcomes", "en") == '<h2 id="outcomes">Request outcomes</h2>'
    assert briefpage.TEXT["zh"].keys() == briefpage.TEXT["en"].keys()
    assert all(key in briefpage.TEXT["zh"] for keys in briefpage.SECTIONS.values() for key in keys)
    with pytest.raises(KeyError):
        briefpage.section_html("no_such_section")


def test_summary_is_one_escaped_paragraph_under_its_heading():
    markup = briefpage.summary_html(["2019年，<b>甲</b>街道主动公开信息295条。", "第二句。"])
    assert markup == ('<h2 id="summary">摘要</h2><p class="gk-summary">2019年，&lt;b&gt;甲&lt;/b&gt;'
                      '街道主动公开信息295条。第二句。</p>')
    assert "One. Two." in briefpage.summary_html(["One.", "Two."], "en")


def test_cards_show_value_label_base_and_why_a_figure_is_left_out():
    markup = briefpage.cards_html([Card("2019年各单位中位数（条）", "—", "2 / 4 个单位有数据", "不足3个单位有数据，不计算中位数"),
                                   Card("<b>x</b>", "1 & 2", "")])
    assert markup == ('<div class="gk-headlines">'
                      '<div class="gk-headline"><div class="gk-value">—</div><div class="gk-label">2019年各单位中位数（条）'
                      '</div><div class="gk-base">2 / 4 个单位有数据</div><div class="gk-why">不足3个单位有数据，不计算中位数'
                      '</div></div>'
                      '<div class="gk-headline"><div class="gk-value">1 &amp; 2</div>'
                      '<div class="gk-label">&lt;b&gt;x&lt;/b&gt;</div></div></div>')


def test_best_and_latest_year(ds):
    volume = views.publication_volume(ds, district="西城区", years=YEARS)
    outcomes = views.request_outcomes(ds, district="西城区", years=YEARS)
    assert briefpage.best_year(volume, "value", YEARS) == 2019
    assert briefpage.best_year(volume[volume.year < 2019], "value", YEARS) == 2018  # 3 offices each: the later
    assert briefpage.best_year(volume, "value", YEARS, prefer=2017) == 2017         # the headline year has data
    assert briefpage.best_year(volume[volume.year > 2017], "value", YEARS, prefer=2017) == 2019
    assert briefpage.best_year(outcomes.iloc[0:0], "count", YEARS) == 2019       # nothing stated: the last year
    jinrongjie = volume[volume.office_id == "xicheng.jinrongjie"]
    assert briefpage.latest_year(jinrongjie[jinrongjie.year < 2019], "value", YEARS) == 2017


def test_source_table_cells(ds):
    sources = views.sources(ds, offices=["xicheng.hostile1"], metrics=["proactive_items_total"])
    markup = briefpage.table_html(briefpage.labelled(sources, "en"),
                                  ["office", "year", "metric", "dim", "value", "quote", "source"], "en")
    assert markup.startswith('<div class="gk-scroll"><table class="gk-table">')    # a phone scrolls the box only
    head = re.search(r"<thead>(.*)</thead>", markup).group(1)
    assert re.findall(r"<th>(.*?)</th>", head) == ["Office", "Year", "Metric", "Item", "Value", "Quote", "Source"]
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*)</tbody>", markup).group(1))
    assert len(rows) == 3
    assert re.findall(r"<td>(.*?)</td>", rows[0]) == [
        "&lt;script&gt;alert(1)&lt;/script&gt;街道", "2017", taxonomy.metric_label("proactive_items_total", "en"),
        "", "50", "&lt;b&gt;公开&lt;/b&gt;信息50条",
        '<a href="https://example.org/xicheng/hostile1/2017.html" rel="noopener noreferrer">'
        "example.org/…/2017.html</a>"]
    assert "<script" not in markup and "<b>" not in markup


def test_table_links_only_web_sources_shows_file_names_and_formats_numbers(ds):
    sources = views.sources(ds, offices=["xicheng.yuetan"], years=[2017], metrics=["proactive_items_total"])
    odd = pd.concat([sources] * 3, ignore_index=True).assign(
        source=["javascript:alert(1)", "../shared/corpus/seeds/yuetan_2017.txt", None], value=[267.0, 2.9, float("nan")])
    markup = briefpage.table_html(odd, ["value", "source"], "zh")
    assert re.findall(r"<th>(.*?)</th>", markup) == ["数值", "来源"]
    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", markup) == [
        ("267", "javascript:alert(1)"), ("2.90", "yuetan_2017.txt"), ("", "")]  # missing: blank, not 0; no path
    assert "<a " not in markup and "../shared" not in markup


def test_a_long_table_scrolls_in_its_own_box(ds):
    sources = views.sources(ds, district="西城区")
    assert len(sources) > briefpage.TALL_TABLE
    assert briefpage.table_html(sources, ["office", "value"]).startswith('<div class="gk-scroll gk-tall">')


def test_an_empty_table_gives_its_note(ds):
    found = views.findings_of(ds, offices=["xicheng.yuetan"], years=[2017])
    assert found.empty
    assert briefpage.table_html(found, ["office", "message"], "en", empty=briefpage.TEXT["en"]["no_findings"]) == \
        '<p class="gk-note">No findings to review for the selected offices.</p>'
    assert '<table class="gk-table">' in briefpage.table_html(found, ["office", "message"], "zh")


def _downloads(markup: str) -> dict[str, bytes]:
    return {name: base64.b64decode(data) for name, data in
            re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', markup)}


def test_a_table_downloads_as_csv_and_excel_with_the_headers_shown(ds):
    sources = views.sources(ds, offices=["xicheng.yuetan"], years=[2017], metrics=["proactive_items_total"])
    markup = briefpage.table_html(sources.assign(source="../shared/x/yuetan.txt"), ["office", "value", "source"],
                                  "zh", download="district-xicheng-2017-sources")
    files = _downloads(markup)
    assert set(files) == {"district-xicheng-2017-sources.csv", "district-xicheng-2017-sources.xlsx"}
    csv = pd.read_csv(io.BytesIO(files["district-xicheng-2017-sources.csv"]), encoding="utf-8-sig")
    xlsx = pd.read_excel(io.BytesIO(files["district-xicheng-2017-sources.xlsx"]))
    for frame in (csv, xlsx):
        assert frame.columns.tolist() == ["单位", "数值", "来源"]
        assert frame.iloc[0].tolist() == ["月坛街道", 267, "yuetan.txt"]    # the file name, not the path


def test_year_on_year_table(ds):
    markup = briefpage.year_on_year_html(views.year_on_year(ds, district="西城区"), "zh", download="x-yoy")
    head = re.findall(r"<th>(.*?)</th>", markup)
    assert head == ["单位", "年度", "主动公开信息（条）", "主动公开比上年", "主动公开同比", "新收申请（件）", "新收申请比上年",
                    "新收申请同比", "约数"]
    assert "<td>45</td><td>5</td><td>+12%</td><td></td><td></td><td></td><td>主动公开信息（条） 45余</td>" in markup
    yuetan_2018 = re.search(r"<tr><td>月坛街道</td><td>2018</td>(.*?)</tr>", markup).group(1)
    assert re.findall(r"<td>(.*?)</td>", yuetan_2018) == ["310", "43", "+16%", "5", "3", "+150%", ""]
    xlsx = pd.read_excel(io.BytesIO(_downloads(markup)["x-yoy.xlsx"]))
    assert xlsx[(xlsx["单位"] == "月坛街道") & (xlsx["年度"] == 2018)]["主动公开比上年"].tolist() == [43]
    assert briefpage.year_on_year_html(views.year_on_year(ds, offices=["xicheng.quzhengfu"], years=[2019]), "en") == \
        '<p class="gk-note">No figure to compare for the selected offices and years.</p>'


def test_office_links_go_to_each_reporting_office_through_its_stable_name(ds):
    cover = views.coverage(ds, district="西城区", years=[2017])
    markup = briefpage.office_links_html(cover, "zh")
    hrefs = re.findall(r'href="([^"]+)"', markup)
    assert hrefs == [links.current_href("office", o) for o in
                     ["xicheng.hostile1", "xicheng.jinrongjie", "xicheng.yuetan"]]     # hostile2: no 2017 report
    assert hrefs[-1] == "../latest/office/office-xicheng-yuetan.html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;街道</a>" in markup and "<script" not in markup


def test_quality_section_is_grouped_plain_sentences_with_sources(ds):
    volume, cover = views.publication_volume(ds, district="西城区"), views.coverage(ds, district="西城区")
    found = quality.plain_findings(views.findings_of(ds, district="西城区"), "zh", volume, cover)
    markup = briefpage.quality_html(found, "zh", download="x-quality")
    assert re.findall(r"<h3>(.*?)</h3>", markup) == ["可能有误的数字（1）", "缺少的数字（1）", "报告日期或期间（1）"]
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;街道2018年报告：标题写的是2017年，但其中的数字属于2018年 " in markup
    assert 'href="https://example.org/xicheng/hostile1/2018.html"' in markup
    for code in ("title_year", "categories_vs_total", "total_missing", "P-1"):
        assert code not in markup.split('class="gk-downloads"')[0]
    table = pd.read_csv(io.BytesIO(_downloads(markup)["x-quality.csv"]), encoding="utf-8-sig")
    assert table.columns.tolist() == ["类别", "单位", "年度", "问题", "来源"]
    assert table["类别"].tolist() == ["可能有误的数字", "缺少的数字", "报告日期或期间"]
    assert briefpage.quality_html(found.iloc[0:0], "en") == \
        '<p class="gk-note">No findings to review for the selected offices.</p>'


def test_sources_are_folded_and_filterable(ds):
    frame = views.sources(ds, district="西城区", metrics=briefpage.source_metrics(), per_applicant=False)
    markup = briefpage.sources_html(frame, "zh", download="x-sources")
    assert markup.startswith('<details class="gk-sources"><summary>全部')
    assert f"全部{len(frame)}个数字" in markup
    assert '<input type="search" class="gk-filter" data-target="gk-sources-table"' in markup
    assert 'id="gk-sources-table"' in markup and 'id="gk-sources-table-count"' in markup
    assert len(re.findall(r"<tr>", markup)) == len(frame) + 1
    assert set(_downloads(markup)) == {"x-sources.csv", "x-sources.xlsx"}


def test_figure_div_has_a_fixed_id_no_plotly_js_and_its_note_as_text(ds):
    volume = views.publication_volume(ds, district="西城区", years=YEARS)
    markup = briefpage.figure_html(charts.volume_trend(volume), "volume-trend")
    assert markup.startswith('<div class="gk-figure" data-figure="volume-trend">')
    assert 'id="fig-volume-trend"' in markup and "Plotly.newPlot" in markup
    assert "<script src=" not in markup and len(markup) < 100_000  # plotly.js (megabytes) is not in it
    assert markup.endswith('<p class="gk-note gk-chart-note">注：各年有数据的单位不同，中位数的变化部分来自单位的变化；'
                           '不足3个单位的年份不计算中位数。</p></div>')


def test_labels_source_metrics_and_file_stems():
    frame = pd.DataFrame({"metric": ["proactive_items_by_category", "req_new"], "dim": ["fiscal", "natural_person"]})
    labelled = briefpage.labelled(frame, "zh")
    assert labelled.metric.tolist() == [taxonomy.metric_label("proactive_items_by_category", "zh"),
                                        taxonomy.metric_label("req_new", "zh")]
    assert labelled.dim.tolist() == [taxonomy.labels("categories", "zh")["fiscal"],
                                     taxonomy.labels("applicants", "zh")["natural_person"]]
    metrics = briefpage.source_metrics()
    assert metrics[0] == "proactive_items_total" and metrics[-1] == "out_total"
    assert {"out_granted", "out_partially_granted", "out_denied_total", "req_carried_out"} <= set(metrics)
    params = dict(district="西城区", years=[2017, 2018], offices=[], lang="en")
    assert briefpage.file_stem("district", params, "sources") == "district-xicheng-2017-2018-en-sources"


def test_short_urls():
    assert briefpage.short_url("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201204/t20120420_80678.htm") == \
        "www.pingtan.gov.cn/…/t20120420_80678.htm"
    assert briefpage.short_url("https://example.org/a.html") == "example.org/a.html"
    assert briefpage.short_url("not a url") == "not a url"
