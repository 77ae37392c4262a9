"""checks.report: within-report checks on hand-built reports: identities, bounds, meta, conflicts, failures."""
from __future__ import annotations

import math

from gongkai.checks import check_report
from gongkai.model import Conflict, Fact, Report, ReportMeta


def fact(metric, value, dim="", unit="件", qualifier="exact", year=None):
    return Fact(metric=metric, value=value, unit=unit, start=0, end=1, quote=f"{metric} {value}", dim=dim,
                qualifier=qualifier, year=year)


def report(facts, era="fmt2021", year=2021, title_year=None, full_year=True):
    return Report(report="r1", source="s", path="p.txt",
                  meta=ReportMeta(office="样例街道", district="样例区", year=year, title_year=title_year or year,
                                  era=era, full_year=full_year), facts=facts)


def checks(findings):
    return sorted((f.check, f.severity, f.dim) for f in findings)


def table_three(column="natural_person", new=10, carried_in=2, carried_out=1, granted=5, partial=1,
                denied=(1, 0, 0, 0, 0, 0, 0, 0), unable=(2, 0, 0), not_processed=(1, 0, 0, 0, 0),
                other=(1, 0, 0), total=11):
    names = ("state_secret", "law_prohibited", "security_stability", "third_party", "internal_affairs",
             "process_info", "enforcement_case", "admin_inquiry")
    rows = [fact("req_new", new, column), fact("req_carried_in", carried_in, column),
            fact("req_carried_out", carried_out, column), fact("out_granted", granted, column),
            fact("out_partially_granted", partial, column), fact("out_total", total, column)]
    rows += [fact(f"out_denied_{n}", v, column) for n, v in zip(names, denied)]
    rows += [fact(f"out_unable_{n}", v, column) for n, v in zip(("not_held", "needs_creation", "unclear"), unable)]
    rows += [fact(f"out_not_processed_{n}", v, column)
             for n, v in zip(("petition", "duplicate", "publication", "excessive", "confirm_reissue"), not_processed)]
    rows += [fact(f"out_other_{n}", v, column) for n, v in zip(("no_correction", "fee_unpaid", "misc"), other)]
    return rows


def test_consistent_table_three_has_no_findings():
    # 10 new + 2 carried in = 11 handled + 1 carried out; 5+1+1+2+1+1 = 11
    assert check_report(report(table_three())) == []


def test_t3_1_balance_broken_in_one_column():
    findings = check_report(report(table_three(carried_out=3)))
    assert checks(findings) == [("T3-1", "error", "natural_person")]
    assert findings[0].expected == 14 and findings[0].actual == 12
    assert "req_new 10 + req_carried_in 2" in findings[0].message


def test_t3_3_outcome_rows_do_not_add_up_using_implicit_subtotals():
    # fmt2021 has no （六） subtotal row: out_other_total is the sum of its three rows
    findings = check_report(report(table_three(other=(1, 1, 0))))
    assert ("T3-3", "error", "natural_person") in checks(findings)


def test_stated_subtotal_that_disagrees_with_its_rows():
    facts = table_three() + [fact("out_denied_total", 3, "natural_person")]
    found = checks(check_report(report(facts)))
    assert ("T3-3", "error", "natural_person") in found            # denied 3 ≠ rows 1, and 11 ≠ 13


def test_t3_2_total_column_is_the_sum_of_applicant_columns():
    facts = table_three("natural_person") + table_three("business", new=1, carried_in=0, carried_out=0, granted=1,
                                                         partial=0, denied=(0,) * 8, unable=(0, 0, 0),
                                                         not_processed=(0,) * 5, other=(0, 0, 0), total=1)
    facts += [fact("req_new", 10, "total")]   # 10 + 1 = 11 already known, stated 10
    found = checks(check_report(report(facts)))
    assert ("T3-2", "error", "total") in found
    facts[-1] = fact("req_new", 12, "total")  # 11 known, 4 columns blank (unknown): 12 is possible
    assert ("T3-2", "error", "total") not in checks(check_report(report(facts)))
    facts += [fact("req_new", 0, d) for d in ("research", "social_welfare", "legal_service", "other_org")]
    assert ("T3-2", "error", "total") in checks(check_report(report(facts)))    # all six known: 11 ≠ 12


def test_blank_cells_are_unknown_not_zero():
    facts = [f for f in table_three() if f.metric != "req_carried_in"]
    assert check_report(report(facts)) == []          # T3-1 cannot be checked without carried-in


def test_table_four_totals():
    facts = [fact("review_upheld", 1), fact("review_corrected", 1), fact("review_other", 0), fact("review_pending", 0),
             fact("review_total", 3), fact("lit_direct_upheld", 1), fact("lit_direct_corrected", 0),
             fact("lit_direct_other", 0), fact("lit_direct_pending", 0), fact("lit_direct_total", 1)]
    found = check_report(report(facts))
    assert checks(found) == [("T4-1", "error", "")]
    assert found[0].expected == 2 and found[0].actual == 3


def test_pre2019_categories_shares_and_channels():
    facts = [fact("proactive_items_total", 20, unit="条"),
             fact("proactive_items_by_category", 19, "org_function", unit="条"),
             fact("proactive_items_by_category", 1, "other", unit="条"),
             fact("proactive_share_by_category", 95, "org_function", unit="%"),
             fact("proactive_share_by_category", 5, "other", unit="%"),
             fact("consultations_total", 9890, unit="人次"),
             fact("consultations_by_channel", 6836, "in_person", unit="人次"),
             fact("consultations_by_channel", 3054, "phone", unit="人次")]
    assert check_report(report(facts, era="pre2019", year=2014)) == []
    facts[5] = fact("consultations_total", 9000, unit="人次")
    facts[3] = fact("proactive_share_by_category", 85, "org_function", unit="%")
    found = check_report(report(facts, era="pre2019", year=2014))
    assert ("consultations", "warning", "") in checks(found)
    p10 = [f for f in found if f.check == "P-10"]
    assert len(p10) == 1 and p10[0].dim == "org_function" and p10[0].expected == 95.0


