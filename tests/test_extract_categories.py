"""extract.categories: the category breakdown is the list attached to the total, it reconciles with it or is
flagged; on sentences in the reports' style (our own wording) and on the real complete reports."""
from __future__ import annotations

from gongkai.extract.categories import category_facts, category_of_label
from gongkai.extract.prose import Collector, prose_view
from gongkai.extract.total import proactive_total
from gongkai.model import ReportMeta
import collections
import glob
import pytest
from gongkai.extract.categories import UNRECONCILED, category_of_label, unreconciled_breakdown
from gongkai.extract.reconcile import reconcile
from gongkai.extract.text import text_facts
from gongkai.model import Document, ReportMeta


def listed(text: str) -> list[tuple]:
    out, view, meta = Collector(text), prose_view(text), ReportMeta(year=2017)
    category_facts(view, proactive_total(view, meta, out), meta, out)
    return [(f.metric, f.dim, f.value, f.quote) for f in out.facts if f.metric != "proactive_items_total"]


def test_category_vocabulary():
    assert category_of_label("机构职能类信息") == "org_function"
    assert category_of_label("财政预决算信息") == "fiscal"
    assert category_of_label("政务动态类") == "work_updates"
    assert category_of_label("乡村振兴专题") == ""
    assert category_of_label("“三公”经费") == "fiscal"
    assert category_of_label("行政规章") == category_of_label("地方性法规") == "laws_policies"


def test_a_typed_label_is_named_by_its_type_not_by_the_noun_after_it():
    """'重大建设项目类文件': documents of the type 重大建设项目, not the category 文件 names alone."""
    assert category_of_label("重大建设项目类文件") == ""
    assert category_of_label("其他应公开信息类文件") == "other"
    assert category_of_label("计划总结类文件") == "plans"
    assert category_of_label("业务类信息") == "work_updates"
    assert category_of_label("工作文件类(包括规范性文件、政策解读等)信息") == "laws_policies"
    assert category_of_label("其他文件") == "laws_policies"


def test_typed_items_with_shares_and_sub_items_not_counted_again():
    assert listed("本单位共主动公开政府信息90条。在主动公开的信息中，机构职能类信息22条，含内设机构12条，占总体的比例为"
                  "24.4%；规划计划类信息8条；业务动态类信息60条，占总体的比例为66.7%。") == [
        ("proactive_items_by_category", "org_function", 22, "机构职能类信息22条"),
        ("proactive_share_by_category", "org_function", 24.4, "占总体的比例为24.4%"),
        ("proactive_items_by_category", "plans", 8, "规划计划类信息8条"),
        ("proactive_items_by_category", "work_updates", 60, "业务动态类信息60条"),
        ("proactive_share_by_category", "work_updates", 66.7, "占总体的比例为66.7%")]


def test_a_key_area_list_is_no_category_breakdown():
    assert listed("全年主动公开政府信息50条。重点领域公开信息共12条。其中,财政预决算信息8条;安全生产信息4条。") == []


def test_a_channel_label_gives_a_channel_figure_and_an_unmapped_label_is_other():
    assert listed("通过街道微信公众号发布信息500条，通过门户网站主动公开政府信息90条，其中工作动态80条、通知公告10条。") == [
        ("proactive_items_by_channel", "wechat", 500, "通过街道微信公众号发布信息500条"),
        ("proactive_items_by_category", "work_updates", 80, "其中工作动态80条"),
        ("proactive_items_by_category", "notices", 10, "通知公告10条")]
    assert listed("全年主动公开政府信息30条，其中工作动态20条、乡村振兴专题10条。")[1] == \
        ("proactive_items_by_category", "other", 10, "乡村振兴专题10条")


def breakdown(text: str, year: int = 2019) -> list[tuple[str, float, str]]:
    """(dim, value, qualifier) of the category facts, sorted."""
    document = Document(path="x.txt", text=text, kind="txt", sha="0" * 64)
    found, _ = reconcile(text_facts(document, ReportMeta(office="某区", year=year, era="pre2019")))
    return sorted((f.dim, f.value, f.qualifier) for f in found if f.metric == "proactive_items_by_category")


