"""extract.phrasing: the genre's phrasing families, each a row of data/prose_patterns.csv over the classes of
data/phrase_classes.csv, on short sentences in the reports' style (our own wording)."""
from __future__ import annotations

import re
from gongkai.extract.phrasing import OUTCOMES, RULES, apply_rules, compile_pattern
from gongkai.extract.prose import Collector, prose_view
from gongkai.taxonomy import table
import pytest
from gongkai.extract.phrasing import RULES, apply_rules, phrase_class
from gongkai.extract.reconcile import reconcile
from gongkai.extract.text import text_facts
from gongkai.model import Document, ReportMeta


def found(text: str) -> list[tuple]:
    out = Collector(text)
    apply_rules(prose_view(text), out)
    return [(f.metric, f.dim, f.value, f.quote) for f in out.facts]


def test_one_rule_per_row_of_the_table():
    assert len(RULES) == len(table("prose_patterns"))
    assert all(isinstance(rule.regex, re.Pattern) for rule in RULES)


def test_placeholders_are_filled_in():
    match = compile_pattern("共{N}件").fullmatch("共100余件")
    assert (match.group("num"), match.group("post")) == ("100", "余")
    assert compile_pattern("全文电子化率{G}{0,4}?{PCT}").search("全文电子化率达100%").group("num") == "100"
    assert compile_pattern("{CH}{N}件").search("通过信函1件").group("ch") == "信函"
    assert compile_pattern("{CH}{N}件").search("信函申请1件") is None


def test_requests_channels_and_outcomes():
    assert found("共收到政府信息公开申请2件，其中网上申请1件，信函申请1件。“同意公开”的2件。") == [
        ("req_new", "", 2, "收到政府信息公开申请2件"), ("req_by_channel", "online", 1, "网上申请1件"),
        ("req_by_channel", "letter", 1, "信函申请1件"), ("out_granted", "", 2, "“同意公开”的2件")]


def test_a_fixed_value_rule_states_a_zero():
    assert found("本年度未收到政府信息公开申请。") == [("req_new", "", 0, "未收到政府信息公开申请")]


def test_a_figure_claimed_by_one_rule_is_not_read_again():
    got = found("咨询9890人次。其中，现场咨询6836人次，电话咨询3054人次。")
    assert sorted((m, d, v) for m, d, v, _ in got) == [
        ("consultations_by_channel", "in_person", 6836), ("consultations_by_channel", "phone", 3054),
        ("consultations_total", "", 9890)]


def test_outcome_phrasings_longest_first():
    lengths = [len(phrase) for phrase, _ in OUTCOMES]
    assert lengths == sorted(lengths, reverse=True)
    assert dict(OUTCOMES)["同意公开"] == "out_granted"


def facts(text: str, year: int = 2020) -> dict:
    """(metric, dim, year) -> value of the prose facts, reconciled as extract does (request dims 'total')."""
    document = Document(path="x.txt", text=text, kind="txt", sha="0" * 64)
    found, _ = reconcile(text_facts(document, ReportMeta(office="某镇", year=year, era="fmt2019")))
    return {(f.metric, f.dim, f.year): f.value for f in found}


def test_phrase_classes_fill_the_patterns():
    assert phrase_class("U_REQ").startswith("(?:件次|")          # longest unit first: '3件次' is not '3件'
    assert "例" in phrase_class("U_REQ") and "起" in phrase_class("U_CASE")
    assert {rule.lead for rule in RULES} == {"", "N", "NEG"}


@pytest.mark.parametrize("sentence, metric, value", [
    ("本年度共受理政府信息公开申请两件。", "req_new", 2),
    ("全年共收到政府信息公开申请一件。", "req_new", 1),
    ("当面申请1宗，网上申请3宗。", "req_by_channel", None),
    ("接待群众咨询十余人次。", "consultations_total", 10),
    ("“不予公开”1项。", "out_denied_total", 1),
    ("共收到申请3件，其中1例予以公开。", "out_granted", 1),
    ("本机关被申请行政复议2起。", "review_total", 2),
    ("全年受理政府信息公开申请12件次。", "req_new", 12),
])
def test_units_and_chinese_numerals(sentence, metric, value):
    got = facts(sentence)
    if value is None:
        assert got[(metric, "in_person", None)] == 1 and got[(metric, "online", None)] == 3
    else:
        assert got[(metric, "total" if metric.startswith(("req_", "out_")) else "", None)] == value


