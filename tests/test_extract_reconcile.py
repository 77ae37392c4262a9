"""extract.reconcile: one fact per figure; disagreeing statements come back as Conflicts, not findings."""
from gongkai.extract.reconcile import reconcile, statement_label, whole_office_dim
from gongkai.model import Conflict, Fact


def fact(metric, value, start, quote, method="text", dim=""):
    return Fact(metric=metric, value=value, unit="件", start=start, end=start + len(quote), quote=quote,
                dim=dim, method=method)


def test_a_table_cell_wins_over_prose_and_the_prose_figure_is_a_conflict():
    prose = fact("req_new", 75, 10, "收到申请75件")
    cell = fact("req_new", 74, 900, "本年新收政府信息公开申请数量 总计 74", method="table", dim="total")
    facts, conflicts = reconcile([prose, cell])
    assert [(f.value, f.method, f.dim) for f in facts] == [(74, "table", "total")]
    assert conflicts == [Conflict(kept=cell, other=prose)]
    assert prose.dim == "total"                     # prose request figures are about all applicants


def test_a_restatement_with_the_same_value_is_dropped_quietly():
    facts, conflicts = reconcile([fact("review_total", 0, 5, "行政复议0件"), fact("review_total", 0, 50, "复议0件")])
    assert [f.start for f in facts] == [5] and conflicts == []


def test_distinct_items_of_an_additive_metric_are_kept():
    items = [fact("proactive_items_by_category", 10, 0, "内设机构10条", dim="org_function"),
             fact("proactive_items_by_category", 3, 20, "领导介绍3条", dim="org_function")]
    facts, conflicts = reconcile(items)
    assert [f.value for f in facts] == [10, 3] and conflicts == []


def test_statement_labels_and_the_whole_office_dim():
    assert statement_label(fact("x", 13, 0, "机构职能类信息13条")) == "机构职能"
    assert statement_label(fact("x", 13, 0, "(二)机构职能类13条")) == "机构职能"
    assert whole_office_dim(fact("out_granted", 2, 0, "同意公开2件")).dim == "total"
    assert whole_office_dim(fact("req_by_channel", 1, 0, "信函1件", dim="letter")).dim == "letter"
    assert whole_office_dim(fact("consultations_total", 9, 0, "咨询9人次")).dim == ""