def channels(text: str) -> dict[str, float]:
    document = Document(path="x.txt", text=text, kind="txt", sha="0" * 64)
    found = text_facts(document, ReportMeta(office="某区", year=2019, era="pre2019"))
    return {f.dim: f.value for f in found if f.metric == "proactive_items_by_channel"}


TOPICS = ("一、总体情况\n通过微信公众号发布信息500条。推进财政资金信息公开，财政资金信息今年共发布348条信息，其中政府预决算公开19条、部门预决算公开224条、"
          "“三公”经费20条、专项资金84条、债券发行1条。今年累计主动公开采购信息25条、工程招投标信息188条。\n")


def test_topic_sub_counts_of_section_one_are_not_categories():
    text = TOPICS + ("二、主动公开政府信息情况\n2019年全区主动公开政府信息300条。(二)主动公开政府信息的主要类别\n"
                     "2019年，全区主动公开政府信息的主要类别有：机构职能类信息100条，规划计划类信息50条，其他信息150条。")
    assert breakdown(text) == [("org_function", 100, "exact"), ("other", 150, "exact"), ("plans", 50, "exact")]
    assert channels(text) == {"wechat": 500}          # a channel figure stays one, wherever it stands


def test_the_list_after_the_total_and_its_restatement():
    text = ("全年主动公开政府信息60条。\n（一）工作情况 全区发布工作动态信息300条。"
            "二、主动公开情况 全年共主动公开政府信息60条。其中，机构职能类信息10条，工作动态类信息50条。")
    assert breakdown(text) == [("org_function", 10, "exact"), ("work_updates", 50, "exact")]


def test_without_an_attached_list_other_credible_lists_count_while_they_fit():
    later = "（二）依申请公开情况。全年共收到申请3件。（三）平台建设情况。推动联动，共发布我局工作动态54条、通知公告6条。"
    assert breakdown("全年主动公开政府信息13条。" + later) == []
    assert breakdown("全年主动公开政府信息60条。" + later) == [("notices", 6, "exact"), ("work_updates", 54, "exact")]
    lone = "（三）平台建设。在门户网站增设“社保服务”子栏目，发布社保政策及工作动态24条。"
    assert breakdown("全年主动公开政府信息60条。" + lone) == []          # a lone topic count is a work measure
    assert breakdown("全年主动公开政府信息60条。（三）平台建设。共发布行政许可类信息24条。") == [("admin_duties", 24, "exact")]


def test_without_a_total_a_lone_item_counts_only_when_said_to_be_proactively_published():
    assert breakdown("一、总体情况。督促各单位完成规范性文件清理，共发布规范性文件300余份。") == []
    assert breakdown("一、总体情况。全年，本街道通过门户网站主动发布“工作动态”12件。") == [("work_updates", 12, "exact")]


def test_a_list_that_reaches_the_total_is_complete():
    text = ("2019年累计主动公开政府信息20条，其中安全生产监督检查情况8条，其他应主动公开的政府信息12条；"
            "公开财政预决算信息2条、三公经费信息1条，推送公众号文章248篇，其中原创文章118篇。")
    assert breakdown(text) == [("other", 8, "exact"), ("other", 12, "exact")]
    assert channels(text) == {"wechat": 248}


def test_channel_figures_in_the_list_count_towards_the_total():
    text = ("通过门户网站及微博微信主动公开政府信息1000条，其中概况类100条、政务信息300条、其他文件100条、微博400条、"
            "微信100条；人大代表建议办理信息4条、财政预决算信息65条。")
    assert breakdown(text) == [("laws_policies", 100, "exact"), ("other", 100, "exact"), ("other", 300, "exact")]
    assert channels(text) == {"weibo": 400, "wechat": 100}


def test_sub_items_in_brackets_and_after_qizhong():
    text = ("在主动公开的26条政府信息中，机构职能信息共2条；为民办实事类信息20条（其中奖补项目8条；家电下乡通报12条）；"
            "规划计划类信息4条。")
    assert breakdown(text) == [("org_function", 2, "exact"), ("other", 20, "exact"), ("plans", 4, "exact")]
    text = "全年主动公开政府信息90条，其中机构职能类信息20条，含内设机构12条、领导信息8条；工作动态类信息70条。"
    assert breakdown(text) == [("org_function", 20, "exact"), ("work_updates", 70, "exact")]