@pytest.mark.parametrize("sentence, zeros", [
    ("全年未收取任何费用。", {"request_fees_collected"}),
    ("本单位没有收费。", {"request_fees_collected"}),
    ("本年度没有发生收费和减免情况。", {"request_fees_collected"}),
    ("本镇没有因政府信息公开而产生的收费。", {"request_fees_collected"}),
    ("未对申请人收取依申请公开的任何费用。", {"request_fees_collected"}),
    ("全年未发生因政府信息公开引起的行政复议。", {"review_total"}),
    ("本机关全年未涉诉。", {"lit_all_total"}),
    ("本年度未收到政府信息公开申请。", {"req_new"}),
    ("本年度未接到公民提出的政府信息公开申请。", {"req_new"}),
    ("本年度无收到和处理政府信息公开申请情况。", {"req_new"}),
    ("我镇无受理政府信息公开申请件。", {"req_new"}),
    ("本年度我镇没有依申请公开的信息。", {"req_new"}),
    ("本局无不予公开政府信息情况。", {"out_denied_total"}),
])
def test_zeros_stated_by_negation(sentence, zeros):
    got = facts(sentence)
    assert {metric for metric, _, _ in got} == zeros
    assert set(got.values()) == {0}


def test_a_negation_needs_its_object():
    assert facts("申请人逾期未按收费通知要求缴纳费用。") == {}
    assert facts("本单位不予公开、收费等事项均依法办理。") == {}
    assert facts("没有对公民、法人和其他组织收取依申请信息公开的任何费用。") == {("request_fees_collected", "", None): 0}


@pytest.mark.parametrize("sentence, metric, value", [
    ("本年度收到政府信息公开申请两件，均已予以公开。", "out_granted", 2),
    ("共收到政府信息公开申请1件，已依法按时予以公开。", "out_granted", 1),
    ("共收到申请2件，均予以答复并公开。", "out_granted", 2),
    ("共收到申请5件，答复为“不予公开”。", "out_denied_total", 5),
    ("受理申请3件，均属“本机关不掌握”的信息。", "out_unable_not_held", 3),
])
def test_an_outcome_stated_for_all_requests(sentence, metric, value):
    assert facts(sentence)[(metric, "total", None)] == value


def test_an_outcome_for_one_request_does_not_become_everyones():
    got = facts("共收到申请5件，已予以公开3件。")
    assert got[("out_granted", "total", None)] == 3


def test_single_requests_withdrawn_and_not_held():
    got = facts("共收到申请4件，1例予以公开，1例告知非本机关制作或保存，申请人撤回1件，另1例结转下年度继续办理。")
    assert (got[("out_granted", "total", None)], got[("out_unable_not_held", "total", None)],
            got[("out_other_total", "total", None)], got[("req_carried_out", "total", None)]) == (1, 1, 1, 1)
    assert facts("收到申请2件，撤件1件。")[("out_other_total", "total", None)] == 1
    assert facts("受理申请3件，其中1件不属于本机关公开范围。")[("out_unable_not_held", "total", None)] == 1


@pytest.mark.parametrize("sentence, channel", [
    ("全年共收到申请4件，均为当面申请。", "in_person"),
    ("全年共收到申请2件（信函申请）。", "letter"),
    ("全年共收到申请3件，均通过邮箱提交。", "email"),
])
def test_a_channel_stated_once_for_all_requests(sentence, channel):
    got = facts(sentence)
    assert got[("req_by_channel", channel, None)] == got[("req_new", "total", None)]


@pytest.mark.parametrize("sentence, year, metric", [
    ("2019年结转的申请1件已于本年办结。", 2020, "req_carried_in"),
    ("2020年结转的申请1件，将于下年度继续办理。", 2020, "req_carried_out"),
    ("全年共受理依申请公开事项9件，2021年结转依申请公开事项1件，正在办理中。", 2020, "req_carried_out"),
    ("上年度结转政府信息公开申请2件。", 2020, "req_carried_in"),
    ("另有1件结转下年度继续办理。", 2020, "req_carried_out"),
])
def test_carried_over_by_the_year_words(sentence, year, metric):
    got = facts(sentence, year)
    carried = {m for m, _, _ in got if m.startswith("req_carried")}
    assert carried == {metric}


