"""gongkai.params: brief kinds and parameters, the year grammar both ways, brief file names, best-covered years,
and what a wrong name is told (closest names with reports, the government-only sentence)."""
from __future__ import annotations

import ast

import nbformat
import pytest

from gongkai.errors import ParameterError
from gongkai.params import (KINDS, PARAMETERS, REQUIRED, best_covered_years, brief_slug, closest_names,
                            default_notebook, did_you_mean, is_year_spec_word, only_district_wide, parse_year_spec,
                            parse_years, years_label)


@pytest.mark.parametrize("years, expected", [
    ("2009-2011", [2009, 2010, 2011]),
    ("2015,2016, 2017", [2015, 2016, 2017]),
    ("2009–2010, 2015", [2009, 2010, 2015]),       # en dash, as people type it
    ("2016 ~ 2017", [2016, 2017]),
    (2017, [2017]),
    (["2019", 2017, 2018, 2018], [2017, 2018, 2019]),
    ((2019, 2017), [2017, 2019]),
    ("2019-2017", []),                              # backwards: empty (validate_params says so)
    ("", []),
    (None, []),
])
def test_parse_years(years, expected):
    assert parse_years(years) == expected


@pytest.mark.parametrize("years, says", [("twenty", "'twenty' is not a year"), ("2017-18", "'2017-18' is not a year"),
                                         (["x"], "is not a list of years"), (3.5j, "is not a list of years")])
def test_parse_years_rejects(years, says):
    with pytest.raises(ParameterError, match=says):
        parse_years(years)


DISTRICT_YEARS = [2013, 2015, 2017, 2018]


@pytest.mark.parametrize("spec, expected", [
    (None, None), ("all", None),
    (2016, [2016]),
    ([2017, 2015], [2015, 2017]),
    ("2009-2011", [2009, 2010, 2011]),
    ("2015, 2017", [2015, 2017]),
    ("last 2 years", [2017, 2018]),                 # counted back from the district's latest year, not the calendar
    ("last 4 years", [2015, 2017, 2018]),
    ("last 1 year", [2018]),
])
def test_parse_year_spec(spec, expected):
    assert parse_year_spec(spec, DISTRICT_YEARS) == expected


def test_last_n_years_without_data_is_empty():
    assert parse_year_spec("last 3 years", []) == []


@pytest.mark.parametrize("spec, says", [
    ("2019-2017", "'2019-2017' runs backwards"), ("last 0 years", "needs N >= 1"), (True, "True is not a year range"),
    ([], "a list must hold years"), (["2015"], "a list must hold years"), ([2015, True], "a list must hold years"),
    ("twenty", "'twenty' is not a year range (e.g. 2009-2017, 'last 5 years', all)"), (2.5, "is not a year range"),
])
def test_parse_year_spec_rejects(spec, says):
    with pytest.raises(ParameterError) as caught:
        parse_year_spec(spec, DISTRICT_YEARS)
    assert says in str(caught.value) and str(caught.value).startswith("years: ")


def test_years_label():
    assert years_label([2017, 2015, 2016]) == "2015–2017"
    assert years_label([2017]) == "2017"
    assert years_label([2015, 2017]) == "2015, 2017"
    assert years_label([]) == ""
    assert years_label([2015, 2017], dash="-", sep="_") == "2015_2017"
    assert years_label([2015, 2016], dash="-", sep="_") == "2015-2016"


def test_slugs_are_ascii_and_deterministic():
    assert brief_slug("district", dict(district="西城区", years=[2009, 2010, 2011])) == "district-xicheng-2009-2011"
    assert brief_slug("office", dict(office_id="xicheng.yuetan", years=[2017], lang="en")) == \
        "office-xicheng-yuetan-2017-en"
    assert brief_slug("office", dict(office_id="xicheng.yuetan", years="2015-2017", lang="zh")) == \
        "office-xicheng-yuetan-2015-2017"
    gapped = brief_slug("district", dict(district="某某区", years=[2015, 2017], offices=["b", "a"]))
    assert gapped.isascii() and gapped.startswith("district-d") and "2015_2017" in gapped
    assert gapped == brief_slug("district", dict(district="某某区", years=[2015, 2017], offices=["a", "b"]))
    assert gapped != brief_slug("district", dict(district="某某区", years=[2015, 2017], offices=["a"]))
    assert brief_slug("office", dict(office_id="月坛", years=[2017])).isascii()


