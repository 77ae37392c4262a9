"""checks.across: identities across reports (years of one office, two reports of one office-year) on frames."""
from __future__ import annotations

import pandas as pd
import pytest

from gongkai.checks import check_across_years, check_conflicts
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS


def facts_frame(rows):
    return pd.DataFrame([{c: r.get(c, "") for c in FACT_COLUMNS} for r in rows]).astype({"value": float})


def test_carried_in_must_equal_last_years_carried_out():
    rows = [dict(report="a17", office_id="x.y", year=2020, metric="req_carried_out", dim="total", value=3,
                 qualifier="exact"),
            dict(report="a18", office_id="x.y", year=2021, metric="req_carried_in", dim="total", value=2,
                 qualifier="exact"),
            dict(report="b18", office_id="x.z", year=2021, metric="req_carried_in", dim="total", value=2,
                 qualifier="exact")]
    found = check_across_years(facts_frame(rows))
    assert [(f["report"], f["check"], f["expected"], f["actual"]) for f in found] == [("a18", "T3-7", 3, 2)]
    assert set(found[0]) == set(FINDING_COLUMNS)


def test_derived_last_year_figure_against_last_years_report():
    rows = [dict(report="r17", office_id="x.y", year=2017, metric="proactive_items_total", value=267,
                 qualifier="exact", quote="267条"),
            dict(report="r17", office_id="x.y", year=2016, metric="proactive_items_total", value=210,
                 qualifier="derived", quote="比去年增加57条"),
            dict(report="r16", office_id="x.y", year=2016, metric="proactive_items_total", value=200,
                 qualifier="exact", quote="200条")]
    found = check_across_years(facts_frame(rows))
    assert [(f["report"], f["check"], f["expected"], f["actual"]) for f in found] == [("r17", "G-2", 200, 210)]
    rows[2]["value"] = 210
    assert check_across_years(facts_frame(rows)) == []


def test_two_reports_for_one_office_year_conflict_names_both_files():
    facts = facts_frame([dict(report="aaa", office_id="x.y", year=2017, metric="proactive_items_total", value=10,
                              qualifier="exact"),
                         dict(report="bbb", office_id="x.y", year=2017, metric="proactive_items_total", value=12,
                              qualifier="exact")])
    reports = pd.DataFrame({"report": ["aaa", "bbb"], "source": ["dir/one.txt", "dir/two.html"],
                            "office_id": ["x.y", "x.y"], "year": [2017, 2017]})
    found = check_conflicts(facts, reports)
    assert sorted(f["report"] for f in found) == ["aaa", "bbb"]
    assert all("dir/one.txt" in f["message"] and "dir/two.html" in f["message"] for f in found)
    assert all(f["check"] == "conflict" for f in found)


@pytest.mark.parametrize("frame", [None, pd.DataFrame(columns=FACT_COLUMNS)])
def test_cross_report_checks_on_nothing(frame):
    assert check_across_years(frame) == [] and check_conflicts(frame, frame) == []


@pytest.mark.parametrize("check, arguments", [
    (check_across_years, ([{"report": "r", "office_id": "a.b", "year": 2020, "metric": "req_carried_in",
                            "dim": "total", "value": "n/a"}],)),
    (check_conflicts, ([{"report": "a", "metric": "req_new", "value": "x"}],
                       [{"report": "a", "office_id": "a.b", "year": 2020}, {"report": "b", "office_id": "a.b", "year": 2020}])),
])
def test_a_pass_that_raises_gives_a_check_failed_finding(check, arguments):
    found = check(*arguments)                     # a value that is no number makes the pass raise
    assert [(f["check"], f["severity"], f["report"]) for f in found] == [("check_failed", "warning", "")]
    assert found[0]["message"] == (f"check '{check.__name__}' failed: ValueError: could not convert string to "
                                   f"float: {arguments[0][0]['value']!r}")
    assert set(found[0]) == set(FINDING_COLUMNS)