def test_reconsideration_and_litigation_are_never_requests():
    got = facts("本年度收到行政复议申请1件，行政应诉案件2件。")
    assert got == {("review_total", "", None): 1, ("lit_all_total", "", None): 2}
    assert facts("收到1件行政复议申请。") == {("review_total", "", None): 1}


def test_the_information_processing_fee_is_its_own_metric():
    assert facts("本年度实际收取信息处理费共计400元。") == {("info_processing_fee_collected", "", None): 400}
    assert facts("本年度未收取信息处理费。") == {("info_processing_fee_collected", "", None): 0}


def test_requests_answered_need_their_object():
    assert facts("本年度办结政府信息公开申请6件。")[("out_total", "total", None)] == 6
    assert facts("全部2件申请均按期答复。")[("out_total", "total", None)] == 2
    got = facts("收到申请3件，延期答复1件。")
    assert ("out_total", "total", None) not in got


def test_a_rule_that_starts_with_a_figure_is_tried_only_where_one_stands():
    view = prose_view("本年度共受理申请3件，均为网上申请。其中1件仍在办理期限内。")
    out = Collector(view)
    apply_rules(view, out, 2020)
    assert sorted((f.metric, f.dim, f.value) for f in out.facts) == [
        ("req_by_channel", "online", 3), ("req_carried_out", "", 1), ("req_new", "", 3)]


def test_rows_of_a_statistics_table_printed_in_the_text():
    got = facts("附表： 指标名称 计量单位 年末统计 受理依申请公开信息总数 条 3 其中：1．当面申请数 条 1 2．传真申请数 条 0 "
                "3．信函申请数 条 2 对申请的答复总数 条 3 其中：1．同意公开答复数 条 2 2．同意部分公开答复数 条 1 "
                "行政复议数 件 0 行政诉讼数 件 0 行政申诉数 件 0")
    assert (got[("req_by_channel", "in_person", None)], got[("req_by_channel", "fax", None)],
            got[("req_by_channel", "letter", None)]) == (1, 0, 2)
    assert (got[("out_total", "total", None)], got[("out_granted", "total", None)],
            got[("out_partially_granted", "total", None)]) == (3, 2, 1)
    assert got[("review_total", "", None)] == got[("lit_all_total", "", None)] == got[("complaints_total", "", None)] == 0


def test_a_statistics_cell_run_into_the_next_row():
    got = facts("指标名称计量单位年末统计其中：1、当面申请数条02、传真申请数条13、电子邮件申请数条0")
    assert (got[("req_by_channel", "in_person", None)], got[("req_by_channel", "fax", None)],
            got[("req_by_channel", "email", None)]) == (0, 1, 0)


def test_a_second_column_of_running_totals_leaves_only_sure_zeros():
    got = facts("指标名称计量单位2020年度历年累计其中：1、当面申请数条012、网上申请数条1818")
    assert got[("req_by_channel", "in_person", None)] == 0          # '01': 0 this year, 1 in all years
    assert ("req_by_channel", "online", None) not in got            # '1818': 18|18 or 1|818


def test_the_processing_fee_under_any_of_its_names():
    assert facts("本年度没有产生信息公开处理费。") == {("info_processing_fee_collected", "", None): 0}


def test_a_count_over_several_years_is_not_the_years():
    """'近3年共受理…申请2件,1件通过网络申请' counts a span of years, not the data year; a negation over the
    span still holds for the year."""
    assert found("近3年共受理信息公开申请2件,1件通过网络申请,另一件通过信函申请。") == []
    assert ("req_new", "", 0) in [f[:3] for f in found("近三年,我局未收到政府信息公开申请。")]
    assert ("req_new", "", 2) in [f[:3] for f in found("2017年共受理信息公开申请2件。")]
    assert found("自《条例》施行以来，共受理政府信息公开申请12件。") == []


@pytest.mark.parametrize("text", [
    "全年未发生因依申请公开被行政复议纠错的情况。",     # the correction is negated, not the requests or the cases
    "该复议件未被复议机关纠错。",
    "行政诉讼 未经复议直接起诉 复议后起诉",             # 未经 is 'without', a table header
])
def test_a_negation_of_an_outcome_or_a_manner_is_no_zero(text):
    assert [f for f in found(text) if f[0] in ("req_new", "review_total", "lit_all_total")] == []


