"""The category lists of a report's prose: 'label N条' items in sentences about proactive disclosure, mapped
onto the category vocabulary (categories.csv) or, for a channel label, onto channels (channels.csv).

Items are read sentence by sentence; a sentence qualifies when it holds the total, or two typed items
('机构职能类信息13条'), or mapped items near a publishing verb or right after a qualifying sentence.
'含/其中' after a typed item lists its sub-items (not counted again); key areas (重点领域) cut across
categories and are left out; a quoted column name ('在“学习与交流”栏目中…5条') names its items.
"""
from __future__ import annotations

import re

from gongkai.extract.phrasing import OUTCOMES
from gongkai.extract.prose import Collector, channel_of_label, clause_start, new_this_year
from gongkai.model import ReportMeta
from gongkai.numbers import ARABIC, QUANTITY, Number, from_match
from gongkai.taxonomy import phrasings

LABEL_STOP = set(",，、;；:：。！？!?\n")
CATEGORIES = phrasings("categories")
_SUB_ITEM = re.compile(r"含|包括|其中")
_LIST_BREAK = re.compile(r"[;；。]")
_ITEM = re.compile(rf"{QUANTITY}\s*(?P<unit>条|件|篇)(?!次|以上|左右|[\d])")
_BARE_ITEM = re.compile(r"(?P<num>\d+)(?![\d.%％])(?!\s*[年月日万元个人次期份项余多号条件篇])")
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_ITEM_HINT = re.compile(r"[\d零〇一二两三四五六七八九十百千]")
_SHARE = re.compile(rf"[^\d。；;]{{0,3}}?占[^\d。；;]{{0,14}}?(?P<pct>{ARABIC})\s?%")
_LABEL_LEAD = re.compile(r"^(?:[\d]+[.、]|其中|包括|主要包括|主要有|主要是|分别是|分别为|含|以及|及|和|另有|有|共|发布|"
                         r"主动公开|公开|更新|新增|及时更新|积极发布|在|涉及|开|是|[,，:：])+")
_LABEL_TAIL = re.compile(r"(?:的|为|共|共计|达|计|有|数|数量|信息数|等)+$")
_LABEL_VERB = re.compile(r".*(?:主动公开|公开|发布|推送|上报|更新|上传|录入)")
_BAD_LABEL = re.compile(r"比|增加|减少|同比|较|占|每|累计|合计|总计|全年|\d{4}年|以上|超过|达到|期|发放|印发|次|分别|报送|审发|上报|"
                        r"申请|复议|诉讼|咨询|答复|投诉|举报|办结|受理|保留|废止|清理|季度|月份|半年")
_GENERIC_LABEL = re.compile(r"^(?:各类)?(?:政府)?(?:信息|资讯)?$")
_PROACTIVE_VERB = re.compile(r"公开|发布|推送|上报|更新|上传|录入")
_SOCIAL = ("weibo", "wechat", "press")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"")
_EACH_SPLIT = re.compile(r"[^、和及与]+")
_YEAR_WORD = re.compile(r"\d{4}年度?")
_COLUMN = re.compile(r"“(?P<label>[^“”\d]{2,12})”(?:栏目|专栏|板块|版块|频道|专题)")
_COLUMN_REACH = 25
_COLUMN_BREAK = re.compile(r"[\d;；。]")
_QUOTE_MARKS = re.compile(r"[“”\"]")
_TYPED_ENDINGS = ("类信息", "类")
_KEY_AREAS = re.compile(r"重点领域[^。；;,，\n\d]{0,30}?(?:共|共计|合计|累计)[^。；;\n\d]{0,8}?\d")  # a key-area total


def _label_start(text: str, pos: int, floor: int) -> int:
    depth, i = 0, pos - 1
    while i >= floor:
        c = text[i]
        if c in ")）":
            depth += 1
        elif c in "(（":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c in LABEL_STOP:
            break
        i -= 1
    return i + 1


def category_of_label(label: str) -> str:
    """Category id of a printed label ('机构职能类信息' -> 'org_function'), '' when no phrasing matches."""
    label = _QUOTE_MARKS.sub("", label)          # '“三公”经费' is 三公经费
    return next((cat for phrase, cat in CATEGORIES if phrase in label), "")


def _each_parts(view: str, clause: int, each_at: int):
    """'A、B和C各1篇': the listed items before 各, each with its span start and cleaned label."""
    for part in _EACH_SPLIT.finditer(view, clause, each_at):
        label = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", part.group(0).strip())).strip("“”\"《》() （）")
        if label and len(label) <= 30 and not _BAD_LABEL.search(_YEAR_WORD.sub("", label)) \
                and not any(p in label for p, _ in OUTCOMES):
            yield part.start(), label


