"""summary: headline cards that do not mislead and the written summary, on the small fixture and tiny datasets."""
from __future__ import annotations

import pytest

import gongkai
from conftest import FIXTURES
from gongkai import summary, views
from gongkai.summary import Card
from tinydata import tiny

YEARS = [2017, 2018, 2019]


@pytest.fixture(scope="module")
def ds():
    return gongkai.load(FIXTURES / "dataset_small")


def district(ds, years=YEARS, to_check=0, **selection):
    sel = dict(district="西城区", years=years, **selection)
    return summary.district_year(views.publication_volume(ds, **sel), views.request_outcomes(ds, **sel),
                                 views.coverage(ds, **sel), years, to_check=to_check)


def office(ds, office_id, years=YEARS, to_check=0):
    sel = dict(district=ds.offices.set_index("office_id").district[office_id], offices=[office_id], years=years)
    return summary.office_year(views.publication_volume(ds, **sel), views.peer_volume(ds, office_id, years),
                               views.request_outcomes(ds, **sel), views.coverage(ds, **sel), years,
                               district_wide=office_id in views.district_wide_offices(ds), to_check=to_check)


def test_district_cards_name_one_year_and_their_base(ds):
    cards = summary.district_cards(district(ds, to_check=1))
    assert cards == [
        Card("2019年有年度报告的单位", "4 / 4", "4个单位在2017–2019年有过报告，共11份"),
        Card("2019年主动公开信息合计（条）", "约590", "4 / 4 个单位有数据"),   # 45余 is approximate: so is the sum
        Card("2019年各单位中位数（条）", "125", "4 / 4 个单位有数据"),
        Card("2019年予以公开率", "60%", "3个单位，办结10件申请"),              # 2 + 3 + 1 of 6 + 3 + 1
        Card("需要核对的数字", "1", "2017–2019年的报告", "见“数据质量”")]


def test_a_median_under_three_offices_and_a_rate_under_ten_requests_are_left_out_with_a_reason(ds):
    cards = summary.district_cards(district(ds, years=[2018], offices=["xicheng.yuetan", "xicheng.jinrongjie"]))
    median, rate = cards[2], cards[3]
    assert median == Card("2018年各单位中位数（条）", "—", "1 / 2 个单位有数据", "不足3个单位有数据，不计算中位数")
    assert rate == Card("2018年予以公开率", "—", "2个单位，办结6件申请", "办结申请不足10件，不计算比率")
    en = summary.district_cards(district(ds, years=[2018], offices=["xicheng.yuetan"]), "en")
    assert en[2].note == "fewer than 3 offices state it: no median"


def test_district_summary_zh(ds):
    text = "".join(summary.district_summary(district(ds, to_check=1), "西城区"))
    assert text == ("2019年，西城区的4个单位（2017–2019年间有过年度报告的单位）中有4个公开了年度报告，其中4个写明了主动公开信息数。"
                    "主动公开信息最多的是月坛街道（295条），4个有数据单位的中位数为125条。"
                    "与2018年相比变化最大的是月坛街道：从310条减至295条（-5%）。"
                    "2019年3个单位共办结依申请公开10件，予以公开6件，予以公开率60%。"
                    "1处数字需要核对（见“数据质量”）。")


def test_district_summary_says_what_is_missing_and_speaks_english(ds):
    sentences = summary.district_summary(district(ds, years=[2017, 2018]), "西城区", "en")
    assert 3 <= len(sentences) <= 5
    assert sentences[0].startswith("In 2018, 4 of the 4 offices of 西城区 that reported in 2017–2018 published")
    assert sentences[-1] == "The items disclosed are missing from 1 2018 report(s)."
    assert "fewer than 10: no grant rate is given" in " ".join(sentences)


def test_office_cards_compare_with_the_median_of_the_other_offices(ds):
    cards = summary.office_cards(office(ds, "xicheng.yuetan"))
    assert cards == [
        Card("2019年主动公开信息（条）", "295", "月坛街道2019年报告"),
        Card("2019年同区其他单位中位数（条）", "70", "同区其他单位：3 / 3 个有数据"),   # not 125: itself left out
        Card("与其他单位中位数相比", "+225（+321%）", "2019年"),
        Card("2019年予以公开率", "—", "办结6件申请", "办结申请不足10件，不计算比率"),
        Card("年度报告", "3份", "2017–2019年中3年有报告")]