def test_a_negation_of_the_cases_and_their_correction_is_still_zero():
    got = [f[:3] for f in found("未发生因政府信息公开被申请行政复议、提起行政诉讼或被纠错的情况。")]
    assert ("review_total", "", 0) in got and ("lit_all_total", "", 0) in got


def test_a_count_of_complaints_needs_disclosure_as_its_subject():
    """'全年接到举报投诉300件,其中热线转办200件' counts the office's complaints in general, not complaints about
    its disclosure work; one about disclosure is kept."""
    assert [f for f in found("2017年,本街道共接到举报投诉300件,其中热线转办200件。") if f[0] == "complaints_total"] == []
    assert ("complaints_total", "", 2) in [f[:3] for f in found("全年收到政府信息公开工作举报2件。")]


def test_a_time_limit_is_no_count():
    """'在接到申请15个工作日内予以答复' states a time limit, not 15 requests."""
    assert [f for f in found("我局在接到申请15个工作日内予以答复。") if f[0] == "req_new"] == []
    assert ("req_new", "", 15) in [f[:3] for f in found("全年共接到申请15个。")]


@pytest.mark.parametrize("text", [
    "已作出补正告知,目前未收到该申请人提交的补正材料。",   # the applicant's correction, not requests
    "本年度没有收到申请公开的信息涉及“不予公开”的。",       # no denials, not no requests
])
def test_a_negation_scoped_to_something_else_is_no_zero_of_requests(text):
    assert [f for f in found(text) if f[0] == "req_new"] == []


@pytest.mark.parametrize("text, expected", [
    ("政务服务大厅开设窗口12个，全年共受理申请5300件。", set()),                   # applications for approvals
    ("共收到申请3件，不予受理的申请1件。", {("req_new", 3)}),                     # a rejected request is no new one
    ("共收到申请6件，其中依申请公开3件，咨询3件。", {("req_new", 6)}),            # a part is not the total
    ("本年度办结依申请公开9件。", {("out_total", 9)}),
    ("全年受理2件依申请公开事项。", {("req_new", 2)}),
    ("收到申请3件，3件公开申请均已办结。", {("req_new", 3), ("out_total", 3)}),
    ("收到申请6件，办理完毕6件，已公开5件。", {("req_new", 6), ("out_total", 6)}),  # 已公开 is no 'already public'
    ("收到申请4件，区分处理后公开1件。", {("req_new", 4), ("out_partially_granted", 1)}),
    ("其他处理4件（含申请人撤回2件）。", {("out_other_total", 4)}),
    ("本年度未收到政府信息公开申请，收到1份有关政府信息公开的行政复议申请。", {("req_new", 0), ("review_total", 1)}),
    ("被申请行政复议1件，未被纠错，行政诉讼数为0件。", {("review_total", 1), ("lit_all_total", 0)}),
    ("未发生行政复议、行政诉讼和行政申诉。", {("review_total", 0), ("lit_all_total", 0), ("complaints_total", 0)}),
    ("全年接受政府信息公开申请量为12件，予以公开的有3件；行政复议案件共计2件。",
     {("req_new", 12), ("out_granted", 3), ("review_total", 2)}),
    ("未发生安全生产事故，受理政府信息公开申请3件。", {("req_new", 3)}),              # a negation holds one clause
    ("全年收取停车费用共计500元，未收取污水处理费。", set()),                       # fees of something else
    ("本年度共收取检索、复制、邮寄等费用共计35元。", {("request_fees_collected", 35)}),
    ("收到申请9件，其中予以公开3件、部分公开1件、无法提供2件，予以公开、部分公开的共4件。",
     {("req_new", 9), ("out_granted", 3), ("out_partially_granted", 1), ("out_unable_total", 2)}),
    ("全年没有应公开而不予公开的情况。", set()),          # a statement of compliance, not a count of denials
    ("全年办理政府信息公开申请30件（含上年结转5件）。", {("req_carried_in", 5)}),       # 30 is no count of new ones
    ("受理群众投诉申请5件。", set()),                                                # a complaint is no request
    ("依法没收违法所得，并收缴相关费用。", set()),                                 # 没收 is no negation of 收
    ("共制作政府信息100条，其中主动公开60条，依申请公开30条，不予公开10条。", set()),   # classes of items held
])
def test_what_a_request_or_case_figure_counts(text, expected):
    assert {(metric, value) for metric, _, value, _ in found(text)} == expected


