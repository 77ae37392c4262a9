"""gongkai.identities: the arithmetic of the tables, as the extractor uses it to choose and the checks to report."""
from __future__ import annotations

from gongkai.identities import (COUNT_TOLERANCE, EXACT, TOTAL, applicant_columns, column_total_holds, holds,
                                identities, row_holds, sides, subtotal, subtotals, table_failures, table_holds)
from gongkai.taxonomy import table


def test_every_row_of_the_table_and_the_group_rows_expanded():
    assert len(identities()) == len(table("identities"))
    assert [i.check for i in identities("4")] == ["T4-1", "T4-2", "T4-3"]
    balance = identities("3")[0]
    assert (balance.check, balance.left, balance.right, balance.per_column) == (
        "T3-1", ("req_new", "req_carried_in"), ("out_total", "req_carried_out"), True)
    t34 = next(i for i in identities() if i.check == "T3-4")
    assert t34.right == ("out_other_no_correction", "out_other_fee_unpaid", "out_other_misc")
    assert t34.applies_to("fmt2021") and not t34.applies_to("fmt2019")
    assert next(i for i in identities() if i.check == "P-1").applies_to("pre2019")     # no eras: any


def test_group_totals_and_their_sub_rows_from_table_rows():
    groups = subtotals()
    assert set(groups) == {"out_denied_total", "out_unable_total", "out_not_processed_total", "out_other_total"}
    assert len(groups["out_denied_total"]) == 8 and groups["out_unable_total"][0] == "out_unable_not_held"


def test_applicant_columns_without_the_total():
    assert applicant_columns() == ("natural_person", "business", "research", "social_welfare", "legal_service",
                                   "other_org")
    assert TOTAL not in applicant_columns()


def test_an_implicit_subtotal_is_the_sum_of_known_rows_only():
    rows = dict.fromkeys(subtotals()["out_unable_total"], 1.0)
    assert subtotal("out_unable_total", rows.get) == 3
    rows["out_unable_unclear"] = None
    assert subtotal("out_unable_total", rows.get) is None
    assert subtotal("req_new", rows.get) is None


def test_an_identity_holds_fails_or_is_unknown():
    balance = identities("3")[0]
    stated = {"req_new": 10, "req_carried_in": 2, "out_total": 11, "req_carried_out": 1}
    assert sides(balance, stated.get) == ([10, 2], [11, 1])
    assert holds(balance, stated.get) is True
    assert holds(balance, dict(stated, req_carried_out=3).get) is False
    assert holds(balance, dict(stated, req_carried_out=None).get) is None      # unknown is never false
    assert holds(balance, dict(stated, req_carried_out=1.4).get) is True        # within COUNT_TOLERANCE
    assert holds(balance, dict(stated, req_carried_out=1.4).get, EXACT) is False
    assert COUNT_TOLERANCE == 0.5


def test_the_total_column_of_table_three():
    row = dict(zip((*applicant_columns(), TOTAL), (5, 1, 0, 0, 0, 1, 7)))
    assert column_total_holds(row) is True
    assert column_total_holds(dict(row, total=8)) is False
    assert column_total_holds(dict(row, business=None)) is None


def test_table_three_in_every_column_with_implicit_group_totals():
    rows = {"req_new": [10, 0], "req_carried_in": [2, 0], "out_total": [11, 0], "req_carried_out": [1, 0],
            "out_granted": [5, 0], "out_partially_granted": [1, 0], "out_other_total": [1, 0]}
    for group in ("out_denied_total", "out_unable_total", "out_not_processed_total"):
        rows.update({m: [0, 0] for m in subtotals()[group]})
    rows["out_denied_state_secret"] = [1, 0]
    rows["out_unable_not_held"] = [2, 0]
    rows["out_not_processed_duplicate"] = [1, 0]
    assert table_holds("3", rows)                             # 5+1+1+2+1+1 = 11 in the first column
    assert not table_holds("3", dict(rows, out_granted=[4, 0]))
    assert table_holds("3", dict(rows, out_granted=[None, 0]))   # an unknown cell checks nothing


# one column of a consistent fmt2021 table 三 (the 自然人 column of tests/fixtures/tables): 12 new, 1 carried in
COLUMN = {"req_new": 12, "req_carried_in": 1, "out_total": 12, "req_carried_out": 1, "out_granted": 6,
          "out_partially_granted": 2, "out_denied_third_party": 1, "out_unable_not_held": 2, "out_other_misc": 1}


def value_of(metric: str):
    if metric in COLUMN:
        return COLUMN[metric]
    if metric in subtotals():
        return subtotal(metric, value_of)
    return 0


def test_identities_come_from_the_data_file():
    checks = {i.check for i in identities()}
    assert {"T3-1", "T3-3", "T3-4", "T4-1", "T4-2", "T4-3"} <= checks
    t31 = next(i for i in identities("3") if i.check == "T3-1")
    assert t31.left == ("req_new", "req_carried_in") and t31.right == ("out_total", "req_carried_out")
    assert t31.per_column and t31.applies_to("fmt2021") and not t31.applies_to("pre2019")
    assert len(subtotals()["out_denied_total"]) == 8 and subtotals()["out_other_total"][-1] == "out_other_misc"


def test_every_table_three_identity_holds_for_a_consistent_column():
    assert all(holds(i, value_of) for i in identities("3"))
    broken = dict(COLUMN, req_carried_out=0)
    assert holds(identities("3")[0], lambda m: broken.get(m, 0)) is False


def test_an_unknown_term_leaves_an_identity_unknown():
    assert holds(identities("3")[0], lambda m: None if m == "req_carried_out" else 1) is None
    assert subtotal("out_unable_total", lambda m: None if m == "out_unable_unclear" else 1) is None


def test_total_column_and_row_checks():
    row = {"natural_person": 12, "business": 2, "research": 0, "social_welfare": 0, "legal_service": 1,
           "other_org": 0, "total": 15}
    assert column_total_holds(row) is True
    assert column_total_holds(dict(row, total=0)) is False
    assert column_total_holds(dict(row, total=None)) is None
    review = ("review_upheld", "review_corrected", "review_other", "review_pending", "review_total")
    assert row_holds("4", review, [3, 1, 0, 1, 5]) is True
    assert row_holds("4", review, [10, 1, 0, 0, 0]) is False     # as one report printed it: a finding, not a fix
    assert row_holds("3", ("req_new",), [1]) is None


def test_table_failures_count_identity_and_column():
    leaves = {m for members in subtotals().values() for m in members} | set(COLUMN)
    rows = {m: [COLUMN.get(m, 0)] * 2 for m in leaves}
    assert table_failures("3", rows) == 0 and table_holds("3", rows)
    rows["out_total"] = [12, 11]          # T3-1 and the T3-3 总计 identity fail in the second column
    assert table_failures("3", rows) == 2 and not table_holds("3", rows)