def test_share_rounding_is_tolerated():
    facts = [fact("proactive_items_total", 267, unit="条"), fact("proactive_items_by_category", 8, "org_function", unit="条"),
             fact("proactive_share_by_category", 2.9, "org_function", unit="%")]   # 8/267 = 2.996%
    assert not [f for f in check_report(report(facts, era="pre2019")) if f.check == "P-10"]


def test_categories_exceeding_the_total_and_approximate_figures():
    facts = [fact("proactive_items_total", 100, unit="条", qualifier="approx"),
             fact("proactive_items_by_category", 150, "notices", unit="条")]
    assert check_report(report(facts, era="pre2019")) == []     # 100余条 is not exact: nothing to compare
    facts[0] = fact("proactive_items_total", 100, unit="条")
    assert ("P-1", "warning", "notices") in checks(check_report(report(facts, era="pre2019")))


def test_impossible_values_and_meta_findings():
    facts = [fact("req_new", -2, "total"), fact("proactive_fulltext_rate", 130, unit="%"),
             fact("proactive_items_total", 5e8, unit="条")]
    found = checks(check_report(report(facts, title_year=2016, year=2017, full_year=False)))
    assert ("T3-6", "error", "total") in found
    assert ("P-9", "error", "") in found
    assert ("absurd", "warning", "") in found
    assert ("title_year", "warning", "") in found and ("partial_period", "warning", "") in found


def test_garbage_never_raises_and_a_failing_check_is_a_finding():
    bad = Report(report="x", source="s", path="p", meta=ReportMeta(), facts=[
        Fact(metric="out_total", value=math.nan, unit="件", start=0, end=0, quote="", dim="natural_person"),
        Fact(metric="", value=float("inf"), unit="", start=5, end=1, quote="", dim=None)])
    found = check_report(bad)
    assert [(f.check, f.severity) for f in found] == [("no_office", "error"), ("no_year", "error"),
                                                      ("check_failed", "warning")]
    assert found[-1].message.startswith("check 'arithmetic' failed: ValueError")   # the other checks still ran


def test_what_a_report_lacks_is_reported_once():
    empty = Report(report="x", source="s", path="dir/a.txt", meta=ReportMeta(), facts=[])
    found = check_report(empty)
    assert [(f.check, f.severity) for f in found] == [("no_office", "error"), ("no_year", "error"),
                                                      ("no_figures", "warning")]
    assert all(f.message.startswith("dir/a.txt: ") for f in found)


def test_partial_period_messages_from_the_meta():
    facts = [fact("proactive_items_total", 5, unit="条")]
    partial = report(facts, full_year=False)
    partial.meta.partial, partial.meta.year = "截至2021年11月底", 2021
    assert [f.message for f in check_report(partial)] == ["figures cover part of 2021 only: 截至2021年11月底"]
    longer = report(facts, full_year=False)
    longer.meta.period = "统计期限自2008年5月1日起,至2021年12月31日"
    assert [f.message for f in check_report(longer)] == [
        "statistics period is not one calendar year: 统计期限自2008年5月1日起,至2021年12月31日"]


def test_title_year_finding_with_both_years():
    found = check_report(report([fact("proactive_items_total", 5, unit="条")], title_year=2016, year=2017))
    assert [(f.check, f.expected, f.actual, f.message) for f in found] == [
        ("title_year", 2017.0, 2016.0, "title says 2016 but the figures are for 2017; using 2017")]


def test_conflicting_statements_become_one_finding_each():
    table_cell = fact("req_new", 74, "total")
    table_cell.method, table_cell.quote = "table", "本年新收 总计 74"
    prose = fact("req_new", 75, "total")
    prose.quote = "收到申请75件"
    restated = fact("review_total", 1)
    r = report([table_cell], era="fmt2021")
    r.conflicts = [Conflict(table_cell, prose), Conflict(fact("review_total", 0), restated)]
    found = [f for f in check_report(r) if f.check in ("text_vs_table", "restated_differently")]
    assert [(f.check, f.metric, f.dim, f.expected, f.actual) for f in found] == [
        ("text_vs_table", "req_new", "total", 74, 75), ("restated_differently", "review_total", "", 0, 1)]
    assert found[0].message == "req_new[total]: table says 74 (本年新收 总计 74), text says 75 (收到申请75件); kept 74"


def test_a_flagged_breakdown_is_one_finding_in_place_of_the_category_sum():
    from gongkai.model import UNRECONCILED
    facts = [Fact("proactive_items_total", 100, "条", 0, 10, "共主动公开信息100条"),
             Fact("proactive_items_by_category", 80, "条", 11, 20, "工作动态80条", dim="work_updates",
                  qualifier=UNRECONCILED),
             Fact("proactive_items_by_category", 50, "条", 21, 30, "通知公告50条", dim="notices", qualifier=UNRECONCILED)]
    report = Report(report="r", source="s", path="p", meta=ReportMeta(office="某街道", year=2017, era="pre2019"),
                    facts=facts)
    findings = check_report(report)
    flagged = [f for f in findings if f.check == "categories_unreconciled"]
    assert [(f.expected, f.actual) for f in flagged] == [(100, 130)] and "130" in flagged[0].message
    assert not [f for f in findings if f.check == "P-1" and f.metric == "proactive_items_total"]