def test_a_bracketed_list_after_the_total_is_the_list():
    text = "今年全区共主动公开政府信息100条，(其中机构职能类信息25条，规划计划类信息15条，其他应主动公开政府信息60条)。"
    assert breakdown(text) == [("org_function", 25, "exact"), ("other", 60, "exact"), ("plans", 15, "exact")]


def test_an_item_that_sums_the_items_after_it_holds_them():
    text = "全年主动公开政府信息400条。其中财政资金类信息380条，预决算公开200条，专项资金180条；工作动态类信息20条。"
    assert breakdown(text) == [("fiscal", 380, "exact"), ("work_updates", 20, "exact")]


def test_a_breakdown_that_exceeds_its_total_is_kept_and_flagged():
    text = "全年主动公开政府信息100条。主动公开政府信息的主要类别有：机构职能类信息60条，规划计划类信息30条，其他信息30条。"
    assert breakdown(text) == [("org_function", 60, UNRECONCILED), ("other", 30, UNRECONCILED),
                               ("plans", 30, UNRECONCILED)]          # 60 = 30 + 30, but typed items are no sub-items


def test_why_a_breakdown_is_flagged():
    text = "全年主动公开政府信息100条。主动公开政府信息的主要类别有：机构职能类信息60条，规划计划类信息30条，其他信息30条。"
    document = Document(path="x.txt", kind="txt", sha="0" * 64, text=text)
    found = text_facts(document, ReportMeta(office="某区", year=2019, era="pre2019"))
    assert "add up to 120, more than the total 100" in unreconciled_breakdown(found)
    assert unreconciled_breakdown(text_facts(Document(path="x.txt", kind="txt", sha="0" * 64,
                                                      text="全年主动公开政府信息100条，其中工作动态类信息100条。"),
                                             ReportMeta(office="某区", year=2019))) == ""


def test_a_list_of_another_total_is_left_out_when_it_adds_up_to_it_and_flagged_when_to_neither():
    text = ("全年制作政府信息32条，其中主动公开政府信息26条。在主动公开的32条政府信息中，机构职能类信息2条；"
            "为民办实事类信息20条；规划计划类信息4条；政府采购类2条；年度报告类信息4条。")
    assert breakdown(text) == []               # the breakdown of the 32 it names, not of the year's 26
    cats = breakdown(text.replace("年度报告类信息4条", "年度报告类信息7条"))
    assert sum(v for _, v, _ in cats) == 35 and {q for _, _, q in cats} == {UNRECONCILED}


def test_figures_of_another_year_and_interpretations_alone():
    text = "2019年主动公开政府信息50条，其中工作动态类信息40条、通知公告类信息10条。2018年共发布工作动态类信息30条、通知公告类信息5条。"
    assert breakdown(text) == [("notices", 10, "exact"), ("work_updates", 40, "exact")]
    assert breakdown("全年主动公开政府信息500条。加强政策解读，全年发布政策文件解读96篇。") == []
    assert breakdown("全年主动公开政府信息50条，其中工作动态类信息49条、政策解读1条。") == [
        ("other", 1, "exact"), ("work_updates", 49, "exact")]


def test_a_list_about_requests_is_no_category():
    assert breakdown("今年共制作政府信息523条，主动公开政府信息94条，主动公开和依申请公开的政府信息共468条。") == []


def test_vocabulary():
    assert category_of_label("业务类信息") == "work_updates"
    assert category_of_label("班子成员信息") == "org_function"
    assert category_of_label("政府权力清单") == "admin_duties"


@pytest.mark.parametrize("name, total, items", [("fujian_pingtan_2017.txt", 2122, 16), ("fujian_pingtan_2018.txt", 2069, 16),
                                                ("fujian_pingtan_2020.txt", 2602, 11)])
def test_full_reports_categories_are_the_list_of_the_total(corpus_dir, name, total, items):
    from gongkai.extract import extract_file
    report = extract_file(corpus_dir / "full" / name)
    cats = [f for f in report.facts if f.metric == "proactive_items_by_category"]
    assert len(cats) == items
    assert abs(sum(f.value for f in cats) - total) <= 1      # 2020 prints one more than its total
    assert all(f.qualifier == "exact" for f in cats)


