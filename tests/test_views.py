"""views: comparison frames on the small fixture (values read off tests/fixtures/dataset_small) and the sample."""
from __future__ import annotations

import math

import pandas as pd
import pytest

import gongkai
from conftest import FIXTURES, PROJECT_ROOT, require
from gongkai import views
from tinydata import tiny

SMALL = FIXTURES / "dataset_small"


@pytest.fixture(scope="module")
def ds():
    return gongkai.load(SMALL)


def row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    found = frame[mask]
    assert len(found) == 1, f"{where}: {len(found)} rows"
    return found.iloc[0]


def test_publication_volume_values_yoy_and_median(ds):
    volume = views.publication_volume(ds, district="西城区")
    assert len(volume) == 4 * 3  # every office × year of the district, missing ones included
    yuetan = volume[volume.office_id == "xicheng.yuetan"].set_index("year")
    assert list(yuetan.value) == [267, 310, 295]
    assert yuetan.loc[2017, "qualifier"] == "exact"  # the stated figure wins over next year's derived one
    assert yuetan.loc[2018, "yoy_change"] == 43 and yuetan.loc[2019, "yoy_change"] == -15
    assert yuetan.loc[2018, "yoy_pct"] == pytest.approx(43 / 267 * 100)
    assert yuetan.loc[2018, "source"] == "https://example.org/xicheng/yuetan/2018.html"
    assert row(volume, office_id="xicheng.yuetan", year=2019).district_median == 125  # median(295, 180, 70, 45)


def test_missing_figures_stay_missing(ds):
    volume = views.publication_volume(ds, district="西城区")
    assert math.isnan(row(volume, office_id="xicheng.jinrongjie", year=2018).value)   # report without a total
    assert math.isnan(row(volume, office_id="xicheng.jinrongjie", year=2019).yoy_change)  # no base year
    assert math.isnan(row(volume, office_id="xicheng.hostile2", year=2017).value)     # no report at all
    assert not (volume.value == 0).any()


def test_selection_by_offices_and_years(ds):
    volume = views.publication_volume(ds, offices=["xicheng.yuetan"], years=[2018, 2019])
    assert list(volume.year) == [2018, 2019]
    assert volume.district_median.tolist() == [60, 125]  # still the median of the whole district


def test_category_mix_counts_shares_and_unclassified(ds):
    mix = views.category_mix(ds, district="西城区")
    y2017 = mix[(mix.office_id == "xicheng.yuetan") & (mix.year == 2017)].set_index("category")
    assert y2017.loc["unclassified", "count"] == 267 - (8 + 40 + 150 + 30)
    assert y2017.loc["work_updates", "share"] == pytest.approx(150 / 267)
    # categories summing above the stated total: share base is their sum, nothing unclassified
    y2018 = mix[(mix.office_id == "xicheng.yuetan") & (mix.year == 2018)].set_index("category")
    assert "unclassified" not in y2018.index and (y2018.total == 330).all()
    assert mix.groupby(["office_id", "year"]).share.sum().round(9).eq(1).all()
    assert row(mix, office_id="xicheng.jinrongjie", year=2019).category == "unclassified"  # total only


def test_request_outcomes_across_eras(ds):
    out = views.request_outcomes(ds, district="西城区")
    pre = out[(out.office_id == "xicheng.yuetan") & (out.year == 2018)].set_index("outcome")
    assert pre.loc["granted", "count"] == 4          # 同意公开 3 + already public 1
    assert pre.loc["unable_to_provide", "count"] == 1  # from the sub-row 信息不存在
    assert math.isnan(pre.loc["denied", "count"])     # not stated: NaN, not 0
    assert (pre.handled == 5).all() and (pre.handled_basis == "sum").all()
    assert pre.loc["granted", "grant_rate"] == pytest.approx(0.8)
    fmt = out[(out.office_id == "xicheng.yuetan") & (out.year == 2019)].set_index("outcome")
    assert fmt.loc["carried_forward", "count"] == 1 and fmt.loc["not_processed", "count"] == 0
    assert (fmt.handled_basis == "out_total").all() and fmt.loc["granted", "grant_rate"] == pytest.approx(2 / 6)
    assert fmt["share"].sum() == pytest.approx(1)
    # 本年未收到申请 (req_new 0) states no outcome: no rows rather than zeros
    assert out[(out.office_id == "xicheng.jinrongjie") & (out.year == 2017)].empty


def test_coverage_grid(ds):
    cov = views.coverage(ds, district="西城区")
    assert len(cov) == 12
    absent = row(cov, office_id="xicheng.hostile2", year=2017)
    assert not absent.report_present and absent.facts == 0
    flagged = row(cov, office_id="xicheng.yuetan", year=2018)
    assert (flagged.reports, flagged.facts, flagged.errors, flagged.warnings) == (1, 10, 1, 0)
    assert row(cov, office_id="xicheng.jinrongjie", year=2018).warnings == 1


