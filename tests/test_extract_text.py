"""extract.text: prose facts from sentences written in the reports' style (our own wording), all readers together."""
import pytest

from gongkai.extract.prose import prose_view
from gongkai.extract.text import text_facts
from gongkai.model import Document, ReportMeta


def facts(text: str, year: int = 2018) -> dict:
    document = Document(path="x.txt", text=text, kind="txt", sha="0" * 64)
    found = text_facts(document, ReportMeta(office="某街道", year=year, era="pre2019"))
    for f in found:
        assert document.text[f.start:f.end].strip(), f
        assert f.method == "text"
    return {(f.metric, f.dim, f.year): f for f in found}


def test_total_categories_shares_and_last_year():
    got = facts("本街道2018年共主动公开政府信息120条，比去年增加20条，全文电子化率达100%。"
                "在主动公开的信息中，机构职能类信息6条，占总体的比例为5%；业务动态类信息114条，占总体的比例为95%。")
    assert got[("proactive_items_total", "", None)].value == 120
    last = got[("proactive_items_total", "", 2017)]
    assert (last.value, last.qualifier, last.quote) == (100, "derived", "比去年增加20条")
    assert got[("proactive_fulltext_rate", "", None)].value == 100
    assert got[("proactive_items_by_category", "org_function", None)].value == 6
    assert got[("proactive_items_by_category", "work_updates", None)].value == 114
    share = got[("proactive_share_by_category", "work_updates", None)]
    assert (share.value, share.unit) == (95, "%")


def test_decrease_gives_a_larger_last_year():
    got = facts("2018年主动公开政府信息80条，比上年减少15条。")
    assert got[("proactive_items_total", "", 2017)].value == 95


def test_approximate_and_chinese_figures():
    got = facts("全年主动公开信息300余条。接待群众咨询四十多人次。")
    total = got[("proactive_items_total", "", None)]
    assert (total.value, total.qualifier) == (300, "approx")
    consult = got[("consultations_total", "", None)]
    assert (consult.value, consult.qualifier) == (40, "approx")


def test_channel_counts_are_not_the_total():
    got = facts("通过街道微信公众号发布信息500条，通过门户网站主动公开政府信息90条，其中工作动态80条、通知公告10条。")
    assert got[("proactive_items_total", "", None)].value == 90
    assert got[("proactive_items_by_channel", "wechat", None)].value == 500
    assert got[("proactive_items_by_category", "notices", None)].value == 10


def test_unmapped_category_keeps_its_label():
    got = facts("全年主动公开政府信息30条，其中工作动态20条、乡村振兴专题10条。")
    fact = got[("proactive_items_by_category", "other", None)]
    assert (fact.value, fact.quote) == (10, "乡村振兴专题10条")


def test_cumulative_figure_with_the_years_own_in_brackets():
    got = facts("累计公开信息900条(2018年新增120条)。")
    assert got[("proactive_items_total", "", None)].value == 120


def test_requests_channels_and_outcomes():
    got = facts("本年度共受理政府信息公开申请10件，其中当面申请2件，网上申请7件，信函申请1件。"
                "“同意公开”的5件，“同意部分公开”的1件，“不予公开”的1件，“信息不存在”的2件，申请人主动撤回1件。"
                "另有1件结转下年度继续办理。")
    assert got[("req_new", "", None)].value == 10
    assert {ch: got[("req_by_channel", ch, None)].value for ch in ("in_person", "online", "letter")} == \
        {"in_person": 2, "online": 7, "letter": 1}
    assert got[("out_granted", "", None)].value == 5
    assert got[("out_partially_granted", "", None)].value == 1
    assert got[("out_denied_total", "", None)].value == 1
    assert got[("out_unable_not_held", "", None)].value == 2
    assert got[("out_other_total", "", None)].value == 1
    assert got[("req_carried_out", "", None)].value == 1


def test_granted_and_partly_granted_together_is_neither():
    got = facts("共收到申请30件，予以公开及部分公开25宗，不予公开5宗。")
    assert ("out_partially_granted", "", None) not in got
    assert got[("out_denied_total", "", None)].value == 5


@pytest.mark.parametrize("sentence, zeros", [
    ("本年度未收到公民、法人或其他组织提出的政府信息公开申请。", {"req_new"}),
    ("全年未发生因政府信息公开引起的行政复议和行政诉讼。", {"review_total", "lit_all_total"}),
    ("针对本单位的行政复议、诉讼、举报申请0件。", {"review_total", "lit_all_total", "complaints_total"}),
    ("依申请公开工作中未收取任何费用。", {"request_fees_collected"}),
    ("本机关没有收费项目。", {"request_fees_collected"}),
])
def test_stated_zeros(sentence, zeros):
    got = facts(sentence)
    assert {metric for metric, _, _ in got} == zeros
    assert all(f.value == 0 for f in got.values())