def test_full_report_bracketed_list_without_the_topic_counts(corpus_dir):
    from gongkai.extract import extract_file
    report = extract_file(corpus_dir / "full" / "fujian_pingtan_2019.txt")
    cats = [f for f in report.facts if f.metric == "proactive_items_by_category"]
    assert (len(cats), sum(f.value for f in cats)) == (11, 2533)     # the printed list; 财政资金 topics left out


def test_every_complete_report_reconciles_or_is_flagged(corpus_dir):
    from gongkai.extract import extract_file
    paths = sorted(glob.glob(str(corpus_dir / "full" / "*")) + glob.glob(str(corpus_dir / "district" / "reports" / "*")))
    over = []
    for path in paths:
        report = extract_file(path)
        totals = [f.value for f in report.facts if f.metric == "proactive_items_total" and f.year is None]
        cats = [f for f in report.facts if f.metric == "proactive_items_by_category" and f.year is None]
        if totals and sum(f.value for f in cats) > 1.02 * totals[0] and any(f.qualifier != UNRECONCILED for f in cats):
            over.append(path)
    assert len(paths) > 130 and over == []


def test_an_ordinal_is_no_count():
    """'第一条' (article one of an attached rule) is an ordinal, not one item of the list named before it."""
    assert listed("本局全年主动公开政府信息40条。附件:1.关于印发《某局政务公开工作方案》的通知2.某局信息公开审核制度 "
                  "第一条 为做好信息公开工作,特制定本制度。") == []


def test_the_year_of_a_document_number_is_no_count():
    """'国办函〔2020〕109号' cites a document: its year is not a count of the notices named before it."""
    assert listed("其他事项按照《关于印发<政府信息公开处理费办法>的通知》某办函〔2020〕7号)规定,本年度没有产生信息公开处理费。") == []


def test_an_enumeration_of_mixed_topics_is_no_category():
    """'人事、办事程序、便民措施等信息55条' lists topics of a subtotal: not the first topic's category; an
    enumeration whose parts mostly name one category is that category."""
    assert listed("2017年,本局主动公开政府信息80条。2017年,公开人事、办事程序、便民措施等政府信息55条。") == []
    assert listed("2017年,本局主动公开政府信息80条,其中规范性文件类信息20条,通知公告、人事任免等信息60条。") == [
        ("proactive_items_by_category", "laws_policies", 20, "其中规范性文件类信息20条"),
        ("proactive_items_by_category", "other", 60, "通知公告、人事任免等信息60条")]
    assert listed("2017年,本局主动公开政府信息80条,及时更新机构职能、领导信息、联系方式等信息6条。") == [
        ("proactive_items_by_category", "org_function", 6, "及时更新机构职能、领导信息、联系方式等信息6条")]


def test_a_request_channel_is_no_publishing_channel():
    """'网上竞价45条' (online bidding) and '邮寄1条' (a reply sent by post) name no channel of publication."""
    assert [f for f in listed("2017年,在采购信息网上主动公开采购项目信息18条,网上竞价45条。")
            if f[0] == "proactive_items_by_channel" and f[1] != "website"] == []
    assert [f for f in listed("共公开信息30条,其中在网站上主动公开信息28条,依申请公开2条(答复网上申请1条,纸质版邮寄1条)。")
            if f[0] == "proactive_items_by_channel" and f[1] != "website"] == []


def test_a_column_opened_as_a_work_measure_is_no_category_list():
    """'三是开设“办事服务”专栏,公开办事流程等信息40条' counts one column's items, a measure of the year's work."""
    text = ("2017年,本单位共发布信息900条。三是开设“办事服务”专栏,公开办事流程相关信息40条。"
            "四是调整开设“规划计划”专栏,增加公开规划相关信息12条。")
    assert [f for f in listed(text) if f[0] == "proactive_items_by_category"] == []


def test_a_key_area_subtotal_beside_the_total_is_no_category_but_a_member_of_a_list_is():
    assert breakdown("全年，区政府网站主动公开政府信息5000余条，重点领域信息1200余条，政策解读60条。") == []
    assert breakdown("全年主动公开信息50条，其中规范性文件类5条，工作动态类15条、重点领域信息30条。") == [
        ("laws_policies", 5, "exact"), ("other", 30, "exact"), ("work_updates", 15, "exact")]