def test_findings_and_sources(ds):
    found = views.findings_of(ds, district="西城区")
    assert list(found.severity) == ["error", "warning", "warning"]
    assert found.iloc[0].check == "categories_vs_total"
    src = views.sources(ds, offices=["miyun.guoyuan"], metrics=["proactive_items_total"])
    assert src.iloc[0][["value", "quote", "source"]].tolist() == [
        90, "截至11月底公开信息90条", "https://example.org/miyun/guoyuan/2017.html"]


def test_sample_data_volume_matches_facts():
    data = PROJECT_ROOT / "data"
    require((data / "facts.csv").is_file(), "the sample dataset data/facts.csv has not been built (make sample)")
    ds = gongkai.load(data)
    facts = ds.facts[ds.facts.metric == "proactive_items_total"]
    for district in sorted(set(ds.reports.district.dropna()) - {""})[:3]:
        volume = views.publication_volume(ds, district=district)
        stated = volume.dropna(subset=["value"])
        for r in stated.itertuples():
            values = facts[(facts.office_id == r.office_id) & (facts.year == r.year)].value
            assert r.value in set(values)
        # an office-year without the figure stays NaN
        for r in volume[volume.value.isna()].itertuples():
            assert facts[(facts.office_id == r.office_id) & (facts.year == r.year)].empty


def test_raw_category_labels_count_as_other():
    assert views.mix_category("other:教育新闻") == "other"
    assert views.mix_category("") == "other" and views.mix_category("fiscal") == "fiscal"
    assert views.mix_category("made_up") == "other"


def test_statements_of_one_category_in_one_report_add_up():
    import pandas as pd
    from gongkai.views import sum_additive

    base = dict(report="r1", office_id="xicheng.dashilan", office="大栅栏街道", district="西城区", year=2009,
                metric="proactive_items_by_category", dim="org_function", qualifier="exact", method="text", unit="条")
    facts = pd.DataFrame([dict(base, value=10.0, quote="内设机构10条"), dict(base, value=3.0, quote="领导介绍3条"),
                          dict(base, metric="proactive_items_total", dim="", value=155.0, quote="共主动公开155条")])
    summed = sum_additive(facts)
    org = summed[summed.metric == "proactive_items_by_category"]
    assert org.value.tolist() == [13.0]
    assert org.quote.iloc[0] == "内设机构10条 / 领导介绍3条"
    assert summed[summed.metric == "proactive_items_total"].value.tolist() == [155.0]


def test_the_district_governments_district_wide_report_is_not_one_of_the_compared_offices(ds):
    volume = views.publication_volume(ds, district="西城区")
    assert "xicheng.quzhengfu" not in set(volume.office_id)
    streets_2017 = volume[volume.year == 2017].value.dropna()
    assert volume[volume.year == 2017].district_median.iloc[0] == streets_2017.median()
    own = views.publication_volume(ds, offices=["xicheng.quzhengfu"], years=[2017])
    assert own.value.tolist() == [5000.0]
    assert own.district_median.iloc[0] == streets_2017.median()


# ------------------------------------------------------------------ what a brief compares (issue 9)

def test_a_median_names_how_many_offices_stand_behind_it(ds):
    volume = views.publication_volume(ds, district="西城区")
    by_year = volume.drop_duplicates("year").set_index("year")
    assert by_year.median_offices.to_dict() == {2017: 3, 2018: 3, 2019: 4}
    assert by_year.district_median.to_dict() == {2017: 120, 2018: 60, 2019: 125}


def test_median_by_year_says_when_the_offices_differ_from_year_to_year(ds):
    median = views.median_by_year(views.publication_volume(ds, district="西城区"))
    # only 月坛 and the first hostile street state the figure every year: too few for a same-offices median
    assert median.year.tolist() == [2017, 2018, 2019] and not median.same_offices.any()
    assert median["median"].tolist() == [120, 60, 125] and median.offices.tolist() == [3, 3, 4]


def test_median_by_year_over_the_same_offices_when_enough_state_every_year(tmp_path):
    offices = [(f"d.o{i}", f"街道{i}", "某区", "street") for i in range(5)]
    reports = [(f"r{i}{y}", f"d.o{i}", y, f"https://example.org/{i}/{y}") for i in range(5) for y in (2020, 2021)]
    values = {0: (10, 20), 1: (20, 30), 2: (30, 40), 3: (40, 50), 4: (1000, None)}   # 4 states 2020 only
    facts = [(f"r{i}{y}", "proactive_items_total", "", v) for i, vs in values.items()
             for y, v in zip((2020, 2021), vs) if v is not None]
    ds = tiny(tmp_path, offices, reports, facts)
    median = views.median_by_year(views.publication_volume(ds, district="某区"))
    assert median.same_offices.all() and median.offices.tolist() == [4, 4]
    assert median["median"].tolist() == [25, 35]     # the office stating 2020 alone does not move the line