def test_the_statistics_table_labels_in_prose_order():
    got = facts("共收到申请7条，其中当面申请数5条，网上申请数2条；对申请的答复总数7条，其中同意公开答复数6条。")
    assert (got[("req_by_channel", "in_person", None)], got[("req_by_channel", "online", None)],
            got[("out_total", "total", None)], got[("out_granted", "total", None)]) == (5, 2, 7, 6)
    assert found("指标名称 计量单位 年末统计 受理依申请公开信息总数 条 3")[0][:3] == ("req_new", "", 3)


def test_a_clause_that_names_another_year_states_that_years_figure():
    assert facts("三、依申请公开情况 2015年未收到政府信息公开申请。", 2016) == {}
    assert facts("三、依申请公开情况 2015年未收到政府信息公开申请。", 2015) == {("req_new", "total", None): 0}
    assert facts("本局2016年3月12日起共受理申请2件。", 2015) == {("req_new", "total", None): 2}   # a date is no year word


def test_answered_and_pending_requests_near_a_request_sentence():
    got = facts("本年度共收到政府信息公开申请12件。截至年底已答复10件，另2件仍处于答复期限内。")
    assert (got[("out_total", "total", None)], got[("req_carried_out", "total", None)]) == (10, 2)
    assert facts("收到申请7件，办结6件，1件尚未办结。")[("req_carried_out", "total", None)] == 1
    # answered items of another casework, even next to a request sentence, are no requests
    got = facts("本年度收到政府信息公开申请3件。办理人大代表建议15件，办结15件，按期答复率100%。")
    assert ("out_total", "total", None) not in got and ("req_carried_out", "total", None) not in got


@pytest.mark.parametrize("sentence, metric, value", [
    ("共受理申请3件，2件经核实予以公开，1件不予公开。", "out_granted", 2),
    ("收到申请5件，其中2件申请人于办理期间主动撤回。", "out_other_total", 2),
    ("收到申请5件，其中不属于本机关公开范围并告知申请人2件。", "out_unable_not_held", 2),
    ("收到申请2件，2件申请已全部答复，办理结果均为“部分公开”。", "out_partially_granted", 2),
    ("收到申请2件，均已依法答复并予以公开。", "out_granted", 2),
])
def test_outcomes_with_words_between_figure_and_answer(sentence, metric, value):
    assert facts(sentence)[(metric, "total", None)] == value


def test_an_outcome_word_after_a_time_limit_is_no_count():
    assert facts("自收到申请之日起15个工作日内予以公开。") == {}


def test_last_years_unanswered_requests_and_a_channel_after_the_applicant():
    got = facts("新收申请5件，另有上一年度未办结的申请3件。")
    assert got[("req_carried_in", "total", None)] == 3
    got = facts("全年收到政府信息公开申请1件，系申请人以信函形式提交。")
    assert got[("req_by_channel", "letter", None)] == 1


def test_a_consultation_desk_is_no_consultation():
    assert facts("活动期间设置咨询点3个，接受群众咨询40人次。") == {("consultations_total", "", None): 40}


def test_a_single_requests_outcome_without_a_figure():
    got = facts("本年度共受理政府信息公开申请1件。经审核，申请公开的内容属于不予公开范围，已书面告知申请人。")
    assert got[("out_denied_total", "total", None)] == 1
    # two outcomes named, or one of a list: which is the request's is not sure
    assert ("out_granted", "total", None) not in facts("收到申请1件，对可以公开和不予公开的内容作区分处理。")
    got = facts("收到申请3件。经审核，均予以公开。")            # more than one request: the phrasing rules' business
    assert ("out_granted", "total", None) not in got


def test_a_figure_of_another_year_printed_for_comparison():
    got = facts("全年新收政府信息公开申请15件，比2019年的9件有所增加。", 2020)
    assert (got[("req_new", "total", None)], got[("req_new", "total", 2019)]) == (15, 9)
    got = facts("本年度办结申请20件（上年为12件）。", 2020)
    assert got[("out_total", "total", 2019)] == 12
    # a change is no figure of that year ('较2019年增加6件': extract.total derives 2019's, 15 - 6)
    assert facts("全年新收申请15件，较2019年增加6件。", 2020)[("req_new", "total", 2019)] == 9