def test_office_with_too_few_peers_and_a_district_government(ds):
    few = summary.office_cards(office(ds, "xicheng.yuetan", years=[2017]))
    # the other hostile street has no 2017 report: it is not one of the offices compared in a 2017 brief
    assert few[1] == Card("2017年同区其他单位中位数（条）", "—", "同区其他单位：2 / 2 个有数据", "不足3个单位有数据，不计算中位数")
    assert few[2].value == "—" and few[2].note == "缺少一方的数字，无法比较"
    government = office(ds, "xicheng.quzhengfu")
    cards = summary.office_cards(government)
    assert cards[0].value == "5,000" and cards[1].note == "区政府的报告覆盖全区，不与下属单位比较"
    assert len(cards) == 4                                             # no comparison card at all
    assert "不与下属单位比较" in "".join(summary.office_summary(government))


def test_office_summary(ds):
    assert "".join(summary.office_summary(office(ds, "xicheng.hostile2", to_check=2))) == (
        "2019年，<img src=x onerror=alert(2)>街道主动公开信息45余条，比上年增加5条（+12%）。"
        "同区其他3个单位的中位数为180条，<img src=x onerror=alert(2)>街道比中位数少135条。"
        "2019年的报告没有依申请公开办理结果的数字。没有2017年的报告；2处数字需要核对（见“数据质量”）。")
    en = summary.office_summary(office(ds, "xicheng.yuetan"), "en")
    assert en[0] == "In 2019, 月坛街道 disclosed 295 items, 15 fewer than the year before (-5%)."


def test_approximate_figures_keep_their_marker():
    assert summary.figure_text(100, "approx", "共主动公开信息100余条") == "100余"
    assert summary.figure_text(2000, "approx", "受理申请约2,000件") == "约2,000"
    assert summary.figure_text(100, "approx", "近百条") == "近100"            # 百 is read as 100
    assert summary.figure_text(50, "approx", "unrelated 30余条") == "约50"      # no marker at this value
    assert summary.figure_text(50, "approx", "约50条", "en") == "about 50"
    assert summary.figure_text(50, "approx", "50余条", "en") == "over 50"
    assert summary.figure_text(1234, "exact", "1234条") == "1,234" and summary.figure_text(None) == "—"


def test_a_district_with_one_office_and_one_year(tmp_path):
    ds = tiny(tmp_path, [("d.a", "甲街道", "某区", "street"), ("d.gov", "某区人民政府", "某区", "district_government")],
              [("r1", "d.a", 2021, "https://example.org/a"), ("r2", "d.gov", 2021, "https://example.org/g")],
              [("r1", "proactive_items_total", "", 40), ("r2", "proactive_items_total", "", 900)])
    sel = dict(district="某区", years=[2021])
    d = summary.district_year(views.publication_volume(ds, **sel), views.request_outcomes(ds, **sel),
                              views.coverage(ds, **sel), [2021])
    cards = summary.district_cards(d)
    assert [c.value for c in cards] == ["1 / 1", "40", "—", "—", "0"]       # the government is not one of them
    sentences = summary.district_summary(d, "某区")
    assert sentences[1] == "主动公开信息最多的是甲街道（40条）。"
    assert sentences[2] == "2021年没有单位能与2020年比较（缺少其中一年的数字）。"


def test_a_district_without_any_report_in_the_years(tmp_path):
    ds = tiny(tmp_path, [("d.a", "甲街道", "某区", "street")], [("r1", "d.a", 2021, "a.txt")])
    sel = dict(district="某区", years=[2019, 2020])
    d = summary.district_year(views.publication_volume(ds, **sel), views.request_outcomes(ds, **sel),
                              views.coverage(ds, **sel), [2019, 2020])
    assert d.year == 2020 and summary.district_summary(d, "某区") == ["某区所选的单位在2019–2020年都没有可用的年度报告。"]
    assert [c.value for c in summary.district_cards(d)] == ["0 / 0", "—", "—", "—", "0"]