def test_the_licensing_category_worded_with_shenqing_is_no_request_figure():
    """The old category list names '…期限以及申请行政许可需要提交的全部材料…': 申请 there is no request."""
    text = ("本局2012年主动公开政府信息40条。在公开的40条信息中，规范性文件5条；行政许可的事项、依据、条件、程序、"
            "期限以及申请行政许可需要提交的全部材料和实施情况30条；工作动态5条。")
    assert breakdown(text) == [("admin_duties", 30, "exact"), ("laws_policies", 5, "exact"),
                               ("work_updates", 5, "exact")]


def test_a_list_that_says_it_is_the_breakdown_qualifies_with_one_unmapped_item():
    text = ("其中主动公开政府信息30条。（二）主动公开政府信息的主要类别。在主动公开的30条政府信息中，"
            "全文电子化的主动公开信息数共25条，为民办实事类信息6条。")
    assert breakdown(text) == [("other", 6, "exact")]



def test_a_topic_published_through_a_channel_is_no_channel_figure():
    text = "一、总体情况。全年主动公开政府信息80条。在人才服务网和微信公众号发布招聘信息30多条，微信公众号共推送各类文章200篇。"
    assert channels(text) == {"wechat": 200}
    assert channels("全年主动公开政府信息80条。依托辖区宣传栏公开救助等信息40条。") == {}


def test_a_request_stated_after_the_lists_statement_does_not_void_the_list():
    text = "全年政府信息主动公开58条，其中行政许可类8条，其他类50条；办理依申请公开2件。"
    assert breakdown(text) == [("admin_duties", 8, "exact"), ("other", 50, "exact")]
    assert breakdown("全年受理依申请公开2件，其中行政许可类8条，其他类50条。") == []


def test_a_lone_topic_count_after_the_total_is_no_breakdown_but_qizhong_is():
    text = "全年通过门户网站主动公开政府信息300条，通过微信公众号发布信息900条。重点推进预决算公开，公开部门预算信息12条。"
    assert breakdown(text) == [] and channels(text) == {"wechat": 900}
    assert breakdown("全年主动公开政府信息60条。其中工作动态60条。") == [("work_updates", 60, "exact")]


def test_an_item_worded_with_a_comma_of_enumeration_is_named_by_its_whole_wording():
    """The 条例's list ('…的应急预案、预警信息及应对情况') holds 、 inside one item: the wording before the last 、
    names the category; an item whose parts name several categories, or none, stays as it was."""
    text = ("2020年主动公开政府信息20条，其中：政府集中采购项目的目录、标准及实施情况6条；"
            "突发公共事件的应急预案、预警信息及应对情况5条；办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果4条；"
            "环境保护、公共卫生的监督检查情况3条；财政预算、决算信息2条。")
    assert breakdown(text, 2020) == [("admin_duties", 4, "exact"), ("emergencies", 5, "exact"), ("fiscal", 2, "exact"),
                                     ("other", 3, "exact"), ("procurement", 6, "exact")]


def figures(text: str) -> set[tuple]:
    return {(metric, dim, value) for metric, dim, value, _ in listed(text)}


def test_channels_beside_an_interpretation_count():
    found = figures("全年主动公开政府信息60条，其中通知公告40条、工作动态20条。编发图解3篇；通过政务微博发布信息95条。")
    assert ("proactive_items_by_channel", "weibo", 95) in found
    assert not any(dim == "other" for _, dim, _ in found)


def test_a_newspaper_printing_items_is_the_press_channel():
    found = figures("本年度在《东川日报》刊登政务信息41条，通过政务微信发布信息300条。")
    assert ("proactive_items_by_channel", "press", 41) in found
    assert not any(metric == "proactive_items_by_category" for metric, _, _ in found)


def test_documents_in_jian_beside_items_in_tiao():
    found = figures("全年主动公开政府信息500条，其中规范性文件12件、通知公告88条、工作动态400条。")
    assert ("proactive_items_by_category", "laws_policies", 12) in found
    assert not any(metric == "proactive_items_by_category" for metric, _, _ in
                   figures("全年主动公开政府信息500条。本年度清理规范性文件12件，现行有效规范性文件70件。"))