def earlier_of(text: str, year: int) -> list[tuple]:
    """(metric, dim, value, qualifier, year) of the proactive totals the prose states, in text order."""
    document = Document(path="x.txt", text=text, kind="txt", sha="0" * 64)
    return [(f.metric, f.dim, f.value, f.qualifier, f.year)
            for f in text_facts(document, ReportMeta(office="某镇", year=year, era="fmt2019"))
            if f.metric == "proactive_items_total"]


def test_the_earlier_years_own_figure_stated_beside_the_years():
    facts = earlier_of("2019年全年主动公开政府信息688条，较2018年的602条有所增加。", year=2019)
    assert facts[1][:5] == ("proactive_items_total", "", 602, "exact", 2018)
    facts = earlier_of("本年主动公开政府信息75条，比上年的80条减少5条。", year=2019)
    assert [f[2:5] for f in facts] == [(75, "exact", None), (80, "exact", 2018)]


def test_more_ways_to_state_the_earlier_years_figure():
    for text in ("全年主动公开政府信息88条，上年为70条。", "全年主动公开政府信息88条，较2018年（70条）增加18条。",
                 "全年主动公开政府信息88条，同比增长25.7%（2018年为70条）。"):
        facts = earlier_of(text, year=2019)
        assert [f[2:5] for f in facts] == [(88, "exact", None), (70, "exact", 2018)], text
    facts = earlier_of("全年主动公开政府信息88条，其中工作动态60条，上年为50条。", year=2019)
    assert not any(f[4] == 2018 for f in facts)


@pytest.mark.parametrize("sentence, key, value", [
    ("全年登记政府信息公开申请8件。", ("req_new", "total", None), 8),
    ("本年度政府信息公开申请量为8件。", ("req_new", "total", None), 8),
    ("收到申请8件，其中现场提交5件，通过网站平台提交3件。", ("req_by_channel", "in_person", None), 5),
    ("收到申请8件，其中现场提交5件，通过网站平台提交3件。", ("req_by_channel", "website", None), 3),
    ("收到申请8件，其中来函申请2件。", ("req_by_channel", "letter", None), 2),
    ("收到申请8件，属于不予处理情形的2件。", ("out_not_processed_total", "total", None), 2),
    ("收到申请8件，累计答复申请7件。", ("out_total", "total", None), 7),
    ("收到申请8件，其中1件因处于答复期限内转下年度办理。", ("req_carried_out", "total", None), 1),
    ("收到申请8件，截至年底尚未办结的申请1件。", ("req_carried_out", "total", None), 1),
    ("本机关被起诉2件。", ("lit_all_total", "", None), 2),
    ("全年未向申请人收取信息处理费。", ("info_processing_fee_collected", "", None), 0),
    ("全年收取信息处理费3笔，合计90元。", ("info_processing_fee_collected", "", None), 90),
    ("依申请公开收费0元。", ("request_fees_collected", "", None), 0),
])
def test_more_members_of_the_request_families(sentence, key, value):
    assert facts(sentence)[key] == value


@pytest.mark.parametrize("sentence, zeros", [
    ("本年度依申请公开政府信息数量为零。", {"req_new"}),
    ("本年度没有公民、法人向本局提出申请。", {"req_new"}),
    ("行政复议、行政诉讼案件数均为零。", {"review_total", "lit_all_total"}),
    ("本年度未接到群众关于政府信息公开方面的咨询。", {"consultations_total"}),
])
def test_zeros_stated_as_none_or_as_zero(sentence, zeros):
    got = facts(sentence)
    assert {metric for metric, _, _ in got} == zeros and set(got.values()) == {0}


def test_no_consultations_of_one_kind_is_no_zero_of_all():
    assert facts("全年未接到关于不予公开决定的咨询，接待咨询30人次。") == {("consultations_total", "", None): 30}


