"""checks.across: identities across reports (years of one office, two reports of one office-year) on frames."""
from __future__ import annotations

import time

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
    assert [(f["report"], f["check"], f["metric"]) for f in found] == [("aaa", "conflict", "proactive_items_total")]
    assert found[0]["message"] == ("two reports for x.y 2017 disagree on 1 figure(s): dir/one.txt and dir/two.html: "
                                   "proactive_items_total 10 vs 12; all kept")


def copies(n: int, figures: int = 30) -> tuple[list[dict], list[dict]]:
    """facts and reports rows of n copies of one office-year's report, copy i stating its total as 100 + i % 3."""
    facts, reports = [], []
    for i in range(n):
        rid = f"r{i:05d}"
        reports.append({"report": rid, "source": f"in/copy{i}.txt", "office_id": "x.y", "year": 2017})
        facts.append({"report": rid, "office_id": "x.y", "year": 2017, "metric": "proactive_items_total", "dim": "",
                      "value": 100 + i % 3, "qualifier": "exact"})
        facts += [{"report": rid, "office_id": "x.y", "year": 2017, "metric": "proactive_items_by_category",
                   "dim": f"c{k}", "value": k, "qualifier": "exact"} for k in range(figures - 1)]
    return facts, reports


def test_two_hundred_copies_of_one_report_give_one_finding():
    found = check_conflicts(*copies(200))
    assert len(found) == 1
    assert found[0]["message"] == ("200 reports for x.y 2017 disagree on 1 figure(s): in/copy0.txt, in/copy1.txt and "
                                   "in/copy2.txt: proactive_items_total 100 vs 101 vs 102; all kept")


def test_five_thousand_copies_are_checked_in_linear_time():
    facts, reports = copies(5000)                  # 150,000 facts
    started = time.perf_counter()
    found = check_conflicts(facts, reports)
    assert time.perf_counter() - started < 5       # pairwise, this was 12.5 million comparisons of 30 figures
    assert len(found) == 1 and len(found[0]["message"]) < 300


def test_a_conflict_names_at_most_five_figures_and_three_values_each():
    facts, reports = copies(5, figures=1)
    facts += [{"report": f"r{i:05d}", "office_id": "x.y", "year": 2017, "metric": "req_new", "dim": f"d{k}",
               "value": i, "qualifier": "exact"} for i in range(5) for k in range(7)]
    message = check_conflicts(facts, reports)[0]["message"]
    assert message.count("req_new[") == 4 and "req_new[d0] 0 vs 1 vs 2 vs …" in message
    assert message.startswith("5 reports for x.y 2017 disagree on 8 figure(s): in/copy0.txt, in/copy1.txt, "
                              "in/copy2.txt and 2 more: ")
    assert message.endswith(" (+3 more); all kept")


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
