"""extract.categories: category and channel lists of the prose, and the category vocabulary of a label."""
from gongkai.extract.categories import category_facts, category_of_label
from gongkai.extract.prose import Collector, prose_view
from gongkai.extract.total import proactive_total
from gongkai.model import ReportMeta


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