def test_missing_is_not_zero():
    assert facts("本街道认真落实政务公开各项要求，进一步规范公开流程。") == {}


def test_fees_collected():
    got = facts("共收取复印、邮寄等成本费用共计12.5元。")
    assert got[("request_fees_collected", "", None)].value == 12.5


def test_table_rows_are_left_to_the_table_extractor():
    text = "一、本年新收政府信息公开申请数量 | 3 | 0 | 3 |\n(一)予以公开 | 2 | 0 | 2 |\n"
    assert prose_view(text).strip() == ""
    assert facts(text) == {}


def test_several_printed_items_of_one_category_are_kept_and_sub_items_are_not():
    from gongkai.extract import reconcile
    document = Document(path="x.txt", kind="txt", sha="0" * 64,
                        text="本单位共主动公开政府信息90条。在主动公开的信息中，机构职责2条；内设机构6条、领导介绍4条；"
                             "规划计划类信息8条，其中年度计划5条；业务动态类信息70条，含图片新闻30条、简报40条，占总体的比例为77.8%。")
    found, _ = reconcile(text_facts(document, ReportMeta(office="某街道", year=2018, era="pre2019")))
    cats = sorted((f.dim, f.value) for f in found if f.metric == "proactive_items_by_category")
    assert cats == [("org_function", 2), ("org_function", 4), ("org_function", 6), ("plans", 8), ("work_updates", 70)]
    share = [f for f in found if f.metric == "proactive_share_by_category"]
    assert [(f.dim, f.value) for f in share] == [("work_updates", 77.8)]


def test_a_restated_category_is_one_fact_and_a_whole_total_category():
    from gongkai.extract import reconcile
    document = Document(path="x.txt", kind="txt", sha="0" * 64,
                        text="共主动公开政府信息40条，全部为工作动态。机构职能类3条，占3%；机构职能类信息3条，占3%。")
    found, _ = reconcile(text_facts(document, ReportMeta(office="某街道", year=2018, era="pre2019")))
    cats = sorted((f.dim, f.value) for f in found if f.metric == "proactive_items_by_category")
    assert cats == [("org_function", 3), ("work_updates", 40)]


def test_next_year_carry_over_is_not_a_new_request():
    got = facts("全年共受理依申请公开事项9件，2019年结转依申请公开事项1件，正在办理中。")
    assert got[("req_new", "", None)].value == 9
    assert got[("req_carried_out", "", None)].value == 1


def _reconciled(text: str) -> list:
    from gongkai.extract import reconcile
    document = Document(path="x.txt", kind="txt", sha="0" * 64, text=text)
    found, _ = reconcile(text_facts(document, ReportMeta(office="某街道", year=2018, era="pre2019")))
    return found


def test_each_listed_item_gets_the_figure_after_ge():
    found = _reconciled("全年在门户网站发布信息共20条。其中工作动态15条;年度工作总结、普法清单和权责清单各1篇;通知公告2条。")
    cats = sorted((f.dim, f.value) for f in found if f.metric == "proactive_items_by_category")
    assert cats == [("admin_duties", 1), ("notices", 2), ("other", 1), ("other", 1), ("work_updates", 15)]


def test_outcome_shared_by_all_answered_requests_and_a_channel_for_all():
    got = facts("本年度受理申请3件,所涉内容为某小区物业信息,均属“本机关不掌握”的信息。")
    assert got[("out_unable_not_held", "", None)].value == 3
    got = facts("全年共受理依申请公开2件,为信函申请。")
    assert got[("req_new", "", None)].value == 2 and got[("req_by_channel", "letter", None)].value == 2
    got = facts("共受理申请4件,通过网络申请2件。")
    assert got[("req_by_channel", "online", None)].value == 2


def test_two_phrasings_of_not_held_are_both_kept():
    found = _reconciled("共收到申请3件,同意公开1件,申请信息不存在1件,非本机关掌握1件。")
    assert sorted(f.value for f in found if f.metric == "out_unable_not_held") == [1, 1]


def test_quoted_column_labels_and_bare_typed_items():
    found = _reconciled("本年度主动公开的信息中,有“办事指南”3条(含“申请表下载说明”),以及“政务公开”2条。"
                        "在“学习园地”栏目中提供有6条信息,其中讲话稿4条。"
                        "另有文件类信息2条,民生保障类信息1,统计信息1。")
    cats = sorted((f.dim, f.value) for f in found if f.metric == "proactive_items_by_category")
    assert cats == [("laws_policies", 2), ("other", 1), ("other", 2), ("other", 6), ("service_guides", 3),
                    ("statistics", 1)]