def _items(view: str, floor: int, end: int, claimed: set[int]):
    """Figures of one sentence with their labels: (match, label start, label, category, channel, with unit,
    column) - column is True when the label is a quoted column name ('在“学习与交流”栏目中…5条')."""
    found = [(m.start(), m, True) for m in _ITEM.finditer(view, floor, end)]
    found += [(m.start(), m, False) for m in _BARE_ITEM.finditer(view, floor, end)]
    found.sort(key=lambda t: t[0])
    taken_until = floor
    for start_num, m, with_unit in found:
        if start_num < taken_until:
            continue
        if m.start("num") in claimed:
            taken_until = m.end()
            continue
        start = _label_start(view, m.start(), taken_until)
        raw = view[start:m.start()].strip()
        if with_unit and raw.endswith("各"):      # one figure for each listed item
            taken_until = m.end()
            clause = max(clause_start(view, m.start()), floor)
            for part_start, label in _each_parts(view, clause, m.start() - 1):
                yield m, part_start, label, category_of_label(label), "", True, False
            continue
        full = _LABEL_TAIL.sub("", _LABEL_LEAD.sub("", raw)).strip("“”\"() （）")
        verb = _LABEL_VERB.match(full)
        tail = (full[verb.end():] if verb else full).strip("“”\"") or (full if full.endswith(("公开", "更新")) else "")
        category, channel = category_of_label(full), channel_of_label(full)
        tail = tail or (full if category else "")
        head_channel = channel_of_label(full[:verb.end()]) if verb else ""
        clause_channel = channel_of_label(view[max(clause_start(view, m.start()), taken_until):m.start()])
        column = None
        if not category:
            for column in _COLUMN.finditer(view, taken_until, m.start()):
                pass
            if column is not None and (m.start() - column.end() > _COLUMN_REACH
                                       or _COLUMN_BREAK.search(view, column.end(), m.start())):
                column = None                    # too far from the figure to name it
        if column is not None:                   # the quoted column names the items
            start, full = column.start(), column.group("label")
            tail, category, channel, head_channel, clause_channel = full, category_of_label(full), "", "", ""
        on_website = channel == "website" and verb is not None and bool(category_of_label(tail))
        if head_channel in _SOCIAL or (not category and clause_channel) or (   # '通过网站发布“工作动态”10件' is
                channel and not on_website and ("通过" in full or "方式" in full or "渠道" in full)):  # a category
            category, channel = "", channel or head_channel or clause_channel
        if not with_unit and (channel or not (category or full.endswith(_TYPED_ENDINGS))):
            continue                             # a bare figure needs a category label ('重大民生类信息1')
        taken_until = m.end()
        if not tail or len(tail) > 30 or _BAD_LABEL.search(tail) or any(p in tail for p, _ in OUTCOMES):
            continue
        if _GENERIC_LABEL.match(tail) and not channel and not category:
            continue
        yield m, start, (tail if category == "" else full), category, channel, with_unit, column is not None


def category_facts(view: str, total, meta: ReportMeta, out: Collector) -> None:
    """Category (and channel) breakdowns: lists of 'label N条' in sentences about proactive disclosure."""
    after_total = key_area = False
    for sentence in _SENTENCE.finditer(view):
        pos, end = sentence.span()
        if not _ITEM_HINT.search(view, pos, end):
            after_total = key_area = False
            continue
        in_total = total is not None and pos <= total.end <= end
        floor = pos
        qualifies = False
        if not in_total and "申请" in _QUOTED.sub("", view[pos:end]):     # a quoted title may name a 申请表
            after_total = key_area = False
            continue
        if not in_total and (_KEY_AREAS.search(view, pos, end) or key_area and view[pos:end].lstrip().startswith("其中")):
            after_total, key_area = False, True   # key areas (重点领域) have their own total and cut across categories
            continue
        key_area = False
        items = list(_items(view, floor, end, out.claimed))
        total_in_jian = total is not None and total.unit == "件"
        mapped = sum(1 for item in items if item[3])
        typed = sum(1 for item in items if item[3] and "类" in item[2])
        columns = any(item[6] for item in items)
        qualifies = bool(items) and (in_total or typed >= 2 or ((mapped or columns) and (
            after_total or _PROACTIVE_VERB.search(view, pos, end))))
        if qualifies:
            parent = None              # dim of the last 'X类…N条' item: '含/其中' after it lists its sub-items
            in_sub, previous_end = False, pos
            for m, start, label, cat, channel, with_unit, column in items:
                unit = m.group("unit") if with_unit else ""
                if unit == "件" and not (total_in_jian or "”" in view[start:m.start()]):
                    continue
                number = from_match(m) if with_unit else Number(float(m.group("num")))
                number, item_end = new_this_year(view, m.end(), number, meta)
                if in_total and m.start() < total.end and not (channel and not cat):
                    continue
                if channel and not cat:
                    out.add("proactive_items_by_channel", number, start, item_end, dim=channel)
                    out.claimed.add(m.start("num"))
                    continue
                if not cat and not m.group("num")[0].isdigit():
                    continue
                share = _SHARE.match(view, item_end)
                out.claimed.add(m.start("num"))
                gap = _BRACKETED.sub("", view[previous_end:m.start()])
                in_sub = parent is not None and (bool(_SUB_ITEM.search(gap)) or in_sub and not _LIST_BREAK.search(gap))
                previous_end = share.end() if share else item_end
                if in_sub:                 # '机构职能类信息22条,含…12条,占总体的29.3%': sub-items of the parent
                    if share:
                        out.add("proactive_share_by_category", Number(float(share.group("pct").replace(",", ""))),
                                view.find("占", share.start()), share.end(), dim=parent)
                    continue
                fact = out.add("proactive_items_by_category", number, start, item_end, dim=cat or "other")
                parent = fact.dim if cat and "类" in label or column else None
                if share:
                    out.add("proactive_share_by_category", Number(float(share.group("pct").replace(",", ""))),
                            view.find("占", share.start()), share.end(), dim=fact.dim)
        after_total = in_total or qualifies


__all__ = ["category_facts", "category_of_label"]