@pytest.mark.parametrize("office_id", ["../../etc/passwd", "<script>alert(1)</script>", "a/b\\c", "...", "x\0y"])
def test_hostile_office_ids_make_safe_file_names(office_id):
    slug = brief_slug("office", dict(office_id=office_id, years=[2017]))
    assert slug.isascii() and "/" not in slug and "\\" not in slug and ".." not in slug and "<" not in slug
    assert slug.startswith("office-") and slug.endswith("-2017")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_notebook_taking_its_parameters(kind):
    """The parameters cell of the default notebook names exactly the kind's parameters, plus data_dir."""
    nb = nbformat.read(default_notebook(kind), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = {target.id for statement in ast.parse(cell.source).body for target in statement.targets}
    assert names == set(PARAMETERS[kind]) | {"data_dir"}
    assert set(REQUIRED[kind]) <= set(PARAMETERS[kind])


DISTRICTS = ["西城区", "密云区", "平潭综合实验区", "北京市"]
SLUGS = {"xicheng": "西城区", "miyun": "密云区", "pingtan": "平潭综合实验区", "dongcheng": "东城区"}
OFFICES = ["xicheng.yuetan", "xicheng.dashilan", "pingtan.haitanpianqu", "miyun.guoyuan"]
NAMES = {"月坛街道": "xicheng.yuetan", "大栅栏街道": "xicheng.dashilan", "海坛片区管理局": "pingtan.haitanpianqu"}


@pytest.mark.parametrize("name, candidates, known_as, closest", [
    ("平潭", DISTRICTS, SLUGS, ["平潭综合实验区"]),                    # part of a name
    ("平潭综合实验区管委会", DISTRICTS, SLUGS, ["平潭综合实验区"]),      # a name holding it
    ("pingtan", DISTRICTS, SLUGS, ["平潭综合实验区"]),                  # the district's slug
    ("dongcheng", DISTRICTS, SLUGS, ["西城区"]),                         # the closest slug with reports
    ("东城区", DISTRICTS, SLUGS, ["西城区"]),
    ("平谭综合试验区", DISTRICTS, SLUGS, ["平潭综合实验区"]),            # two characters mistyped
    ("xicheng.yuetna", OFFICES, NAMES, ["xicheng.yuetan"]),
    ("月坛街道", OFFICES, NAMES, ["xicheng.yuetan"]),                   # a name where an id belongs
    ("海坛", OFFICES, NAMES, ["pingtan.haitanpianqu"]),
    ("zzz", OFFICES, NAMES, []), ("", OFFICES, NAMES, []),
])
def test_closest_names(name, candidates, known_as, closest):
    assert closest_names(name, candidates, known_as) == closest


def test_did_you_mean():
    assert did_you_mean([]) == ""
    assert did_you_mean(["平潭综合实验区"]) == "; did you mean 平潭综合实验区?"
    assert did_you_mean(["a", "b", "c"]) == "; did you mean a, b or c?"


def test_best_covered_years_is_the_longest_well_covered_run():
    pingtan = {2009: 2, 2010: 2, 2011: 7, 2012: 5, 2013: 7, 2014: 4, 2015: 4, 2016: 3, 2017: 3, 2018: 4, 2019: 9,
               2020: 7, 2021: 8, 2022: 9, 2023: 8, 2024: 9, 2025: 8}
    assert best_covered_years(pingtan) == list(range(2019, 2026))
    assert best_covered_years({2015: 4, 2016: 1, 2017: 4}) == [2017]        # equal runs: the later one
    assert best_covered_years({2017: 1}) == [2017] and best_covered_years({}) == []


@pytest.mark.parametrize("years, word", [("all", True), (" all ", True), ("last 3 years", True), ("2017", False),
                                         (["all"], False), (None, False)])
def test_is_year_spec_word(years, word):
    assert is_year_spec_word(years) is word


def test_only_district_wide_names_the_government_and_what_to_do():
    said = only_district_wide("昌平区", [("changping.quzhengfu", "昌平区人民政府")],
                              "gongkai brief office --office-id {id} --years all")
    assert said == ("昌平区 has no report from an office under it, only the district government's own report "
                    "(昌平区人民政府 (changping.quzhengfu)), which covers the whole district and so is not compared "
                    "with offices under it: its office brief shows it "
                    "(gongkai brief office --office-id changping.quzhengfu --years all)")