def test_outcome_with_its_decision_word_and_a_redirect():
    got = facts("收到申请9件，作出予以公开决定6件，告知申请人通过其他途径办理2件，因申请内容不明确告知补正1件。")
    assert (got[("out_granted", "total", None)], got[("out_redirected", "total", None)],
            got[("out_unable_unclear", "total", None)]) == (6, 2, 1)


def test_the_channel_of_a_single_request_after_its_count():
    got = facts("本年度收到政府信息公开申请1件，申请人通过电子邮件提交。")
    assert got[("req_by_channel", "email", None)] == 1
    got = facts("收到申请2件，其中以传真形式申请1件，以信函形式申请1件。")   # each figure its own channel
    assert (got[("req_by_channel", "fax", None)], got[("req_by_channel", "letter", None)]) == (1, 1)


@pytest.mark.parametrize("sentence, metric, value", [
    ("从上年度结转而来的申请4件。", "req_carried_in", 4),
    ("上一年度结转至本年度办理的申请4件。", "req_carried_in", 4),
    ("收到申请9件，有3件申请转入2021年办理。", "req_carried_out", 3),
    ("收到申请9件，延续至下一年度办理的3件。", "req_carried_out", 3),
])
def test_carried_over_with_its_motion_words(sentence, metric, value):
    got = facts(sentence, 2020)
    assert got[(metric, "total", None)] == value
    assert got.get(("req_new", "total", None)) in (None, 9)      # the carried figure is no new request


def test_last_years_publication_total_printed_for_comparison():
    got = facts("2020年，本局主动公开政府信息360条，比2019年的300条有所增加。", 2020)
    assert (got[("proactive_items_total", "", None)], got[("proactive_items_total", "", 2019)]) == (360, 300)


def test_the_processing_fee_named_with_its_government_prefix():
    assert facts("本年度没有收取政府信息公开处理费。") == {("info_processing_fee_collected", "", None): 0}


def test_all_requests_answered_in_time_and_granted():
    got = facts("收到的4件申请已全部按期答复，并全部予以公开。")
    assert (got[("out_total", "total", None)], got[("out_granted", "total", None)]) == (4, 4)
    assert facts("收到申请2件，均在法定期限内予以部分公开。")[("out_partially_granted", "total", None)] == 2


def test_an_outcome_in_a_case_sentence_is_no_requests():
    got = facts("行政复议2件：维持1件，申请人撤回1件。")
    assert ("out_other_total", "total", None) not in got and got[("review_other", "", None)] == 1


def test_no_complaints_named_as_appeals():
    assert facts("全年未发生政府信息公开方面的申诉。") == {("complaints_total", "", None): 0}


def test_a_label_and_its_figure_after_a_colon():
    got = facts("受理申请：6件。办理结果：予以公开：4件；不予公开的为2件。行政复议：0件。来电咨询：12人次。")
    assert (got[("req_new", "total", None)], got[("out_granted", "total", None)], got[("out_denied_total", "total", None)],
            got[("review_total", "", None)], got[("consultations_by_channel", "phone", None)]) == (6, 4, 2, 0, 12)


def test_all_answered_with_a_figure():
    assert facts("全年共受理申请7件，全部答复7件。")[("out_total", "total", None)] == 7


@pytest.mark.parametrize("sentence, expected", [
    ("收到申请6件，其中网上申请、信函申请各3件。",
     {("req_new", "total"): 6, ("req_by_channel", "online"): 3, ("req_by_channel", "letter"): 3}),
    ("收到申请4件，同意公开与不予公开各2件。",
     {("req_new", "total"): 4, ("out_granted", "total"): 2, ("out_denied_total", "total"): 2}),
    ("因政府信息公开被申请行政复议及提起行政诉讼各2起。", {("review_total", ""): 2, ("lit_all_total", ""): 2}),
    ("收到申请4件，网上申请和咨询各2件。", {("req_new", "total"): 4}),          # a list of mixed families
])
def test_one_figure_for_each_label_of_a_list(sentence, expected):
    assert {(m, d): v for (m, d, _), v in facts(sentence).items()} == expected


def test_consultations_by_channel_with_the_receiving_verb():
    got = facts("全年接待政府信息公开咨询50人次，其中现场接待咨询30人次，通过电话解答咨询20人次。")
    assert (got[("consultations_total", "", None)], got[("consultations_by_channel", "in_person", None)],
            got[("consultations_by_channel", "phone", None)]) == (50, 30, 20)