def test_a_key_area_total_and_its_list_are_not_a_category_breakdown():
    found = _reconciled("全年主动公开政府信息50条,其中工作动态40条、通知公告10条。重点领域公开信息共12条。"
                        "其中,财政预决算信息8条;安全生产信息4条。")
    cats = sorted((f.dim, f.value) for f in found if f.metric == "proactive_items_by_category")
    assert cats == [("notices", 10), ("work_updates", 40)]


def test_a_year_is_not_a_count_and_a_far_column_does_not_name_a_figure():
    found = _reconciled("全年主动公开政府信息40条,其中工作动态类信息30条,财政预决算类信息2条,包括 2023 年度部门决算。"
                        "开设“便民问答”栏目,邀请专家在线讲解有关政策和办事流程,解答群众提问,回复留言 8 条。")
    cats = sorted((f.dim, f.value) for f in found if f.metric == "proactive_items_by_category")
    assert cats == [("fiscal", 2), ("work_updates", 30)]


def test_a_topic_section_figure_gives_way_to_the_stated_total():
    got = facts("推进项目信息公开,公开审批、建设等内容,全年共发布信息66条。"
                "二、主动公开政府信息情况\n2018年全区主动公开政府信息1200条。")
    assert got[("proactive_items_total", "", None)].value == 1200


@pytest.mark.parametrize("name, total", [("fujian_pingtan_2017.txt", 2122), ("fujian_pingtan_2018.txt", 2069),
                                         ("fujian_pingtan_2022.txt", 14571), ("jiangsu_hongze_2023.pdf", 1136)])
def test_full_reports_total_and_no_year_as_count(corpus_dir, name, total):
    from gongkai.extract import extract_file
    report = extract_file(corpus_dir / "full" / name)
    got = {(f.metric, f.dim, f.year): f for f in report.facts}
    assert got[("proactive_items_total", "", None)].value == total
    years = range(2000, 2031)
    assert not [f for f in report.facts if f.method == "text" and f.unit in ("条", "件") and f.value in years
                and f.qualifier == "exact"], name


def test_full_report_year_in_a_category_list_is_not_a_count(corpus_dir):
    from gongkai.extract import extract_file
    report = extract_file(corpus_dir / "full" / "shanghai_kewei_2024.md")
    cats = {(f.dim, f.value) for f in report.facts if f.metric == "proactive_items_by_category"}
    assert cats == {("laws_policies", 13), ("plans", 2)}


def test_a_category_published_on_the_website_is_a_category():
    got = facts("全年通过政府网站主动发布“通知公告”12件,通过微信公众号发布信息30条。")
    assert got[("proactive_items_by_category", "notices", None)].value == 12
    assert got[("proactive_items_by_channel", "wechat", None)].value == 30


@pytest.mark.parametrize("sentence, metric, value", [
    ("2019年本单位主动公开75条政府信息。", "proactive_items_total", 75),
    ("本年度共有6件政府信息公开申请。", "req_new", 6),
    ("全年政府信息公开申请数量为9件。", "req_new", 9),
    ("本年度新收申请12件,上年度结转2件。", "req_carried_in", 2),
    ("受理的4件申请中,3件予以公开,1件告知非本机关政府信息。", "out_unable_not_held", 1),
    ("全年共收取信息公开费用0元。", "request_fees_collected", 0),
])
def test_phrasing_families(sentence, metric, value):
    got = facts(sentence, 2019)
    assert got[(metric, "", None)].value == value


def test_total_after_a_colon():
    assert facts("本年度主动公开政府信息数:58条。")[("proactive_items_total", "", None)].value == 58


def test_the_disclosure_share_of_all_reconsiderations_and_a_quarter_is_no_category():
    got = facts("全年受理行政复议案件25件,其中涉及政府信息公开的3件;发生行政诉讼4起。")
    assert got[("review_total", "", None)].value == 3 and got[("lit_all_total", "", None)].value == 4
    got = facts("全年共发布信息90条,其中第2季度20条。")
    assert [k for k in got if k[0] == "proactive_items_by_category"] == []


def test_flattened_tables_are_left_to_the_table_extractor():
    text = ("二、主动公开政府信息情况 第二十条第（五）项信息内容本年处理决定数量行政许可5第二十条第（六）项信息内容本年处理决定"
            "数量行政处罚1行政强制0（二）主要类别 全年主动公开政府信息10条。\n"
            "四、行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
            "结果维持结果纠正其他结果尚未审结总计 00 0 00 0 0 0 00 0 0 0 00五、存在的主要问题")
    view = prose_view(text)
    assert "行政许可5" not in view and "尚未审结" not in view and "全年主动公开政府信息10条" in view
    assert facts(text) == {("proactive_items_total", "", None): facts(text)[("proactive_items_total", "", None)]}