def test_a_category_counted_in_ge_and_not_a_person():
    found = figures("全年主动公开政府信息30条，其中办事指南9个、工作动态21条。")
    assert ("proactive_items_by_category", "service_guides", 9) in found


def test_shares_stated_without_counts():
    found = figures("全年主动公开的信息中，通知公告类信息占全部信息的比重为40%，工作动态类信息占比60%。")
    assert found == {("proactive_share_by_category", "notices", 40), ("proactive_share_by_category", "work_updates", 60)}
    assert figures("网站访问量同比增长12%，其中工作动态类信息浏览量占55%。") == set()


def test_a_channel_and_its_verb_name_the_items():
    found = figures("全年主动公开政府信息90条，其中工作动态90条。通过政务微博发布45条，通过微信公众号推送60条。")
    assert {("proactive_items_by_channel", "weibo", 45), ("proactive_items_by_channel", "wechat", 60)} <= found


def test_the_key_areas_count_in_the_totals_sentence_is_no_category():
    found = figures("全年主动公开政府信息700余条，其中重点领域信息合计210条，包括教育信息80条、卫生健康信息130条。")
    assert not any(metric == "proactive_items_by_category" for metric, _, _ in found)


def test_shares_after_a_colon():
    found = figures("全年主动公开政府信息200条，各类信息占比依次为：工作动态占70%，通知公告占30%。")
    assert found == {("proactive_share_by_category", "work_updates", 70), ("proactive_share_by_category", "notices", 30)}


def test_counts_in_brackets_or_after_a_colon():
    found = figures("全年主动公开政府信息50条，主要类别有：通知公告类（20条）、工作动态类（30条）。")
    assert {("proactive_items_by_category", "notices", 20), ("proactive_items_by_category", "work_updates", 30)} <= found
    found = figures("全年主动公开政府信息50条。其中：通知公告：20条；工作动态：30条。")
    assert {("proactive_items_by_category", "notices", 20), ("proactive_items_by_category", "work_updates", 30)} <= found


def test_a_bulletin_board_posting_is_that_channels_count():
    found = figures("全年主动公开政府信息90条。公开方式上，网站公开60条，公示栏张贴30条。")
    assert ("proactive_items_by_channel", "bulletin_board", 30) in found


def test_a_bracketed_sub_list_ends_with_its_bracket():
    found = figures("全年主动公开政府信息90条，其中工作动态70条（含防汛信息12条、防疫信息9条）、人事信息20条。")
    assert {("proactive_items_by_category", "work_updates", 70), ("proactive_items_by_category", "personnel", 20)} <= found
    assert not any(value in (12, 9) for _, _, value in found)


def test_more_wordings_of_work_updates():
    assert category_of_label("业务工作类信息") == category_of_label("政务要闻") == "work_updates"


def test_shares_stated_respectively():
    found = figures("全年主动公开政府信息50条，人事信息、财政信息和通知公告分别占20%、30%和50%。")
    assert found == {("proactive_share_by_category", "personnel", 20), ("proactive_share_by_category", "fiscal", 30),
                     ("proactive_share_by_category", "notices", 50)}
    assert figures("全年主动公开政府信息50条，同比分别增长20%和30%。") == set()


def test_items_and_their_figures_stated_respectively():
    found = figures("全年主动公开政府信息90条，其中人事信息、财政信息分别为30条、60条。")
    assert {("proactive_items_by_category", "personnel", 30), ("proactive_items_by_category", "fiscal", 60)} <= found
    found = figures("全年主动公开政府信息90条，其中人事信息、财政信息、通知公告各10条、20条、60条。")
    assert {("proactive_items_by_category", "personnel", 10), ("proactive_items_by_category", "fiscal", 20),
            ("proactive_items_by_category", "notices", 60)} <= found
    found = figures("全年通过门户网站、政务微信分别发布信息70条、20条。")
    assert found == {("proactive_items_by_channel", "website", 70), ("proactive_items_by_channel", "wechat", 20)}
    found = figures("全年主动公开政府信息90条，其中人事信息、财政信息、通知公告分别为30条、60条。")
    assert not any(metric == "proactive_items_by_category" for metric, _, _ in found)   # they do not pair