def test_an_office_is_compared_with_the_other_offices_of_its_district(ds):
    peers = views.peer_volume(ds, "xicheng.yuetan", [2017, 2018, 2019])
    assert "xicheng.yuetan" not in set(peers.office_id) and "xicheng.quzhengfu" not in set(peers.office_id)
    assert set(peers.office_id) == {"xicheng.jinrongjie", "xicheng.hostile1", "xicheng.hostile2"}
    median = views.median_by_year(peers)
    assert math.isnan(median["median"][0]) and median.offices[0] == 2     # 2017: two others only
    assert median["median"].iloc[-1] == 70                               # 2019: median(180, 70, 45)
    assert views.peer_volume(ds, "no.such.office").empty


def test_headline_year_is_the_latest_year_with_the_most_reports(ds):
    cover = views.coverage(ds, district="西城区")
    assert views.headline_year(cover, [2017, 2018, 2019]) == 2019           # 2018 and 2019: four each
    assert views.headline_year(cover[cover.year < 2019], [2017, 2018]) == 2018
    assert views.headline_year(cover.iloc[0:0], [2017, 2018]) == 2018       # no report: the last year


def test_year_on_year_compares_each_office_with_its_year_before(ds):
    yoy = views.year_on_year(ds, district="西城区")
    items = row(yoy, office_id="xicheng.yuetan", year=2018, metric="proactive_items_total")
    assert (items.value, items.previous, items.change) == (310, 267, 43)
    assert items.change_pct == pytest.approx(43 / 267 * 100)
    requests = row(yoy, office_id="xicheng.yuetan", year=2018, metric="req_new")
    assert (requests.value, requests.change) == (5, 3)
    first = row(yoy, office_id="xicheng.yuetan", year=2017, metric="proactive_items_total")
    assert math.isnan(first.previous) and math.isnan(first.change)      # 2016 is not stated
    zero_before = row(yoy, office_id="xicheng.jinrongjie", year=2018, metric="req_new")
    assert zero_before.change == 1 and math.isnan(zero_before.change_pct)   # 0 -> 1: no percentage
    assert yoy[yoy.office_id == "xicheng.hostile2"].year.tolist() == [2018, 2019]  # office-years with a figure
    assert row(yoy, office_id="xicheng.hostile2", year=2019, metric="proactive_items_total").qualifier == "approx"


def test_sources_without_the_applicant_columns(tmp_path):
    ds = tiny(tmp_path, [("d.a", "甲街道", "某区", "street")], [("r1", "d.a", 2021, "https://example.org/a")],
              [("r1", "req_new", "total", 12), ("r1", "req_new", "natural_person", 10),
               ("r1", "req_new", "business", 2), ("r1", "proactive_items_by_category", "fiscal", 5)])
    every = views.sources(ds, district="某区", metrics=["req_new", "proactive_items_by_category"])
    shown = views.sources(ds, district="某区", metrics=["req_new", "proactive_items_by_category"], per_applicant=False)
    assert len(every) == 4 and sorted(shown.dim) == ["fiscal", "total"]


def test_findings_carry_their_dim(ds):
    found = views.findings_of(ds, district="西城区")
    assert "dim" in found.columns and found.columns.tolist().index("dim") == found.columns.tolist().index("metric") + 1


def test_views_of_an_office_with_one_year_and_no_requests(tmp_path):
    ds = tiny(tmp_path, [("d.a", "甲街道", "某区", "street")], [("r1", "d.a", 2021, "a.txt")],
              [("r1", "proactive_items_total", "", 40)])
    volume = views.publication_volume(ds, offices=["d.a"], years=[2021])
    assert volume.value.tolist() == [40] and volume.median_offices.tolist() == [1]
    assert views.request_outcomes(ds, offices=["d.a"]).empty
    assert views.median_by_year(volume)["median"].isna().all()
    assert views.peer_volume(ds, "d.a", [2021]).empty
    assert views.year_on_year(ds, offices=["d.a"]).change.isna().all()


def test_a_flagged_breakdown_is_left_out_of_the_category_mix(ds):
    import copy

    from gongkai.model import UNRECONCILED
    ds = copy.copy(ds)
    ds.facts = ds.facts.copy()
    flagged = ds.facts.metric.eq("proactive_items_by_category") & ds.facts.office_id.eq("xicheng.yuetan")
    assert flagged.any()
    before = views.category_mix(ds, district="西城区")
    ds.facts.loc[flagged, "qualifier"] = UNRECONCILED
    after = views.category_mix(ds, district="西城区")
    yuetan = after[after.office_id == "xicheng.yuetan"]
    assert set(yuetan.category) <= {"unclassified"}           # only the stated total, unclassified, remains
    assert len(before[before.office_id == "xicheng.yuetan"]) > len(yuetan)


def test_category_mix_of_offices_stating_no_category_and_no_total_is_empty(ds):
    import copy

    ds = copy.copy(ds)
    ds.facts = ds.facts[~ds.facts.metric.isin(["proactive_items_by_category", "proactive_items_total",
                                               "proactive_share_by_category"])]
    mix = views.category_mix(ds, district="西城区")
    assert len(mix) == 0 and {"office_id", "year", "category", "count", "share"} <= set(mix.columns)
