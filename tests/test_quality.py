"""quality: findings as plain sentences for an office head — no check codes, no local paths, duplicates merged,
false alarms out, grouped; the sentences come from data/finding_texts.csv."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from gongkai import quality, taxonomy


def finding(check, metric="", dim="", expected=None, actual=None, message="", office="月坛街道", year=2017,
            source="https://example.org/r.html", office_id="xicheng.yuetan"):
    return dict(office_id=office_id, office=office, year=year, severity="warning", check=check, metric=metric,
                dim=dim, expected=expected, actual=actual, message=message, source=source)


def sentences(*rows, lang="zh"):
    return quality.plain_findings(pd.DataFrame(list(rows)), lang)


def test_the_issues_example_sentence():
    found = sentences(finding("P-1", "proactive_items_total", "", 244, 267,
                              "P-1: proactive_items_total 267, but Σ proactive_items_by_category 244"))
    assert found.sentence.tolist() == ["月坛街道2017年报告：各类别信息数之和（244条）少于总数（267条），23条未分类"]
    assert found.group.tolist() == ["wrong"]
    en = sentences(finding("P-1", "proactive_items_total", "", 244, 267), lang="en")
    assert en.sentence.tolist() == ["月坛街道, 2017 report: the categories add up to 244 items, fewer than the total "
                                    "of 267; 23 are unclassified"]


def test_every_check_the_library_raises_has_its_own_sentence():
    raised = {"T3-1", "T3-2", "T3-3", "T3-4", "T3-6", "T3-7", "T4-1", "T4-2", "T4-3", "P-1", "P-2", "P-6", "P-8",
              "P-9", "P-10", "channels", "consultations", "absurd", "G-2", "text_vs_table", "restated_differently",
              "conflict", "no_figures", "no_office", "no_year", "title_year", "partial_period", "check_failed"}
    rows = taxonomy.table("finding_texts")
    assert raised <= {r["check"] for r in rows}
    assert rows[-1]["check"] == "*"                                    # anything else still gets a sentence
    for r in rows:
        assert r["group"] in quality.GROUPS + ("hidden",), r
        if r["group"] != "hidden":
            assert r["zh"].startswith("{office}") and r["en"].startswith("{office}"), r


def test_no_check_code_and_no_local_path_reaches_the_reader():
    rows = [finding("no_figures", message="../shared/corpus/pages/xicheng_jinrongjie_2017.txt: no figures found",
                    source="../shared/corpus/pages/xicheng_jinrongjie_2017.txt"),
            finding("T3-1", "req_new", "total", 2, 1, "T3-1 [total]: req_new 1 + req_carried_in 0 = 1, but …"),
            finding("title_year", expected=2017, actual=2016, source="/work/data/reports/a.docx"),
            finding("made_up_check", "req_new")]
    found = sentences(*rows)
    text = " ".join(found.sentence) + " " + " ".join(found.source)
    for code in ("no_figures", "T3-1", "title_year", "made_up_check", "req_new", "../shared", "/work/"):
        assert code not in text, code
    assert {"xicheng_jinrongjie_2017.txt", "a.docx", "https://example.org/r.html"} == set(found.source)
    assert "月坛街道2017年报告：标题写的是2016年，但其中的数字属于2017年" in found.sentence.tolist()
    assert "月坛街道2017年报告：有一处数字需要核对（本年新收申请数）" in found.sentence.tolist()


def test_groups_come_in_order_wrong_missing_period():
    found = sentences(finding("partial_period", message="figures cover part of 2017 only: 截至2017年11月底"),
                      finding("no_figures"), finding("P-2", "req_new", "", 1, 2))
    assert found.group.tolist() == ["wrong", "missing", "period"]
    assert found.sentence.iloc[2] == "月坛街道2017年报告只统计了该年的一部分（截至2017年11月底）"


def test_duplicates_are_merged():
    columns = [finding("T3-1", "req_new", dim, 2, 1) for dim in ("natural_person", "business", "total")]
    columns[0]["expected"], columns[0]["actual"] = 5, 3                 # the 总计 column's figures are kept
    conflict = [finding("conflict", "req_new", source=s) for s in ("https://a.org/1", "https://a.org/2")]
    found = sentences(*columns, *conflict)
    assert found.sentence.tolist() == [
        "月坛街道2017年报告表三：新收与上年结转的申请（1件）与办结加结转下年度的申请（2件）对不上",
        "月坛街道2017年有两份报告，其中一些数字不一致（两份都保留）"]
    assert found.source.tolist()[1] == "https://a.org/1 https://a.org/2"     # both reports kept as sources


def test_one_figure_restated_several_ways_is_one_sentence():
    rows = [finding("restated_differently", "proactive_share_by_category", "other", 34.8, v,
                    f"proactive_share_by_category[other]: text says 34.8 (占34.8%), text says {v} (占{v}%); kept 34.8")
            for v in (11.5, 5.4)]
    found = sentences(*rows)
    assert found.sentence.tolist() == ["月坛街道2017年报告：“分类占比（其他）”前后有3种写法（34.8%、11.5%、5.4%）；采用34.8%"]
    one = sentences(finding("text_vs_table", "req_new", "total", 74, 75,
                            "req_new[total]: table says 74 (… 总计 74), text says 75 (收到政府信息公开申请75件); kept 74"))
    assert one.sentence.tolist() == ["月坛街道2017年报告：“本年新收申请数”表格中为74件，正文写为75件；采用表格中的数字"]


@pytest.mark.parametrize("row", [
    finding("text_vs_table", "req_carried_out", "total", 1, 1000001,
            "req_carried_out[total]: table says 1 (四、结转下年度继续办理 总计 1), text says 1e+06 "
            "(结转下年度继续办理1000001); kept 1"),
    finding("P-1", "proactive_items_total", "", 4200006, 20),
    finding("text_vs_table", "review_total", "", 3, 0,
            "review_total: table says 3 (行政复议 总计 3), text says 0 (未审结总计未经复议直接起诉复议); kept 3"),
], ids=["run-together digits", "run-together total", "zero read from a table heading"])
def test_false_alarms_are_left_out(row):
    assert quality.false_alarm(pd.Series(row))
    assert sentences(row).empty


def test_real_disagreements_are_not_false_alarms():
    for row in (finding("text_vs_table", "req_new", "total", 8, 0,
                        "req_new[total]: table says 8 (一、本年新收政府信息公开申请数量 总计 8), text says 0 "
                        "(未发生因政府信息公开工作被申请); kept 8"),
                finding("P-1", "proactive_items_total", "", 96, 10407),
                finding("restated_differently", "req_new", "total", 121510, 1)):
        assert not quality.false_alarm(pd.Series(row)), row


def test_a_share_computed_above_100_percent_is_left_to_the_part_larger_than_its_whole():
    assert sentences(finding("P-10", "proactive_share_by_category", "other", 497.87, 89.48)).empty
    shown = sentences(finding("P-10", "proactive_share_by_category", "laws_policies", 43.43, 18))
    assert shown.sentence.tolist() == ["月坛街道2017年报告：“法规文件”类占比写为18%，按条数计算应为43.43%"]


def test_missing_totals_are_named_per_office():
    volume = pd.DataFrame(dict(office_id=["a", "a", "b"], office=["甲街道", "甲街道", "乙街道"], year=[2017, 2018, 2018],
                               value=[None, None, 5.0]))
    cover = pd.DataFrame(dict(office_id=["a", "a", "b"], year=[2017, 2018, 2018], report_present=[True, True, True],
                              facts=[3, 2, 1], source=["../x/a17.txt", "https://a.org/18", "b.txt"]))
    found = quality.missing_totals(volume, cover)
    assert found.sentence.tolist() == ["甲街道：2017、2018年的报告未写明主动公开信息总数"]
    assert found.source.tolist() == ["https://a.org/18"] and found.group.tolist() == ["missing"]
    assert not re.search(r"\.\./", " ".join(found.source))


def test_an_unread_table_row_has_its_own_plain_sentence():
    from gongkai import quality
    row = {"office": "某街道", "year": 2020, "check": "table_unread", "metric": "req_new", "dim": "",
           "expected": None, "actual": None, "message": "row seen but not read", "severity": "warning"}
    group, zh = quality.sentence(row, "zh")
    assert group == "wrong" and zh.startswith("某街道2020年报告：表格中有一行未能可靠读出") and "未采用（" in zh
    assert "table_unread" not in zh and "有一处数字需要核对" not in zh
